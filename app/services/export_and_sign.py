"""One export, optionally signed: the use case behind the window's export dialog and the
command line's report commands.

An :class:`ExportRequest` says what to write — the RAD PUG report of an OPD or of the
regency, a Renstra table (``table``), or an OPD's signed submission (``submission_key``:
the workbook carries the signed content, the PDF its verification code) — for which
year, on which paper, into which files, with which signatory. :func:`run_export` runs
it with ``progress(done, total)`` and ``cancelled()`` (a worker thread passes ids and
paths only) and returns the export's result.

With a :class:`PadesRequest` the PDF is also signed electronically (PAdES). The report
is built under a hidden name and signed into its final name; should signing fail there
(a rejected certificate, disk full, file held open), the complete but unsigned PDF is
moved into place and :class:`PadesSigningFailed` says plainly that it is not signed, so
no work is lost. A cancelled or failed build leaves nothing behind.

The report builders (reportlab, openpyxl) and pyHanko are imported when an export runs,
not when this module is imported: the window imports it while it opens.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain.progress import Cancelled, Progress
from app.formats import keys
from app.models.db import Database
from app.services.signatory import Signatory

if TYPE_CHECKING:
    from app.reports.pades import SigningIdentity
    from app.services.export import ExportResult
    from app.services.renstra_export import RenstraExportResult
    from app.services.submission_export import SubmissionResult

    ExportOutcome = ExportResult | RenstraExportResult | SubmissionResult

__all__ = ["ExportRequest", "PadesRequest", "PadesSigningFailed", "run_export", "sign_pdf"]


@dataclass(frozen=True)
class PadesRequest:
    """An opened certificate (checked before the export starts) and what the signature
    should say. The certificate's password is not kept: the opened key travels here."""

    p12: Path
    identity: SigningIdentity
    reason: str
    location: str


@dataclass(frozen=True)
class ExportRequest:
    """What to export; at least one of ``pdf`` and ``xlsx``."""

    year: int | None  # None only for a Renstra table: every year of the plan
    opd_code: str | None = None  # None: the regency (or the whole Setda for Renstra)
    paper: str = "a4"
    pdf: Path | None = None
    xlsx: Path | None = None
    signatory: Signatory | None = None  # None: the stored one
    report_date: date | None = None  # None: today
    plan_code: str | None = None  # a Renstra plan; None: the latest
    table: str | None = None  # a Renstra table: "tc23", "tc24" or "tc27"
    # The unlocked installation key: the Excel file becomes the signed submission that
    # Pokja imports (docs/submissions.md), the PDF carries its verification code.
    submission_key: keys.SigningKey | None = None
    pades: PadesRequest | None = None  # sign the PDF electronically

    @property
    def kind(self) -> str:
        """``submission``, ``renstra`` or ``report`` (what :func:`run_export` writes)."""
        if self.submission_key is not None and self.xlsx is not None:
            return "submission"
        return "renstra" if self.table is not None else "report"


class PadesSigningFailed(Exception):
    """The report was written but its PDF could not be signed; the message says so."""


def run_export(
    db: Database,
    request: ExportRequest,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ExportOutcome:
    """Write the requested files (and sign the PDF when asked); returns the result.

    Raises what the export raises (``LookupError``, ``ValueError``, ``ReportCancelled``,
    ``FontError``, ``OSError``; :func:`app.services.export.explain_failure` words them)
    and :class:`PadesSigningFailed` when the report was written but not signed.
    """
    if request.pades is None or request.pdf is None:
        return _build(db, request, progress, cancelled)
    return _build_and_sign(db, request, request.pades, request.pdf, progress, cancelled)


def _build(
    db: Database,
    request: ExportRequest,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> ExportOutcome:
    from app.services.export import export_report
    from app.services.renstra_export import export_renstra
    from app.services.submission_export import export_submission

    r = request
    kind = r.kind
    if kind == "renstra":
        assert r.table is not None
        return export_renstra(
            db,
            r.year,
            table=r.table,
            opd=r.opd_code,
            plan=r.plan_code,
            pdf=r.pdf,
            xlsx=r.xlsx,
            paper=r.paper,
            signatory=r.signatory,
            report_date=r.report_date,
            progress=progress,
            cancelled=cancelled,
        )
    if r.year is None:
        raise ValueError("Sebutkan tahun pelaporan.")
    if kind == "submission":
        assert r.submission_key is not None and r.xlsx is not None
        return export_submission(
            db,
            r.year,
            r.submission_key,
            xlsx=r.xlsx,
            pdf=r.pdf,
            opd=r.opd_code,
            paper=r.paper,
            signatory=r.signatory,
            report_date=r.report_date,
            progress=progress,
            cancelled=cancelled,
        )
    return export_report(
        db,
        r.year,
        opd=r.opd_code,
        pdf=r.pdf,
        xlsx=r.xlsx,
        paper=r.paper,
        signatory=r.signatory,
        report_date=r.report_date,
        progress=progress,
        cancelled=cancelled,
    )


def _build_and_sign(
    db: Database,
    request: ExportRequest,
    pades: PadesRequest,
    pdf: Path,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> ExportOutcome:
    """Build the PDF under a hidden name, then sign it into its final name."""
    from app.reports.pades import PadesError
    from app.services.export import explain_failure

    unsigned = pdf.with_name(f".{pdf.name}.{os.getpid()}.unsigned.pdf")
    try:
        result = _build(db, dataclasses.replace(request, pdf=unsigned), progress, cancelled)
        try:
            sign_pdf(unsigned, pdf, pades.identity, reason=pades.reason, location=pades.location)
        except (PadesError, OSError) as exc:
            why = str(exc) if isinstance(exc, PadesError) else explain_failure(exc)
            os.replace(unsigned, pdf)
            raise PadesSigningFailed(
                "Laporan tersimpan, tetapi PDF BELUM ditandatangani secara elektronik: "
                f"{why.rstrip('.')}. Berkas: {pdf}. PDF dapat ditandatangani kemudian "
                "dengan perintah pdf-sign."
            ) from exc
        return dataclasses.replace(result, pdf=pdf)
    finally:
        with contextlib.suppress(OSError):
            unsigned.unlink()


def sign_pdf(*args: Any, **kwargs: Any) -> Any:
    """``app.reports.pades.sign_pdf``, imported on first use (pyHanko is slow to load)."""
    from app.reports.pades import sign_pdf as sign

    return sign(*args, **kwargs)
