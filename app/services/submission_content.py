"""The content of a submission, built from the database (docs/submissions.md).

Every current row of an OPD for a year (realisations, proposed target) and its ARG
answers, and its own GAP/GBS documents of the year (format version 2; version 1 when it
has none), in the shape that ``app/formats/submission.py`` checks and carries. The OPD's
export signs these bytes; the fill-in import starts from them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import __version__
from app.domain.numbers import decimal_text
from app.formats.submission import FORMAT, FORMAT_VERSION
from app.formats.submission_pprg import PPRG_KEY
from app.models.schema import ArgAnswer, Opd, Plan, PlanNode, PlanRow, Realisation, Target
from app.services.pprg_store import LOCAL, list_documents
from app.services.profile import Profile


def _iso(v: datetime | None) -> str | None:
    return None if v is None else v.isoformat()


def build_content(
    session: Session,
    plan: Plan,
    opd: Opd,
    year: int,
    *,
    submission_id: str,
    revision: int,
    created_at: datetime,
    preparer: Profile | None,
) -> dict[str, Any]:
    """Every row of the OPD for the year (realisations, proposed target) and its ARG."""
    rows = list(
        session.execute(
            select(PlanRow.id, PlanRow.key)
            .where(
                PlanRow.plan_id == plan.id,
                PlanRow.opd_id == opd.id,
                # A row retired by a matrix update may be gone from Pokja's database.
                PlanRow.retired_at.is_(None),
            )
            .order_by(PlanRow.seq)
        )
    )
    ids = [rid for rid, _ in rows]
    reals: dict[int, dict[str, Any]] = {rid: {} for rid in ids}
    proposals: dict[int, Any] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for r in session.scalars(
            select(Realisation).where(Realisation.row_id.in_(chunk), Realisation.year == year)
        ):
            reals[r.row_id][str(r.semester)] = {
                "total": decimal_text(r.total),
                "male": decimal_text(r.male),
                "female": decimal_text(r.female),
                "disabled": decimal_text(r.disabled),
                "budget": decimal_text(r.budget),
                "spending": decimal_text(r.spending),
                "evidence": r.evidence,
                "note": r.note,
                "updated_at": _iso(r.updated_at),
                "updated_by": r.updated_by,
            }
        for t in session.scalars(
            select(Target).where(
                Target.row_id.in_(chunk), Target.year == year, Target.proposed.is_(True)
            )
        ):
            proposals[t.row_id] = {
                "text": t.proposed_text or "",
                "total": decimal_text(t.proposed_total),
                "male": decimal_text(t.proposed_male),
                "female": decimal_text(t.proposed_female),
                "disabled": decimal_text(t.proposed_disabled),
                "at": _iso(t.proposed_at),
                "by": t.proposed_by or "",
            }
    answers = [
        {
            "node": key,
            "question_set": a.qset_version,
            "question": a.question_id,
            "answer": a.answer,
            "remark": a.remark,
            "answered_at": _iso(a.answered_at),
            "answered_by": a.answered_by,
        }
        for a, key in session.execute(
            select(ArgAnswer, PlanNode.key)
            .join(PlanNode, PlanNode.id == ArgAnswer.node_id)
            .where(PlanNode.plan_id == plan.id, PlanNode.opd_id == opd.id, ArgAnswer.year == year)
            .order_by(PlanNode.key, ArgAnswer.qset_version, ArgAnswer.question_id)
        )
    ]
    pprg = _local_documents(session, plan, opd, year)
    content: dict[str, Any] = {
        "format": FORMAT,
        # Version 1 when there is no GAP/GBS: what an older Pokja app still reads.
        "format_version": FORMAT_VERSION if pprg else 1,
        "submission_id": submission_id,
        "revision": revision,
        "created_at": created_at.replace(microsecond=0).isoformat(),
        "app_version": __version__,
        "opd": {"code": opd.code, "name": opd.name},
        "plan": {
            "code": plan.code,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
            "data_version": plan.data_version or "",
        },
        "year": year,
        "prepared_by": None
        if preparer is None
        else {"name": preparer.name, "nip": preparer.nip, "role": preparer.role},
        "rows": [
            {"key": key, "realisations": reals[rid], "proposed_target": proposals.get(rid)}
            for rid, key in rows
        ],
        "arg": answers,
    }
    if pprg:
        content[PPRG_KEY] = pprg
    return content


def _local_documents(session: Session, plan: Plan, opd: Opd, year: int) -> list[dict[str, Any]]:
    """The OPD's own GAP/GBS of the year whose kegiatan is still the OPD's in the plan.

    A document of a kegiatan a matrix update removed or moved would make Pokja refuse
    the whole file, and cannot be reviewed there anyway; it stays here, unsent.
    """
    nodes = set(
        session.scalars(
            select(PlanNode.key).where(PlanNode.plan_id == plan.id, PlanNode.opd_id == opd.id)
        )
    )
    return [
        d.document.to_dict()
        for d in list_documents(session, origin=LOCAL, year=year, opd_codes=[opd.code])
        if d.document.node_key in nodes
    ]


__all__ = ["build_content"]
