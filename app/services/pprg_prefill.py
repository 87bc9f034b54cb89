"""Prefilling a GAP and its GBS from the plan (docs/pprg.md, "Dari mana isinya").

An OPD used to retype into Word the program, indicators, sex-disaggregated targets and
earlier realisations the app already holds. Here steps 1, 2, 8 and 9 of the GAP are
written from the matrix rows of one kegiatan or sub kegiatan, and the GBS is built
from the GAP plus the rows' budgets; the OPD's own analysis (steps 3–7) is never
written by the app. "Isi ulang dari matriks" (:func:`refresh_gap`) rewrites only the
prefilled steps, so what the OPD typed survives a change of targets or realisations.

Texts are plain, one line per fact, figures in Indonesian notation, so the printed
table and the editor read the same; each stays under the stored text limit by
naming how many indicators were left out instead of being cut mid-word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.breakdown import Breakdown
from app.domain.numbers import format_number
from app.domain.pprg import GapDocument, GbsComponent, GbsDocument, PprgError
from app.domain.search import normalise
from app.domain.text_policy import FREE_TEXT_MAX
from app.models.schema import Opd, Plan, PlanNode, PlanRow, Realisation, Target

__all__ = [
    "LEVEL_LABELS",
    "NodeContext",
    "RowFacts",
    "action_lines",
    "node_context",
    "prefill_gap",
    "prefill_gbs",
    "refresh_gap",
]

PPRG_LEVELS = ("kegiatan", "sub_kegiatan")
LEVEL_LABELS = {"program": "Program", "kegiatan": "Kegiatan", "sub_kegiatan": "Sub Kegiatan"}
NO_DATA = "belum ada data"


@dataclass(frozen=True)
class RowFacts:
    """One matrix row as the documents quote it: texts, the year's target, budgets and
    the realisations of the plan's earlier years (semester 0 only)."""

    key: str
    aktivitas: str
    indikator: str
    satuan: str
    statement: str
    baseline_text: str
    baseline: Decimal | None
    target_text: str
    target: Breakdown
    target_percent: bool
    budget: Decimal | None
    earlier: tuple[tuple[int, Breakdown], ...]


@dataclass(frozen=True)
class NodeContext:
    """The kegiatan/sub kegiatan, its program and OPD, and the rows under it."""

    node_key: str
    level: str
    opd_code: str
    opd_name: str
    program: str  # "4.01.01 PROGRAM …" (code when the plan gives one)
    kegiatan: str
    sub_kegiatan: tuple[str, ...]
    rows: tuple[RowFacts, ...]
    program_rows: tuple[RowFacts, ...]  # rows on the program itself (Renstra TC-27)

    @property
    def activity(self) -> str:
        lines = [f"Kegiatan: {self.kegiatan}"] if self.kegiatan else []
        lines += [f"Sub Kegiatan: {s}" for s in self.sub_kegiatan]
        return "\n".join(lines)


def _named(node: PlanNode) -> str:
    """The node's name with its nomenclature code in front, unless the name has it."""
    name = " ".join(node.name.split())
    if node.code and not name.startswith(node.code):
        return f"{node.code} {name}"
    return name


def _descendants(session: Session, node: PlanNode) -> list[PlanNode]:
    out, frontier = [node], [node.id]
    while frontier:
        children = list(session.scalars(select(PlanNode).where(PlanNode.parent_id.in_(frontier))))
        children.sort(key=lambda n: n.position)
        out += children
        frontier = [c.id for c in children]
    return out


def _facts(session: Session, rows: Sequence[PlanRow], year: int, plan: Plan) -> list[RowFacts]:
    ids = [r.id for r in rows]
    targets = {
        t.row_id: t
        for t in session.scalars(select(Target).where(Target.row_id.in_(ids), Target.year == year))
    }
    reals: dict[int, dict[int, Realisation]] = {}
    for r in session.scalars(
        select(Realisation).where(
            Realisation.row_id.in_(ids), Realisation.semester == 0, Realisation.year <= year
        )
    ):
        reals.setdefault(r.row_id, {})[r.year] = r
    out = []
    for row in rows:
        t = targets.get(row.id)
        mine = reals.get(row.id, {})
        earlier = tuple(
            (y, mine[y].breakdown)
            for y in range(plan.start_year, year)
            if y in mine and not mine[y].breakdown.is_empty
        )
        this_year = mine.get(year)
        # The plan's own Rupiah for the year (Renstra); else the pagu the OPD entered.
        budget = t.budget if t is not None and t.budget is not None else None
        if budget is None and this_year is not None:
            budget = this_year.budget
        target_text = ""
        if t is not None:
            target_text = (t.proposed_text or "") if t.proposed else t.text
        out.append(
            RowFacts(
                key=row.key,
                aktivitas=" ".join(row.aktivitas.split()),
                indikator=" ".join(row.indikator.split()),
                satuan=row.satuan.strip(),
                statement=(row.statement or "").strip(),
                baseline_text=(row.baseline_text or "").strip(),
                baseline=row.baseline,
                target_text=" ".join(target_text.split()),
                target=t.effective_breakdown if t is not None else Breakdown(),
                target_percent=bool(t is not None and t.is_percent),
                budget=budget,
                earlier=earlier,
            )
        )
    return out


def node_context(session: Session, node_key: str, year: int) -> NodeContext:
    """Everything the documents quote about one kegiatan or sub kegiatan for ``year``."""
    node = session.scalar(select(PlanNode).where(PlanNode.key == node_key))
    if node is None:
        raise LookupError(f"Kegiatan dengan kunci {node_key} tidak ada di basis data ini.")
    if node.level not in PPRG_LEVELS:
        raise PprgError("GAP/GBS disusun untuk kegiatan atau sub kegiatan.")
    plan = session.get(Plan, node.plan_id)
    opd = session.get(Opd, node.opd_id) if node.opd_id is not None else None
    if plan is None or opd is None:
        raise PprgError("Kegiatan ini tidak terhubung ke Perangkat Daerah.")
    kegiatan = node if node.level == "kegiatan" else node.parent
    program = kegiatan.parent if kegiatan is not None else None
    nodes = _descendants(session, node)
    subs = [n for n in nodes if n.level == "sub_kegiatan"]
    order = {n.id: i for i, n in enumerate(nodes)}
    rows = [
        r
        for r in session.scalars(
            select(PlanRow).where(
                PlanRow.node_id.in_(list(order)),
                PlanRow.retired_at.is_(None),
                PlanRow.opd_id == opd.id,
            )
        )
    ]
    rows.sort(key=lambda r: (order[r.node_id or 0], r.seq))
    program_rows: list[PlanRow] = []
    if program is not None:
        program_rows = sorted(
            session.scalars(
                select(PlanRow).where(
                    PlanRow.node_id == program.id,
                    PlanRow.retired_at.is_(None),
                    PlanRow.opd_id == opd.id,
                )
            ),
            key=lambda r: r.seq,
        )
    return NodeContext(
        node_key=node.key,
        level=node.level,
        opd_code=opd.code,
        opd_name=opd.name,
        program=_named(program) if program is not None else "",
        kegiatan=_named(kegiatan) if kegiatan is not None else "",
        sub_kegiatan=tuple(_named(n) for n in subs),
        rows=tuple(_facts(session, rows, year, plan)),
        program_rows=tuple(_facts(session, program_rows, year, plan)),
    )


# --- texts -----------------------------------------------------------------------------------


def _figures(b: Breakdown, percent: bool = False) -> str:
    """``20 (L 13 · P 5 · disabilitas 2)``; ``belum ada data`` when empty."""
    total = b.effective_total
    if total is None:
        return NO_DATA
    unit = " %" if percent else ""
    parts = [
        f"{label} {format_number(v)}{unit}"
        for label, v in (("L", b.male), ("P", b.female), ("disabilitas", b.disabled))
        if v is not None
    ]
    text = format_number(total) + unit
    return f"{text} ({' · '.join(parts)})" if parts else text


def _indicator(f: RowFacts) -> str:
    unit = f" ({f.satuan})" if f.satuan else ""
    return f"{f.indikator or f.aktivitas or '(tanpa indikator)'}{unit}"


def _target(f: RowFacts, year: int, quoted: bool = True) -> str:
    """The year's target as figures, with the text as the plan wrote it when it says more."""
    figures = _figures(f.target, f.target_percent)
    if quoted and f.target_text and f.target_text != figures and not f.target.is_empty:
        return f"Target {year}: {figures} — tertulis “{f.target_text}”"
    if f.target_text and f.target.is_empty:
        return f"Target {year}: “{f.target_text}”"
    return f"Target {year}: {figures}"


def _fit(blocks: Sequence[str], separator: str = "\n") -> str:
    """Join ``blocks`` within the stored text limit; what does not fit is counted."""
    out: list[str] = []
    used = 0
    for i, block in enumerate(blocks):
        rest = len(blocks) - i
        tail = f"{separator}… dan {rest} indikator lain (lihat matriks)."
        extra = len(block) + (len(separator) if out else 0)
        if used + extra + (len(tail) if rest > 1 else 0) > FREE_TEXT_MAX:
            out.append(tail.strip())
            break
        out.append(block)
        used += extra
    return separator.join(out)


def _policy(ctx: NodeContext) -> str:
    lines = [f"Program: {ctx.program}"] if ctx.program else []
    return "\n".join([*lines, ctx.activity])


def _objective(ctx: NodeContext) -> str:
    """The plan's own statement of the result, when it holds one (Renstra TC-27)."""
    seen: list[str] = []
    for f in ctx.rows:
        if f.statement and f.statement not in seen:
            seen.append(f.statement)
    return _fit(seen)


def _insight(ctx: NodeContext, year: int) -> str:
    blocks = []
    for n, f in enumerate(ctx.rows, start=1):
        lines = [f"{n}. {_indicator(f)}"]
        if f.aktivitas and f.aktivitas != f.indikator:
            lines.append(f"   Rencana aksi: {f.aktivitas}")
        lines.append(f"   {_target(f, year)}")
        if f.earlier:
            lines += [f"   Realisasi {y}: {_figures(b, f.target_percent)}" for y, b in f.earlier]
        else:
            lines.append("   Realisasi tahun sebelumnya: belum ada data")
        blocks.append("\n".join(lines))
    return _fit(blocks)


def _baseline(ctx: NodeContext) -> str:
    blocks = []
    for n, f in enumerate(ctx.rows, start=1):
        if f.baseline_text or f.baseline is not None:
            value = f.baseline_text or format_number(f.baseline)
            blocks.append(f"{n}. {_indicator(f)}: {value} (data dasar matriks)")
        elif f.earlier:
            y, b = f.earlier[-1]
            blocks.append(f"{n}. {_indicator(f)}: {_figures(b, f.target_percent)} (realisasi {y})")
        else:
            blocks.append(f"{n}. {_indicator(f)}: {NO_DATA}")
    return _fit(blocks)


def _indicators(ctx: NodeContext, year: int) -> str:
    return _fit(
        [
            f"{n}. {_indicator(f)} — {_target(f, year, quoted=False)}"
            for n, f in enumerate(ctx.rows, start=1)
        ]
    )


def prefill_gap(session: Session, node_key: str, year: int) -> GapDocument:
    """A new GAP for the node and year with steps 1, 2, 8 and 9 written from the plan."""
    ctx = node_context(session, node_key, year)
    return GapDocument(
        node_key=ctx.node_key,
        opd_code=ctx.opd_code,
        year=year,
        policy=_policy(ctx),
        objective=_objective(ctx),
        insight_data=_insight(ctx, year),
        baseline=_baseline(ctx),
        gender_indicators=_indicators(ctx, year),
        row_keys=tuple(f.key for f in ctx.rows),
    )


def refresh_gap(session: Session, doc: GapDocument) -> GapDocument:
    """ "Isi ulang dari matriks": the prefilled steps rewritten, the OPD's text kept (the
    objective too, once the OPD has written one)."""
    fresh = prefill_gap(session, doc.node_key, doc.year)
    return doc.with_values(
        policy=fresh.policy,
        objective=doc.objective if doc.objective.strip() else fresh.objective,
        insight_data=fresh.insight_data,
        baseline=fresh.baseline,
        gender_indicators=fresh.gender_indicators,
        row_keys=fresh.row_keys,
    )


# --- GBS -------------------------------------------------------------------------------------

_BULLET = re.compile(r"^\s*(?:[-–•*·]|\d+[.)]|[a-z][.)])\s*", re.IGNORECASE)


def action_lines(text: str) -> list[str]:
    """The action plan's lines without their bullets or numbers, empty ones dropped."""
    out = []
    for line in text.splitlines():
        clean = _BULLET.sub("", line).strip()
        if clean:
            out.append(clean)
    return out


def _match(line: str, rows: Iterable[RowFacts], taken: set[str]) -> RowFacts | None:
    """The row an action plan line names: its rencana aksi or indicator inside the line,
    or the line inside them (the OPD may shorten or lengthen the plan's wording)."""
    text = normalise(line)
    for f in rows:
        if f.key in taken:
            continue
        for candidate in (normalise(f.aktivitas), normalise(f.indikator)):
            if candidate and (candidate in text or text in candidate):
                return f
    return None


def _components(ctx: NodeContext, gap: GapDocument) -> tuple[GbsComponent, ...]:
    lines = action_lines(gap.action_plan)
    if not lines:  # no action plan written yet: the plan's own rencana aksi
        return tuple(
            GbsComponent(f.aktivitas or f.indikator, f.budget)
            for f in ctx.rows[:50]
            if (f.aktivitas or f.indikator)
        )
    taken: set[str] = set()
    out = []
    for line in lines[:50]:
        row = _match(line, ctx.rows, taken)
        if row is None and len(lines) == 1 and len(ctx.rows) == 1:
            row = ctx.rows[0]
        if row is not None:
            taken.add(row.key)
        out.append(GbsComponent(line, row.budget if row is not None else None))
    return tuple(out)


def _situation(gap: GapDocument) -> str:
    parts = [
        ("Data pembuka wawasan", gap.insight_data),
        ("Faktor kesenjangan — akses", gap.gap_access),
        ("Faktor kesenjangan — partisipasi", gap.gap_participation),
        ("Faktor kesenjangan — kontrol", gap.gap_control),
        ("Faktor kesenjangan — manfaat", gap.gap_benefit),
        ("Sebab kesenjangan internal", gap.internal_causes),
        ("Sebab kesenjangan eksternal", gap.external_causes),
    ]
    written = [f"{head}:\n{text.strip()}" for head, text in parts if text.strip()]
    text = "\n\n".join(written)
    if len(text) > FREE_TEXT_MAX:
        text = text[: FREE_TEXT_MAX - 40].rstrip() + "\n… (selengkapnya dalam GAP)"
    return text


def prefill_gbs(session: Session, gap: GapDocument) -> GbsDocument:
    """The GBS of the GAP's node and year: the program and activity from the plan, the
    situation from GAP steps 2–5, components from step 7 with the rows' budgets."""
    ctx = node_context(session, gap.node_key, gap.year)
    year = gap.year
    objective = gap.reformulated_objective.strip() or gap.objective.strip()
    return GbsDocument(
        node_key=gap.node_key,
        opd_code=gap.opd_code,
        year=year,
        program=ctx.program,
        program_objective=objective,
        program_indicators=_fit(
            [f"{_indicator(f)} — {_target(f, year)}" for f in ctx.program_rows]
        ),
        activity=ctx.activity,
        output_indicator=_fit([f"{n}. {_indicator(f)}" for n, f in enumerate(ctx.rows, 1)]),
        output_target=_fit(
            [
                f"{n}. {_figures(f.target, f.target_percent)}"
                + (f" {f.satuan}" if f.satuan and not f.target.is_empty else "")
                for n, f in enumerate(ctx.rows, 1)
            ]
        ),
        situation=_situation(gap),
        expected_outcome=gap.gender_indicators,
        components=_components(ctx, gap),
        row_keys=gap.row_keys,
    )
