"""The one write of a realisation inside a caller's transaction, audited field by field.

Shared by the focal point's entry (``entry``), Pokja's corrections and linking rows across
plans (``links``), so all leave the same audit trail; neither imports the other for it.
The version check of a form's save (``app.services.concurrency``) lives here for the
same reason: an ordinary edit and a Pokja correction write the same record.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.numbers import decimal_text
from app.domain.realisation import RealisationValues
from app.models.schema import AuditEntry, PlanRow, Realisation
from app.services.concurrency import Seen, Winner, check_seen, last_change, version_of

REAL_FIELDS = ("total", "male", "female", "disabled", "budget", "spending", "evidence", "note")


def audit_text(v: Decimal | str | None) -> str | None:
    if v is None:
        return None
    return decimal_text(v) if isinstance(v, Decimal) else v


def flat_values(values: RealisationValues | None) -> dict[str, Decimal | str | None]:
    """The audited fields of a realisation as stored (None: no realisation)."""
    if values is None:
        # No realisation reads as empty texts, so a first save does not log "" for notes.
        return {f: ("" if f in ("evidence", "note") else None) for f in REAL_FIELDS}
    b = values.breakdown
    return {
        "total": b.total,
        "male": b.male,
        "female": b.female,
        "disabled": b.disabled,
        "budget": values.budget,
        "spending": values.spending,
        "evidence": values.evidence,
        "note": values.note,
    }


def stored_realisation(
    session: Session, row_id: int, year: int, semester: int
) -> Realisation | None:
    return session.scalar(
        select(Realisation).where(
            Realisation.row_id == row_id, Realisation.year == year, Realisation.semester == semester
        )
    )


def realisation_seen(session: Session, row_id: int, year: int, semester: int = 0) -> Seen:
    """The version of the realisation a form is about to show (for the save to check)."""
    return Seen(version_of(stored_realisation(session, row_id, year, semester)))


def check_realisation(
    session: Session, seen: Seen | None, row: PlanRow, year: int, semester: int
) -> None:
    """Refuse a save from a form that showed another version of this realisation."""
    if seen is None:
        return
    current = stored_realisation(session, row.id, year, semester)
    check_seen(
        seen,
        current,
        current.updated_by if current else None,
        current.updated_at if current else None,
        gone=lambda: last_change(session, row.key, year if not semester else year * 10 + semester),
    )


def realisation_writer(row_id: int, year: int, semester: int) -> Winner:
    """Who wrote the realisation last (for a save that lost the race to them)."""

    def winner(session: Session) -> tuple[str | None, datetime | None]:
        current = stored_realisation(session, row_id, year, semester)
        if current is not None:
            return current.updated_by, current.updated_at
        row = session.get(PlanRow, row_id)
        found = None if row is None else last_change(session, row.key, None)
        return found or (None, None)

    return winner


def write_realisation(
    session: Session,
    row: PlanRow,
    year: int,
    semester: int,
    values: RealisationValues | None,
    user: str,
    now: datetime,
    *,
    action: str = "realisasi",
) -> RealisationValues | None:
    """The write itself, inside a caller's transaction, audited field by field."""
    current = session.scalar(
        select(Realisation).where(
            Realisation.row_id == row.id,
            Realisation.year == year,
            Realisation.semester == semester,
        )
    )
    old = (
        None
        if current is None
        else RealisationValues(
            current.breakdown, current.budget, current.spending, current.evidence, current.note
        )
    )
    before, after = flat_values(old), flat_values(values)
    changed = [f for f in REAL_FIELDS if before[f] != after[f]]
    if not changed:
        return old
    if values is None:
        assert current is not None
        session.delete(current)
    else:
        if current is None:
            current = Realisation(row_id=row.id, year=year, semester=semester)
            session.add(current)
        current.breakdown = values.breakdown
        current.budget, current.spending = values.budget, values.spending
        current.evidence, current.note = values.evidence, values.note
        current.updated_at, current.updated_by = now, user
    for f in changed:
        session.add(
            AuditEntry(
                at=now,
                user=user,
                action=action,
                row_key=row.key,
                year=year if not semester else year * 10 + semester,
                field=f,
                old_value=audit_text(before[f]),
                new_value=audit_text(after[f]),
            )
        )
    session.flush()
    return old
