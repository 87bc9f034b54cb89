"""One call that writes a Renstra table (TC-23, TC-24 or TC-27) as PDF and/or Excel.

Like :func:`app.services.export.export_report`: plain arguments (a worker thread passes
ids and paths only), ``progress(done, total)`` and ``cancelled()``, and files written
beside their destination under a temporary name, moved into place only when every
requested file is complete.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from app.domain.progress import Cancelled, Progress
from app.models.db import Database
from app.reports.renstra_model import TABLES, RenstraReport
from app.reports.renstra_pdf import build_renstra_pdf
from app.reports.renstra_xlsx import build_renstra_xlsx
from app.services.export import write_report_files
from app.services.profile import load_profile
from app.services.renstra_report import (
    SETDA_CODE,
    build_renstra_report,
    renstra_plan,
    resolve_unit,
    setda_position,
)
from app.services.signatory import Signatory, load_signatory, resolve_signatory

__all__ = ["RenstraExportResult", "export_renstra", "gather_renstra"]

_GATHER, _PDF, _XLSX = 100, 500, 300


@dataclass(frozen=True)
class RenstraExportResult:
    table: str
    plan_code: str
    opd_code: str | None  # None: the whole Sekretariat Daerah
    year: int | None
    rows: int
    pdf: Path | None
    pdf_pages: int | None
    xlsx: Path | None


def gather_renstra(
    db: Database,
    year: int | None,
    table: str,
    opd: str | None = None,
    *,
    plan: str | None = None,
    signatory: Signatory | None = None,
    report_date: date | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> RenstraReport:
    """The table's data in one short session; the signatory defaults to the stored one
    (the Bagian's head, or the Sekretaris Daerah for the whole Setda)."""
    with db.begin() as session:
        p = renstra_plan(session, plan)
        unit = resolve_unit(session, p, opd)
        if signatory is None:
            scope = unit.code if unit else SETDA_CODE
            signatory = resolve_signatory(session, scope, unit.name if unit else None)
            stored = load_signatory(session, scope)
            if unit is None and (stored is None or not stored.position):
                signatory = replace(signatory, position=setda_position(session))
        return build_renstra_report(
            session,
            table,
            year,
            unit,
            plan=p,
            signatory=signatory,
            preparer=load_profile(session),
            report_date=report_date,
            progress=progress,
            cancelled=cancelled,
        )


def export_renstra(
    db: Database,
    year: int | None,
    *,
    table: str,
    opd: str | None = None,
    plan: str | None = None,
    pdf: str | Path | None = None,
    xlsx: str | Path | None = None,
    paper: str = "a4",
    signatory: Signatory | None = None,
    report_date: date | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> RenstraExportResult:
    """Write ``table`` (``tc23``, ``tc24`` or ``tc27``) of the Renstra (``plan`` code, or
    the latest Renstra) for a Bagian (``opd``: code, name or known spelling) or, without
    one, for the whole Sekretariat Daerah. ``year`` limits the realisations to the years
    up to it (``None``: every year of the plan).

    Raises ``LookupError`` for an unknown plan or OPD, ``ValueError`` for an unknown table,
    paper or a year outside the plan, ``ReportCancelled`` when cancelled.
    """
    if table not in TABLES:
        raise ValueError(f"Tabel tidak dikenal: {table} (pilih tc23, tc24 atau tc27)")
    data, pages = write_report_files(
        db,
        pdf=pdf,
        xlsx=xlsx,
        paper=paper,
        gather=lambda database, step: gather_renstra(
            database,
            year,
            table,
            opd,
            plan=plan,
            signatory=signatory,
            report_date=report_date,
            progress=step,
            cancelled=cancelled,
        ),
        build_pdf=build_renstra_pdf,
        build_xlsx=build_renstra_xlsx,
        progress=progress,
        cancelled=cancelled,
        weights=(_GATHER, _PDF, _XLSX),
    )
    return RenstraExportResult(
        table,
        data.plan_code,
        data.opd_code,
        year,
        len(data.rows),
        Path(pdf) if pdf is not None else None,
        pages,
        Path(xlsx) if xlsx is not None else None,
    )
