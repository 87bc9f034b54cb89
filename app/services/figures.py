"""The figures the tree shows per row for one year, read in bulk (no Qt here).

``catalog.row_detail`` reads one row with its ORM objects; the tree needs the target
and realisation of *every* row for a year at once, so this reads them with two plain
column selects.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.achievement import achievement
from app.domain.breakdown import Breakdown
from app.models.schema import PlanRow, Realisation, Target


@dataclass(slots=True)
class RowFigures:
    """One row's target and realisation for the year shown."""

    official_text: str
    proposed: bool
    proposed_text: str
    target_total: Decimal | None  # effective: the proposal when there is one
    realised: Decimal | None
    achievement: Decimal | None

    @property
    def target_text(self) -> str:
        return self.proposed_text if self.proposed else self.official_text

    @property
    def filled(self) -> bool:
        return self.realised is not None


def year_figures(
    session: Session,
    plan_id: int,
    year: int,
    row_ids: Collection[int] | None = None,
    *,
    opd_id: int | None = None,
) -> dict[int, RowFigures]:
    """Figures of every row of the plan (or of ``row_ids``, or of one OPD's rows) for
    ``year``."""
    tstmt = (
        select(
            Target.row_id,
            PlanRow.polarity,
            Target.text,
            Target.total,
            Target.male,
            Target.female,
            Target.disabled,
            Target.proposed,
            Target.proposed_text,
            Target.proposed_total,
            Target.proposed_male,
            Target.proposed_female,
            Target.proposed_disabled,
        )
        .join(PlanRow, PlanRow.id == Target.row_id)
        .where(PlanRow.plan_id == plan_id, Target.year == year)
    )
    rstmt = (
        select(Realisation.row_id, Realisation.total)
        .join(PlanRow, PlanRow.id == Realisation.row_id)
        .where(PlanRow.plan_id == plan_id, Realisation.year == year, Realisation.semester == 0)
    )
    pstmt = select(PlanRow.id, PlanRow.polarity).where(PlanRow.plan_id == plan_id)
    if opd_id is not None:  # the tree reads an OPD's figures when it opens the OPD
        tstmt = tstmt.where(PlanRow.opd_id == opd_id)
        rstmt = rstmt.where(PlanRow.opd_id == opd_id)
        pstmt = pstmt.where(PlanRow.opd_id == opd_id)
    if row_ids is not None:
        ids = list(row_ids)
        tstmt = tstmt.where(Target.row_id.in_(ids))
        rstmt = rstmt.where(Realisation.row_id.in_(ids))
        pstmt = pstmt.where(PlanRow.id.in_(ids))
    # Plain column reads through the connection, not the ORM's result machinery.
    con = session.connection()
    realised: dict[int, Decimal | None] = {rid: total for rid, total in con.execute(rstmt).all()}
    out: dict[int, RowFigures] = {}
    for rid, pol, text, t, m, f, d, prop, ptext, pt, pm, pf, pd in con.execute(tstmt).all():
        total = (
            Breakdown(pt, pm, pf, pd).effective_total
            if prop
            else Breakdown(t, m, f, d).effective_total
        )
        real = realised.get(rid)
        out[rid] = RowFigures(
            text or "", bool(prop), ptext or "", total, real, achievement(total, real, pol)
        )
    # A row without a target for the year still shows its realisation.
    missing = [rid for rid in realised if rid not in out]
    if missing:
        for rid, _pol in con.execute(pstmt.where(PlanRow.id.in_(missing))):
            out[rid] = RowFigures("", False, "", None, realised[rid], None)
    return out
