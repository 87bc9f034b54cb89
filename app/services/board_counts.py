"""The completeness board's figures counted by the database: rows filled, ARG classes.

A province board covers 1,254 OPDs × 3 years over ~96k realisations and ~24k ARG answers.
Loading those rows to count them in Python cost most of the board's time (and its
garbage collections), so each figure here is one grouped select whose result has a
row per OPD and year (or per class), never per realisation or per answer.

The selects run on the session's connection (Core) and are fetched at once
(``plain_rows``): the ORM's result loading, or a fetch per row, added ~5 ms per 4,000
rows for columns that are never entities.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from typing import Any, TypeVar, TypeVarTuple

from sqlalchemy import Boolean, Row, Select, and_, case, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from app.domain.arg import Answer, QuestionSet
from app.models.schema import ArgAnswer, PlanNode, PlanRow, Realisation
from app.services.arg_store import ASSESSABLE_LEVELS, INCOMPLETE

_Ts = TypeVarTuple("_Ts")
_T = TypeVar("_T")


class is_stored(FunctionElement[bool]):
    """``column IS NOT NULL`` for a large text column, without reading its value.

    SQLite fetches a value's overflow pages to test it for NULL, but ``typeof`` reads
    only the record header: 16 ms against 43 ms over a province's 3,762 submissions of
    ~9 kB content each. PostgreSQL tests the null bitmap either way.
    """

    type = Boolean()
    name = "is_stored"
    inherit_cache = True


@compiles(is_stored)
def _is_stored(element: is_stored, compiler: SQLCompiler, **kw: Any) -> str:
    return f"({compiler.process(element.clauses, **kw)} IS NOT NULL)"


@compiles(is_stored, "sqlite")
def _is_stored_sqlite(element: is_stored, compiler: SQLCompiler, **kw: Any) -> str:
    return f"(typeof({compiler.process(element.clauses, **kw)}) != 'null')"


def plain_rows(session: Session, stmt: Select[*_Ts]) -> Sequence[Row[*_Ts]]:
    """Every row of ``stmt``, fetched in one call on the session's connection."""
    return session.connection().execute(stmt).all()


def row_counts(session: Session, plan_id: int) -> tuple[dict[int, int], bool]:
    """OPD id → its rows in force (OPDs with only retired rows absent), and whether the
    plan has any retired row at all (one pass over the plan's rows for both)."""
    counts: dict[int, int] = {}
    retired = False
    for oid, n, gone in plain_rows(
        session,
        select(PlanRow.opd_id, func.count(), func.count(PlanRow.retired_at))
        .where(PlanRow.plan_id == plan_id)
        .group_by(PlanRow.opd_id),
    ):
        if n > gone:
            counts[oid] = n - gone
        retired = retired or gone > 0
    return counts, retired


def filled_counts(session: Session, plan_id: int, years: list[int]) -> dict[tuple[int, int], int]:
    """(OPD id, year) → rows with a yearly total.

    One result row per OPD with a column per year, which SQLite groups in the order of
    the ``(plan_id, opd_id)`` index: grouping by OPD *and* year made it sort all 97k
    realisations of a province first. The years are bounded by a range, not ``IN``,
    so each row's index entries are walked once, not once per year (a year inside the
    range that is not wanted has no column).
    """
    filled: dict[tuple[int, int], int] = {}
    if not years:
        return filled
    per_year = [func.sum(case((Realisation.year == y, 1), else_=0)) for y in years]
    for oid, *counts in plain_rows(
        session,
        select(PlanRow.opd_id, *per_year)
        .join(Realisation, Realisation.row_id == PlanRow.id)
        .where(
            PlanRow.plan_id == plan_id,
            Realisation.year.between(min(years), max(years)),
            Realisation.semester == 0,
            Realisation.total.is_not(None),
        )
        .group_by(PlanRow.opd_id),
    ):
        for year, n in zip(years, counts, strict=True):
            if n:
                filled[(oid, year)] = int(n)
    return filled


def held_counts(session: Session, plan_id: int, years: list[int]) -> dict[tuple[int, int], int]:
    """(OPD id, year) → retired rows holding a realisation of that year.

    A retired row still counts for a year it holds a realisation (and only then). Retired
    rows are few or none, so the board asks only when ``row_counts`` found one.
    """
    held: dict[tuple[int, int], int] = {}
    if not years:
        return held
    for oid, year, n in plain_rows(
        session,
        select(PlanRow.opd_id, Realisation.year, func.count(func.distinct(PlanRow.id)))
        .join(Realisation, Realisation.row_id == PlanRow.id)
        .where(
            PlanRow.plan_id == plan_id,
            PlanRow.retired_at.is_not(None),
            Realisation.year.in_(years),
        )
        .group_by(PlanRow.opd_id, Realisation.year),
    ):
        held[(oid, year)] = n
    return held


def read_beside(sessions: sessionmaker[Session], read: Callable[[Session], _T]) -> Future[_T]:
    """``read`` on a session of its own in a second thread, while the caller reads on.

    The board's largest count (97k realisations on a province) then overlaps its other
    reads: the driver leaves Python's lock while the database works, on either engine.
    The side session sees committed data only, so a caller holding writes of its own
    not yet committed must not use it.
    """

    def run() -> _T:
        with sessions() as own:
            return read(own)

    return _side_thread().submit(run)


@cache
def _side_thread() -> ThreadPoolExecutor:
    # One idle worker kept for the process: starting a thread per board cost ~0.2 ms, and
    # builds never overlap (one window, one refresh at a time).
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="board-read")


def arg_classes(
    session: Session, plan_id: int, years: list[int], qsets: dict[str, QuestionSet]
) -> dict[tuple[int, int], Counter[str]]:
    """(OPD id, year) → ARG classes of its assessed kegiatan, as ``arg_store.recap``
    scores them (``app.domain.arg.score``), counted by the database.

    An instrument is one kegiatan, year and question-set version with at least one
    answer. ``score`` looks only at the version's own questions: it is complete when each
    has an answer (the unique key allows one per question) and its class follows from the
    number of "ya" among them. So the database need only count, per instrument, the
    answered questions of its version and their "ya", then how many instruments share
    each (OPD, year, version, answered, ya): a few hundred rows for a province instead of
    24,000 answers. Versions this installation does not know are scored nowhere, as in
    ``recap``.
    """
    classes: dict[tuple[int, int], Counter[str]] = defaultdict(Counter)
    if not years or not qsets:
        return classes
    own_question = or_(
        *(
            and_(
                ArgAnswer.qset_version == version,
                ArgAnswer.question_id.in_([q.id for q in qset.questions]),
            )
            for version, qset in qsets.items()
        )
    )
    # The answers are grouped on their own first (in the order of their unique index),
    # then each instrument finds its kegiatan by primary key: starting from the plan's
    # 26k nodes made SQLite probe the answers once per node and year.
    per_instrument = (
        select(
            ArgAnswer.node_id.label("node_id"),
            ArgAnswer.year.label("year"),
            ArgAnswer.qset_version.label("version"),
            func.sum(case((own_question, 1), else_=0)).label("answered"),
            func.sum(
                case((and_(own_question, ArgAnswer.answer == Answer.YA.value), 1), else_=0)
            ).label("ya"),
        )
        .where(ArgAnswer.year.in_(years), ArgAnswer.qset_version.in_(list(qsets)))
        .group_by(ArgAnswer.node_id, ArgAnswer.year, ArgAnswer.qset_version)
        .subquery()
    )
    c = per_instrument.c
    for oid, year, version, answered, ya, n in plain_rows(
        session,
        select(PlanNode.opd_id, c.year, c.version, c.answered, c.ya, func.count())
        .join(PlanNode, PlanNode.id == c.node_id)
        .where(
            PlanNode.plan_id == plan_id,
            PlanNode.level.in_(ASSESSABLE_LEVELS),
            PlanNode.opd_id.is_not(None),
        )
        .group_by(PlanNode.opd_id, c.year, c.version, c.answered, c.ya),
    ):
        qset = qsets[version]
        complete = int(answered) == len(qset.questions)
        classes[(oid, year)][qset.classify(int(ya)) if complete else INCOMPLETE] += n
    return classes


__all__ = [
    "INCOMPLETE",
    "arg_classes",
    "filled_counts",
    "held_counts",
    "is_stored",
    "plain_rows",
    "read_beside",
    "row_counts",
]
