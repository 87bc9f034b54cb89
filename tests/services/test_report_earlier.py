"""A continuing indicator's earlier years in the printed reports (issue #12, item 4)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from openpyxl import load_workbook

from app.domain.realisation import parse_realisation
from app.models.db import Database
from app.models.schema import PlanRow
from app.reports.radpug_pdf import build_pdf
from app.reports.radpug_xlsx import build_xlsx
from app.services import catalog, entry
from app.services.continuation import link_previous
from app.services.report_data import build_report
from tests.services.test_continuation import NEXT, Periods, periods_db, seeded_file

__all__ = ["periods_db", "seeded_file"]  # the fixtures, shared with test_continuation

FIGURE = "realisasi 13 (L 7 · P 5 · Dis. 1)"


def _words(text: str) -> str:
    return " ".join(text.split())


def _reports(db: Database, p: Periods, tmp: Path, *, opd: bool) -> tuple[str, str]:
    with db.begin() as s:
        unit = s.get(PlanRow, p.new).opd if opd else None  # type: ignore[union-attr]
        data = build_report(s, 2025, unit, plan=catalog.get_plan(s, NEXT))
    build_pdf(data, tmp / "r.pdf")
    build_xlsx(data, tmp / "r.xlsx")
    pdf = subprocess.run(
        ["pdftotext", str(tmp / "r.pdf"), "-"], capture_output=True, check=True
    ).stdout.decode()
    wb = load_workbook(tmp / "r.xlsx")
    cells = [
        str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v
    ]
    return _words(pdf), "\n".join(cells)


def test_opd_and_regency_reports_print_the_earlier_years_of_a_continuing_row(
    periods_db: tuple[Database, Periods], tmp_path: Path
) -> None:
    db, p = periods_db
    entry.save_realisation(
        db, p.old, 2023, parse_realisation({"male": "7", "female": "5", "disabled": "1"}), "Siti"
    )
    pdf, xlsx = _reports(db, p, tmp_path, opd=True)
    assert "melanjutkan" not in pdf and "melanjutkan" not in xlsx  # nothing linked yet
    link_previous(db, p.new, p.old, "Pokja")
    for opd in (True, False):
        pdf, xlsx = _reports(db, p, tmp_path, opd=opd)
        assert "Tahun sebelumnya" in pdf and "melanjutkan RAD PUG 2022–2024" in pdf
        assert "2023: target" in pdf and FIGURE in pdf
        note = next(c for c in xlsx.splitlines() if "melanjutkan RAD PUG 2022–2024" in c)
        assert FIGURE in note and "2024: target" in note and "belum diisi" in note
