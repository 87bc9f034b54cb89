"""Windows fit a laptop screen and reopen at the size the user left them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSettings, QSize
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from app.models.db import Database
from app.ui import window_size
from app.ui.main_window import MainWindow
from app.ui.window_size import MARGIN, TITLE_BAR, fit_minimum, remember_size
from tests.ui.conftest import POKJA

Make = Callable[..., MainWindow]
# The commonest office laptop: 1366×768, less a 40-pixel taskbar.
SMALL = QRect(0, 0, 1366, 728)


@pytest.fixture
def small_screen(monkeypatch: pytest.MonkeyPatch) -> QRect:
    monkeypatch.setattr(window_size, "available_geometry", lambda widget=None: QRect(SMALL))
    return SMALL


def fits(widget: QWidget, screen: QRect, margin: int = MARGIN) -> bool:
    return (
        widget.width() <= screen.width() - 2 * margin
        and widget.height() <= screen.height() - 2 * margin - TITLE_BAR
    )


def test_main_window_and_board_are_no_larger_than_a_small_screen(
    syn_db: Database, make_window: Make, small_screen: QRect
) -> None:
    window = make_window(syn_db, POKJA)
    assert fits(window, small_screen), window.size()
    board = window.open_board()
    assert board is not None
    assert fits(board, small_screen), board.size()
    recap = window.open_arg_recap()
    assert fits(recap, small_screen), recap.size()


def test_a_window_saved_on_a_large_monitor_reopens_within_a_small_screen(
    qtbot: QtBot,
    syn_db: Database,
    make_window: Make,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(syn_db)
    window.resize(1900, 1000)
    settings.setValue("main/geometry", window.saveGeometry())
    monkeypatch.setattr(window_size, "available_geometry", lambda widget=None: QRect(SMALL))
    again = make_window(syn_db)
    assert fits(again, SMALL, margin=0), again.size()


def test_a_minimum_size_never_exceeds_the_screen(small_screen: QRect) -> None:
    dialog = QDialog()
    fit_minimum(dialog, 2000, 1200)
    assert dialog.minimumWidth() <= small_screen.width() - 2 * MARGIN
    assert dialog.minimumHeight() <= small_screen.height() - 2 * MARGIN - TITLE_BAR
    fit_minimum(dialog, 300, 200)  # small enough: kept as asked
    assert dialog.minimumSize() == QSize(300, 200)


def test_a_resized_dialog_reopens_at_its_remembered_size(qtbot: QtBot) -> None:
    first = QDialog()
    qtbot.addWidget(first)
    assert remember_size(first, "probe", 500, 400) == QSize(500, 400)
    first.show()
    first.resize(430, 310)
    first.reject()  # closing hides it: that is when the size is written
    second = QDialog()
    qtbot.addWidget(second)
    remember_size(second, "probe", 500, 400)
    assert second.size() == QSize(430, 310)
    other = QDialog()
    qtbot.addWidget(other)
    remember_size(other, "another", 500, 400)  # each window by its own name
    assert other.size() == QSize(500, 400)


def test_a_remembered_size_is_still_fitted_to_the_screen(qtbot: QtBot, small_screen: QRect) -> None:
    QSettings().setValue("windows/probe/size", "1800x1100")
    dialog = QDialog()
    qtbot.addWidget(dialog)
    remember_size(dialog, "probe", 500, 400)
    assert fits(dialog, small_screen, margin=0)


@pytest.mark.parametrize("stored", ["garbage", "10x10", "x", ""])
def test_a_damaged_entry_falls_back_to_the_wanted_size(qtbot: QtBot, stored: str) -> None:
    QSettings().setValue("windows/probe/size", stored)
    dialog = QDialog()
    qtbot.addWidget(dialog)
    assert remember_size(dialog, "probe", 500, 400) == QSize(500, 400)


def test_tests_never_write_the_real_settings(tmp_path: Path) -> None:
    assert QSettings().fileName().startswith(str(tmp_path))
