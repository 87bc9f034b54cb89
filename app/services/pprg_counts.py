"""How many GAP/GBS Pokja received and reviewed, and the Inspektorat's realisation from it.

The board shows per OPD and year the GAP and GBS received (the current submission's)
and how many of them carry a verdict on that exact version, and how many were
accepted. The regency total of reviewed documents of a year is the realisation of the
Inspektorat's row "reviu dokumen PPRG (GAP, GBS, KAK)" (seed line 2386): Pokja chooses
that row once (the regency's plan may word or key it otherwise) and the choice is kept
in the settings; the figure is written through the normal realisation service.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.breakdown import Breakdown
from app.domain.pprg import Kind, ReviewStatus
from app.domain.realisation import RealisationValues
from app.domain.search import normalise
from app.models.db import Database
from app.models.schema import Opd, Plan, PlanRow, PprgDocument, PprgReview, Setting
from app.services import entry
from app.services.pprg_store import RECEIVED

ROW_SETTING = "pprg.inspektorat_row"


@dataclass
class PprgCounts:
    """One OPD in one year: documents received, reviewed (this version) and accepted."""

    gap: int = 0
    gbs: int = 0
    reviewed: int = 0
    accepted: int = 0

    @property
    def received(self) -> int:
        return self.gap + self.gbs

    @property
    def text(self) -> str:
        """``GAP 2 · GBS 1 · telaah 2 (diterima 1)``; empty when nothing was received."""
        if not self.received:
            return ""
        return (
            f"GAP {self.gap} · GBS {self.gbs} · telaah {self.reviewed} (diterima {self.accepted})"
        )


def _latest_verdicts(
    session: Session, years: list[int]
) -> dict[tuple[str, str, int], tuple[str, str]]:
    """(kind, node, year) → (content hash, status) of the latest verdict."""
    latest: dict[tuple[str, str, int], tuple[str, str]] = {}
    for kind, node, year, digest, status in session.execute(
        select(
            PprgReview.kind,
            PprgReview.node_key,
            PprgReview.year,
            PprgReview.content_hash,
            PprgReview.status,
        )
        .where(PprgReview.year.in_(years))
        .order_by(PprgReview.reviewed_at, PprgReview.id)
    ):
        latest[(kind, node, year)] = (digest, status)  # later rows overwrite earlier
    return latest


def received_counts(session: Session, years: list[int]) -> dict[tuple[str, int], PprgCounts]:
    """(OPD code, year) → counts of the received documents (grouped selects, no JSON)."""
    out: dict[tuple[str, int], PprgCounts] = defaultdict(PprgCounts)
    if not years:
        return out
    latest = _latest_verdicts(session, years)
    for kind, node, opd_code, year, digest in session.execute(
        select(
            PprgDocument.kind,
            PprgDocument.node_key,
            PprgDocument.opd_code,
            PprgDocument.year,
            PprgDocument.content_hash,
        ).where(PprgDocument.origin == RECEIVED, PprgDocument.year.in_(years))
    ):
        c = out[(opd_code, year)]
        if kind == Kind.GAP.value:
            c.gap += 1
        else:
            c.gbs += 1
        verdict = latest.get((kind, node, year))
        if verdict is not None and verdict[0] == digest:
            c.reviewed += 1
            c.accepted += verdict[1] == ReviewStatus.DITERIMA.value
    return dict(out)


def reviewed_total(session: Session, year: int) -> int:
    """The regency's reviewed PPRG documents of ``year`` (the Inspektorat row's measure)."""
    return sum(c.reviewed for c in received_counts(session, [year]).values())


# ------------------------------------------------------------------ the Inspektorat row
@dataclass(frozen=True)
class RowChoice:
    row_id: int
    key: str
    opd_code: str
    indicator: str
    aktivitas: str

    @property
    def label(self) -> str:
        return f"{self.opd_code} — {self.indicator or self.aktivitas}"


def _choice(session: Session, row: PlanRow) -> RowChoice:
    opd = session.get(Opd, row.opd_id)
    return RowChoice(row.id, row.key, opd.code if opd else "", row.indikator, row.aktivitas)


def row_candidates(session: Session, plan: Plan) -> list[RowChoice]:
    """Rows whose indicator or activity speaks of PPRG documents, Inspektorat's first."""
    found = []
    for row in session.scalars(
        select(PlanRow)
        .where(PlanRow.plan_id == plan.id, PlanRow.retired_at.is_(None))
        .order_by(PlanRow.seq)
    ):
        text = normalise(f"{row.indikator} {row.aktivitas}")
        if "pprg" in text or ("gap" in text.split() and "gbs" in text.split()):
            found.append(_choice(session, row))
    return sorted(found, key=lambda c: "inspektorat" not in normalise(c.opd_code))


def chosen_row(session: Session, plan: Plan) -> RowChoice | None:
    """The row Pokja chose for the count, if it is still a live row of the plan."""
    setting = session.get(Setting, ROW_SETTING)
    if setting is None:
        return None
    row = session.scalar(
        select(PlanRow).where(
            PlanRow.plan_id == plan.id, PlanRow.key == setting.value, PlanRow.retired_at.is_(None)
        )
    )
    return None if row is None else _choice(session, row)


def choose_row(session: Session, plan: Plan, key: str) -> RowChoice:
    row = session.scalar(select(PlanRow).where(PlanRow.plan_id == plan.id, PlanRow.key == key))
    if row is None:
        raise LookupError(f"Baris {key} tidak ada di rencana {plan.code}.")
    session.merge(Setting(key=ROW_SETTING, value=key))
    return _choice(session, row)


def fill_inspektorat_realisation(
    db: Database, row_id: int, year: int, user: str
) -> tuple[int, RealisationValues | None]:
    """Write the year's reviewed total as the row's realisation; returns it and the old value.

    Through ``entry.save_realisation`` (audited, refused on a row holding signed figures,
    like any write); the evidence and note already on the row are kept.
    """
    with db.begin() as session:
        total = reviewed_total(session, year)
        old = entry.get_realisation(session, row_id, year)
    values = RealisationValues(
        Breakdown(total=Decimal(total)),
        old.budget if old else None,
        old.spending if old else None,
        old.evidence if old else "",
        (old.note if old and old.note else "")
        or f"Jumlah dokumen PPRG yang ditelaah Pokja/Inspektorat tahun {year}",
    )
    previous = entry.save_realisation(db, row_id, year, values, user)
    return total, previous


__all__ = [
    "ROW_SETTING",
    "PprgCounts",
    "RowChoice",
    "choose_row",
    "chosen_row",
    "fill_inspektorat_realisation",
    "received_counts",
    "reviewed_total",
    "row_candidates",
]
