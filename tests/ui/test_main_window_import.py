"""Pokja receives OPD files from the main window: menu, drop on the window, refresh."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from pytestqt.qtbot import QtBot

from app.services import catalog
from app.ui.main_window import MainWindow
from tests.services.submission_helpers import OPD, YEAR, Pair, make_pair, opd_parts, submit
from tests.ui.conftest import FOCAL, POKJA
from tests.ui.test_import_dialog import _drag_drop


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


def test_pokja_drops_a_file_on_the_window_and_sees_the_figures(
    qtbot: QtBot, make_window: Callable[..., MainWindow], pair: Pair, tmp_path: Path
) -> None:
    window = make_window(pair.pokja, POKJA)
    assert window.pokja_menu.menuAction().isVisible() and window.import_action.isEnabled()
    file = submit(pair, tmp_path / "kiriman.xlsx")
    with pair.pokja.begin() as s:
        plan = catalog.get_plan(s)
        ids = [r.id for r in catalog.load_rows(s, plan.id, catalog.find_opd(s, OPD).id)]

    def filled() -> int:
        return sum(
            1
            for i in ids
            if i in window.browser.figures and window.browser.figures[i].realised is not None
        )

    assert filled() == 0

    assert _drag_drop(window, [QUrl.fromLocalFile(str(file))]) == (True, True)
    dialog = window._import_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: not dialog.busy and dialog.preview.topLevelItemCount() == 1)
    (key_row,) = dialog.key_rows.values()
    qtbot.mouseClick(key_row.box, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.imported, timeout=30_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy)

    # The window's figures come from the database again: the OPD's values are there.
    assert opd_parts(pair.pokja) == opd_parts(pair.focal)
    assert filled() == len(ids)
    assert "diperbarui dari berkas" in window.statusBar().currentMessage()
    # The same window is reused by the menu action.
    assert window.open_import([]) is dialog


def test_focal_point_has_no_pokja_menu_and_a_drop_opens_nothing(
    make_window: Callable[..., MainWindow], pair: Pair, tmp_path: Path
) -> None:
    focal = type(FOCAL)(FOCAL.role, FOCAL.name, FOCAL.nip, OPD, YEAR)
    window = make_window(pair.focal, focal)
    assert not window.pokja_menu.menuAction().isVisible()
    assert not window.import_action.isEnabled()
    file = submit(pair, tmp_path / "kiriman.xlsx")
    _drag_drop(window, [QUrl.fromLocalFile(str(file))])
    assert window._import_dialog is None
    assert window.open_import([file]) is None


def test_board_opens_from_the_menu_and_brings_an_opd_into_view(
    make_window: Callable[..., MainWindow], pair: Pair
) -> None:
    window = make_window(pair.pokja, POKJA)
    window.browser.search.setText("tidak ada yang cocok dengan ini")
    window.board_action.trigger()
    board = window._board
    assert board is not None and board.isVisible()
    assert window.open_board() is board  # one board, refreshed
    other_year = next(y for y in window.browser.years if y != window.year)
    board.open_opd.emit("OPD-003", other_year)
    assert window.year == other_year and window.browser.search.text() == ""
    assert window.current_row_id is not None
    assert window.browser.row_by_id[window.current_row_id].opd_code == "OPD-003"
    board.close()
    assert window._board is None or not window._board.isVisible()


def test_focal_point_applies_a_matrix_update_and_the_tree_shows_it(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    pair: Pair,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QMessageBox
    from sqlalchemy import select

    from app.models.schema import PlanRow
    from app.services.matrix_export import export_matrix

    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    focal = type(FOCAL)(FOCAL.role, FOCAL.name, FOCAL.nip, OPD, YEAR)
    window = make_window(pair.focal, focal)
    assert window.matrix_import_action.isEnabled() and not window.matrix_export_action.isEnabled()
    key = next(iter(window.browser.row_by_id.values())).key
    with pair.pokja.begin() as s:
        s.scalars(select(PlanRow).where(PlanRow.key == key)).one().indikator = "Indikator koreksi"
    package = export_matrix(
        pair.pokja, "SYN-2022-2024", pair.key, tmp_path / "m.monevmatriks", "Koreksi"
    )

    dialog = window.open_matrix_import()
    assert dialog is not None
    dialog.load(package.path)
    dialog.accept_key.setChecked(True)
    with qtbot.waitSignal(dialog.applied, timeout=10_000):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    titles = {r.key: r.title for r in window.browser.rows}
    assert titles[key] == "Indikator koreksi"
