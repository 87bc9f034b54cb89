"""Reading the plan for display, summaries and dumps (no writes here).

The window shows tens of thousands of rows, so listing uses plain column selects into
slotted dataclasses rather than ORM objects: one query for nodes, one for rows, one
for the years already filled.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from app.domain.achievement import absorption, achievement
from app.domain.breakdown import Breakdown
from app.domain.numbers import decimal_text
from app.domain.realisation import RealisationValues
from app.domain.renstra import EndMode, check_end, end_mode, parse_figure
from app.domain.search import target_texts
from app.models.schema import AuditEntry, Opd, Plan, PlanNode, PlanRow, Realisation, Target

# Re-exported: the lookup moved to its own module, its callers still say catalog.find_opd.
from app.services.opd_lookup import find_opd as find_opd

_S = TypeVar("_S", bound=Select)  # a select of any columns

LEVEL_LABELS = {
    "misi": "Misi",
    "tujuan": "Tujuan",
    "sasaran": "Sasaran",
    "program": "Program",
    "kegiatan": "Kegiatan",
    "sub_kegiatan": "Sub Kegiatan",
}


@dataclass(slots=True)
class RowSummary:
    """What the tree and the search need of a row."""

    id: int
    key: str
    seq: int
    opd_id: int
    opd_code: str
    opd_name: str
    aktivitas: str
    indikator: str
    satuan: str
    keterangan: str
    polarity: str
    path: dict[str, str] = field(default_factory=dict)
    path_nodes: dict[str, int] = field(default_factory=dict)
    target_texts: list[str] = field(default_factory=list)
    retired: bool = False  # retired from the matrix, shown for the realisations it holds

    @property
    def title(self) -> str:
        return self.indikator or self.aktivitas or "(tanpa uraian)"


@dataclass(frozen=True)
class TargetInfo:
    year: int
    text: str
    is_percent: bool
    official: Breakdown
    proposed: bool
    proposed_text: str | None
    proposed_breakdown: Breakdown
    proposed_by: str | None

    @property
    def effective(self) -> Breakdown:
        return self.proposed_breakdown if self.proposed else self.official

    @property
    def effective_text(self) -> str:
        return (self.proposed_text or "") if self.proposed else self.text


@dataclass(frozen=True)
class RowDetail:
    id: int
    key: str
    plan_code: str
    years: list[int]
    opd_code: str
    opd_name: str
    opd_text: str | None
    no: str
    aktivitas: str
    indikator: str
    satuan: str
    keterangan: str
    polarity: str
    seed_line: int | None
    path: dict[str, str]
    share: Breakdown
    targets: dict[int, TargetInfo]


def plans(session: Session) -> list[Plan]:
    return list(session.scalars(select(Plan).order_by(Plan.start_year, Plan.code)))


def get_plan(session: Session, code: str | None = None) -> Plan:
    """The plan by code, or the RAD PUG plan when no code is given."""
    stmt = select(Plan)
    stmt = stmt.where(Plan.code == code) if code else stmt.where(Plan.kind == "radpug")
    plan = session.scalars(stmt.order_by(Plan.start_year.desc())).first()
    if plan is None:
        raise LookupError(f"Rencana tidak ditemukan: {code or 'RAD PUG'}")
    return plan


def opds(session: Session, *, with_aliases: bool = False) -> list[Opd]:
    """Every OPD by short name; ``with_aliases`` reads all their aliases in one more query
    (touched one OPD at a time they cost a query each: 1,254 in a province)."""
    query = select(Opd).order_by(Opd.short_name)
    if with_aliases:
        query = query.options(selectinload(Opd.aliases))
    return list(session.scalars(query))


def shown_rows(
    stmt: _S,
    plan_id: int,
    opd_id: int | None = None,
    *,
    year: int | None = None,
    all_retired: bool = False,
) -> _S:
    """``stmt`` narrowed to the rows :func:`load_rows` lists (one rule for the listing
    and for the counts the tree shows before it lists anything)."""
    stmt = stmt.where(PlanRow.plan_id == plan_id)
    # Retired rows (gone from the matrix, kept for their realisations) are no longer
    # asked for; they are still shown and reported where they hold a realisation.
    if not all_retired:
        held = select(Realisation.row_id)
        if year is not None:
            held = held.where(Realisation.year == year)
        stmt = stmt.where(PlanRow.retired_at.is_(None) | PlanRow.id.in_(held))
    if opd_id is not None:
        stmt = stmt.where(PlanRow.opd_id == opd_id)
    return stmt


def _node_table(
    session: Session, plan_id: int, node_ids: set[int | None] | None
) -> dict[int, tuple[int | None, str, str]]:
    """Id → (parent, level, name) of the plan's nodes: every node, or only ``node_ids``
    and their ancestors (one OPD's rows need a few hundred of the plan's many thousand)."""
    cols = select(PlanNode.id, PlanNode.parent_id, PlanNode.level, PlanNode.name)
    if node_ids is None:
        found = session.execute(cols.where(PlanNode.plan_id == plan_id))
        return {nid: (parent, level, name) for nid, parent, level, name in found.all()}
    nodes: dict[int, tuple[int | None, str, str]] = {}
    wanted = {n for n in node_ids if n is not None}
    while wanted:  # one round per level of the hierarchy
        ids = sorted(wanted)
        for start in range(0, len(ids), _IN_CHUNK):
            chunk = ids[start : start + _IN_CHUNK]
            for nid, parent, level, name in session.execute(cols.where(PlanNode.id.in_(chunk))):
                nodes[nid] = (parent, level, name)
        wanted = {p for p, _l, _n in nodes.values() if p is not None and p not in nodes}
        wanted -= set(ids)  # a parent that does not exist is not asked for twice
    return nodes


# Ids per IN (...) list: far below any engine's limit on bound parameters.
_IN_CHUNK = 900


def load_rows(
    session: Session,
    plan_id: int,
    opd_id: int | None = None,
    *,
    year: int | None = None,
    all_retired: bool = False,
) -> list[RowSummary]:
    """The plan's current rows; a retired row only where it holds a realisation (of
    ``year``, or of any year when None) or, with ``all_retired``, always (Pokja's tree,
    which must offer to make it current again)."""
    stmt = shown_rows(
        select(
            PlanRow.id,
            PlanRow.key,
            PlanRow.seq,
            PlanRow.opd_id,
            Opd.code,
            Opd.short_name,
            PlanRow.aktivitas,
            PlanRow.indikator,
            PlanRow.satuan,
            PlanRow.keterangan,
            PlanRow.polarity,
            PlanRow.node_id,
            PlanRow.retired_at,
        )
        .join(Opd, Opd.id == PlanRow.opd_id)
        .order_by(PlanRow.seq),
        plan_id,
        opd_id,
        year=year,
        all_retired=all_retired,
    )
    tstmt = (
        select(Target.row_id, Target.text, Target.proposed_text)
        .join(PlanRow, PlanRow.id == Target.row_id)
        .where(PlanRow.plan_id == plan_id)
    )
    if opd_id is not None:
        tstmt = tstmt.where(PlanRow.opd_id == opd_id)
    # Plain column reads through the connection: the ORM's result machinery costs more
    # than SQLite itself on 100,000 rows, and nothing here needs identity or loading.
    con = session.connection()
    found = con.execute(stmt).all()
    pairs: dict[int, list[tuple[str | None, str | None]]] = defaultdict(list)
    for row_id, text, proposed in con.execute(tstmt).all():
        pairs[row_id].append((text, proposed))
    texts = {rid: target_texts(p) for rid, p in pairs.items()}
    nodes = _node_table(session, plan_id, None if opd_id is None else {r[11] for r in found})
    chains: dict[int | None, tuple[dict[str, str], dict[str, int]]] = {None: ({}, {})}

    def chain(nid: int | None) -> tuple[dict[str, str], dict[str, int]]:
        if nid in chains:
            return chains[nid]
        assert nid is not None
        parent, level, name = nodes[nid]
        names, ids = chain(parent)
        result = ({**names, level: name}, {**ids, level: nid})
        # Rows under one node share these dicts (100,000 rows, a few thousand nodes):
        # treat RowSummary.path / path_nodes as read-only.
        chains[nid] = result
        return result

    out = []
    for rid, key, seq, oid, ocode, oname, akt, ind, sat, ket, pol, node_id, gone in found:
        names, ids = chain(node_id)
        out.append(
            RowSummary(
                rid,
                key,
                seq,
                oid,
                ocode,
                oname,
                akt,
                ind,
                sat,
                ket,
                pol,
                names,
                ids,
                texts.get(rid, []),
                gone is not None,
            )
        )
    return out


def filled_rows(session: Session, plan_id: int, year: int) -> set[int]:
    """Rows with a realisation figure for the year (what completeness counts)."""
    return set(
        session.scalars(
            select(Realisation.row_id)
            .join(PlanRow, PlanRow.id == Realisation.row_id)
            .where(
                PlanRow.plan_id == plan_id,
                Realisation.year == year,
                Realisation.semester == 0,
                Realisation.total.is_not(None),
            )
        )
    )


def proposed_rows(session: Session, plan_id: int) -> set[int]:
    return set(
        session.scalars(
            select(Target.row_id)
            .join(PlanRow, PlanRow.id == Target.row_id)
            .where(PlanRow.plan_id == plan_id, Target.proposed.is_(True))
        )
    )


def row_detail(session: Session, row_id: int) -> RowDetail:
    row = session.get(PlanRow, row_id)
    if row is None:
        raise LookupError(f"Baris {row_id} tidak ada.")
    plan = session.get(Plan, row.plan_id)
    assert plan is not None
    path: dict[str, str] = {}
    node = row.node
    while node is not None:
        path[node.level] = node.name
        node = node.parent
    targets = {
        t.year: TargetInfo(
            t.year,
            t.text,
            t.is_percent,
            t.breakdown,
            t.proposed,
            t.proposed_text,
            t.proposed_breakdown,
            t.proposed_by,
        )
        for t in row.targets
    }
    return RowDetail(
        row.id,
        row.key,
        plan.code,
        plan.years,
        row.opd.code,
        row.opd.name,
        row.opd_text,
        row.no,
        row.aktivitas,
        row.indikator,
        row.satuan,
        row.keterangan,
        row.polarity,
        row.seed_line,
        {lvl: path[lvl] for lvl in LEVEL_LABELS if lvl in path},
        Breakdown(None, row.share_male, row.share_female, row.share_disabled),
        targets,
    )


def realisations(session: Session, row_id: int) -> dict[tuple[int, int], RealisationValues]:
    return {
        (r.year, r.semester): RealisationValues(
            r.breakdown, r.budget, r.spending, r.evidence, r.note
        )
        for r in session.scalars(select(Realisation).where(Realisation.row_id == row_id))
    }


def summary(session: Session, plan: Plan, year: int) -> dict[str, Any]:
    """Rows and realisation completeness per OPD (``python -m app summary``)."""
    counts = Counter(
        dict(
            session.execute(
                select(PlanRow.opd_id, func.count())
                .where(PlanRow.plan_id == plan.id, PlanRow.retired_at.is_(None))
                .group_by(PlanRow.opd_id)
            ).all()
        )
    )
    filled = Counter(
        dict(
            session.execute(
                select(PlanRow.opd_id, func.count())
                .join(Realisation, Realisation.row_id == PlanRow.id)
                .where(
                    PlanRow.plan_id == plan.id,
                    PlanRow.retired_at.is_(None),
                    Realisation.year == year,
                    Realisation.semester == 0,
                    Realisation.total.is_not(None),
                )
                .group_by(PlanRow.opd_id)
            ).all()
        )
    )
    per_opd = []
    for opd in opds(session):
        if counts[opd.id]:
            per_opd.append(
                {
                    "code": opd.code,
                    "name": opd.name,
                    "short_name": opd.short_name,
                    "rows": counts[opd.id],
                    "filled": filled[opd.id],
                }
            )
    total = sum(counts.values())
    levels = Counter(
        dict(
            session.execute(
                select(PlanNode.level, func.count())
                .where(PlanNode.plan_id == plan.id)
                .group_by(PlanNode.level)
            ).all()
        )
    )
    orphan = (
        session.scalar(
            select(func.count())
            .select_from(PlanRow)
            .where(PlanRow.plan_id == plan.id, PlanRow.opd_id.is_(None))
        )
        or 0
    )
    return {
        "plan": {
            "code": plan.code,
            "title": plan.title,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
        },
        "year": year,
        "rows": total,
        "filled": sum(filled.values()),
        "opd_count": len(per_opd),
        "rows_without_opd": orphan,
        "opds": per_opd,
        # Hierarchy nodes of the plan (a RAD PUG program run by two OPDs counts twice).
        "programs": levels["program"],
        "kegiatan": levels["kegiatan"],
        "sub_kegiatan": levels["sub_kegiatan"],
    }


def _bd(b: Breakdown) -> dict[str, str | None]:
    return {k: decimal_text(v) for k, v in b.as_dict().items()}


def _renstra_fields(row: PlanRow, targets: list[Target], codes: dict[str, str]) -> dict[str, Any]:
    """What a Renstra row adds to the dump: codes, statement, formula, unit, baseline and
    the end-of-period figures computed from the years beside the document's own."""
    ordered = sorted(targets, key=lambda t: t.year)
    figures = [parse_figure(t.text) for t in ordered]
    mode = end_mode(row.satuan, figures, row.indikator)
    tcheck = check_end([t.total for t in ordered], row.end_target, mode)
    bcheck = check_end([t.budget for t in ordered], row.end_budget, EndMode.SUM)
    return {
        "source_table": row.source_table,
        "code": row.no or None,
        **{f"{lvl}_code": codes.get(lvl) for lvl in ("program", "kegiatan", "sub_kegiatan")},
        "statement": row.statement,
        "formula": row.formula,
        "unit_name": row.responsible_unit,
        "location": row.location,
        "baseline": {"text": row.baseline_text, "value": decimal_text(row.baseline)},
        "end_target": {
            "text": row.end_target_text,
            "document": decimal_text(tcheck.document),
            "computed": decimal_text(tcheck.computed),
            "rule": mode.value,
            "differs": tcheck.differs,
        },
        "end_budget": {
            "text": row.end_budget_text,
            "document": decimal_text(bcheck.document),
            "computed": decimal_text(bcheck.computed),
            "differs": bcheck.differs,
        },
    }


def dump(session: Session, plan: Plan, opd: Opd | None = None) -> dict[str, Any]:
    """Every row with hierarchy, targets and realisations (format in docs/dump-format.md)."""
    rows = load_rows(session, plan.id, opd.id if opd else None)
    ids = [r.id for r in rows]
    targets: dict[int, list[Target]] = defaultdict(list)
    reals: dict[int, list[Realisation]] = defaultdict(list)
    renstra_rows: dict[int, PlanRow] = {}
    for chunk_start in range(0, len(ids), 900):
        chunk = ids[chunk_start : chunk_start + 900]
        for pr in session.scalars(
            select(PlanRow).where(PlanRow.id.in_(chunk), PlanRow.source_table.is_not(None))
        ):
            renstra_rows[pr.id] = pr
        for t in session.scalars(select(Target).where(Target.row_id.in_(chunk))):
            targets[t.row_id].append(t)
        for x in session.scalars(select(Realisation).where(Realisation.row_id.in_(chunk))):
            reals[x.row_id].append(x)
    node_code: dict[int, str | None] = dict(
        session.execute(
            select(PlanNode.id, PlanNode.code).where(
                PlanNode.plan_id == plan.id, PlanNode.code.is_not(None)
            )
        ).all()
    )
    out_rows: list[dict[str, Any]] = []
    for r in rows:
        tdict = {}
        for t in sorted(targets[r.id], key=lambda t: t.year):
            entry: dict[str, Any] = {"text": t.text, "is_percent": t.is_percent, **_bd(t.breakdown)}
            if t.proposed:
                entry["proposed"] = {
                    "text": t.proposed_text,
                    **_bd(t.proposed_breakdown),
                    "by": t.proposed_by,
                    "at": t.proposed_at.isoformat() if t.proposed_at else None,
                }
            if t.budget is not None or t.budget_text is not None:
                entry["budget_text"] = t.budget_text
                entry["budget"] = decimal_text(t.budget)
            tdict[str(t.year)] = entry
        rdict = {}
        for x in sorted(reals[r.id], key=lambda x: (x.year, x.semester)):
            key = str(x.year) if x.semester == 0 else f"{x.year}-S{x.semester}"
            t_eff = next(
                (t.effective_breakdown for t in targets[r.id] if t.year == x.year), Breakdown()
            )
            cap = achievement(t_eff.effective_total, x.total, r.polarity)
            ab = absorption(x.budget, x.spending)
            rdict[key] = {
                **_bd(x.breakdown),
                "budget": decimal_text(x.budget),
                "spending": decimal_text(x.spending),
                "evidence": x.evidence,
                "note": x.note,
                "achievement_pct": decimal_text(cap),
                "absorption_pct": decimal_text(ab),
                "updated_at": x.updated_at.isoformat(),
                "updated_by": x.updated_by,
            }
        out_rows.append(
            {
                "key": r.key,
                "seq": r.seq,
                "opd": r.opd_code,
                "opd_name": r.opd_name,
                **{lvl: r.path.get(lvl, "") for lvl in LEVEL_LABELS},
                "aktivitas": r.aktivitas,
                "indikator": r.indikator,
                "satuan": r.satuan,
                "keterangan": r.keterangan,
                "polarity": r.polarity,
                "targets": tdict,
                "realisations": rdict,
            }
        )
        if r.id in renstra_rows:
            node_codes = {
                lvl: code
                for lvl, nid in r.path_nodes.items()
                if (code := node_code.get(nid)) is not None
            }
            out_rows[-1].update(_renstra_fields(renstra_rows[r.id], targets[r.id], node_codes))
    return {
        "format": "monev-radpug-dump",
        "format_version": 1,
        "plan": {
            "code": plan.code,
            "title": plan.title,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
        },
        "opd": opd.code if opd else None,
        "row_count": len(out_rows),
        "rows": out_rows,
    }


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    user: str
    action: str
    year: int | None
    field: str
    old: str | None
    new: str | None


def row_history(session: Session, row_key: str, limit: int = 50) -> list[HistoryEntry]:
    """The newest audit entries of a row: who changed what, when, old → new."""
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.row_key == row_key)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    return [
        HistoryEntry(a.at, a.user, a.action, a.year, a.field, a.old_value, a.new_value)
        for a in session.scalars(stmt)
    ]
