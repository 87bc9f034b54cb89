"""What is left to do for a year: rows without a figure, kegiatan without an ARG checklist,
and saved figures that are allowed but unlikely.

The main window shows this as one line above the tree so that a focal point sees, at a
glance and without opening a report, what still stands between them and a complete
submission. The warnings reuse ``domain.plausibility`` exactly as the form and the
report's notes do, so the three places always agree on what is unlikely.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Integer, Select, literal_column, select
from sqlalchemy.orm import Session, aliased

from app.domain.plausibility import warnings
from app.models.schema import ArgAnswer, PlanNode, PlanRow, Realisation
from app.services.catalog import filled_rows
from app.services.figures import RowFigures, year_figures

_S = TypeVar("_S", bound=Select)  # a select of any columns


@dataclass(frozen=True)
class Remaining:
    """What is left of one plan and year (one OPD's rows, or every OPD's for Pokja).

    It keeps the row ids behind its counts so that a save recounts one row
    (:func:`recount_row`) instead of the whole plan: a full count of a 100,000-row plan
    takes a third of a second, too long to wait after every field.
    """

    year: int
    row_ids: frozenset[int]  # current rows asked for (retired rows are no longer asked for)
    unfilled_rows: frozenset[int]  # of those, rows without a realisation figure for the year
    kegiatan: frozenset[int]  # kegiatan node ids above those rows
    without_arg: frozenset[int]  # of those, kegiatan without any ARG answer in the year
    warned: Mapping[int, int]  # row id → plausibility warnings of its saved realisation

    @property
    def rows(self) -> int:
        return len(self.row_ids)

    @property
    def unfilled(self) -> int:
        return len(self.unfilled_rows)

    @property
    def kegiatan_without_arg(self) -> int:
        return len(self.without_arg)

    @property
    def warnings(self) -> int:
        return sum(self.warned.values())


def _kegiatan_above(session: Session, plan_id: int, opd_id: int | None, starts: Select) -> set[int]:
    """The kegiatan at or above the nodes ``starts`` selects (a row may hang on a sub
    kegiatan), walked up in the database: reading the plan's nodes to walk them here
    cost more than the rest of the count on a 100,000-row plan.

    Only the plan's nodes are walked, and for a focal point only their OPD's (kegiatan
    and sub kegiatan belong to one OPD); the walk stops at the first kegiatan, or after
    32 nodes (a cycle in a damaged database).
    """

    def walked(stmt: _S, node: Any) -> _S:
        stmt = stmt.where(node.plan_id == plan_id)
        return stmt if opd_id is None else stmt.where(node.opd_id == opd_id)

    # A plain 0, not a bound parameter: PostgreSQL types the walk's depth column from it.
    depth = literal_column("0", Integer).label("depth")
    first = select(PlanNode.id, PlanNode.parent_id, PlanNode.level, depth).where(
        PlanNode.id.in_(starts)
    )
    up = walked(first, PlanNode).cte("up", recursive=True)
    parent = aliased(PlanNode)
    step = (
        select(parent.id, parent.parent_id, parent.level, up.c.depth + 1)
        .join(up, parent.id == up.c.parent_id)
        .where(up.c.level != "kegiatan", up.c.depth < 31)
    )
    up = up.union_all(walked(step, parent))
    found = select(up.c.id).where(up.c.level == "kegiatan").distinct()
    return set(session.connection().scalars(found).all())


def _answered(session: Session, plan_id: int, year: int, opd_id: int | None) -> set[int]:
    """The kegiatan assessed in ``year``: answers on it, or on one of its sub kegiatan."""
    starts = select(ArgAnswer.node_id).where(ArgAnswer.year == year)
    return _kegiatan_above(session, plan_id, opd_id, starts)


def remaining(
    session: Session,
    plan_id: int,
    year: int,
    opd_id: int | None = None,
    figures: Mapping[int, RowFigures] | None = None,
) -> Remaining:
    """Count what is left for ``year`` in the plan (``opd_id``: that OPD's rows only).

    ``figures``: the year's ``year_figures`` of the whole plan when the caller already
    read them (the tree has), so a year with 100,000 filled rows is not read twice.
    """
    stmt = select(PlanRow.id).where(PlanRow.plan_id == plan_id, PlanRow.retired_at.is_(None))
    if opd_id is not None:
        stmt = stmt.where(PlanRow.opd_id == opd_id)
    # Plain reads through the connection: the ORM's result machinery costs more than
    # SQLite itself on 100,000 rows.
    rows = set(session.connection().scalars(stmt).all())
    filled = _filled(session, plan_id, year)
    nodes = stmt.with_only_columns(PlanRow.node_id).where(PlanRow.node_id.is_not(None))
    kegiatan = _kegiatan_above(session, plan_id, opd_id, nodes.distinct())
    return Remaining(
        year,
        frozenset(rows),
        frozenset(rows - filled),
        frozenset(kegiatan),
        frozenset(kegiatan - _answered(session, plan_id, year, opd_id)),
        _warned(session, plan_id, year, rows, figures),
    )


def recount_row(session: Session, left: Remaining, plan_id: int, row_id: int) -> Remaining:
    """``left`` after a save or an undo wrote ``row_id`` (its other counts cannot change)."""
    if row_id not in left.row_ids:
        return left  # a retired row, or another OPD's
    filled = row_id in _filled(session, plan_id, left.year, row_id)
    warned = dict(left.warned)
    warned.pop(row_id, None)
    warned.update(_warned(session, plan_id, left.year, {row_id}))
    unfilled = left.unfilled_rows - {row_id} if filled else left.unfilled_rows | {row_id}
    return replace(left, unfilled_rows=unfilled, warned=warned)


def recount_arg(session: Session, left: Remaining, plan_id: int, opd_id: int | None) -> Remaining:
    """``left`` after ARG answers changed: only which kegiatan are answered is read again."""
    answered = _answered(session, plan_id, left.year, opd_id)
    return replace(left, without_arg=frozenset(left.kegiatan - answered))


def _filled(session: Session, plan_id: int, year: int, row_id: int | None = None) -> set[int]:
    """Rows with a realisation figure for the year, as ``catalog.filled_rows`` counts them."""
    if row_id is None:
        return filled_rows(session, plan_id, year)
    return set(
        session.scalars(
            select(Realisation.row_id).where(
                Realisation.row_id == row_id,
                Realisation.year == year,
                Realisation.semester == 0,
                Realisation.total.is_not(None),
            )
        )
    )


def _warned(
    session: Session,
    plan_id: int,
    year: int,
    row_ids: set[int],
    known: Mapping[int, RowFigures] | None = None,
) -> dict[int, int]:
    stmt = (
        select(Realisation.row_id, Realisation.budget, Realisation.spending)
        .join(PlanRow, PlanRow.id == Realisation.row_id)
        .where(PlanRow.plan_id == plan_id, Realisation.year == year, Realisation.semester == 0)
    )
    if len(row_ids) == 1:
        stmt = stmt.where(Realisation.row_id.in_(row_ids))
    money: dict[int, tuple[Decimal | None, Decimal | None]] = {
        rid: (budget, spending) for rid, budget, spending in session.execute(stmt) if rid in row_ids
    }
    if not money:
        return {}
    if known is not None:
        figures = known
    else:  # a few rows by id; many (beyond any engine's bound-parameter limit) by plan
        figures = year_figures(session, plan_id, year, money if len(money) <= 900 else None)
    out = {}
    for rid, (budget, spending) in money.items():
        fig = figures.get(rid)
        if n := len(warnings(fig.achievement if fig else None, budget, spending)):
            out[rid] = n
    return out
