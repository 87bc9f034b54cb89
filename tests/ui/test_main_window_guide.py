"""The main window guides: the "Langkah berikutnya" toolbar, the what-is-left line, and
the count of plausibility warnings in the status line."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.domain.arg import Answer
from app.formats.arg_questions import current_question_set
from app.models.db import Database
from app.models.schema import Target
from app.services.arg_store import save_answer
from app.ui.main_window import MainWindow
from app.ui.remaining_line import NO_ARG, UNFILLED
from tests.ui.conftest import FOCAL, POKJA

Make = Callable[..., MainWindow]


def _type(window: MainWindow, name: str, text: str) -> None:
    assert window.form is not None
    edit = window.form.real_box.edits[name]
    edit.setFocus()
    edit.setText(text)
    edit.editingFinished.emit()


def _button(window: MainWindow, label: str) -> QToolButton:
    for action in window.next_steps.actions():
        button = window.next_steps.widgetForAction(action)
        if isinstance(button, QToolButton) and button.text() == label:
            return button
    raise AssertionError(f"no toolbar button {label!r}")


def _labels(window: MainWindow) -> list[str]:
    return [a.iconText() for a in window.next_steps.actions() if a.isVisible() and a.iconText()]


def test_focal_point_toolbar_names_their_next_steps(syn_db: Database, make_window: Make) -> None:
    window = make_window(syn_db, FOCAL)
    bar = window.next_steps
    assert bar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    assert _labels(window) == ["Isi ARG", "Ekspor / Kirim ke Pokja"]
    # The menus' own actions: one handler, one shortcut, the long menu text kept.
    assert window.arg_action in bar.actions() and window.export_action in bar.actions()
    assert window.arg_action.shortcut().toString() == "Ctrl+G"
    assert window.arg_action.text().startswith("&Isi instrumen ARG")
    assert "Ctrl+E" in window.export_action.toolTip()


def test_pokja_toolbar_adds_receiving_and_the_board(syn_db: Database, make_window: Make) -> None:
    window = make_window(syn_db, POKJA)
    assert _labels(window) == [
        "Isi ARG",
        "Ekspor / Kirim ke Pokja",
        "Terima Berkas",
        "Papan kelengkapan",
    ]
    assert window.board_action in window.next_steps.actions()
    assert _button(window, "Papan kelengkapan").isVisible()


def test_the_board_button_opens_the_board(
    qtbot: QtBot, syn_db: Database, make_window: Make
) -> None:
    window = make_window(syn_db, POKJA)
    assert window._board is None
    qtbot.mouseClick(_button(window, "Papan kelengkapan"), Qt.MouseButton.LeftButton)
    assert window._board is not None and window._board.isVisible()


def test_the_arg_button_opens_the_checklist_of_the_selected_row(
    qtbot: QtBot, syn_db: Database, make_window: Make
) -> None:
    window = make_window(syn_db, FOCAL)
    opened: list[int] = []
    window.open_arg = lambda node_id: opened.append(node_id)  # type: ignore[method-assign,assignment,return-value]
    qtbot.mouseClick(_button(window, "Isi ARG"), Qt.MouseButton.LeftButton)
    assert opened == [window.browser.arg_target()]


def test_what_is_left_line_counts_and_filters(
    qtbot: QtBot, syn_db: Database, make_window: Make
) -> None:
    window = make_window(syn_db, FOCAL)
    b = window.browser
    total = len(b.rows)
    line = window.left_line
    assert line.plain.startswith(f"Belum diisi 2023: {total} baris · ")
    kegiatan = {r.path_nodes["kegiatan"] for r in b.rows}
    assert line.plain.endswith(f"{len(kegiatan)} kegiatan tanpa instrumen ARG")

    first = b.current_row
    assert first is not None
    _type(window, "total", "1")
    assert window.form is not None and window.form.commit()
    assert line.plain.startswith(f"Belum diisi 2023: {total - 1} baris")  # after the save

    line.linkActivated.emit(UNFILLED)
    assert b.unfilled.isChecked() and not b.no_arg.isChecked()
    assert b.match_label.text() == f"{total - 1} cocok"
    assert b.model is not None and not b.model.index_of_row(first).isValid()

    # An answer given in the checklist leaves its kegiatan out of the count and filter.
    row = b.row_by_id[first]
    save_answer(
        syn_db, row.path_nodes["kegiatan"], 2023, current_question_set(), "PR1", Answer.YA, "", "u"
    )
    b.arg_changed()  # what the checklist's answersChanged calls
    assert line.plain.endswith(f"{len(kegiatan) - 1} kegiatan tanpa instrumen ARG")
    line.linkActivated.emit(NO_ARG)
    assert b.no_arg.isChecked() and not b.unfilled.isChecked()
    shown = [r.id for r in b.rows if r.path_nodes["kegiatan"] != row.path_nodes["kegiatan"]]
    assert b.match_label.text() == f"{len(shown)} cocok"
    assert not b.model.index_of_row(first).isValid()
    b.clear_filters()
    assert b.model.index_of_row(first).isValid()


def test_the_line_follows_the_year(syn_db: Database, make_window: Make) -> None:
    window = make_window(syn_db, FOCAL)
    window.set_year(2024)
    assert window.left_line.plain.startswith("Belum diisi 2024:")


def test_the_line_is_reachable_by_keyboard(syn_db: Database, make_window: Make) -> None:
    window = make_window(syn_db, FOCAL)
    line = window.left_line
    assert line.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert line.textInteractionFlags() & Qt.TextInteractionFlag.LinksAccessibleByKeyboard


def test_status_line_counts_plausibility_warnings(syn_db: Database, make_window: Make) -> None:
    window = make_window(syn_db, FOCAL)
    status = window.completeness
    assert "peringatan" not in status.text()
    b = window.browser
    with syn_db.begin() as s:
        targeted = set(
            s.scalars(select(Target.row_id).where(Target.year == 2023, Target.total > 0))
        )
    row_id = next(r.id for r in b.rows if r.id in targeted)
    assert window.select_row(row_id)
    _type(window, "total", "1.000.000.000")
    _type(window, "budget", "1.000")
    _type(window, "spending", "2.000")
    assert window.form is not None and window.form.commit()
    assert status.text().endswith("· 2 peringatan"), status.text()
    _type(window, "spending", "500")
    assert window.form.commit()
    assert status.text().endswith("· 1 peringatan"), status.text()


def test_an_answer_in_the_checklist_updates_the_line(
    qtbot: QtBot, syn_db: Database, make_window: Make
) -> None:
    window = make_window(syn_db, FOCAL)
    b = window.browser
    before = window.left_line.plain
    kegiatan = b.row_by_id[b.rows[0].id].path_nodes["kegiatan"]
    dialog = window.open_arg(kegiatan)
    assert dialog is not None
    qtbot.addWidget(dialog)
    row = dialog.rows["PR1"]
    row.setFocus()
    qtbot.keyClick(row, Qt.Key.Key_Y)
    assert b.left is not None and kegiatan not in b.left.without_arg
    assert window.left_line.plain != before
