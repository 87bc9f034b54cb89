"""Storing ARG checklist answers and building the recap (Tabel 5.4 per kegiatan).

Answers are saved one at a time, each in its own transaction and audited, so a
half-answered instrument survives a restart and can be resumed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.arg import (
    Answer,
    AnswerEntry,
    ArgError,
    QuestionSet,
    Score,
    check_answer,
    score,
)
from app.domain.text_policy import REMARK_MAX, TextError, clean_text
from app.models.db import Database
from app.models.schema import ArgAnswer, AuditEntry, Opd, PlanNode
from app.services.concurrency import Seen, Winner, check_seen, last_change, refused_on_race
from app.services.corrections import node_is_signed

# Pokja verifies an OPD's checklist; it does not answer it in the OPD's name.
SIGNED_ANSWERS = (
    "Jawaban ARG tahun ini berasal dari kiriman bertanda tangan Perangkat Daerah dan tidak "
    "diubah oleh Pokja. Minta Perangkat Daerah mengirim revisi kiriman bila jawaban perlu "
    "berubah."
)

ASSESSABLE_LEVELS = ("kegiatan", "sub_kegiatan")
INCOMPLETE = "Belum lengkap"  # the class of an instrument with unanswered questions


@dataclass(frozen=True)
class AssessableNode:
    id: int
    key: str
    level: str
    name: str
    opd_id: int
    opd_code: str
    opd_name: str
    parent_name: str


@dataclass(frozen=True)
class RecapRow:
    node: AssessableNode
    version: str
    score: Score
    answered_by: str
    answered_at: datetime


def _node(session: Session, node_id: int, opd_id: int | None) -> PlanNode:
    node = session.get(PlanNode, node_id)
    if node is None or node.level not in ASSESSABLE_LEVELS:
        raise ArgError("Instrumen ARG diisi untuk kegiatan atau sub kegiatan.")
    if opd_id is not None and node.opd_id != opd_id:
        raise ArgError("Kegiatan ini milik Perangkat Daerah lain.")
    return node


def assessable_nodes(
    session: Session, plan_id: int, opd_id: int | None = None
) -> list[AssessableNode]:
    parent = PlanNode.__table__.alias("parent")
    stmt = (
        select(
            PlanNode.id,
            PlanNode.key,
            PlanNode.level,
            PlanNode.name,
            PlanNode.opd_id,
            Opd.code,
            Opd.short_name,
            parent.c.name,
        )
        .join(Opd, Opd.id == PlanNode.opd_id)
        .outerjoin(parent, parent.c.id == PlanNode.parent_id)
        .where(PlanNode.plan_id == plan_id, PlanNode.level.in_(ASSESSABLE_LEVELS))
        .order_by(PlanNode.position)
    )
    if opd_id is not None:
        stmt = stmt.where(PlanNode.opd_id == opd_id)
    return [
        AssessableNode(nid, key, level, name, oid, ocode, oname, pname or "")
        for nid, key, level, name, oid, ocode, oname, pname in session.execute(stmt)
    ]


def node_info(session: Session, node_id: int) -> AssessableNode:
    node = _node(session, node_id, None)
    opd = session.get(Opd, node.opd_id)
    assert opd is not None
    return AssessableNode(
        node.id,
        node.key,
        node.level,
        node.name,
        opd.id,
        opd.code,
        opd.short_name,
        node.parent.name if node.parent else "",
    )


def load_answers(session: Session, node_id: int, year: int, version: str) -> dict[str, AnswerEntry]:
    rows = session.scalars(
        select(ArgAnswer).where(
            ArgAnswer.node_id == node_id, ArgAnswer.year == year, ArgAnswer.qset_version == version
        )
    )
    return {r.question_id: AnswerEntry(Answer(r.answer), r.remark) for r in rows}


def _stored(
    session: Session, node_id: int, year: int, version: str, question_id: str
) -> ArgAnswer | None:
    return session.scalar(
        select(ArgAnswer).where(
            ArgAnswer.node_id == node_id,
            ArgAnswer.year == year,
            ArgAnswer.qset_version == version,
            ArgAnswer.question_id == question_id,
        )
    )


def answers_seen(session: Session, node_id: int, year: int, version: str) -> dict[str, Seen]:
    """Question id → the version of its stored answer, as the checklist is about to show
    them (a question without an answer is absent: ``Seen(0)``)."""
    rows = session.execute(
        select(ArgAnswer.question_id, ArgAnswer.version).where(
            ArgAnswer.node_id == node_id, ArgAnswer.year == year, ArgAnswer.qset_version == version
        )
    )
    return {q: Seen(v) for q, v in rows}


def _answer_writer(node_id: int, year: int, version: str, question_id: str) -> Winner:
    def winner(session: Session) -> tuple[str | None, datetime | None]:
        current = _stored(session, node_id, year, version, question_id)
        return (None, None) if current is None else (current.answered_by, current.answered_at)

    return winner


def answered_versions(session: Session, node_id: int, year: int) -> list[str]:
    return sorted(
        set(
            session.scalars(
                select(ArgAnswer.qset_version).where(
                    ArgAnswer.node_id == node_id, ArgAnswer.year == year
                )
            )
        )
    )


def save_answer(
    db: Database,
    node_id: int,
    year: int,
    qset: QuestionSet,
    question_id: str,
    answer: Answer | str | None,
    remark: str,
    user: str,
    *,
    opd_id: int | None = None,
    seen: Seen | None = None,
) -> AnswerEntry | None:
    """Store one answer (``None`` clears it); returns the previous answer for undo.

    ``seen`` is the answer's version the checklist showed (``app.services.concurrency``):
    another person's answer given since is refused, naming them, never overwritten.
    """
    qset.question(question_id)
    try:
        # The one text policy (length, characters) before the ARG rules, as the signed
        # submission's reader applies it to the same remark.
        remark = clean_text(remark, REMARK_MAX)
    except TextError as exc:
        raise ArgError(f"Keterangan: {exc}") from exc
    entry = None if answer is None else check_answer(answer, remark)
    winner = _answer_writer(node_id, year, qset.version, question_id)
    with refused_on_race(db, winner), db.begin() as session:
        node = _node(session, node_id, opd_id)
        if node_is_signed(session, node_id, year):
            raise ArgError(SIGNED_ANSWERS)
        current = _stored(session, node_id, year, qset.version, question_id)
        check_seen(
            seen,
            current,
            current.answered_by if current else None,
            current.answered_at if current else None,
            gone=lambda: last_change(session, node.key, year, f"{qset.version}:{question_id}"),
        )
        old = None if current is None else AnswerEntry(Answer(current.answer), current.remark)
        if old == entry:
            return old
        now = datetime.now()
        if entry is None:
            assert current is not None
            session.delete(current)
        else:
            if current is None:
                current = ArgAnswer(
                    node_id=node_id, year=year, qset_version=qset.version, question_id=question_id
                )
                session.add(current)
            current.answer, current.remark = entry.answer.value, entry.remark
            current.answered_at, current.answered_by = now, user
        session.add(
            AuditEntry(
                at=now,
                user=user,
                action="jawaban-arg",
                row_key=node.key,
                year=year,
                field=f"{qset.version}:{question_id}",
                old_value=None if old is None else f"{old.answer.value} {old.remark}".strip(),
                new_value=None if entry is None else f"{entry.answer.value} {entry.remark}".strip(),
            )
        )
        session.flush()
        written = 0 if entry is None else current.version
    if seen is not None:
        seen.version = written
    return old


def recap(
    session: Session,
    plan_id: int,
    year: int,
    qsets: dict[str, QuestionSet],
    opd_id: int | None = None,
) -> list[RecapRow]:
    """Every kegiatan/sub kegiatan with answers in the year, scored by its version."""
    nodes = {n.id: n for n in assessable_nodes(session, plan_id, opd_id)}
    grouped: dict[tuple[int, str], list[ArgAnswer]] = defaultdict(list)
    stmt = (
        select(ArgAnswer)
        .join(PlanNode, PlanNode.id == ArgAnswer.node_id)
        .where(ArgAnswer.year == year, PlanNode.plan_id == plan_id)
    )
    if opd_id is not None:
        stmt = stmt.where(PlanNode.opd_id == opd_id)
    for a in session.scalars(stmt):
        grouped[(a.node_id, a.qset_version)].append(a)
    out = []
    for (node_id, version), answers in grouped.items():
        qset = qsets.get(version)
        if qset is None:
            continue  # a version this installation does not know: shown nowhere as scored
        entries = {a.question_id: AnswerEntry(Answer(a.answer), a.remark) for a in answers}
        last = max(answers, key=lambda a: a.answered_at)
        out.append(
            RecapRow(
                nodes[node_id], version, score(qset, entries), last.answered_by, last.answered_at
            )
        )
    out.sort(key=lambda r: (r.node.opd_name, r.node.parent_name, r.node.name))
    return out


def class_counts(rows: list[RecapRow], qsets: dict[str, QuestionSet]) -> dict[str, Counter[str]]:
    """Per OPD, how many kegiatan fall in each class (incomplete ones under 'Belum lengkap')."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        counts[r.node.opd_name][r.score.klass or INCOMPLETE] += 1
    return dict(counts)


def recap_json(rows: list[RecapRow]) -> list[dict[str, Any]]:
    return [
        {
            "opd": r.node.opd_code,
            "opd_name": r.node.opd_name,
            "level": r.node.level,
            "key": r.node.key,
            "name": r.node.name,
            "parent": r.node.parent_name,
            "question_set": r.version,
            "stages": {
                s.stage: {
                    "ya": s.ya,
                    "tidak": s.tidak,
                    "tidak_dapat": s.tidak_dapat,
                    "belum": s.unanswered,
                }
                for s in r.score.stages
            },
            "total_ya": r.score.total_ya,
            "total_tidak": r.score.total_tidak,
            "missing": r.score.missing,
            "class": r.score.klass,
            "answered_by": r.answered_by,
            "answered_at": r.answered_at.isoformat(),
        }
        for r in rows
    ]
