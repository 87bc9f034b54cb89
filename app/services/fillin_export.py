"""Exporting fill-in workbooks (buku kerja isian): one OPD's, or one per OPD into a folder.

Gathers the OPD's rows and what the database already holds for the year (the same
gathering as the printed report, without ARG instruments) and hands them to the pure
writer :func:`app.reports.fillin_xlsx.write_fillin`. See docs/fillin.md.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from app.models.db import Database
from app.reports.fillin_xlsx import FillinHeader, write_fillin
from app.reports.xlsx_kit import PAPER_SIZES
from app.services import catalog
from app.services.report_data import build_report

__all__ = ["export_fillin", "export_fillin_files", "fillin_file_name"]


def export_fillin(
    db: Database,
    plan_code: str | None,
    opd_code: str,
    year: int,
    path: Path,
    *,
    paper: str = "a4",
    now: datetime | None = None,
) -> int:
    """Write the fill-in workbook for one OPD and year; returns the number of rows.

    Raises ``LookupError`` for an unknown plan or OPD and ``ValueError`` for a year
    outside the plan's period or an OPD without rows (Indonesian messages).
    """
    if paper not in PAPER_SIZES:
        raise ValueError(f"Ukuran kertas tidak dikenal: {paper} (pilih a4 atau f4)")
    stamp = (now or datetime.now()).replace(microsecond=0)
    with db.begin() as session:
        plan = catalog.get_plan(session, plan_code)
        opd = catalog.find_opd(session, opd_code)
        data = build_report(session, year, opd, plan=plan, include_instruments=False)
        header = FillinHeader(
            opd_code=opd.code,
            opd_name=opd.name,
            plan_code=plan.code,
            plan_title=plan.title,
            plan_start_year=plan.start_year,
            plan_end_year=plan.end_year,
            year=year,
            exported_at=stamp,
            workbook_id=str(uuid.uuid4()),
            region=data.region,
        )
    rows = data.rows
    if not rows:
        raise ValueError(f"{header.opd_name} tidak memiliki baris di rencana {header.plan_code}.")
    write_fillin(path, rows, header, paper=paper)
    return len(rows)


def fillin_file_name(plan_code: str, opd_code: str, year: int) -> str:
    return f"Isian-{plan_code}-{opd_code}-{year}.xlsx"


def export_fillin_files(
    db: Database,
    plan_code: str | None,
    opd_codes: list[str],
    year: int,
    folder: Path,
    *,
    paper: str = "a4",
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[Path]:
    """One workbook per OPD into ``folder``; returns the files written.

    Each file is built under a hidden name and moved into place only when complete, so
    a cancel or a failure never leaves a half-written workbook; OPDs without rows in the
    plan are skipped. A cancel stops between files and keeps the finished ones.
    """
    with db.begin() as session:
        code = catalog.get_plan(session, plan_code).code
        with_rows = {
            o["code"]
            for o in catalog.summary(session, catalog.get_plan(session, code), year)["opds"]
        }
    written: list[Path] = []
    for i, opd in enumerate(opd_codes):
        if cancelled is not None and cancelled():
            break
        if progress is not None:
            progress(i, len(opd_codes))
        if opd not in with_rows:
            continue  # an OPD without rows in this plan has nothing to fill in
        out = folder / fillin_file_name(code, opd, year)
        tmp = out.with_name(f".{out.name}.tmp")
        try:
            export_fillin(db, code, opd, year, tmp, paper=paper)
            tmp.replace(out)
        finally:
            tmp.unlink(missing_ok=True)
        written.append(out)
    if progress is not None:
        progress(len(written), len(opd_codes))
    return written
