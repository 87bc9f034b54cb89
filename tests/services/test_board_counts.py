"""The board's figures counted by the database equal those counted row by row in Python.

The reference functions below are the board's former Python counting (every realisation
and every ARG answer loaded, each instrument scored by ``app.domain.arg.score``); the
data set holds each case the grouped selects must get right.
"""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import ORMExecuteState, Session

from app.domain.arg import Answer, AnswerEntry, QuestionSet, score
from app.formats.arg_questions import current_question_set, parse_question_set
from app.models.db import Database
from app.models.schema import ArgAnswer, PlanNode, PlanRow, Realisation
from app.resources import resource
from app.services import board_counts, catalog, completeness
from app.services.arg_store import ASSESSABLE_LEVELS
from app.services.board_counts import (
    INCOMPLETE,
    arg_classes,
    filled_counts,
    held_counts,
    plain_rows,
    row_counts,
)
from app.services.completeness import build_board
from app.services.sample import fill_sample

QSET = current_question_set()
YEARS = [2022, 2023, 2024]


def _short_set() -> QuestionSet:
    """A second, shorter version (the first 6 questions, classes over 0–6)."""
    data = json.loads((resource("arg") / "pertanyaan_arg_v1.json").read_text(encoding="utf-8"))
    data["version"] = "uji-pendek.v2"
    data["stages"] = [dict(data["stages"][0], questions=data["stages"][0]["questions"][:6])]
    data["classes"] = [
        {"min": 5, "max": 6, "label": "Responsif Gender"},
        {"min": 3, "max": 4, "label": "Kurang Responsif Gender"},
        {"min": 0, "max": 2, "label": "Tidak Responsif Gender"},
    ]
    return parse_question_set(data)


SHORT = _short_set()
QSETS = {QSET.version: QSET, SHORT.version: SHORT}


def _reference_filled(
    s: Session, plan_id: int, years: list[int]
) -> tuple[dict[tuple[int, int], int], dict[tuple[int, int], int]]:
    filled: Counter[tuple[int, int]] = Counter()
    held: dict[tuple[int, int], set[int]] = defaultdict(set)
    for row_id, oid, retired, year, semester, total in s.execute(
        select(
            PlanRow.id,
            PlanRow.opd_id,
            PlanRow.retired_at,
            Realisation.year,
            Realisation.semester,
            Realisation.total,
        )
        .join(Realisation, Realisation.row_id == PlanRow.id)
        .where(PlanRow.plan_id == plan_id)
    ):
        if year not in years:
            continue
        if semester == 0 and total is not None:
            filled[(oid, year)] += 1
        if retired is not None:
            held[(oid, year)].add(row_id)
    return dict(filled), {k: len(v) for k, v in held.items()}


def _reference_classes(
    s: Session, plan_id: int, years: list[int], qsets: dict[str, QuestionSet]
) -> dict[tuple[int, int], Counter[str]]:
    grouped: dict[tuple[int, int, str], dict[str, AnswerEntry]] = defaultdict(dict)
    opd_of: dict[int, int] = {}
    for a, oid in s.execute(
        select(ArgAnswer, PlanNode.opd_id)
        .join(PlanNode, PlanNode.id == ArgAnswer.node_id)
        .where(PlanNode.plan_id == plan_id, PlanNode.level.in_(ASSESSABLE_LEVELS))
    ):
        if a.year in years:
            grouped[(a.node_id, a.year, a.qset_version)][a.question_id] = AnswerEntry(
                Answer(a.answer), a.remark
            )
            opd_of[a.node_id] = oid
    out: dict[tuple[int, int], Counter[str]] = defaultdict(Counter)
    for (node_id, year, version), entries in grouped.items():
        if version in qsets:
            klass = score(qsets[version], entries).klass or INCOMPLETE
            out[(opd_of[node_id], year)][klass] += 1
    return dict(out)


def _answer(node_id: int, year: int, version: str, qid: str, answer: Answer) -> ArgAnswer:
    remark = "tidak ada data" if answer is Answer.TIDAK_DAPAT else ""
    return ArgAnswer(
        node_id=node_id,
        year=year,
        qset_version=version,
        question_id=qid,
        answer=answer.value,
        remark=remark,
        answered_at=datetime(year, 12, 1),
        answered_by="uji",
    )


def _fill(db: Database) -> int:
    """Realisations and ARG answers covering each case; returns the plan id."""
    rng = random.Random(14)
    with db.begin() as s:
        plan = catalog.get_plan(s)
        rows = list(s.scalars(select(PlanRow).where(PlanRow.plan_id == plan.id)))
        for i, row in enumerate(rows):
            if i % 9 == 0:
                row.retired_at = datetime(2023, 6, 1)  # retired: counts where it holds one
            for year in YEARS:
                pick = rng.random()
                if pick < 0.25:
                    continue
                s.add(
                    Realisation(
                        row_id=row.id,
                        year=year,
                        semester=0,
                        # a realisation without a total is entered but not filled
                        total=None if pick < 0.35 else Decimal(rng.randint(0, 50)),
                        updated_at=datetime(year, 12, 1),
                    )
                )
                if pick > 0.8:  # a semester figure never counts as the year filled
                    s.add(
                        Realisation(
                            row_id=row.id,
                            year=year,
                            semester=1,
                            total=Decimal(3),
                            updated_at=datetime(year, 7, 1),
                        )
                    )
        nodes = list(
            s.scalars(
                select(PlanNode).where(PlanNode.plan_id == plan.id).order_by(PlanNode.position)
            )
        )
        assessable = [n for n in nodes if n.level in ASSESSABLE_LEVELS]
        other = next(n for n in nodes if n.level not in ASSESSABLE_LEVELS)
        questions = [q.id for q in QSET.questions]
        short = [q.id for q in SHORT.questions]
        for k, node in enumerate(assessable[:60]):
            year = YEARS[k % 3]
            case = k % 6
            if case == 0:  # complete, the class set by the number of "ya" (0 … 20)
                ya = k % 21
                for j, q in enumerate(questions):
                    s.add(
                        _answer(
                            node.id, year, QSET.version, q, Answer.YA if j < ya else Answer.TIDAK
                        )
                    )
            elif case == 1:  # complete with "tidak dapat menjawab" among them
                for j, q in enumerate(questions):
                    a = (Answer.YA, Answer.TIDAK, Answer.TIDAK_DAPAT)[j % 3]
                    s.add(_answer(node.id, year, QSET.version, q, a))
            elif case == 2:  # half done
                for q in questions[: k % 19 + 1]:
                    s.add(_answer(node.id, year, QSET.version, q, Answer.YA))
            elif case == 3:  # the short version, complete, and the long one half done
                for j, q in enumerate(short):
                    s.add(
                        _answer(
                            node.id,
                            year,
                            SHORT.version,
                            q,
                            Answer.YA if j < k % 7 else Answer.TIDAK,
                        )
                    )
                s.add(_answer(node.id, year, QSET.version, questions[0], Answer.YA))
            elif case == 4:  # a version this installation does not know
                for q in questions:
                    s.add(_answer(node.id, year, "tidak-dikenal.v9", q, Answer.YA))
            else:  # answers to questions the version does not have: scored as missing
                for q in questions[:19]:
                    s.add(_answer(node.id, year, QSET.version, q, Answer.YA))
                s.add(_answer(node.id, year, QSET.version, "X99", Answer.YA))
                s.add(
                    _answer(node.id, (year + 1 - 2022) % 3 + 2022, QSET.version, "X98", Answer.YA)
                )
        for q in questions:  # a node that cannot be assessed: never on the board
            s.add(_answer(other.id, 2023, QSET.version, q, Answer.YA))
        return plan.id


def test_filled_and_held_rows_match_a_count_row_by_row(syn_db: Database) -> None:
    plan_id = _fill(syn_db)
    with syn_db.begin() as s:
        for years in (YEARS, [2022, 2024], [2023], []):
            got = (filled_counts(s, plan_id, years), held_counts(s, plan_id, years))
            assert got == (_reference_filled(s, plan_id, years) if years else ({}, {}))
        filled, held = filled_counts(s, plan_id, YEARS), held_counts(s, plan_id, YEARS)
        assert held and sum(filled.values()) > 100  # the data set has both cases


def test_row_counts_leave_out_retired_rows_and_tell_whether_any_are(syn_db: Database) -> None:
    with syn_db.begin() as s:
        plan_id = catalog.get_plan(s).id
        counts, retired = row_counts(s, plan_id)
        assert not retired and sum(counts.values()) == 300
    _fill(syn_db)
    with syn_db.begin() as s:
        counts, retired = row_counts(s, plan_id)
        live = Counter(
            s.scalars(
                select(PlanRow.opd_id).where(
                    PlanRow.plan_id == plan_id, PlanRow.retired_at.is_(None)
                )
            )
        )
    assert retired and counts == dict(live) and sum(counts.values()) < 300


def test_arg_classes_match_scoring_each_instrument(syn_db: Database) -> None:
    plan_id = _fill(syn_db)
    with syn_db.begin() as s:
        for qsets in (QSETS, {QSET.version: QSET}, {}):
            for years in (YEARS, [2022, 2024]):
                got = arg_classes(s, plan_id, years, qsets)
                assert dict(got) == _reference_classes(s, plan_id, years, qsets)
        every = arg_classes(s, plan_id, YEARS, QSETS)
    total: Counter[str] = Counter()
    for c in every.values():
        total.update(c)
    # Each class and the incomplete ones occur, so the comparison above means something.
    assert set(total) == {
        "Responsif Gender",
        "Kurang Responsif Gender",
        "Tidak Responsif Gender",
        INCOMPLETE,
    }
    # 60 answered kegiatan: 10 of an unknown version, 10 with two versions answered, 10
    # with a year holding only an answer to a question the version lacks (incomplete).
    assert sum(total.values()) == 60 - 10 + 10 + 10


def test_the_board_reads_rows_per_opd_and_year_not_per_realisation_or_answer(
    syn_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A province holds 97k realisations and 24k answers: the board's reads must not grow
    with them (rows handed back to the board, counted, never timed)."""
    handed: list[int] = []

    def counted(session: Session, stmt: Any) -> Any:
        rows = plain_rows(session, stmt)
        handed.append(len(rows))
        return rows

    def orm_rows(state: ORMExecuteState) -> Any:
        frozen = state.invoke_statement().freeze()
        handed.append(len(frozen().all()))
        return frozen()

    every = tuple(f"OPD-{i:03d}" for i in range(1, 6))
    for year in YEARS:
        fill_sample(syn_db, year, full_opds=every, others=0.0, arg_nodes=40, seed=year)
    with syn_db.begin() as s:
        realisations = s.scalar(select(func.count()).select_from(Realisation)) or 0
        answers = s.scalar(select(func.count()).select_from(ArgAnswer)) or 0
    assert realisations >= 900 and answers >= 1500
    monkeypatch.setattr(board_counts, "plain_rows", counted)
    monkeypatch.setattr(completeness, "plain_rows", counted)
    event.listen(syn_db.sessions, "do_orm_execute", orm_rows)
    try:
        with syn_db.begin() as s:
            board = build_board(s, catalog.get_plan(s))
    finally:
        event.remove(syn_db.sessions, "do_orm_execute", orm_rows)
    cells = len(board.rows) * len(board.years)
    assert sum(c.filled for r in board.rows for c in r.cells.values()) == realisations
    assert sum(sum(c.classes.values()) for r in board.rows for c in r.cells.values()) == 120
    assert cells == 15 and sum(handed) <= 8 * cells
