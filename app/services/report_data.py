"""Everything a printed report shows, gathered from the database into the plain
dataclasses of :mod:`app.reports.report_model` (no Qt, no PDF).

``app/reports`` renders them into PDF and Excel; tests and the window can inspect
them directly. Gathering is batched (a handful of queries whatever the row count), so
the consolidated report over the whole regency costs the same few queries as one OPD.

Two kinds of report share the data shape:

* an OPD's submission: its action matrix (Tabel 4.2 with the year's target and
  realisation, L / P / disabilitas, capaian and budget absorption), the filled ARG
  instruments (Tabel 5.1–5.3), the evaluation recap (Tabel 5.4 with the Tabel 5.5
  class), a summary and the signature block;
* Pokja's consolidated report: the regency matrix over every OPD, completeness per
  OPD, ARG classes per OPD and the same summary at regency level.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.achievement import Band, absorption, achievement
from app.domain.arg import Answer, AnswerEntry, QuestionSet, score
from app.domain.breakdown import Breakdown
from app.domain.numbers import format_number
from app.domain.plausibility import warnings
from app.domain.progress import Cancelled
from app.formats.arg_questions import current_question_set, load_question_sets
from app.models.schema import (
    ArgAnswer,
    Opd,
    Plan,
    PlanNode,
    PlanRow,
    Realisation,
    RowContinuation,
    Target,
)
from app.reports.report_model import (
    HIERARCHY,
    INCOMPLETE,
    ArgInstrument,
    MatrixRow,
    OpdCompleteness,
    Person,
    ReportCancelled,
    ReportData,
    SignatureBlock,
    Summary,
    TargetCell,
    share_percent,
)
from app.services import catalog, corrections, provenance
from app.services.arg_store import RecapRow, assessable_nodes, recap
from app.services.continuation import EarlierYear, earlier_years
from app.services.profile import ROLE_LABELS, Profile
from app.services.region import load_region
from app.services.signatory import Signatory, default_position


def _check(cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise ReportCancelled("Pembuatan laporan dibatalkan.")


def retired_note(keterangan: str) -> str:
    """A retired row is reported only for a year it holds a realisation: say why it is there."""
    mark = "Dipensiunkan dari matriks; dilaporkan karena memuat realisasi tahun ini."
    return f"{mark} {keterangan}".strip()


def _chunks(ids: list[int], size: int = 900) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _matrix_rows(
    session: Session,
    plan: Plan,
    year: int,
    opd_id: int | None,
    cancelled: Cancelled | None,
) -> list[MatrixRow]:
    rows = catalog.load_rows(session, plan.id, opd_id, year=year)
    ids = [r.id for r in rows]
    targets: dict[int, Target] = {}
    reals: dict[int, Realisation] = {}
    for chunk in _chunks(ids):
        _check(cancelled)
        for t in session.scalars(
            select(Target).where(Target.row_id.in_(chunk), Target.year == year)
        ):
            targets[t.row_id] = t
        for x in session.scalars(
            select(Realisation).where(
                Realisation.row_id.in_(chunk),
                Realisation.year == year,
                Realisation.semester == 0,
            )
        ):
            reals[x.row_id] = x
    out = []
    prev: tuple[dict[str, str], str] | None = None
    for number, r in enumerate(rows, start=1):
        path = {lvl: r.path.get(lvl, "") for lvl in HIERARCHY}
        groups = _changes(prev[0] if prev else None, prev[1] if prev else "", path, r.opd_code)
        prev = (path, r.opd_code)
        tgt = targets.get(r.id)
        cell = (
            TargetCell("", Breakdown(), False)
            if tgt is None
            else TargetCell(
                tgt.text or "",
                tgt.breakdown,
                bool(tgt.is_percent),
                bool(tgt.proposed),
                tgt.proposed_text or "",
                tgt.proposed_breakdown,
            )
        )
        rec = reals.get(r.id)
        real = None if rec is None else rec.breakdown
        budget = None if rec is None else rec.budget
        spending = None if rec is None else rec.spending
        out.append(
            MatrixRow(
                number=number,
                key=r.key,
                opd_code=r.opd_code,
                opd_name=r.opd_name,
                path=path,
                aktivitas=r.aktivitas,
                indikator=r.indikator,
                satuan=r.satuan,
                keterangan=retired_note(r.keterangan) if r.retired else r.keterangan,
                polarity=r.polarity,
                target=cell,
                realisation=real,
                budget=budget,
                spending=spending,
                evidence="" if rec is None else rec.evidence,
                note="" if rec is None else rec.note,
                achievement=achievement(
                    cell.effective.effective_total,
                    None if real is None else real.effective_total,
                    r.polarity,
                ),
                absorption=absorption(budget, spending),
                groups=tuple(groups),
            )
        )
    return out


def _instruments(
    session: Session,
    plan_id: int,
    year: int,
    qsets: dict[str, QuestionSet],
    opd_id: int | None,
) -> list[ArgInstrument]:
    """Every kegiatan/sub kegiatan with answers in the year, in plan order."""
    nodes = {n.id: n for n in assessable_nodes(session, plan_id, opd_id)}
    order = {nid: i for i, nid in enumerate(nodes)}
    grouped: dict[tuple[int, str], dict[str, AnswerEntry]] = defaultdict(dict)
    stmt = (
        select(ArgAnswer.node_id, ArgAnswer.qset_version, ArgAnswer.question_id)
        .add_columns(ArgAnswer.answer, ArgAnswer.remark)
        .join(PlanNode, PlanNode.id == ArgAnswer.node_id)
        .where(ArgAnswer.year == year, PlanNode.plan_id == plan_id)
    )
    if opd_id is not None:
        stmt = stmt.where(PlanNode.opd_id == opd_id)
    for node_id, version, qid, answer, remark in session.execute(stmt):
        grouped[(node_id, version)][qid] = AnswerEntry(Answer(answer), remark or "")
    out: list[tuple[int, str, ArgInstrument]] = []
    for (node_id, version), answers in grouped.items():
        qset = qsets.get(version)
        if qset is None or node_id not in nodes:
            continue
        instrument = ArgInstrument(nodes[node_id], qset, answers, score(qset, answers))
        out.append((order[node_id], qset.version, instrument))
    out.sort(key=lambda x: (x[0], x[1]))
    return [x[2] for x in out]


def summarise(rows: list[MatrixRow], arg_rows: list[RecapRow]) -> Summary:
    """Headline figures over some matrix rows and the ARG recap rows that go with them."""
    bands: Counter[str] = Counter()
    achievements = []
    male = female = disabled = Decimal(0)
    budget = spending = None
    with_target = filled = proposed = 0
    for r in rows:
        if r.target.effective.effective_total is not None:
            with_target += 1
        if r.target.proposed:
            proposed += 1
        if r.filled:
            filled += 1
        bands[r.band.value] += 1
        if r.achievement is not None:
            achievements.append(r.achievement)
        real = r.realisation
        if real is not None and real.has_parts and r.counts_people:
            male += real.male or 0
            female += real.female or 0
            disabled += real.disabled or 0
        if r.budget is not None:
            budget = (budget or Decimal(0)) + r.budget
        if r.spending is not None:
            spending = (spending or Decimal(0)) + r.spending
    people = male + female + disabled
    average = (
        (sum(achievements, Decimal(0)) / len(achievements)).quantize(Decimal("0.01"))
        if achievements
        else None
    )
    classes: Counter[str] = Counter(r.score.klass or INCOMPLETE for r in arg_rows)
    return Summary(
        rows=len(rows),
        with_target=with_target,
        filled=filled,
        bands={b.value: bands[b.value] for b in (Band.MET, Band.NEAR, Band.LOW, Band.NONE)},
        average_achievement=average,
        beneficiaries=Breakdown(people if people else None, male, female, disabled)
        if people
        else Breakdown(),
        share_female=share_percent(female, people),
        share_disabled=share_percent(disabled, people),
        budget=budget,
        spending=spending,
        absorption=absorption(budget, spending),
        proposed_targets=proposed,
        arg_assessed=len(arg_rows),
        arg_classes=dict(classes),
    )


def preparer_person(profile: Profile | None, opd_name: str | None) -> Person | None:
    if profile is None or not profile.name:
        return None
    role = ROLE_LABELS.get(profile.role, "")
    if not profile.is_pokja and opd_name:
        role = f"Focal Point PUG {opd_name}"
    return Person(profile.name, profile.nip, role)


def build_report(
    session: Session,
    year: int,
    opd: Opd | None = None,
    *,
    plan: Plan | None = None,
    signatory: Signatory | None = None,
    preparer: Profile | None = None,
    report_date: date | None = None,
    qsets: dict[str, QuestionSet] | None = None,
    include_instruments: bool | None = None,
    cancelled: Cancelled | None = None,
) -> ReportData:
    """Gather one report: for ``opd``, or for the whole regency when ``opd`` is None.

    ``include_instruments`` (default: only for an OPD) adds the filled Tabel 5.1–5.3;
    the regency report shows the recap and classes instead of every answer.
    """
    plan = plan or catalog.get_plan(session)
    if year not in plan.years:
        raise ValueError(f"Tahun {year} di luar periode {plan.start_year}–{plan.end_year}.")
    qsets = qsets if qsets is not None else load_question_sets()
    opd_id = opd.id if opd else None
    _check(cancelled)
    rows = _matrix_rows(session, plan, year, opd_id, cancelled)
    _check(cancelled)
    arg_rows = recap(session, plan.id, year, qsets, opd_id)
    if include_instruments is None:
        include_instruments = opd is not None
    instruments = _instruments(session, plan.id, year, qsets, opd_id) if include_instruments else []
    completeness: list[OpdCompleteness] = []
    if opd is None:
        by_opd: dict[str, list[MatrixRow]] = defaultdict(list)
        for r in rows:
            by_opd[r.opd_code].append(r)
        arg_by_opd: dict[str, list[RecapRow]] = defaultdict(list)
        for a in arg_rows:
            arg_by_opd[a.node.opd_code].append(a)
        for o in catalog.opds(session):
            if by_opd.get(o.code):
                completeness.append(
                    OpdCompleteness(
                        o.code,
                        o.name,
                        o.short_name,
                        summarise(by_opd[o.code], arg_by_opd.get(o.code, [])),
                    )
                )
    unsigned = provenance.unsigned_opds(session, plan.code, year)
    if opd is not None:
        unsigned = {k: v for k, v in unsigned.items() if k == opd.code}
    signer = signatory or Signatory()
    region = load_region(session)
    position = signer.position or default_position(opd.name if opd else None, region.pokja_title)
    classes = current_question_set().classes if not qsets else max(qsets.items())[1].classes
    data = ReportData(
        kind="opd" if opd else "regency",
        plan_code=plan.code,
        plan_title=plan.title,
        start_year=plan.start_year,
        end_year=plan.end_year,
        year=year,
        opd_code=opd.code if opd else None,
        opd_name=opd.name if opd else None,
        opd_short_name=opd.short_name if opd else None,
        rows=rows,
        instruments=instruments,
        recap=arg_rows,
        completeness=completeness,
        summary=summarise(rows, arg_rows),
        classes=classes,
        signature=SignatureBlock(
            signer.place or region.signature_place,
            report_date or date.today(),
            Person(signer.name, signer.nip, position),
            preparer_person(preparer, opd.name if opd else None),
        ),
        generated_at=datetime.now().replace(microsecond=0),
        region=region,
        unsigned=unsigned,
    )
    if unsigned:
        data = replace(data, unsigned_notes=tuple(unsigned_notes(data)))
    data = replace(data, plausibility_notes=tuple(plausibility_notes(data)))
    return with_earlier_years(session, with_corrections(session, data, plan.id), plan.id)


def plausibility_notes(data: ReportData) -> list[str]:
    """One line per row whose figures are allowed but unlikely (PDF and Excel print them)."""
    notes = []
    for r in data.rows:
        for text in warnings(r.achievement, r.budget, r.spending):
            where = f"No. {r.number}" + (f" ({r.opd_name})" if data.is_regency else "")
            notes.append(f"⚠ {where}: {text}")
    return notes


def with_corrections(session: Session, data: ReportData, plan_id: int) -> ReportData:
    """Mark values Pokja corrected on an OPD's signed figures, with one note each."""
    found = corrections.plan_corrections(session, plan_id, data.year, data.opd_code)
    if not found:
        return data
    keys = dict(session.execute(select(PlanRow.id, PlanRow.key).where(PlanRow.id.in_(found))).all())
    numbers = {r.key: (r.number, r.opd_name) for r in data.rows}
    notes = []
    corrected: dict[str, frozenset[str]] = {}
    for rid, cs in sorted(found.items(), key=lambda kv: numbers.get(keys[kv[0]], (0, ""))[0]):
        key = keys[rid]
        corrected[key] = frozenset(c.field for c in cs)
        no, opd_name = numbers.get(key, (0, ""))
        where = f"No. {no}" + (f" ({opd_name})" if data.is_regency and opd_name else "")
        notes += [f"† {where}: {c.text}." for c in cs]
    return replace(data, corrected=corrected, correction_notes=tuple(notes))


def unsigned_notes(data: ReportData) -> list[str]:
    """One line per OPD whose figures for the year are unsigned (PDF and Excel print them)."""
    if not data.unsigned:
        return []
    names = {c.code: c.name for c in data.completeness}
    if data.opd_code and data.opd_name:
        names[data.opd_code] = data.opd_name
    out = []
    for code, at in sorted(data.unsigned.items(), key=lambda kv: names.get(kv[0], kv[0])):
        who = names.get(code, code)
        out.append(f"{provenance.unsigned_note(at)}: {who}.")
    return out


def hierarchy_changes(prev: MatrixRow | None, row: MatrixRow) -> list[tuple[str, str]]:
    """The hierarchy levels to print above ``row``: from the first that changed, down.

    Tabel 4.2 merges equal cells; a printout shows a level's name once, as a group line.
    Program and the levels below belong to one OPD, so a new OPD repeats them even when
    another agency runs a program of the same name.
    """
    if prev is None:
        return _changes(None, "", row.path, row.opd_code)
    return _changes(prev.path, prev.opd_code, row.path, row.opd_code)


def _changes(
    prev_path: dict[str, str] | None, prev_opd: str, path: dict[str, str], opd_code: str
) -> list[tuple[str, str]]:
    start = None
    for i, lvl in enumerate(HIERARCHY):
        if prev_path is None or prev_path.get(lvl, "") != path.get(lvl, ""):
            start = i
            break
    if prev_path is not None and prev_opd != opd_code:
        start = min(start if start is not None else 99, HIERARCHY.index("program"))
    if start is None:
        return []
    return [(catalog.LEVEL_LABELS[lvl], path[lvl]) for lvl in HIERARCHY[start:] if path.get(lvl)]


# --- continuing indicators (issue #12): earlier periods' figures under the matrix ----------


def earlier_text(e: EarlierYear) -> str:
    """``2023: target 30, realisasi 29 (L 15 · P 13 · Dis. 1), capaian 96,67 %``."""
    target = f"target {e.target_text}" if e.target_text else "tanpa target"
    if e.realisation is None or e.realisation.breakdown.effective_total is None:
        return f"{e.year}: {target}, realisasi belum diisi"
    b = e.realisation.breakdown
    parts = " · ".join(
        f"{label} {format_number(v)}"
        for label, v in (("L", b.male), ("P", b.female), ("Dis.", b.disabled))
        if v is not None
    )
    text = f"{e.year}: {target}, realisasi {format_number(b.effective_total)}"
    text += f" ({parts})" if parts else ""
    if e.achievement is not None:
        text += f", capaian {format_number(e.achievement, 2)} %"
    return text


def with_earlier_years(session: Session, data: ReportData, plan_id: int) -> ReportData:
    """One note per printed row that continues a row of an earlier period.

    Only continuing rows cost queries (a new plan's first reports have few or none), so
    the batched gathering above stays as cheap as before for every other row.
    """
    continuing = set(
        session.scalars(
            select(RowContinuation.row_id)
            .join(PlanRow, PlanRow.id == RowContinuation.row_id)
            .where(PlanRow.plan_id == plan_id)
        )
    )
    if not continuing:
        return data
    ids = dict(
        session.execute(select(PlanRow.key, PlanRow.id).where(PlanRow.id.in_(continuing))).all()
    )
    notes = []
    for r in data.rows:
        row_id = ids.get(r.key)
        years = earlier_years(session, row_id) if row_id is not None else []
        if not years:
            continue
        where = f"No. {r.number}" + (f" ({r.opd_name})" if data.is_regency else "")
        sources = ", ".join(dict.fromkeys(f"{e.plan_label} “{e.title}”" for e in years))
        figures = "; ".join(earlier_text(e) for e in years)
        notes.append(f"{where} melanjutkan {sources}. {figures}.")
    return replace(data, earlier_notes=tuple(notes))
