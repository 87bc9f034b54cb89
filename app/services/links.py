"""Linking a RAD PUG row and a Renstra row that are the same activity.

A Bagian of the Sekretariat reports some activities in both plans (RAD PUG 2022–2024 and
the Renstra 2024–2026). Linked, the two rows share their realisations for the years both
periods cover: ``entry.save_realisation`` writes the same figures to both in one
transaction, so the focal point types them once and the plans can never disagree.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.domain.realisation import RealisationValues
from app.models.db import Database
from app.models.schema import AuditEntry, Plan, PlanNode, PlanRow, Realisation, RowLink
from app.services.corrections import is_signed
from app.services.realisation_write import write_realisation


class LinkError(ValueError):
    """A refused link; the message is Indonesian."""


@dataclass(frozen=True)
class LinkedRow:
    row_id: int
    key: str
    plan_code: str
    plan_label: str
    title: str
    sub_kegiatan: str
    score: float = 0.0


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def linked_row_ids(session: Session, row_id: int) -> list[int]:
    links = session.execute(
        select(RowLink.row_a_id, RowLink.row_b_id).where(
            or_(RowLink.row_a_id == row_id, RowLink.row_b_id == row_id)
        )
    )
    return sorted(b if a == row_id else a for a, b in links)


def _plan_label(plan: Plan) -> str:
    kind = "RAD PUG" if plan.kind == "radpug" else plan.kind.capitalize()
    return f"{kind} {plan.start_year}–{plan.end_year}"


def _describe(session: Session, row: PlanRow, score: float = 0.0) -> LinkedRow:
    plan = session.get(Plan, row.plan_id)
    assert plan is not None
    sub = ""
    node = session.get(PlanNode, row.node_id) if row.node_id else None
    if node is not None:
        sub = node.name
    return LinkedRow(
        row.id,
        row.key,
        plan.code,
        _plan_label(plan),
        row.aktivitas or row.indikator or sub,
        sub,
        score,
    )


def linked_rows(session: Session, row_id: int) -> list[LinkedRow]:
    out = []
    for other_id in linked_row_ids(session, row_id):
        other = session.get(PlanRow, other_id)
        if other is not None:
            out.append(_describe(session, other))
    return out


def _text_of(session: Session, row: PlanRow) -> str:
    node = session.get(PlanNode, row.node_id) if row.node_id else None
    return " ".join([row.aktivitas, row.indikator, node.name if node else ""]).casefold()


def candidates(session: Session, row_id: int, limit: int = 50) -> list[LinkedRow]:
    """Rows of the same OPD in other plans whose periods overlap, most similar first."""
    row = session.get(PlanRow, row_id)
    if row is None:
        return []
    plan = session.get(Plan, row.plan_id)
    assert plan is not None
    others = session.scalars(
        select(PlanRow)
        .join(Plan, Plan.id == PlanRow.plan_id)
        .where(
            PlanRow.opd_id == row.opd_id,
            PlanRow.plan_id != row.plan_id,
            Plan.start_year <= plan.end_year,
            Plan.end_year >= plan.start_year,
        )
    )
    mine = _text_of(session, row)
    taken = set(linked_row_ids(session, row_id))
    scored = []
    for other in others:
        if other.id in taken:
            continue
        ratio = difflib.SequenceMatcher(None, mine, _text_of(session, other)).ratio()
        scored.append(_describe(session, other, round(ratio, 3)))
    scored.sort(key=lambda c: (-c.score, c.title))
    return scored[:limit]


def _shared_years(session: Session, a: PlanRow, b: PlanRow) -> list[int]:
    pa, pb = session.get(Plan, a.plan_id), session.get(Plan, b.plan_id)
    assert pa is not None and pb is not None
    return sorted(set(pa.years) & set(pb.years))


def _values(session: Session, row_id: int, year: int) -> RealisationValues | None:
    r = session.scalar(
        select(Realisation).where(
            Realisation.row_id == row_id, Realisation.year == year, Realisation.semester == 0
        )
    )
    return (
        None
        if r is None
        else RealisationValues(r.breakdown, r.budget, r.spending, r.evidence, r.note)
    )


def link_rows(
    db: Database, row_id: int, other_id: int, user: str, *, opd_id: int | None = None
) -> list[int]:
    """Link two rows; returns the shared years. Figures already entered on one side are
    copied to the other; different figures on both sides are refused (nothing is lost)."""
    with db.begin() as session:
        a, b = session.get(PlanRow, row_id), session.get(PlanRow, other_id)
        if a is None or b is None:
            raise LinkError("Baris rencana tidak ditemukan.")
        if a.plan_id == b.plan_id:
            raise LinkError("Tautan hanya antara dua rencana yang berbeda.")
        if a.opd_id != b.opd_id:
            raise LinkError("Kedua baris harus milik Perangkat Daerah yang sama.")
        if opd_id is not None and a.opd_id != opd_id:
            raise LinkError("Baris ini milik Perangkat Daerah lain dan tidak dapat diubah.")
        years = _shared_years(session, a, b)
        if not years:
            raise LinkError("Periode kedua rencana tidak beririsan; tautan tidak berguna.")
        low, high = _pair(a.id, b.id)
        if session.scalar(
            select(RowLink.id).where(RowLink.row_a_id == low, RowLink.row_b_id == high)
        ):
            return years
        now = datetime.now()
        for year in years:
            va, vb = _values(session, a.id, year), _values(session, b.id, year)
            # Copying onto a row that holds an OPD's signed figures would change them
            # outside a Pokja correction.
            target = (
                b if va is not None and vb is None else a if vb is not None and va is None else None
            )
            if target is not None and is_signed(session, target.id, year):
                raise LinkError(
                    f"Baris {target.key} berisi realisasi {year} dari kiriman bertanda tangan "
                    "Perangkat Daerah; tautan yang menyalin angka ke sana tidak dibuat."
                )
            if va is not None and vb is not None and va != vb:
                raise LinkError(
                    f"Kedua baris sudah berisi realisasi {year} yang berbeda. Samakan "
                    "dulu (atau kosongkan salah satunya), lalu tautkan."
                )
            if va is not None and vb is None:
                write_realisation(
                    session, b, year, 0, va, user, now, action=f"realisasi-tautan:{a.key}"
                )
            elif vb is not None and va is None:
                write_realisation(
                    session, a, year, 0, vb, user, now, action=f"realisasi-tautan:{b.key}"
                )
        session.add(RowLink(row_a_id=low, row_b_id=high, created_at=now, created_by=user))
        for mine, theirs in ((a, b), (b, a)):
            session.add(
                AuditEntry(
                    at=now,
                    user=user,
                    action="tautan",
                    row_key=mine.key,
                    field="tautan",
                    old_value=None,
                    new_value=theirs.key,
                )
            )
    return years


def unlink_rows(
    db: Database, row_id: int, other_id: int, user: str, *, opd_id: int | None = None
) -> None:
    """Remove a link; both rows keep the figures they have."""
    low, high = _pair(row_id, other_id)
    with db.begin() as session:
        link = session.scalar(
            select(RowLink).where(RowLink.row_a_id == low, RowLink.row_b_id == high)
        )
        if link is None:
            return
        a = session.get(PlanRow, row_id)
        b = session.get(PlanRow, other_id)
        if opd_id is not None and a is not None and a.opd_id != opd_id:
            raise LinkError("Baris ini milik Perangkat Daerah lain dan tidak dapat diubah.")
        session.delete(link)
        now = datetime.now()
        for mine, theirs in ((a, b), (b, a)):
            if mine is not None and theirs is not None:
                session.add(
                    AuditEntry(
                        at=now,
                        user=user,
                        action="lepas-tautan",
                        row_key=mine.key,
                        field="tautan",
                        old_value=theirs.key,
                        new_value=None,
                    )
                )
