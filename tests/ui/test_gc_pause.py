"""The cycle collector rests while the window reads a whole plan, and only then."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from app.models.db import Database
from app.services import catalog
from app.ui import plan_browser
from app.ui.main_window import MainWindow
from tests.ui.conftest import POKJA


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
