"""The window shows a plan before reading all of it: counts first, an OPD's rows when
opened, every row after the first paint; a large plan's what-is-left line after it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from app.models.db import Database
from app.ui import plan_browser
from app.ui.main_window import MainWindow
from tests.ui.conftest import POKJA


def test_the_window_is_built_from_the_counts_and_the_first_opd(
    syn_db: Database, qtbot: QtBot, settings: QSettings
) -> None:
    window = MainWindow(syn_db, POKJA, settings=settings)
    qtbot.addWidget(window)
    browser = window.browser
    assert browser.source is not None and not browser.source.complete
    assert browser.match_label.text() == "300 baris"
    assert window.completeness.text().startswith("Terisi 0 dari 300 baris")
    assert window.current_row_id is not None  # the first row, from the first OPD read
    window.show()
    qtbot.waitUntil(lambda: browser.search_index.built, timeout=5000)
    assert browser.source.complete  # read with the index, after the paint


def test_a_large_plans_line_is_counted_after_the_first_paint(
    syn_db: Database, qtbot: QtBot, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plan_browser, "DEFER_FROM_ROWS", 100)
    window = MainWindow(syn_db, POKJA, settings=settings)
    qtbot.addWidget(window)
    assert window.browser.left is None and window.left_line.plain == ""
    window.show()
    qtbot.waitUntil(lambda: window.browser.left is not None, timeout=5000)
    assert window.left_line.plain.startswith("Belum diisi 2023: 300 baris")
    # Shown once, later counts (another year) are made at once.
    window.browser.set_year(2024)
    assert window.left_line.plain.startswith("Belum diisi 2024:")
