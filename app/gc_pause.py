"""Pausing Python's cycle collector while a large result is built (a plan, the board).

Reading 100,000 rows makes millions of small objects (tuples, row summaries, tree
groups); each allocation burst makes the cycle collector scan all that is alive, which
took as long as the reading itself. None of these objects is garbage while they are
made, so the collector is paused for the read and resumes (with its usual thresholds)
right after; plain reference counting still frees everything as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cycle collection inside the block (nested blocks are fine)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
