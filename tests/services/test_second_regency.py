"""A second regency works end to end without code changes (issue #12, "Done when").

An invented "Kabupaten Contoh" keeps its own region profile and logo, imports its own
matrix from a workbook in another layout than Lumajang's (no misi columns, merged
hierarchy cells, five target years, OPD second), enters a realisation and prints its
PDF and Excel reports: its name, letterhead and logo, its figures, never Lumajang's.
"""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from app.domain.realisation import parse_realisation
from app.domain.region import Region
from app.models.db import open_database
from app.models.schema import Plan, PlanRow
from app.services import entry
from app.services.export import export_report
from app.services.plan_import import import_plan
from app.services.region import store_region
from tests.formats.test_plan_workbook import _handmade
from tests.services.test_region_reports import _pdf_images, _png

CODE = "RADPUG-CONTOH-2025-2029"


def test_kabupaten_contoh_imports_its_plan_enters_a_figure_and_prints_its_reports(
    tmp_path: Path,
) -> None:
    db = open_database(tmp_path / "contoh.sqlite")  # a fresh database: nothing of Lumajang
    try:
        store_region(
            db,
            Region(
                name="Contoh",
                kind="Kabupaten",
                address="Jl. Contoh No. 1, Kabupaten Contoh",
                logo=_png(tmp_path),
            ),
        )
        done = import_plan(
            db, _handmade(tmp_path / "matriks.xlsx"), code=CODE, region="Kabupaten Contoh",
            create_opds=True,
        )  # fmt: skip
        assert done.rows > 0
        with db.begin() as s:
            plan = s.scalars(select(Plan).where(Plan.code == CODE)).one()
            assert (plan.start_year, plan.end_year) == (2025, 2029)
            row_id = s.scalars(
                select(PlanRow.id).where(PlanRow.plan_id == plan.id).order_by(PlanRow.id)
            ).first()
        assert row_id is not None
        entry.save_realisation(db, row_id, 2025, parse_realisation({"total": "4321"}), "Ani")
        with db.begin() as s:
            got = entry.get_realisation(s, row_id, 2025)
        assert got is not None and got.breakdown.total == Decimal(4321)

        res = export_report(db, 2025, pdf=tmp_path / "r.pdf", xlsx=tmp_path / "r.xlsx")
        assert res.pdf is not None and res.xlsx is not None
        text = subprocess.run(
            ["pdftotext", "-layout", str(res.pdf), "-"], capture_output=True, check=True
        ).stdout.decode()
        assert "PEMERINTAH KABUPATEN CONTOH" in text
        assert "4.321" in text
        assert "Lumajang" not in text and "LUMAJANG" not in text
        assert len(_pdf_images(res.pdf)) == 1  # its own logo on the letterhead
        wb = load_workbook(res.xlsx)
        cells = " ".join(
            str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
            if v is not None
        )  # fmt: skip
        assert "KABUPATEN CONTOH" in cells.upper()
        assert "LUMAJANG" not in cells.upper()
    finally:
        db.dispose()
