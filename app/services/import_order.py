"""The ordering rules of ``app/domain/ordering.py`` applied to received files, in words.

The importer asks here whether a file's clock can be believed (every stamp of a signed
content, a fill-in workbook's ``exported_at``) and which file wins against the one held;
the answers come back as Indonesian reasons that say what happened and what to do,
including Pokja's explicit way out, "ganti paksa" (docs/submissions.md, "Urutan").
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.domain.ordering import (
    FUTURE_SLACK,
    MAX_REVISION_STEP,
    Held,
    Incoming,
    Verdict,
    decide,
    future_stamps,
    local_now,
)
from app.models.schema import Submission

UNSIGNED = "unsigned"  # Submission.signature_state of a fill-in workbook
FORCE_HINT = (
    "Bila Pokja tetap ingin memakai berkas ini, pilih 'Ganti paksa…' di jendela Terima "
    "Berkas; alasannya dicatat."
)
# The action (``Refused.action``, ``ImportOutcome.action``) after which the CLI names
# its options; the reasons themselves stay free of command-line words.
REPLACE_ANYWAY = "replace-anyway"
REPLACE_SIGNED = "replace-signed"


def content_stamps(c: dict[str, Any]) -> Iterator[tuple[str, str | None]]:
    """Every time stamp a signed content carries, with where it is (for the message)."""
    yield "created_at", c.get("created_at")
    for r in c.get("rows", []):
        for sem, v in r.get("realisations", {}).items():
            yield f"baris {r['key']} semester {sem}", v.get("updated_at")
        p = r.get("proposed_target")
        if p is not None:
            yield f"usulan target baris {r['key']}", p.get("at")
    for a in c.get("arg", []):
        yield f"jawaban ARG {a['node']}/{a['question']}", a.get("answered_at")


def _future_reason(found: list[tuple[str, str]], now: datetime) -> str:
    where, stamp = found[0]
    more = f" dan {len(found) - 1} waktu lain" if len(found) > 1 else ""
    days = FUTURE_SLACK.days
    return (
        f"Berkas memuat waktu {stamp} ({where}){more}, lebih dari {days} hari setelah jam "
        f"komputer ini ({local_now(now):%d-%m-%Y %H:%M}). Jam komputer pengirim "
        "kemungkinan salah; berkas ditolak agar tidak mengalahkan kiriman yang benar "
        "sesudahnya. Minta Perangkat Daerah membetulkan tanggal dan jam komputernya, lalu "
        "mengekspor ulang kirimannya."
    )


def content_clock_problem(c: dict[str, Any], now: datetime) -> str | None:
    """Why a signed content's stamps cannot be believed, or None."""
    found = future_stamps(content_stamps(c), now)
    return _future_reason(found, now) if found else None


def fillin_clock_problem(exported_at: datetime, now: datetime) -> str | None:
    """Why a fill-in workbook's ``exported_at`` cannot be believed, or None."""
    found = future_stamps([("tanggal pembuatan buku kerja isian", exported_at)], now)
    return _future_reason(found, now) if found else None


def current_submission(
    session: Session, opd_code: str, plan_code: str, year: int
) -> Submission | None:
    """The submission whose figures are in the database for the OPD, plan and year."""
    return session.scalar(
        select(Submission).where(
            Submission.opd_code == opd_code,
            Submission.plan_code == plan_code,
            Submission.year == year,
            Submission.current.is_(True),
        )
    )


def current_and_same(
    session: Session, opd_code: str, plan_code: str, year: int, content_hash: str
) -> tuple[Submission | None, Submission | None]:
    """The submission held for the OPD, plan and year (as ``current_submission``), and
    the earliest signed one with the same content, wherever it is held.

    A signed file's import asks both before anything else; one query answers both, so a
    file on a server waits for one reply instead of two.
    """
    current = same = None
    for s in session.scalars(
        select(Submission)
        .where(
            or_(
                and_(
                    Submission.opd_code == opd_code,
                    Submission.plan_code == plan_code,
                    Submission.year == year,
                    Submission.current.is_(True),
                ),
                and_(
                    Submission.content_hash == content_hash,
                    Submission.signature_state == "signed",
                ),
            )
        )
        .order_by(Submission.id)
    ):
        held_here = (s.opd_code, s.plan_code, s.year) == (opd_code, plan_code, year)
        if current is None and s.current and held_here:
            current = s
        if same is None and s.content_hash == content_hash and s.signature_state == "signed":
            same = s
    return current, same


def held(current: Submission | None) -> Held | None:
    if current is None:
        return None
    return Held(
        current.submission_id,
        current.revision,
        current.created_at,
        current.signature_state != UNSIGNED,
    )


def incoming(c: dict[str, Any]) -> Incoming:
    return Incoming(str(c["submission_id"]), int(c["revision"]), str(c["created_at"]))


def verdict(current: Submission | None, c: dict[str, Any], now: datetime) -> Verdict:
    return decide(held(current), incoming(c), now)


def jump_reason(current: Submission | None, c: dict[str, Any]) -> str:
    same = current is not None and current.submission_id == c["submission_id"]
    base = current.revision if same and current is not None else 0
    against = (
        f"revisi {base} yang sudah diterima" if same else "awal (kiriman pertama dari aplikasi ini)"
    )
    return (
        f"Revisi {c['revision']} melompat lebih dari {MAX_REVISION_STEP} di atas {against}. "
        "Nomor revisi seperti itu tidak wajar (penghitung rusak atau berkas buatan) dan akan "
        "membuat kiriman asli berikutnya dianggap lebih lama; berkas ditolak. " + FORCE_HINT
    )


def not_newer_reason(current: Submission, c: dict[str, Any]) -> str:
    if current.submission_id == c["submission_id"]:
        return (
            f"Revisi {c['revision']} tidak lebih baru daripada revisi {current.revision} yang "
            "sudah diterima; tidak ada yang diubah. " + FORCE_HINT
        )
    return (
        f"Kiriman ini dibuat {c['created_at']}, tidak lebih baru daripada kiriman yang sudah "
        f"diterima ({current.created_at}); tidak ada yang diubah. " + FORCE_HINT
    )


def forced_note(reason: str) -> str:
    """The words an import outcome carries when Pokja replaced anyway."""
    return f"Diganti paksa oleh Pokja (alasan: {reason})."


__all__ = [
    "FORCE_HINT",
    "REPLACE_ANYWAY",
    "REPLACE_SIGNED",
    "content_clock_problem",
    "content_stamps",
    "current_and_same",
    "current_submission",
    "fillin_clock_problem",
    "forced_note",
    "held",
    "incoming",
    "jump_reason",
    "not_newer_reason",
    "verdict",
]
