"""The board's PPRG column, its Telaah PPRG button and the Inspektorat realisation action."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

import app.ui.board_pprg as board_pprg
from app.domain.pprg import Kind, ReviewStatus
from app.models.schema import Opd, PlanRow
from app.services import catalog, entry, importer
from app.services.pprg_review import review_received
from app.ui.completeness_board import CompletenessBoard
from tests.services.pprg_helpers import write_documents
from tests.services.submission_helpers import OPD, YEAR, Pair, make_pair, submit


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    nodes = write_documents(p.focal, 2)
    assert importer.import_file(p.pokja, submit(p, tmp_path / "k.xlsx"), accept_new_key=True).ok
    review_received(p.pokja, Kind.GAP, nodes[0], YEAR, ReviewStatus.DITERIMA, "", reviewer="S")
    with p.pokja.begin() as s:
        row = s.scalars(select(PlanRow).join(Opd).where(Opd.code == "OPD-003")).first()
        assert row is not None
        row.indikator = "Meningkatnya kuantitas dan kualitas reviu dokumen PPRG (GAP, GBS, KAK)"
    yield p
    p.dispose()


def _board(qtbot: QtBot, pair: Pair) -> CompletenessBoard:
    with pair.pokja.begin() as s:
        code = catalog.get_plan(s).code
    board = CompletenessBoard(pair.pokja, code, YEAR, user="Siti")
    qtbot.addWidget(board)
    board.year_box.setCurrentIndex(board.year_box.findData(YEAR))
    return board


def _cell(board: CompletenessBoard, code: str, header: str) -> str:
    cols = [
        board.proxy.headerData(c, Qt.Orientation.Horizontal)
        for c in range(board.proxy.columnCount())
    ]
    col = cols.index(header)
    for r in range(board.proxy.rowCount()):
        if board.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 2)[0] == code:
            return str(board.proxy.index(r, col).data())
    raise AssertionError(code)


def test_pprg_column_and_summary(qtbot: QtBot, pair: Pair) -> None:
    board = _board(qtbot, pair)
    assert _cell(board, OPD, f"PPRG {YEAR}") == "GAP 2 · GBS 2 · telaah 1"
    assert _cell(board, "OPD-002", f"PPRG {YEAR}") == "–"
    assert board.summary.text().endswith("1 dokumen PPRG ditelaah")
    board.year_box.setCurrentIndex(0)  # every year: the totals move to the tooltip
    assert "PPRG" not in board.summary.text()
    assert f"{YEAR}: 1 dokumen PPRG ditelaah" in board.summary.toolTip()


def test_telaah_button_opens_the_list_on_the_selected_opd(qtbot: QtBot, pair: Pair) -> None:
    board = _board(qtbot, pair)
    board.table.setCurrentIndex(board.proxy.index(0, 1))
    dialog = board.pprg_dialog()
    qtbot.addWidget(dialog)
    assert dialog.opd_box.currentData() == OPD  # type: ignore[attr-defined]
    assert dialog.table.rowCount() == 4  # type: ignore[attr-defined]


def test_inspektorat_realisation_chosen_once_and_undoable(
    qtbot: QtBot, pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[int] = []
    monkeypatch.setattr(board_pprg, "choose_row", lambda parent, c: asked.append(len(c)) or c[0])
    monkeypatch.setattr(board_pprg, "ask", lambda *a, **k: 0)
    board = _board(qtbot, pair)
    with qtbot.waitSignal(board.realisation_written) as sig:
        assert board.fill_inspektorat()
    row_id, year, old, new = sig.args
    assert (year, old, new.breakdown.total) == (YEAR, None, 1)
    assert "1 dokumen" in board.hint.text()
    with pair.pokja.begin() as s:
        got = entry.get_realisation(s, row_id, YEAR)
    assert got is not None and got.breakdown.total == 1
    assert board.fill_inspektorat() and asked == [1]  # the row was remembered
    monkeypatch.setattr(board_pprg, "ask", lambda *a, **k: 1)  # "Batal"
    assert not board.fill_inspektorat()
