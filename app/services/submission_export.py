"""Exporting an OPD's signed submission: the report workbook (and PDF) with its content.

The workbook is the ordinary report built by :func:`app.reports.radpug_xlsx.build_xlsx`, then
rewritten with the canonical content, the list of its visible cells and a signed manifest
over every part (``app.formats.submission.sign_package``), so the sheets a person reads are
signed as well as the content Pokja imports. The PDF
is the ordinary report with the verification code, a QR code and the key fingerprint
printed beside the signature block. Files appear at their destination only when
complete (temporary names, then ``os.replace``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.domain.progress import Cancelled, Progress
from app.formats import keys
from app.formats.canonical_json import (
    SubmissionError,
    canonical_bytes,
    content_hash,
    parse_canonical,
    verification_code,
)
from app.formats.submission import sign_package, validate_content
from app.models.db import Database
from app.models.schema import Setting
from app.reports.pdf_kit import PAPERS
from app.reports.radpug_pdf import build_pdf
from app.reports.radpug_xlsx import build_xlsx
from app.reports.report_model import ReportCancelled, Verification
from app.services import catalog
from app.services.export import gather
from app.services.profile import load_profile
from app.services.signatory import Signatory
from app.services.submission_content import build_content


@dataclass(frozen=True)
class SubmissionResult:
    opd_code: str
    year: int
    submission_id: str
    revision: int
    content_hash: str
    code: str
    key_id: str
    rows: int
    xlsx: Path
    pdf: Path | None


def _setting_key(plan_code: str, opd_code: str, year: int, what: str) -> str:
    digest = hashlib.sha256(f"{plan_code}|{opd_code}|{year}".encode()).hexdigest()[:16]
    return f"kiriman.{digest}.{what}"


def next_revision(session: Session, plan_code: str, opd_code: str, year: int) -> tuple[str, int]:
    """The stable submission id of this OPD, plan and year here, and the next revision."""
    id_key = _setting_key(plan_code, opd_code, year, "id")
    rev_key = _setting_key(plan_code, opd_code, year, "rev")
    sid = session.get(Setting, id_key)
    if sid is None:
        sid = Setting(key=id_key, value=str(uuid.uuid4()))
        session.add(sid)
    rev = session.get(Setting, rev_key)
    revision = int(rev.value) + 1 if rev is not None else 1
    session.merge(Setting(key=rev_key, value=str(revision)))
    return sid.value, revision


def _check_before_signing(data: bytes, content: dict[str, Any]) -> None:
    """Refuse to sign what Pokja's reader would refuse (a value stored before today's rules).

    A database from an older version may hold a figure or text the rules of
    docs/submissions.md ("Angka dan teks") no longer allow; signing it would send a file
    that fails its own verification, so the focal point is told which row to fix instead.
    """
    try:
        validate_content(parse_canonical(data))
    except SubmissionError as exc:
        text = re.sub(
            r"rows\[(\d+)\]",
            lambda m: f"baris {content['rows'][int(m.group(1))]['key']}",
            str(exc),
        )
        raise ValueError(
            f"Kiriman tidak dibuat: isian ini akan ditolak oleh pemeriksaan Pokja. {text} "
            "Perbaiki isian itu di formulir, lalu ekspor ulang."
        ) from None


def export_submission(
    db: Database,
    year: int,
    key: keys.SigningKey,
    *,
    xlsx: str | Path,
    pdf: str | Path | None = None,
    opd: str | None = None,
    paper: str = "a4",
    signatory: Signatory | None = None,
    report_date: date | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> SubmissionResult:
    """Write the signed submission of ``opd`` (default: the profile's OPD) for ``year``.

    Every export is a new revision of the same submission id. Raises ``LookupError``
    for an unknown OPD, ``ValueError`` for a year outside the plan.
    """
    if paper not in PAPERS:
        raise ValueError(f"Ukuran kertas tidak dikenal: {paper} (pilih a4 atau f4)")
    now = now or datetime.now()
    with db.begin() as session:
        plan = catalog.get_plan(session)
        profile = load_profile(session)
        code = opd or (profile.opd_code if profile else None)
        if not code:
            raise LookupError(
                "Perangkat Daerah kiriman belum diketahui: isi profil atau sebutkan --opd."
            )
        unit = catalog.find_opd(session, code)
        if year not in plan.years:
            raise ValueError(f"Tahun {year} di luar periode {plan.start_year}–{plan.end_year}.")
        sid, revision = next_revision(session, plan.code, unit.code, year)
        content = build_content(
            session,
            plan,
            unit,
            year,
            submission_id=sid,
            revision=revision,
            created_at=now,
            preparer=profile,
        )
        opd_code = unit.code
    data_bytes = canonical_bytes(content)
    _check_before_signing(data_bytes, content)
    digest = content_hash(data_bytes)
    short = verification_code(digest)
    verification = Verification(
        code=short,
        key_id=keys.grouped(key.key_id),
        qr_text=f"MONEV-RADPUG;v=1;opd={opd_code};tahun={year};id={sid};rev={revision};"
        f"sha256={digest};kunci={key.key_id}",
    )
    data = gather(
        db, year, opd_code, signatory=signatory, report_date=report_date, cancelled=cancelled
    )
    data = replace(data, verification=verification)
    temps: list[tuple[Path, Path]] = []
    try:
        target = Path(xlsx)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temps.append((tmp, target))
        build_xlsx(data, tmp, paper, progress=progress, cancelled=cancelled)
        sign_package(tmp, data_bytes, key)
        if pdf is not None:
            ptarget = Path(pdf)
            ptmp = ptarget.with_name(f".{ptarget.name}.{os.getpid()}.tmp")
            temps.append((ptmp, ptarget))
            build_pdf(data, ptmp, paper, cancelled=cancelled)
        if cancelled is not None and cancelled():
            raise ReportCancelled("Pembuatan kiriman dibatalkan.")
        for t, dest in temps:
            os.replace(t, dest)
        temps.clear()
    finally:
        for t, _ in temps:
            with contextlib.suppress(OSError):
                t.unlink()
    return SubmissionResult(
        opd_code,
        year,
        sid,
        revision,
        digest,
        short,
        key.key_id,
        len(content["rows"]),
        Path(xlsx),
        Path(pdf) if pdf is not None else None,
    )
