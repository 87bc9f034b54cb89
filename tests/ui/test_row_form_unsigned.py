"""The row form says when the figures came from a fill-in workbook without signature."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from app.formats.fillin import DATA_SHEET, FIRST_ROW
from app.services import catalog
from app.services.fillin_export import export_fillin
from app.services.importer import ACCEPTED, import_file
from app.ui.row_form import RowForm
from tests.services.submission_helpers import OPD, YEAR, Pair, make_pair


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


def _row(pair: Pair, opd: str) -> int:
    with pair.pokja.begin() as s:
        plan = catalog.get_plan(s)
        return catalog.load_rows(s, plan.id, catalog.find_opd(s, opd).id)[0].id


def test_unsigned_line_shown_for_rows_from_a_fillin_workbook(
    qtbot: QtBot, pair: Pair, tmp_path: Path
) -> None:
    form = RowForm(pair.pokja, "Pokja")
    qtbot.addWidget(form)
    form.show()
    mine, other = _row(pair, OPD), _row(pair, "OPD-002")
    form.load(mine, YEAR)
    assert not form.unsigned_label.isVisible()  # nothing imported yet

    blank = tmp_path / "isian.xlsx"
    export_fillin(pair.pokja, None, OPD, YEAR, blank)
    wb = load_workbook(blank)
    wb[DATA_SHEET][f"J{FIRST_ROW}"] = 6
    wb.save(tmp_path / "terisi.xlsx")
    out = import_file(pair.pokja, tmp_path / "terisi.xlsx")
    assert out.outcome == ACCEPTED

    form.load(mine, YEAR)
    assert form.unsigned_label.isVisible()
    text = form.unsigned_label.text()
    assert text.startswith("Data dari berkas isian TANPA tanda tangan elektronik (diterima ")
    assert form.real_box.edits["total"].text() == "6"
    form.load(mine, YEAR + 1)  # another year: entered here, not from the workbook
    assert not form.unsigned_label.isVisible()
    form.load(other, YEAR)  # another OPD
    assert not form.unsigned_label.isVisible()
    form.load(mine, YEAR)
    assert form.unsigned_label.isVisible()
    form.load(None, YEAR)
    assert not form.unsigned_label.isVisible()
