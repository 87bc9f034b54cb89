"""A plan as the database holds it, in the plan-data shape a matrix package carries.

Each current row becomes the same canonical dict ``matrix_package.canonical_row`` makes
of a package row, so exporting is writing these dicts and previewing an update is
comparing two of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.formats.matrix_package import ROW_TEXT_FIELDS, number_text
from app.formats.plan_data import (
    HIERARCHY,
    OPD_LEVELS,
    PLAN_FORMAT,
    RENSTRA_FIGURE_FIELDS,
    RENSTRA_TEXT_FIELDS,
)
from app.models.schema import Opd, Plan, PlanNode, PlanRow
from app.services.seeding import RENSTRA_ROW_ATTRIBUTES


@dataclass
class PlanState:
    """The database's plan as canonical rows, with the ORM objects to update."""

    plan: Plan
    rows: dict[str, PlanRow]
    records: dict[str, dict[str, Any]]  # current (not retired) rows only
    retired: set[str]
    nodes: dict[str, PlanNode]


def load_state(session: Session, plan: Plan) -> PlanState:
    nodes = {n.id: n for n in session.scalars(select(PlanNode).where(PlanNode.plan_id == plan.id))}
    opd_code: dict[int, str] = {
        oid: code for oid, code in session.execute(select(Opd.id, Opd.code))
    }
    rows = {
        r.key: r
        for r in session.scalars(
            select(PlanRow)
            .where(PlanRow.plan_id == plan.id)
            .options(selectinload(PlanRow.targets))
            .order_by(PlanRow.seq)
        )
    }
    records = {
        key: row_record(r, nodes, opd_code, plan.years)
        for key, r in rows.items()
        if r.retired_at is None
    }
    retired = {key for key, r in rows.items() if r.retired_at is not None}
    return PlanState(plan, rows, records, retired, {n.key: n for n in nodes.values()})


def row_record(
    row: PlanRow, nodes: dict[int, PlanNode], opd_code: dict[int, str], years: list[int]
) -> dict[str, Any]:
    chain: list[PlanNode] = []
    nid = row.node_id
    while nid is not None:
        chain.append(nodes[nid])
        nid = nodes[nid].parent_id
    by_level = {n.level: n for n in chain}
    owner = next((n.opd_id for n in chain if n.level in OPD_LEVELS and n.opd_id), None)
    targets = {t.year: t for t in row.targets}
    data: dict[str, Any] = {
        "key": row.key,
        "seq": row.seq,
        "seed_line": row.seed_line,
        "no": row.no,
        **{lvl: by_level[lvl].name if lvl in by_level else "" for lvl in HIERARCHY},
        **{f"{lvl}_code": by_level[lvl].code if lvl in by_level else None for lvl in HIERARCHY},
        **{f: getattr(row, f) or "" for f in ROW_TEXT_FIELDS},
        "opd": opd_code[row.opd_id],
        "node_opd": None if owner is None else opd_code[owner],
        "opd_text": row.opd_text,
        "polarity": row.polarity,
        "share": None,
        "targets": {},
        **{f: getattr(row, RENSTRA_ROW_ATTRIBUTES[f]) for f in RENSTRA_TEXT_FIELDS},
    }
    share = {
        "male": number_text(row.share_male),
        "female": number_text(row.share_female),
        "disabled": number_text(row.share_disabled),
    }
    if any(v is not None for v in share.values()):
        data["share"] = share
    for year in years:
        t = targets.get(year)
        data["targets"][str(year)] = {
            "text": t.text if t else "",
            "is_percent": bool(t.is_percent) if t else False,
            **{
                k: number_text(getattr(t, k)) if t else None
                for k in ("total", "male", "female", "disabled")
            },
            "budget_text": t.budget_text if t else None,
            "budget": number_text(t.budget) if t else None,
        }
    for f in RENSTRA_FIGURE_FIELDS:
        text, value = getattr(row, f"{f}_text"), getattr(row, f)
        data[f] = (
            None
            if text is None and value is None
            else {"text": text or "", "value": number_text(value)}
        )
    return data


def plan_data(session: Session, plan: Plan) -> dict[str, Any]:
    """The plan as the database holds it now, in the shipped data format.

    Retired rows are left out (the matrix no longer lists them) and only official target
    columns are read: a focal point's proposals are never distributed.
    """
    state = load_state(session, plan)
    rows = sorted(state.records.values(), key=lambda r: (r["seq"], r["key"]))
    used = {r["opd"] for r in rows} | {r["node_opd"] for r in rows if r["node_opd"]}
    opds = []
    # The aliases come with the OPDs in one more query, not one per OPD (1,254 in a province).
    with_aliases = select(Opd).options(selectinload(Opd.aliases))
    for opd in session.scalars(with_aliases.where(Opd.code.in_(used)).order_by(Opd.code)):
        opds.append(
            {
                "code": opd.code,
                "name": opd.name,
                "short": opd.short_name,
                "variants": sorted({a.variant for a in opd.aliases}),
            }
        )
    return {
        "format": PLAN_FORMAT,
        "format_version": 1,
        "plan": {
            "code": plan.code,
            "kind": plan.kind,
            "title": plan.title,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
            "source": plan.source or "",
        },
        "opds": opds,
        "rows": rows,
    }


__all__ = ["PlanState", "load_state", "plan_data", "row_record"]
