"""One call that writes a report's PDF and/or workbook: for the CLI and the window.

Takes plain arguments so a worker thread can run it with ids and paths only; reports
progress through ``progress(done, total)`` and stops when ``cancelled()`` turns true.
Files are written beside their destination under a temporary name and moved into
place only when every requested file is complete, so a cancelled or failed export
never leaves a half-written file where the user expects the report.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from app.domain.progress import Cancelled, Progress
from app.models.db import Database
from app.reports.pdf_kit import PAPERS
from app.reports.radpug_pdf import build_pdf
from app.reports.radpug_xlsx import build_xlsx
from app.reports.report_model import ReportCancelled, ReportData
from app.services import catalog
from app.services.profile import load_profile
from app.services.report_data import build_report
from app.services.signatory import POKJA_SCOPE, Signatory, resolve_signatory

T = TypeVar("T")

__all__ = ["ExportResult", "explain_failure", "export_report", "gather", "write_report_files"]

# Share of the progress bar per step (the PDF layout is the longest).
_GATHER, _PDF, _XLSX = 100, 600, 300


@dataclass(frozen=True)
class ExportResult:
    kind: str  # "opd" or "regency"
    opd_code: str | None
    year: int
    rows: int
    pdf: Path | None
    pdf_pages: int | None
    xlsx: Path | None


def _temp(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def gather(
    db: Database,
    year: int,
    opd: str | None = None,
    *,
    signatory: Signatory | None = None,
    report_date: date | None = None,
    cancelled: Cancelled | None = None,
) -> ReportData:
    """The report's data in one short session; the signatory defaults to the stored one."""
    with db.begin() as session:
        plan = catalog.get_plan(session)
        unit = catalog.find_opd(session, opd) if opd else None
        if signatory is None:
            signatory = resolve_signatory(
                session, unit.code if unit else POKJA_SCOPE, unit.name if unit else None
            )
        return build_report(
            session,
            year,
            unit,
            plan=plan,
            signatory=signatory,
            preparer=load_profile(session),
            report_date=report_date,
            cancelled=cancelled,
        )


def write_report_files(
    db: Database,
    *,
    pdf: str | Path | None,
    xlsx: str | Path | None,
    paper: str,
    gather: Callable[[Database, Progress], T],
    build_pdf: Callable[..., int],
    build_xlsx: Callable[..., object],
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    weights: tuple[int, int, int] = (_GATHER, _PDF, _XLSX),
) -> tuple[T, int | None]:
    """Gather a report's data, then build each requested file under a temporary name and
    move them all into place only when every one is complete (any report kind).

    ``build_pdf``/``build_xlsx`` are called as ``build(data, path, paper, progress=…,
    cancelled=…)``; returns the data and the PDF's page count.
    """
    if pdf is None and xlsx is None:
        raise ValueError("Pilih paling sedikit satu keluaran: PDF atau Excel.")
    if paper not in PAPERS:
        raise ValueError(f"Ukuran kertas tidak dikenal: {paper} (pilih a4 atau f4)")
    w_gather, w_pdf, w_xlsx = weights
    total = w_gather + (w_pdf if pdf else 0) + (w_xlsx if xlsx else 0)

    def step(base: int, width: int) -> Progress:
        def report(done: int, of: int) -> None:
            if progress is not None:
                progress(base + (width * done // of if of else width), total)

        return report

    temps: list[tuple[Path, Path]] = []
    try:
        if progress is not None:
            progress(0, total)
        data = gather(db, step(0, w_gather))
        done = w_gather
        pages = None
        if pdf is not None:
            tmp = _temp(Path(pdf))
            temps.append((tmp, Path(pdf)))
            pages = build_pdf(data, tmp, paper, progress=step(done, w_pdf), cancelled=cancelled)
            done += w_pdf
        if xlsx is not None:
            tmp = _temp(Path(xlsx))
            temps.append((tmp, Path(xlsx)))
            build_xlsx(data, tmp, paper, progress=step(done, w_xlsx), cancelled=cancelled)
        if cancelled is not None and cancelled():
            raise ReportCancelled("Pembuatan laporan dibatalkan.")
        for tmp, target in temps:
            os.replace(tmp, target)
        temps.clear()
        if progress is not None:
            progress(total, total)
        return data, pages
    finally:
        for tmp, _ in temps:
            with contextlib.suppress(OSError):
                tmp.unlink()


def export_report(
    db: Database,
    year: int,
    *,
    opd: str | None = None,
    pdf: str | Path | None = None,
    xlsx: str | Path | None = None,
    paper: str = "a4",
    signatory: Signatory | None = None,
    report_date: date | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ExportResult:
    """Write the report of ``opd`` (code, name or known spelling), or of the regency.

    Raises ``LookupError`` for an unknown OPD, ``ValueError`` for a year outside the
    plan or an unknown paper, ``ReportCancelled`` when cancelled, ``FontError`` when no
    usable font is installed (PDF only).
    """
    data, pages = write_report_files(
        db,
        pdf=pdf,
        xlsx=xlsx,
        paper=paper,
        gather=lambda database, _progress: gather(
            database,
            year,
            opd,
            signatory=signatory,
            report_date=report_date,
            cancelled=cancelled,
        ),
        build_pdf=build_pdf,
        build_xlsx=build_xlsx,
        progress=progress,
        cancelled=cancelled,
    )
    return ExportResult(
        data.kind,
        data.opd_code,
        year,
        len(data.rows),
        Path(pdf) if pdf is not None else None,
        pages,
        Path(xlsx) if xlsx is not None else None,
    )


def explain_failure(exc: BaseException) -> str:
    """What went wrong with an export, in words a focal point can act on (Indonesian).

    An export only reads the database, so every message can promise that no data was
    lost; the files are written under a temporary name, so none is left half written.
    """
    kept = " Data Anda tetap aman; tidak ada berkas setengah jadi yang tertinggal."
    if isinstance(exc, ReportCancelled):
        return "Pembuatan laporan dibatalkan. Tidak ada berkas yang ditulis."
    if isinstance(exc, PermissionError):
        where = f" ({exc.filename})" if exc.filename else ""
        return (
            "Berkas tujuan tidak dapat ditulis" + where + ": mungkin sedang dibuka di "
            "program lain (misalnya Excel atau pembaca PDF), atau folder itu tidak "
            "boleh ditulisi. Tutup berkas itu atau pilih folder lain, lalu coba lagi." + kept
        )
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return (
            "Ruang penyimpanan penuh. Kosongkan sebagian ruang disk atau pilih "
            "folder/flashdisk lain, lalu coba lagi." + kept
        )
    if isinstance(exc, FileNotFoundError):
        folder = Path(str(exc.filename)).parent if exc.filename else ""
        return f"Folder tujuan tidak ditemukan: {folder}." + kept
    if isinstance(exc, LookupError | ValueError):
        return str(exc) + kept
    if isinstance(exc, OSError):
        return f"Berkas tidak dapat ditulis: {exc.strerror or exc}." + kept
    return f"Laporan gagal dibuat: {exc}." + kept
