"""The cycle collector rests while a whole plan is read, and only then."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from app.models.db import Database
from app.services import catalog
from app.ui import plan_browser
from app.ui.gc_pause import paused_gc
from app.ui.main_window import MainWindow
from tests.ui.conftest import POKJA


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


def test_the_plan_is_read_with_the_collector_paused(
    syn_db: Database, qtbot: QtBot, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    real_load, real_figures = catalog.load_rows, plan_browser.year_figures

    def load_rows(*a: object, **k: object) -> list[catalog.RowSummary]:
        seen.append(gc.isenabled())
        return real_load(*a, **k)  # type: ignore[arg-type]

    def year_figures(*a: object, **k: object) -> dict:  # type: ignore[type-arg]
        seen.append(gc.isenabled())
        return real_figures(*a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(catalog, "load_rows", load_rows)
    monkeypatch.setattr(plan_browser, "year_figures", year_figures)
    window = MainWindow(syn_db, POKJA, settings=settings)
    qtbot.addWidget(window)
    assert seen and not any(seen)
    assert gc.isenabled()
