"""Unlikely figures are listed in the reports' notes (issue #13, item 4)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.domain.realisation import parse_realisation
from app.models.db import Database
from app.models.schema import PlanRow, Target
from app.reports.radpug_pdf import build_pdf
from app.reports.radpug_xlsx import build_xlsx
from app.services import entry
from app.services.database import open_seeded
from app.services.report_data import build_report


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_seeded(tmp_path / "rad.sqlite")
    yield database
    database.dispose()


def _texts(db: Database, tmp: Path, opd: object) -> tuple[str, str]:
    with db.begin() as s:
        data = build_report(s, 2023, opd)  # type: ignore[arg-type]
    build_pdf(data, tmp / "r.pdf")
    build_xlsx(data, tmp / "r.xlsx")
    pdf = subprocess.run(
        ["pdftotext", str(tmp / "r.pdf"), "-"], capture_output=True, check=True
    ).stdout.decode()
    cells = [
        str(v)
        for ws in load_workbook(tmp / "r.xlsx").worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if v
    ]
    return " ".join(pdf.split()), "\n".join(cells)


def test_unlikely_figures_are_listed_under_the_matrix(db: Database, tmp_path: Path) -> None:
    with db.begin() as s:
        row_id = s.scalars(
            select(PlanRow.id)
            .join(Target, Target.row_id == PlanRow.id)
            .where(PlanRow.satuan == "orang", Target.year == 2023, Target.total > 10)
            .order_by(PlanRow.id)
        ).first()
        row = s.get(PlanRow, row_id)
        assert row is not None
        opd = row.opd
    pdf, xlsx = _texts(db, tmp_path, opd)
    assert "perlu diperiksa" not in pdf and "perlu diperiksa" not in xlsx
    typed = {"total": "1.000.000", "budget": "10 juta", "spending": "11,1 juta"}
    entry.save_realisation(db, row_id, 2023, parse_realisation(typed), "Budi")
    pdf, xlsx = _texts(db, tmp_path, opd)
    for text in (pdf, xlsx):
        assert "perlu diperiksa" in text
        assert "melebihi 200 %" in text and "melebihi pagu" in text
