"""A Pokja correction of signed figures shows on the board, in the revision comparison
and in every report (issue 11, item 6); the rules themselves: test_corrections.py."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.domain.numbers import decimal_text
from app.models.schema import PlanRow, Submission
from app.reports.radpug_pdf import build_pdf
from app.reports.radpug_xlsx import build_xlsx
from app.services import catalog, entry, importer
from app.services.completeness import board_json, build_board
from app.services.corrections import correct_realisation
from app.services.report_data import build_report
from app.services.revisions import corrected_changes
from tests.services.submission_helpers import OPD, YEAR, Pair, make_pair, submit

REASON = "salah ketik, dikonfirmasi OPD"


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    path = submit(p, tmp_path / "r1.xlsx")
    assert importer.import_file(p.pokja, path, accept_new_key=True).ok
    yield p
    p.dispose()


def _correct(pair: Pair) -> tuple[str, Decimal]:
    """Correct one row's budget to 60; returns the row key and the signed budget."""
    with pair.pokja.begin() as s:
        plan = catalog.get_plan(s)
        for r in catalog.load_rows(s, plan.id, catalog.find_opd(s, OPD).id):
            v = entry.get_realisation(s, r.id, YEAR)
            if v is not None and v.budget is not None and v.budget != 60:
                rid, values = r.id, v
                break
        else:
            raise AssertionError("no row with a budget")
        key = s.get(PlanRow, rid).key  # type: ignore[union-attr]
    assert values.budget is not None
    correct_realisation(pair.pokja, rid, YEAR, replace(values, budget=Decimal(60)), REASON, "Rina")
    return key, values.budget


def test_board_says_signed_plus_corrections(pair: Pair) -> None:
    with pair.pokja.begin() as s:
        board = build_board(s, catalog.get_plan(s), [YEAR])
    assert "koreksi" not in board.row(OPD).cells[YEAR].state_text
    _correct(pair)
    with pair.pokja.begin() as s:
        board = build_board(s, catalog.get_plan(s), [YEAR])
    cell = board.row(OPD).cells[YEAR]
    assert cell.corrections == 1
    assert cell.state_text == f"revisi 1, {cell.received_at:%d-%m-%Y} + 1 koreksi Pokja"
    data = board_json(board)
    assert data["opds"][0]["years"][str(YEAR)]["pokja_corrections"] == 1


def test_revision_comparison_lists_signed_beside_corrected(pair: Pair) -> None:
    key, signed = _correct(pair)
    with pair.pokja.begin() as s:
        sub = s.scalar(select(Submission.id).where(Submission.current.is_(True)))
        assert sub is not None
        found = corrected_changes(s, sub)
    assert [(c.kind, c.key, c.old, c.new) for c in found] == [
        ("koreksi", key, decimal_text(signed), "60")
    ]
    assert found[0].field.startswith("Pagu anggaran — dikoreksi Pokja: " + REASON)
    assert found[0].new_text == "Rp 60"


def _report(pair: Pair, regency: bool = False):  # type: ignore[no-untyped-def]
    with pair.pokja.begin() as s:
        opd = None if regency else catalog.find_opd(s, OPD)
        return build_report(s, YEAR, opd, report_date=None)


@pytest.mark.parametrize("regency", [False, True])
def test_report_data_marks_corrected_values(pair: Pair, regency: bool) -> None:
    assert _report(pair, regency).correction_notes == ()
    key, _signed = _correct(pair)
    data = _report(pair, regency)
    assert data.corrected == {key: frozenset({"budget"})}
    (note,) = data.correction_notes
    assert note.startswith("† No. ") and "Dikoreksi Pokja: Pagu anggaran " in note
    assert "→ 60, alasan: salah ketik, dikonfirmasi OPD, oleh Rina" in note


def test_xlsx_fills_the_corrected_cell_and_prints_the_note(pair: Pair, tmp_path: Path) -> None:
    _correct(pair)
    data = _report(pair)
    build_xlsx(data, tmp_path / "lap.xlsx")
    wb = load_workbook(tmp_path / "lap.xlsx")
    texts = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert any(t.startswith("† No. ") and "Dikoreksi Pokja" in t for t in texts)
    marked = [
        c
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.comment is not None and "Dikoreksi Pokja" in c.comment.text
    ]
    assert len(marked) == 1 and marked[0].value == 60
    assert marked[0].fill.fgColor.rgb.endswith("FFF4D6")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not installed")
def test_pdf_marks_the_cell_and_prints_the_note(pair: Pair, tmp_path: Path) -> None:
    _correct(pair)
    build_pdf(_report(pair), tmp_path / "lap.pdf")
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(tmp_path / "lap.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = " ".join(text.split())
    assert "Nilai bertanda † dikoreksi Pokja PUG" in flat
    assert "Dikoreksi Pokja: Pagu anggaran" in flat and "alasan: salah ketik" in flat
    assert "† Rp60" in flat or "† 60" in flat
