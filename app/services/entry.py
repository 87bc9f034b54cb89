"""Writing what focal points enter: realisations and proposed targets, with an audit trail.

Each call is one transaction: when it returns, the edit is on disk (SQLite WAL with
synchronous=FULL). Each call returns the previous values so that the window can undo
by writing them back through the same path, which is audited like any edit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.breakdown import Breakdown
from app.domain.realisation import FormError, RealisationValues
from app.domain.text_policy import FREE_TEXT_MAX, TextError, clean_text
from app.models.db import Database
from app.models.schema import AuditEntry, Plan, PlanRow, Target
from app.services.concurrency import Seen, Winner, check_seen, refused_on_race, version_of
from app.services.corrections import is_signed
from app.services.links import linked_row_ids
from app.services.realisation_write import (
    audit_text,
    check_realisation,
    realisation_writer,
    stored_realisation,
    write_realisation,
)


class EntryError(RuntimeError):
    """A refused write, with an Indonesian message for the user."""


# Figures an OPD signed change only through ``corrections.correct_realisation``.
SIGNED_READ_ONLY = (
    "Angka ini berasal dari kiriman bertanda tangan Perangkat Daerah dan tidak diubah "
    "langsung. Gunakan 'Koreksi Pokja…' dan tulis alasannya."
)

SIGNED_PROPOSAL = (
    "Usulan target tahun ini berasal dari kiriman bertanda tangan Perangkat Daerah dan tidak "
    "diubah oleh Pokja. Minta Perangkat Daerah mengirim revisi kiriman bila usulan perlu "
    "berubah."
)


def _row(session: Session, row_id: int, opd_id: int | None) -> PlanRow:
    row = session.get(PlanRow, row_id)
    if row is None:
        raise EntryError("Baris rencana aksi tidak ditemukan.")
    if opd_id is not None and row.opd_id != opd_id:
        raise EntryError("Baris ini milik Perangkat Daerah lain dan tidak dapat diubah.")
    return row


def target_seen(session: Session, row_id: int, year: int) -> Seen:
    """The version of a year's target (and its proposal) a form is about to show."""
    t = session.scalar(select(Target).where(Target.row_id == row_id, Target.year == year))
    return Seen(version_of(t))


def get_realisation(
    session: Session, row_id: int, year: int, semester: int = 0
) -> RealisationValues | None:
    r = stored_realisation(session, row_id, year, semester)
    if r is None:
        return None
    return RealisationValues(r.breakdown, r.budget, r.spending, r.evidence, r.note)


def save_realisation(
    db: Database,
    row_id: int,
    year: int,
    values: RealisationValues | None,
    user: str,
    *,
    semester: int = 0,
    opd_id: int | None = None,
    seen: Seen | None = None,
) -> RealisationValues | None:
    """Store (or with ``None``/empty values, remove) a realisation; returns the old one.

    ``seen`` is the version the form showed: when someone else saved this realisation
    since, :class:`ConcurrentEditError` names them and nothing is written; after the save
    it holds the version written (``app.services.concurrency``).

    ``opd_id`` is the focal point's own OPD: a write to another OPD's row is refused here,
    not only hidden in the window. Rows linked to this one in another plan (the same
    activity, see ``app.services.links``) receive the same figures in the same transaction
    when the year is in their period, so one entry serves both plans.
    """
    if values is not None:
        values.breakdown.validate()
        try:
            values.check()  # the form's rules again: no caller stores what the form refuses
        except FormError as exc:
            raise EntryError(str(exc)) from exc
        if values.is_empty:
            values = None
    if semester not in (0, 1, 2):
        raise EntryError("Semester harus 1 atau 2 (0 untuk setahun penuh).")
    with refused_on_race(db, realisation_writer(row_id, year, semester)), db.begin() as session:
        row = _row(session, row_id, opd_id)
        plan = session.get(Plan, row.plan_id)
        if plan is None or year not in plan.years:
            raise EntryError(f"Tahun {year} di luar periode rencana ini.")
        if is_signed(session, row_id, year):
            raise EntryError(SIGNED_READ_ONLY)
        check_realisation(session, seen, row, year, semester)
        now = datetime.now()
        old = write_realisation(session, row, year, semester, values, user, now)
        for other_id in linked_row_ids(session, row_id):
            other = session.get(PlanRow, other_id)
            other_plan = session.get(Plan, other.plan_id) if other else None
            # A linked row holding an OPD's signed figures keeps them: only a Pokja
            # correction or the OPD's next file changes them.
            if (
                other is not None
                and other_plan is not None
                and year in other_plan.years
                and not is_signed(session, other.id, year)
            ):
                write_realisation(
                    session,
                    other,
                    year,
                    semester,
                    values,
                    user,
                    now,
                    action=f"realisasi-tautan:{row.key}",
                )
        written = version_of(stored_realisation(session, row_id, year, semester))
    if seen is not None:
        seen.version = written
    return old


def propose_target(
    db: Database,
    row_id: int,
    year: int,
    text: str | None,
    breakdown: Breakdown | None,
    user: str,
    *,
    opd_id: int | None = None,
    seen: Seen | None = None,
) -> tuple[str | None, Breakdown | None]:
    """Set (or with ``None`` withdraw) an OPD's proposed target; returns the old proposal.

    The official target is never overwritten: reports show both. ``seen`` is the target's
    version the form showed, checked and updated as for :func:`save_realisation`.
    """
    if breakdown is not None:
        breakdown = breakdown.validate().completed()
    if text is not None:
        try:
            text = clean_text(text, FREE_TEXT_MAX)
        except TextError as exc:
            raise EntryError(f"Teks usulan target: {exc}") from exc
    with refused_on_race(db, target_writer(row_id, year)), db.begin() as session:
        row = _row(session, row_id, opd_id)
        if is_signed(session, row_id, year):
            raise EntryError(SIGNED_PROPOSAL)
        t = session.scalar(select(Target).where(Target.row_id == row_id, Target.year == year))
        if t is None:
            raise EntryError(f"Tahun {year} di luar periode rencana ini.")
        check_seen(seen, t, *_target_who(t))
        old = (t.proposed_text, t.proposed_breakdown) if t.proposed else (None, None)
        if breakdown is None or (breakdown.is_empty and not text):
            new_text, new_b, proposed = None, Breakdown(), False
        else:
            new_text, new_b, proposed = (text or "").strip(), breakdown, True
        if (t.proposed, t.proposed_text, t.proposed_breakdown) == (proposed, new_text, new_b):
            return old
        seen_after = t.version + 1
        now = datetime.now()
        session.add(
            AuditEntry(
                at=now,
                user=user,
                action="usulan-target" if proposed else "batal-usulan-target",
                row_key=row.key,
                year=year,
                field="target",
                old_value=_describe(*old) if old[1] is not None else _describe(t.text, t.breakdown),
                new_value=_describe(new_text, new_b)
                if proposed
                else _describe(t.text, t.breakdown),
            )
        )
        t.proposed = proposed
        t.proposed_text = new_text
        t.proposed_total, t.proposed_male = new_b.total, new_b.male
        t.proposed_female, t.proposed_disabled = new_b.female, new_b.disabled
        t.proposed_at = now if proposed else None
        t.proposed_by = user if proposed else None
        t.updated_at, t.updated_by = now, user
    if seen is not None:
        seen.version = seen_after
    return old


def _target_who(t: Target) -> tuple[str | None, datetime | None]:
    # Targets edited before 0012 name no editor: the proposal's author is the best guess.
    return t.updated_by or t.proposed_by, t.updated_at or t.proposed_at


def target_writer(row_id: int, year: int) -> Winner:
    """Who wrote the year's target last (for a save that lost the race to them)."""

    def winner(session: Session) -> tuple[str | None, datetime | None]:
        t = session.scalar(select(Target).where(Target.row_id == row_id, Target.year == year))
        return (None, None) if t is None else _target_who(t)

    return winner


def _describe(text: str | None, b: Breakdown | None) -> str:
    b = b or Breakdown()
    parts = [f"{k}={audit_text(v)}" for k, v in b.as_dict().items() if v is not None]
    return f"{text or ''} [{', '.join(parts)}]"
