"""The cycle collector rests inside ``paused_gc`` and only there."""

from __future__ import annotations

import gc

from app.gc_pause import paused_gc


def test_paused_gc_restores_the_state_it_found() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block does not resume it early
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # someone else's pause is left alone
    finally:
        gc.enable()
