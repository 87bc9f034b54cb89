"""A row of a new period that continues a row of the previous one (issue #12, item 4).

``app.services.links`` joins rows of two plans whose periods overlap, so that they share
their realisations. The next RAD PUG (2025–2029) does not overlap the old one (2022–2024):
nothing is shared, but Pokja wants to say "this indicator continues that row", so the
form and the reports can show the indicator's earlier years beside the new ones.

Rules: the previous row belongs to a plan that ends before this row's plan starts (so a
chain can only go back in time and can never close on itself), a row has at most one
previous row, both rows exist, and every link and unlink is in both rows' audit trail.
"""

from __future__ import annotations

import bisect
import difflib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.achievement import achievement
from app.domain.realisation import RealisationValues
from app.models.db import Database
from app.models.schema import AuditEntry, Plan, PlanNode, PlanRow, RowContinuation, Target
from app.services.entry import get_realisation
from app.services.links import LinkedRow

# What the audit trail (and so the row's history) names the change.
FIELD = "periode sebelumnya"
NEXT_FIELD = "periode berikutnya"


class ContinuationError(ValueError):
    """A refused continuation; the message is Indonesian."""


@dataclass(frozen=True)
class EarlierYear:
    """One year of an earlier period of a continuing indicator, as the form shows it."""

    year: int
    target_text: str  # the official target as printed ("" when the plan gave none)
    realisation: RealisationValues | None
    achievement: Decimal | None  # capaian in percent against the effective target
    plan_code: str
    plan_label: str
    row_id: int
    row_key: str
    title: str
    satuan: str


def plan_label(plan: Plan) -> str:
    kind = "RAD PUG" if plan.kind == "radpug" else plan.kind.capitalize()
    return f"{kind} {plan.start_year}–{plan.end_year}"


def _sub_kegiatan(session: Session, row: PlanRow) -> str:
    node = session.get(PlanNode, row.node_id) if row.node_id else None
    return node.name if node is not None else ""


def describe(session: Session, row: PlanRow, score: float = 0.0) -> LinkedRow:
    """The row as the link dialog and the form name it (plan, title, sub kegiatan)."""
    plan = session.get(Plan, row.plan_id)
    assert plan is not None
    sub = _sub_kegiatan(session, row)
    return LinkedRow(
        row.id,
        row.key,
        plan.code,
        plan_label(plan),
        row.aktivitas or row.indikator or sub,
        sub,
        score,
    )


def _previous_id(session: Session, row_id: int) -> int | None:
    return session.scalar(
        select(RowContinuation.previous_row_id).where(RowContinuation.row_id == row_id)
    )


def previous_of(session: Session, row_id: int) -> LinkedRow | None:
    """The row of the earlier period this row continues, or ``None``."""
    prev_id = _previous_id(session, row_id)
    prev = session.get(PlanRow, prev_id) if prev_id is not None else None
    return None if prev is None else describe(session, prev)


def _text_of(session: Session, row: PlanRow) -> str:
    return " ".join([row.aktivitas, row.indikator, _sub_kegiatan(session, row)]).casefold()


def candidates_previous(session: Session, row_id: int, limit: int = 50) -> list[LinkedRow]:
    """Rows of plans that end before this row's plan starts: the same OPD first, then
    by similarity of the text (an OPD may have been renamed or merged between periods)."""
    row = session.get(PlanRow, row_id)
    if row is None:
        return []
    plan = session.get(Plan, row.plan_id)
    assert plan is not None
    # One query for the texts: an earlier plan has hundreds of rows, and only the best
    # ``limit`` are described for the dialog.
    others = session.execute(
        select(PlanRow.id, PlanRow.opd_id, PlanRow.aktivitas, PlanRow.indikator, PlanNode.name)
        .join(Plan, Plan.id == PlanRow.plan_id)
        .outerjoin(PlanNode, PlanNode.id == PlanRow.node_id)
        .where(Plan.end_year < plan.start_year)
    )
    mine = _text_of(session, row)
    matcher = difflib.SequenceMatcher(None, "", mine)  # caches what it knows of ``mine``
    groups: dict[bool, list[tuple[float, int, str]]] = {True: [], False: []}
    for other_id, opd_id, aktivitas, indikator, node_name in others:
        text = " ".join([aktivitas, indikator, node_name or ""]).casefold()
        matcher.set_seq1(text)
        groups[opd_id == row.opd_id].append((matcher.quick_ratio(), other_id, text))
    best: list[tuple[float, int]] = []
    for same in (True, False):
        need = limit - len(best)
        if need <= 0:
            break
        # The exact ratio is slow on a whole plan; quick_ratio bounds it from above, so
        # the exact one is needed only until no remaining bound can beat the best found.
        exact: list[tuple[float, int]] = []
        for bound, other_id, text in sorted(groups[same], key=lambda g: (-g[0], g[1])):
            if len(exact) >= need and exact[need - 1][0] <= -bound:
                break
            matcher.set_seq1(text)
            bisect.insort(exact, (-round(matcher.ratio(), 3), other_id))
        best += exact[:need]
    out = []
    for minus_score, other_id in best:
        other = session.get(PlanRow, other_id)
        assert other is not None
        out.append(describe(session, other, -minus_score))
    return out


def _audit(session: Session, now: datetime, user: str, action: str, pairs: list) -> None:
    for key, field, old, new in pairs:
        session.add(
            AuditEntry(
                at=now, user=user, action=action, row_key=key, field=field,
                old_value=old, new_value=new,
            )
        )  # fmt: skip


def link_previous(db: Database, row_id: int, previous_row_id: int, user: str) -> None:
    """Record that ``row_id`` continues ``previous_row_id`` (Pokja's decision, audited)."""
    with db.begin() as session:
        row, prev = session.get(PlanRow, row_id), session.get(PlanRow, previous_row_id)
        if row is None or prev is None:
            raise ContinuationError("Baris rencana tidak ditemukan.")
        plan, prev_plan = session.get(Plan, row.plan_id), session.get(Plan, prev.plan_id)
        assert plan is not None and prev_plan is not None
        if prev_plan.end_year >= plan.start_year:
            raise ContinuationError(
                f"Baris yang dilanjutkan harus dari rencana yang berakhir sebelum "
                f"{plan.start_year}; {plan_label(prev_plan)} tidak. Untuk rencana yang "
                "periodenya beririsan, gunakan tautan berbagi realisasi."
            )
        current = _previous_id(session, row_id)
        if current == previous_row_id:
            return
        if current is not None:
            raise ContinuationError(
                "Baris ini sudah melanjutkan baris periode sebelumnya yang lain. "
                "Lepas tautan itu dulu, lalu tautkan lagi."
            )
        # Periods strictly go back, so a cycle cannot form; walking the chain anyway keeps
        # the rule true if a plan's period is ever corrected after linking.
        seen: set[int] = {row_id}
        step: int | None = previous_row_id
        while step is not None:
            if step in seen:
                raise ContinuationError("Tautan ini akan membuat rantai periode yang berputar.")
            seen.add(step)
            step = _previous_id(session, step)
        now = datetime.now()
        session.add(
            RowContinuation(
                row_id=row_id, previous_row_id=previous_row_id, created_at=now, created_by=user
            )
        )
        _audit(
            session, now, user, "tautan-periode",
            [(row.key, FIELD, None, prev.key), (prev.key, NEXT_FIELD, None, row.key)],
        )  # fmt: skip


def unlink_previous(db: Database, row_id: int, user: str) -> None:
    """Forget which row ``row_id`` continues; both rows keep their figures."""
    with db.begin() as session:
        link = session.scalar(select(RowContinuation).where(RowContinuation.row_id == row_id))
        if link is None:
            return
        row = session.get(PlanRow, row_id)
        prev = session.get(PlanRow, link.previous_row_id)
        session.delete(link)
        if row is not None and prev is not None:
            _audit(
                session, datetime.now(), user, "lepas-tautan-periode",
                [(row.key, FIELD, prev.key, None), (prev.key, NEXT_FIELD, row.key, None)],
            )  # fmt: skip


def earlier_years(session: Session, row_id: int) -> list[EarlierYear]:
    """Every year of the rows this one continues, back along the chain, oldest first."""
    out: list[EarlierYear] = []
    seen = {row_id}
    step = _previous_id(session, row_id)
    while step is not None and step not in seen:
        seen.add(step)
        prev = session.get(PlanRow, step)
        if prev is None:
            break
        plan = session.get(Plan, prev.plan_id)
        assert plan is not None
        named = describe(session, prev)
        targets = {
            t.year: t for t in session.scalars(select(Target).where(Target.row_id == prev.id))
        }
        for year in plan.years:
            target = targets.get(year)
            real = get_realisation(session, prev.id, year)
            goal = None if target is None else target.effective_breakdown.effective_total
            out.append(
                EarlierYear(
                    year=year,
                    target_text="" if target is None else target.text or "",
                    realisation=real,
                    achievement=achievement(
                        goal,
                        None if real is None else real.breakdown.effective_total,
                        prev.polarity,
                    ),
                    plan_code=plan.code,
                    plan_label=named.plan_label,
                    row_id=prev.id,
                    row_key=prev.key,
                    title=named.title,
                    satuan=prev.satuan,
                )
            )
        step = _previous_id(session, prev.id)
    out.sort(key=lambda e: e.year)
    return out
