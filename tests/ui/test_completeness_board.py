"""Papan Kelengkapan Kiriman: states and colours, filter, sort, open signal, comparison."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.formats import keys
from app.models.schema import Submission
from app.services import catalog, importer
from app.ui.completeness_board import (
    STATE_BACKGROUNDS,
    CompletenessBoard,
    RevisionCompareDialog,
)
from tests.services.submission_helpers import (
    OPD,
    PASSPHRASE,
    YEAR,
    Pair,
    content_of,
    forge,
    make_pair,
    submit,
)


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    """Pokja holds: OPD-001 revisions 1 and 2 (2023), OPD-002 refused, OPD-003 unsigned 2024."""
    p = make_pair(tmp_path)
    base = submit(p, tmp_path / "r1.xlsx")
    assert importer.import_file(p.pokja, base, accept_new_key=True).ok
    with p.pokja.begin() as s:
        stored = s.scalars(select(Submission.content)).one()
        assert stored is not None
        old: dict[str, Any] = json.loads(stored)
    new = copy.deepcopy(old)
    new["revision"] = 2
    new["rows"][0]["realisations"]["0"]["note"] = "Angka dikoreksi"
    out = importer.import_file(p.pokja, forge(base, tmp_path / "r2.xlsx", new, p.key))
    assert out.outcome == importer.SUPERSEDED, out.reason
    stranger = keys.generate_key("kunci-orang-lain", tmp_path / "lain")
    refused = forge(base, tmp_path / "opd2.xlsx", content_of(p.focal, "OPD-002"), stranger)
    assert importer.import_file(p.pokja, refused).outcome == importer.REFUSED
    with p.pokja.begin() as s:
        s.add(
            Submission(
                submission_id="00000000-0000-4000-8000-000000000003",
                opd_code="OPD-003",
                plan_code=catalog.get_plan(s).code,
                year=2024,
                revision=1,
                content_hash="cd" * 32,
                created_at="2025-01-05T08:00:00",
                received_at=datetime(2025, 1, 6, 9, 30),
                signature_state="unsigned",
                key_id=None,
                file_name="isian.xlsx",
                current=True,
                content=None,
            )
        )
    yield p
    p.dispose()


def _board(qtbot: QtBot, pair: Pair, year: int | None = None) -> CompletenessBoard:
    with pair.pokja.begin() as s:
        code = catalog.get_plan(s).code
    board = CompletenessBoard(pair.pokja, code, year)
    qtbot.addWidget(board)
    board.resize(1400, 500)
    board.show()
    return board


def _row_of(board: CompletenessBoard, code: str) -> int:
    for r in range(board.proxy.rowCount()):
        if board.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 2)[0] == code:
            return r
    raise AssertionError(code)


def _col(board: CompletenessBoard, header: str) -> int:
    for c in range(board.proxy.columnCount()):
        if board.proxy.headerData(c, Qt.Orientation.Horizontal) == header:
            return c
    raise AssertionError(header)


def test_states_text_and_colours_per_cell(qtbot: QtBot, pair: Pair, qtmodeltester) -> None:
    board = _board(qtbot, pair)
    qtmodeltester.check(board.model)
    assert board.proxy.columnCount() == 1 + 4 * 3 + 1  # kiriman, terisi, ARG, PPRG
    col23, col24 = _col(board, "Kiriman 2023"), _col(board, "Kiriman 2024")

    def cell(code: str, col: int) -> tuple[str, str]:
        index = board.proxy.index(_row_of(board, code), col)
        return index.data(), index.data(Qt.ItemDataRole.BackgroundRole).name()

    text, colour = cell(OPD, col23)
    assert text.startswith("revisi 2 · ") and colour == STATE_BACKGROUNDS["signed"]
    assert cell("OPD-002", col23) == ("ditolak", STATE_BACKGROUNDS["refused"])
    text, colour = cell("OPD-003", col24)
    assert text.endswith("tanpa tanda tangan") and colour == STATE_BACKGROUNDS["unsigned"]
    assert cell("OPD-003", col23) == ("belum ada", STATE_BACKGROUNDS["none"])
    # Rows filled for the OPD whose whole matrix was imported; the refusal reason in a tip.
    filled = board.proxy.index(_row_of(board, OPD), _col(board, "Terisi 2023")).data()
    n = board.model.board.row(OPD).rows  # type: ignore[union-attr]
    assert filled == f"{n}/{n} (100%)"
    tip = board.proxy.index(_row_of(board, "OPD-002"), col23).data(Qt.ItemDataRole.ToolTipRole)
    assert "Kunci penanda tangan" in tip
    assert "2023: 1 dari 3 OPD mengirim" in board.summary.text()


def test_year_selector_filter_and_sort(qtbot: QtBot, pair: Pair, qtmodeltester) -> None:
    board = _board(qtbot, pair)
    board.year_box.setCurrentIndex(board.year_box.findData(2023))
    qtmodeltester.check(board.model)
    headers = [
        board.proxy.headerData(c, Qt.Orientation.Horizontal)
        for c in range(board.proxy.columnCount())
    ]
    assert headers == [
        "Perangkat Daerah",
        "Kiriman 2023",
        "Terisi 2023",
        "Kelas ARG 2023",
        "PPRG 2023",
    ]
    assert board.summary.text() == "2023: 1 dari 3 OPD mengirim, 0 dokumen PPRG ditelaah"
    # Sorting by state puts nothing-received first, signed last.
    board.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    order = [board.proxy.index(r, 0).data() for r in range(board.proxy.rowCount())]
    assert order == ["Dinas Uji 003", "Dinas Uji 002", "Dinas Uji 001"]
    board.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert board.proxy.index(0, 0).data() == "Dinas Uji 001"
    # The filter matches the short name, the full name or the code.
    qtbot.keyClicks(board.filter_edit, "perlindungan")
    assert board.proxy.rowCount() == 1 and board.proxy.index(0, 0).data() == "Dinas Uji 002"
    board.filter_edit.setText("opd-003")
    assert [board.proxy.index(r, 0).data() for r in range(board.proxy.rowCount())] == [
        "Dinas Uji 003"
    ]
    board.filter_edit.clear()
    assert board.proxy.rowCount() == 3


def test_double_click_and_button_emit_open_opd(qtbot: QtBot, pair: Pair) -> None:
    board = _board(qtbot, pair)
    index = board.proxy.index(_row_of(board, "OPD-003"), _col(board, "Terisi 2024"))
    rect = board.table.visualRect(index)
    # A real double-click is a press first: the view emits only for the pressed cell.
    qtbot.mouseClick(board.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(board.open_opd) as sig:
        qtbot.mouseDClick(board.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert sig.args == ["OPD-003", 2024]
    # With every year shown, the OPD column opens the latest year anything was sent for.
    board.table.setCurrentIndex(board.proxy.index(_row_of(board, OPD), 0))
    with qtbot.waitSignal(board.open_opd) as sig:
        qtbot.mouseClick(board.open_button, Qt.MouseButton.LeftButton)
    assert sig.args == [OPD, 2024]
    # The OPD column opens the year chosen at the top (here: the only one shown).
    board.year_box.setCurrentIndex(board.year_box.findData(2022))
    board.table.setCurrentIndex(board.proxy.index(_row_of(board, OPD), 0))
    with qtbot.waitSignal(board.open_opd) as sig:
        qtbot.mouseClick(board.open_button, Qt.MouseButton.LeftButton)
    assert sig.args == [OPD, 2022]


def test_compare_revisions_lists_differences(qtbot: QtBot, pair: Pair, qtmodeltester) -> None:
    board = _board(qtbot, pair, YEAR)
    board.table.setCurrentIndex(board.proxy.index(_row_of(board, "OPD-002"), 1))
    assert not board.compare_button.isEnabled()  # nothing stored to compare
    board.table.setCurrentIndex(board.proxy.index(_row_of(board, OPD), 1))
    assert board.compare_button.isEnabled()
    dlg = board.compare_dialog()
    assert dlg is not None
    qtbot.addWidget(dlg)
    qtmodeltester.check(dlg.model)
    assert dlg.old_box.currentText().startswith("Revisi 1")
    assert dlg.new_box.currentText().startswith("Revisi 2") and "(berlaku)" in (
        dlg.new_box.currentText()
    )
    rows = [[dlg.model.index(r, c).data() for c in range(4)] for r in range(dlg.model.rowCount())]
    assert len(rows) == 1 and rows[0][1:] == ["Catatan", "–", "Angka dikoreksi"]
    assert dlg.message.text() == "1 nilai berbeda dari revisi 1 ke revisi 2."
    dlg.new_box.setCurrentIndex(0)
    assert dlg.model.rowCount() == 0
    assert dlg.message.text() == "Tidak ada perbedaan antara revisi 1 dan revisi 1."


def test_compare_button_opens_the_dialog(
    qtbot: QtBot, pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[RevisionCompareDialog] = []

    def fake_exec(self: RevisionCompareDialog) -> int:
        shown.append(self)
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(RevisionCompareDialog, "exec", fake_exec)
    board = _board(qtbot, pair, YEAR)
    board.table.setCurrentIndex(board.proxy.index(_row_of(board, OPD), 1))
    qtbot.mouseClick(board.compare_button, Qt.MouseButton.LeftButton)
    assert len(shown) == 1 and shown[0].model.rowCount() == 1


def test_refresh_shows_a_new_import(qtbot: QtBot, pair: Pair, tmp_path: Path) -> None:
    board = _board(qtbot, pair, YEAR)
    col = _col(board, "Kiriman 2023")
    assert board.proxy.index(_row_of(board, "OPD-002"), col).data() == "ditolak"
    base = tmp_path / "r1.xlsx"
    own_key = keys.generate_key(PASSPHRASE, tmp_path / "kunci-opd2")  # one key per OPD
    good = forge(base, tmp_path / "opd2-ok.xlsx", content_of(pair.focal, "OPD-002"), own_key)
    assert importer.import_file(pair.pokja, good, accept_new_key=True).ok
    qtbot.mouseClick(board.reload_button, Qt.MouseButton.LeftButton)
    assert board.proxy.index(_row_of(board, "OPD-002"), col).data().startswith("revisi 1 · ")
    assert board.summary.text() == "2023: 2 dari 3 OPD mengirim, 0 dokumen PPRG ditelaah"


def test_rows_are_compact_and_the_legend_explains_colours_and_classes(
    qtbot: QtBot, pair: Pair
) -> None:
    board = _board(qtbot, pair)
    line = board.fontMetrics().height()
    assert board.table.rowHeight(0) <= line + 2
    assert [c.text() for c in board.legend_chips] == [
        "bertanda tangan",
        "tanpa tanda tangan",
        "hanya ditolak",
        "belum ada kiriman",
    ]
    assert board.legend_chips[0].styleSheet().count(STATE_BACKGROUNDS["signed"]) == 1
    legend = board.class_legend.text()
    assert "KRG = kurang responsif gender" in legend and "BL = belum lengkap" in legend


def test_columns_fit_their_widest_text_once_per_reset(qtbot: QtBot, pair: Pair) -> None:
    """Columns are sized once from their texts, wide enough for Qt's own measure of every
    cell, and a sort or a filter no longer re-measures (it cost seconds per click over a
    province's 1,254 OPDs)."""
    board = _board(qtbot, pair)
    header = board.table.horizontalHeader()
    header.setResizeContentsPrecision(-1)  # Qt's measure over every row, for comparison
    last = board.proxy.columnCount() - 1  # stretched to the window's edge
    for col in range(last):
        needed = max(board.table.sizeHintForColumn(col), header.sectionSizeHint(col))
        assert header.sectionSize(col) >= needed, board.proxy.headerData(
            col, Qt.Orientation.Horizontal
        )
    assert header.sectionResizeMode(0) == header.ResizeMode.Interactive
    widths = [header.sectionSize(c) for c in range(last)]
    board.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    board.filter_edit.setText("x")
    assert [header.sectionSize(c) for c in range(last)] == widths
    board.filter_edit.clear()
    board.year_box.setCurrentIndex(board.year_box.findData(YEAR))
    assert board.proxy.columnCount() == 1 + 4  # one year: the columns were laid out anew
    for col in range(board.proxy.columnCount() - 1):
        needed = max(board.table.sizeHintForColumn(col), header.sectionSizeHint(col))
        assert header.sectionSize(col) >= needed
