"""What is left to do for a year: rows without a figure, kegiatan without an ARG checklist,
and saved figures that are allowed but unlikely.

The main window shows this as one line above the tree so that a focal point sees, at a
glance and without opening a report, what still stands between them and a complete
submission. The warnings reuse ``domain.plausibility`` exactly as the form and the
report's notes do, so the three places always agree on what is unlikely.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.plausibility import warnings
from app.models.schema import ArgAnswer, PlanNode, PlanRow, Realisation
from app.services.catalog import filled_rows
from app.services.figures import year_figures


@dataclass(frozen=True)
class Remaining:
    """The counts of one plan and year (of one OPD's rows, or of every OPD's for Pokja)."""

    year: int
    rows: int  # current rows asked for (retired rows are no longer asked for)
    unfilled: int  # of those, rows without a realisation figure for the year
    without_arg: frozenset[int]  # kegiatan node ids without any ARG answer in the year
    warnings: int  # plausibility warnings over the saved realisations of the year

    @property
    def kegiatan_without_arg(self) -> int:
        return len(self.without_arg)


def _kegiatan_of(nodes: dict[int, tuple[int | None, str]], node_id: int | None) -> int | None:
    """The kegiatan at or above ``node_id`` (a row may hang on a sub kegiatan)."""
    seen = 0
    while node_id is not None and seen < 32:  # guards a cycle in a damaged database
        parent, level = nodes.get(node_id, (None, ""))
        if level == "kegiatan":
            return node_id
        node_id, seen = parent, seen + 1
    return None


def remaining(session: Session, plan_id: int, year: int, opd_id: int | None = None) -> Remaining:
    """Count what is left for ``year`` in the plan (``opd_id``: that OPD's rows only)."""
    stmt = select(PlanRow.id, PlanRow.node_id).where(
        PlanRow.plan_id == plan_id, PlanRow.retired_at.is_(None)
    )
    if opd_id is not None:
        stmt = stmt.where(PlanRow.opd_id == opd_id)
    rows: dict[int, int | None] = {rid: node for rid, node in session.execute(stmt)}
    filled = filled_rows(session, plan_id, year)

    nodes: dict[int, tuple[int | None, str]] = {
        nid: (parent, level)
        for nid, parent, level in session.execute(
            select(PlanNode.id, PlanNode.parent_id, PlanNode.level).where(
                PlanNode.plan_id == plan_id
            )
        )
    }
    kegiatan = {k for n in rows.values() if (k := _kegiatan_of(nodes, n)) is not None}
    # A kegiatan is assessed when it, or one of its sub kegiatan, has answers this year.
    answered = {
        _kegiatan_of(nodes, nid)
        for nid in session.scalars(
            select(ArgAnswer.node_id)
            .join(PlanNode, PlanNode.id == ArgAnswer.node_id)
            .where(PlanNode.plan_id == plan_id, ArgAnswer.year == year)
            .distinct()
        )
    }

    return Remaining(
        year,
        len(rows),
        sum(1 for rid in rows if rid not in filled),
        frozenset(kegiatan - answered),
        _warning_count(session, plan_id, year, set(rows)),
    )


def _warning_count(session: Session, plan_id: int, year: int, row_ids: set[int]) -> int:
    money: dict[int, tuple[Decimal | None, Decimal | None]] = {
        rid: (budget, spending)
        for rid, budget, spending in session.execute(
            select(Realisation.row_id, Realisation.budget, Realisation.spending)
            .join(PlanRow, PlanRow.id == Realisation.row_id)
            .where(PlanRow.plan_id == plan_id, Realisation.year == year, Realisation.semester == 0)
        )
        if rid in row_ids
    }
    if not money:
        return 0
    figures = year_figures(session, plan_id, year, money)
    count = 0
    for rid, (budget, spending) in money.items():
        fig = figures.get(rid)
        count += len(warnings(fig.achievement if fig else None, budget, spending))
    return count
