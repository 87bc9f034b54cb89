"""Pokja corrections: changing figures an OPD signed is an explicit act with a reason.

In Pokja's database the realisations of an OPD whose current submission for the year
is signed are the OPD's word. They are read-only for ordinary edits
(``entry.save_realisation`` refuses them); :func:`correct_realisation` changes them with
a reason, keeping per field what the OPD signed, the corrected value, who, when and why
(table ``pokja_correction``). Every place that shows the figures asks here, so a
corrected value is never mistaken for a signed one: the form, the tree, the board, the
reports and the revision comparison.

A correction ends (``active`` False, never deleted) when the field is corrected again
(the new row keeps the signed value), when it is set back to the signed value, or when a
merge replaces the OPD's figures for the year (a newer signed revision, or the same file
re-imported on purpose to restore the signed values): :func:`end_corrections`.
Focal-point installations never hold a signed submission, so nothing here applies there.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.numbers import format_number, text_decimal
from app.domain.realisation import FIELD_LABELS, RealisationValues
from app.models.db import Database
from app.models.schema import (
    AuditEntry,
    Opd,
    Plan,
    PlanNode,
    PlanRow,
    PokjaCorrection,
    Submission,
)
from app.services.concurrency import Seen, refused_on_race, version_of
from app.services.realisation_write import (
    REAL_FIELDS,
    audit_text,
    check_realisation,
    flat_values,
    realisation_writer,
    stored_realisation,
    write_realisation,
)

ACTION = "koreksi-pokja"  # audit action of the corrected values themselves
ENDED_ACTION = "koreksi-pokja-berakhir"  # audit action when a merge ends corrections
MIN_REASON = 5  # characters: "salah ketik" passes, "x" does not
TEXT_FIELDS = ("evidence", "note")


class CorrectionError(RuntimeError):
    """A refused correction, with an Indonesian message for the user."""


@dataclass(frozen=True)
class Correction:
    """One corrected field of one realisation (active unless ``ended_at`` is set)."""

    row_id: int
    year: int
    semester: int
    field: str
    signed_value: str | None
    corrected_value: str | None
    reason: str
    at: datetime
    by: str
    ended_at: datetime | None = None
    ended_reason: str | None = None

    @property
    def label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)

    @property
    def change(self) -> str:
        """``52 → 60`` in Indonesian notation (``–`` for an empty value)."""
        return f"{shown(self.field, self.signed_value)} → {shown(self.field, self.corrected_value)}"

    @property
    def text(self) -> str:
        """The one line every view prints beside a corrected value."""
        return (
            f"Dikoreksi Pokja: {self.label} {self.change}, alasan: {self.reason}, "
            f"oleh {self.by or '–'}, tanggal {self.at:%d-%m-%Y %H:%M}"
        )


def shown(field: str, value: str | None) -> str:
    """A stored exact value as a person reads it (``1500000`` → ``1.500.000``)."""
    if value is None or value == "":
        return "–"
    if field in TEXT_FIELDS:
        return value if len(value) <= 40 else value[:39] + "…"
    try:
        return format_number(Decimal(value))
    except ArithmeticError:
        return value


def _of(c: PokjaCorrection) -> Correction:
    return Correction(
        c.row_id,
        c.year,
        c.semester,
        c.field,
        c.signed_value,
        c.corrected_value,
        c.reason,
        c.corrected_at,
        c.corrected_by,
        None if c.active else c.ended_at,
        None if c.active else c.ended_reason,
    )


def signed_source(session: Session, row_id: int, year: int) -> Submission | None:
    """The current signed submission whose figures this row holds for the year, if any."""
    found = session.execute(
        select(Plan.code, Opd.code)
        .join(PlanRow, PlanRow.plan_id == Plan.id)
        .join(Opd, Opd.id == PlanRow.opd_id)
        .where(PlanRow.id == row_id)
    ).first()
    return None if found is None else _current_signed(session, found[0], found[1], year)


def _current_signed(
    session: Session, plan_code: str, opd_code: str, year: int
) -> Submission | None:
    """The OPD's current submission for the plan and year when it is a signed one."""
    return session.scalar(
        select(Submission).where(
            Submission.plan_code == plan_code,
            Submission.opd_code == opd_code,
            Submission.year == year,
            Submission.current.is_(True),
            Submission.signature_state == "signed",
        )
    )


def is_signed(session: Session, row_id: int, year: int) -> bool:
    """Whether the row's figures for the year are an OPD's signed word (read-only)."""
    return signed_source(session, row_id, year) is not None


def node_is_signed(session: Session, node_id: int, year: int) -> bool:
    """Whether the node's ARG answers for the year are an OPD's signed word (read-only)."""
    found = session.execute(
        select(Plan.code, Opd.code)
        .join(PlanNode, PlanNode.plan_id == Plan.id)
        .join(Opd, Opd.id == PlanNode.opd_id)
        .where(PlanNode.id == node_id)
    ).first()
    return found is not None and _current_signed(session, found[0], found[1], year) is not None


def _active(session: Session, row_id: int, year: int, semester: int) -> list[PokjaCorrection]:
    return list(
        session.scalars(
            select(PokjaCorrection)
            .where(
                PokjaCorrection.row_id == row_id,
                PokjaCorrection.year == year,
                PokjaCorrection.semester == semester,
                PokjaCorrection.active.is_(True),
            )
            .order_by(PokjaCorrection.id)
        )
    )


def row_corrections(
    session: Session, row_id: int, year: int, semester: int = 0
) -> list[Correction]:
    """The row's active corrections for the year, in field order."""
    found = {c.field: _of(c) for c in _active(session, row_id, year, semester)}
    return [found[f] for f in REAL_FIELDS if f in found]


def plan_corrections(
    session: Session, plan_id: int, year: int, opd_code: str | None = None
) -> dict[int, list[Correction]]:
    """Row id → active corrections (semester 0) of a plan and year, for trees and reports."""
    q = (
        select(PokjaCorrection)
        .join(PlanRow, PlanRow.id == PokjaCorrection.row_id)
        .where(
            PlanRow.plan_id == plan_id,
            PokjaCorrection.year == year,
            PokjaCorrection.semester == 0,
            PokjaCorrection.active.is_(True),
        )
        .order_by(PokjaCorrection.row_id, PokjaCorrection.id)
    )
    if opd_code is not None:
        q = q.join(Opd, Opd.id == PlanRow.opd_id).where(Opd.code == opd_code)
    out: dict[int, list[Correction]] = {}
    for c in session.scalars(q):
        out.setdefault(c.row_id, []).append(_of(c))
    return out


def count_by_opd(session: Session, plan_id: int, years: list[int]) -> Counter[tuple[str, int]]:
    """(OPD code, year) → number of active corrected values (every semester)."""
    counts: Counter[tuple[str, int]] = Counter()
    if not years:
        return counts
    for code, year in session.execute(
        select(Opd.code, PokjaCorrection.year)
        .join(PlanRow, PlanRow.id == PokjaCorrection.row_id)
        .join(Opd, Opd.id == PlanRow.opd_id)
        .where(
            PlanRow.plan_id == plan_id,
            PokjaCorrection.year.in_(years),
            PokjaCorrection.active.is_(True),
        )
    ):
        counts[(code, year)] += 1
    return counts


def count_for(session: Session, plan_code: str, opd_code: str, year: int) -> int:
    """Active corrected values of one OPD and year (what a re-import must mention)."""
    plan_id = session.scalar(select(Plan.id).where(Plan.code == plan_code))
    if plan_id is None:
        return 0
    return count_by_opd(session, plan_id, [year])[(opd_code, year)]


def corrections_note(n: int) -> str:
    """``+ 1 koreksi Pokja`` as the board and the CLI say it (empty for none)."""
    return f"+ {n} koreksi Pokja" if n else ""


def restore_hint(n: int) -> str:
    """What a re-import of the same signed file adds to "sama" when Pokja corrected it."""
    if not n:
        return ""
    return (
        f" Namun {n} nilai dari berkas ini sudah dikoreksi Pokja sesudahnya. Untuk memulihkan "
        "nilai yang ditandatangani OPD, terima ulang berkas ini dengan 'Ganti paksa…' di jendela "
        "Terima Berkas; koreksi Pokja lalu berakhir dan tetap tercatat di riwayat."
    )


def _signed_values(sub: Submission, row_key: str, semester: int) -> dict[str, Any] | None:
    """The row's values as the submission's content states them (None: content unknown)."""
    if sub.content is None:
        return None
    content = json.loads(sub.content)
    for r in content.get("rows", []):
        if r.get("key") == row_key:
            v = r.get("realisations", {}).get(str(semester))
            if v is None:
                return flat_values(None)
            return {
                f: (v.get(f) or "") if f in TEXT_FIELDS else text_decimal(v.get(f))
                for f in REAL_FIELDS
            }
    return flat_values(None)


def correct_realisation(
    db: Database,
    row_id: int,
    year: int,
    values: RealisationValues | None,
    reason: str,
    user: str,
    *,
    semester: int = 0,
    seen: Seen | None = None,
) -> RealisationValues | None:
    """Pokja's explicit change of signed figures; returns the previous values (for undo).

    Each changed field keeps what the OPD signed beside the new value. Setting a field
    back to the signed value ends its correction instead of adding one. ``seen`` is the
    realisation's version the form showed (another Pokja member may correct it too).
    """
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON:
        raise CorrectionError(
            "Tulis alasan koreksi (minimal 5 huruf), misalnya 'salah ketik, dikonfirmasi "
            "dengan OPD lewat telepon'."
        )
    if values is not None:
        values.breakdown.validate()
        if values.is_empty:
            values = None
    with refused_on_race(db, realisation_writer(row_id, year, semester)), db.begin() as session:
        row = session.get(PlanRow, row_id)
        if row is None:
            raise CorrectionError("Baris rencana aksi tidak ditemukan.")
        sub = signed_source(session, row_id, year)
        if sub is None:
            raise CorrectionError(
                "Angka baris ini tidak berasal dari kiriman bertanda tangan; ubah langsung "
                "di formulir tanpa koreksi."
            )
        check_realisation(session, seen, row, year, semester)
        now = datetime.now()
        previous = {c.field: c for c in _active(session, row_id, year, semester)}
        old = write_realisation(session, row, year, semester, values, user, now, action=ACTION)
        before, after = flat_values(old), flat_values(values)
        signed = _signed_values(sub, row.key, semester) or before
        for f in REAL_FIELDS:
            if before[f] == after[f]:
                continue
            prior = previous.get(f)
            signed_text = prior.signed_value if prior is not None else audit_text(signed[f])
            if prior is not None:
                prior.active, prior.ended_at = False, now
                prior.ended_reason = "diganti koreksi berikutnya"
            new_text = audit_text(after[f])
            if (new_text or "") == (signed_text or ""):
                if prior is not None:
                    prior.ended_reason = "dikembalikan ke nilai bertanda tangan"
                continue
            session.add(
                PokjaCorrection(
                    row_id=row_id,
                    year=year,
                    semester=semester,
                    field=f,
                    signed_value=signed_text,
                    corrected_value=new_text,
                    reason=reason,
                    corrected_at=now,
                    corrected_by=user,
                    submission_ref=sub.id,
                    active=True,
                )
            )
        session.flush()
        written = version_of(stored_realisation(session, row_id, year, semester))
    if seen is not None:
        seen.version = written
    return old


def end_corrections(
    session: Session, plan_id: int, opd_code: str, year: int, *, user: str, now: datetime, why: str
) -> int:
    """End the OPD's active corrections for the year because a merge replaced its figures.

    Called inside the merge's transaction; each ended correction is written to the audit
    trail (old value: the corrected one), so the row history says what was superseded.
    """
    found = session.execute(
        select(PokjaCorrection, PlanRow.key)
        .join(PlanRow, PlanRow.id == PokjaCorrection.row_id)
        .join(Opd, Opd.id == PlanRow.opd_id)
        .where(
            PlanRow.plan_id == plan_id,
            Opd.code == opd_code,
            PokjaCorrection.year == year,
            PokjaCorrection.active.is_(True),
        )
    ).all()
    for c, key in found:
        c.active, c.ended_at, c.ended_reason = False, now, f"digantikan: {why}"
        session.add(
            AuditEntry(
                at=now,
                user=user,
                action=ENDED_ACTION,
                row_key=key,
                year=year if not c.semester else year * 10 + c.semester,
                field=c.field,
                old_value=c.corrected_value,
                new_value=f"koreksi berakhir ({why})",
            )
        )
    return len(found)


__all__ = [
    "ACTION",
    "ENDED_ACTION",
    "MIN_REASON",
    "Correction",
    "CorrectionError",
    "correct_realisation",
    "corrections_note",
    "count_by_opd",
    "count_for",
    "end_corrections",
    "is_signed",
    "plan_corrections",
    "restore_hint",
    "row_corrections",
    "shown",
    "signed_source",
]
