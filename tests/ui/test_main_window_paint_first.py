"""A started window paints before it counts the year and fills the first row's form."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from app.models.db import Database
from app.ui.main_window import MainWindow

from .conftest import FOCAL


def test_the_counts_and_the_first_form_come_right_after_the_first_frame(
    qtbot: QtBot, syn_db: Database, settings: QSettings
) -> None:
    window = MainWindow(syn_db, FOCAL, settings=settings, paint_first=True)
    qtbot.addWidget(window)
    b = window.browser
    assert window.form is not None
    # Built and a row chosen, nothing painted: only the tree has been read.
    assert b.current_row is not None
    assert window.form.row_id is None
    assert b.left is None
    assert window.completeness.text() == ""
    window.show()
    qtbot.waitUntil(lambda: window.form is not None and window.form.row_id == b.current_row)
    qtbot.waitUntil(lambda: b.left is not None and window.completeness.text() != "")
    assert b.left is not None and b.left.year == b.year
    assert window.left_line.isVisible()


def test_without_it_the_window_is_whole_before_it_is_shown(
    qtbot: QtBot, syn_db: Database, settings: QSettings
) -> None:
    window = MainWindow(syn_db, FOCAL, settings=settings)
    qtbot.addWidget(window)
    assert window.form is not None
    assert window.form.row_id == window.browser.current_row is not None
    assert window.browser.left is not None
    assert window.completeness.text() != ""
