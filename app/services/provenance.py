"""Where an OPD's figures for a year came from: a signed submission, a fill-in workbook
without signature, or (neither) entered in this installation.

Pokja's database records every accepted file in ``submission``; the current one per
plan, OPD and year says whose word the figures are. Unsigned data (from a fill-in
workbook, docs/fillin.md) must be marked as such wherever it is shown: the row form and
the reports ask here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.schema import Submission

Source = Literal["signed", "unsigned"]
SIGNED: Source = "signed"
UNSIGNED: Source = "unsigned"


@dataclass(frozen=True)
class SourceInfo:
    state: Source
    received_at: datetime
    file_name: str


def source_info(session: Session, plan_code: str, opd_code: str, year: int) -> SourceInfo | None:
    """The current accepted file for the OPD and year, or None (entered locally)."""
    sub = session.scalar(
        select(Submission).where(
            Submission.plan_code == plan_code,
            Submission.opd_code == opd_code,
            Submission.year == year,
            Submission.current.is_(True),
        )
    )
    if sub is None or sub.signature_state not in (SIGNED, UNSIGNED):
        return None
    state: Source = SIGNED if sub.signature_state == SIGNED else UNSIGNED
    return SourceInfo(state, sub.received_at, sub.file_name)


def data_source(session: Session, plan_code: str, opd_code: str, year: int) -> Source | None:
    """``"signed"``, ``"unsigned"`` or None (no file imported: entered locally)."""
    info = source_info(session, plan_code, opd_code, year)
    return None if info is None else info.state


def unsigned_opds(session: Session, plan_code: str, year: int) -> dict[str, datetime]:
    """OPD code → when its unsigned data for the year was received (for the reports)."""
    return {
        code: at
        for code, at in session.execute(
            select(Submission.opd_code, Submission.received_at).where(
                Submission.plan_code == plan_code,
                Submission.year == year,
                Submission.current.is_(True),
                Submission.signature_state == UNSIGNED,
            )
        )
    }


def unsigned_note(received_at: datetime) -> str:
    """The line shown beside unsigned data (form and reports say the same)."""
    return f"Data dari berkas isian TANPA tanda tangan elektronik (diterima {received_at:%d-%m-%Y})"


__all__ = [
    "SIGNED",
    "UNSIGNED",
    "Source",
    "SourceInfo",
    "data_source",
    "source_info",
    "unsigned_note",
    "unsigned_opds",
]
