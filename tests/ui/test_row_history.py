"""The form shows the row's audit trail: who changed what, when, old → new."""

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget
from pytestqt.qtbot import QtBot

from app.models.db import Database
from app.ui.main_window import MainWindow
from tests.ui.conftest import FOCAL
from tests.ui.test_main_window import edit, first_row, type_into


def _history(window: MainWindow) -> list[list[str]]:
    tree = window.findChild(QTreeWidget, "history")
    assert tree is not None
    return [
        [tree.topLevelItem(i).text(c) for c in range(6)] for i in range(tree.topLevelItemCount())
    ]


def test_edits_and_their_undo_appear_in_the_history(
    qtbot: QtBot, syn_db: Database, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window(syn_db, FOCAL)
    row_id = first_row(window)
    assert window.select_row(row_id)
    assert _history(window) == []
    type_into(qtbot, edit(window, "real-budget"), "1.500.000", Qt.Key.Key_Return)
    rows = _history(window)
    assert len(rows) == 1
    _, who, year, field, old, new = rows[0]
    assert (who, year, field, old, new) == (
        FOCAL.user_label,
        "2023",
        "Pagu anggaran",
        "–",
        "1.500.000",
    )
    window.undo()
    rows = _history(window)
    assert len(rows) == 2 and rows[0][4:] == ["1.500.000", "–"]
