"""A fill-in workbook is held to the form's rule for counted units (issue 13, item 4)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from app.formats.fillin import DATA_SHEET, FIRST_ROW
from app.models.schema import PlanRow
from app.services.fillin_export import export_fillin
from app.services.importer import ACCEPTED, REFUSED, import_file
from tests.formats.test_fillin import keys_of
from tests.services.submission_helpers import OPD, YEAR, Pair, make_pair


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


def _first_line_in(pair: Pair, unit: str, tmp: Path, males: object, name: str) -> Path:
    key = keys_of(pair.pokja, OPD)[0]
    with pair.pokja.begin() as s:
        s.execute(update(PlanRow).where(PlanRow.key == key).values(satuan=unit))
    blank = tmp / f"isian-{name}.xlsx"
    export_fillin(pair.pokja, None, OPD, YEAR, blank)
    wb = load_workbook(blank)
    ws = wb[DATA_SHEET]
    row = next(r for r in range(FIRST_ROW, ws.max_row + 1) if ws[f"A{r}"].value == key)
    ws[f"J{row}"] = None
    ws[f"K{row}"] = males
    # The OPD's own "unit" in the sheet is not what decides: the database's is.
    ws[f"H{row}"] = "persen"
    out = tmp / f"terisi-{name}.xlsx"
    wb.save(out)
    return out


def test_half_a_person_in_a_fillin_workbook_is_refused_by_cell(pair: Pair, tmp_path: Path) -> None:
    out = import_file(pair.pokja, _first_line_in(pair, "orang", tmp_path, "12,5", "a"))
    assert out.outcome == REFUSED
    assert "kolom K" in out.reason and "dihitung utuh" in out.reason
    # In a measured unit the same figure is a figure like any other.
    ok = import_file(pair.pokja, _first_line_in(pair, "km", tmp_path, "12,5", "b"))
    assert ok.outcome == ACCEPTED, ok.reason
