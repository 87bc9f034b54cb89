"""Everything a printed report shows, gathered into plain dataclasses (no Qt, no PDF).

``app/reports`` renders these into PDF and Excel; tests and the window can inspect
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
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.achievement import Band, absorption, achievement, band
from app.domain.arg import Answer, AnswerEntry, ClassBand, QuestionSet, Score, score
from app.domain.breakdown import Breakdown
from app.domain.dates import place_and_date
from app.domain.progress import Cancelled
from app.formats.arg_questions import current_question_set, load_question_sets
from app.models.schema import ArgAnswer, Opd, Plan, PlanNode, Realisation, Target
from app.services import catalog, provenance
from app.services.arg_store import AssessableNode, RecapRow, assessable_nodes, recap
from app.services.profile import ROLE_LABELS, Profile
from app.services.signatory import Signatory, default_position

GOVERNMENT = "PEMERINTAH KABUPATEN LUMAJANG"
POKJA_NAME = "Kelompok Kerja Pengarusutamaan Gender Kabupaten Lumajang"
INCOMPLETE = "Belum lengkap"
HIERARCHY = ("misi", "tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan")


class ReportCancelled(Exception):
    """The user cancelled; nothing was written."""


@dataclass(frozen=True)
class TargetCell:
    """The year's target as printed, and the OPD's proposed change beside it."""

    text: str
    official: Breakdown
    is_percent: bool
    proposed: bool = False
    proposed_text: str = ""
    proposed_breakdown: Breakdown = field(default_factory=Breakdown)

    @property
    def effective(self) -> Breakdown:
        return self.proposed_breakdown if self.proposed else self.official

    @property
    def is_empty(self) -> bool:
        return not self.text.strip() and self.official.is_empty and not self.proposed


@dataclass(frozen=True)
class MatrixRow:
    """One indicator row of Tabel 4.2 with the year's figures."""

    number: int
    key: str
    opd_code: str
    opd_name: str
    path: dict[str, str]
    aktivitas: str
    indikator: str
    satuan: str
    keterangan: str
    polarity: str
    target: TargetCell
    realisation: Breakdown | None
    budget: Decimal | None
    spending: Decimal | None
    evidence: str
    note: str
    achievement: Decimal | None
    absorption: Decimal | None

    @property
    def filled(self) -> bool:
        return self.realisation is not None and self.realisation.total is not None

    @property
    def band(self) -> Band:
        return band(self.achievement)

    @property
    def counts_people(self) -> bool:
        """Whether the breakdown counts beneficiaries (not a percentage indicator)."""
        return not self.target.is_percent and "%" not in self.satuan


@dataclass(frozen=True)
class ArgInstrument:
    """Tabel 5.1–5.3 as filled for one kegiatan/sub kegiatan, with its Tabel 5.4 score."""

    node: AssessableNode
    qset: QuestionSet
    answers: dict[str, AnswerEntry]
    score: Score


@dataclass(frozen=True)
class Summary:
    """Headline figures; shares are percentages of counted beneficiaries."""

    rows: int
    with_target: int
    filled: int
    bands: dict[str, int]
    average_achievement: Decimal | None
    beneficiaries: Breakdown
    share_female: Decimal | None
    share_disabled: Decimal | None
    budget: Decimal | None
    spending: Decimal | None
    absorption: Decimal | None
    proposed_targets: int
    arg_assessed: int
    arg_classes: dict[str, int]

    @property
    def filled_pct(self) -> Decimal | None:
        return _pct(Decimal(self.filled), Decimal(self.rows))


@dataclass(frozen=True)
class OpdCompleteness:
    """One line of the Pokja completeness table."""

    code: str
    name: str
    short_name: str
    summary: Summary


@dataclass(frozen=True)
class Person:
    name: str
    nip: str
    position: str


@dataclass(frozen=True)
class SignatureBlock:
    place: str
    date: date
    signer: Person
    preparer: Person | None

    @property
    def place_date(self) -> str:
        return place_and_date(self.place, self.date)


@dataclass(frozen=True)
class Verification:
    """What a signed submission prints beside the signature (docs/submissions.md)."""

    code: str  # short content hash, e.g. ``1A2B-3C4D-5E6F``
    key_id: str  # signer's key fingerprint, grouped
    qr_text: str  # what the QR code holds: ids and the full content hash


@dataclass(frozen=True)
class ReportData:
    kind: str  # "opd" or "regency"
    plan_code: str
    plan_title: str
    start_year: int
    end_year: int
    year: int
    opd_code: str | None
    opd_name: str | None
    opd_short_name: str | None
    rows: list[MatrixRow]
    instruments: list[ArgInstrument]
    recap: list[RecapRow]
    completeness: list[OpdCompleteness]
    summary: Summary
    classes: tuple[ClassBand, ...]
    signature: SignatureBlock
    generated_at: datetime
    verification: Verification | None = None
    # OPD code → when its data for the year came from a fill-in workbook without
    # signature (docs/fillin.md); the renderers print a note for each.
    unsigned: dict[str, datetime] = field(default_factory=dict)

    @property
    def is_regency(self) -> bool:
        return self.kind == "regency"

    @property
    def period(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    @property
    def unit_name(self) -> str:
        """The letterhead's second line: the OPD, or Pokja for the consolidated report."""
        return self.opd_name or POKJA_NAME

    @property
    def title(self) -> str:
        if self.is_regency:
            return "Laporan Konsolidasi Monitoring dan Evaluasi RAD PUG"
        return "Laporan Monitoring dan Evaluasi RAD PUG"

    @property
    def subtitle(self) -> str:
        return (
            f"Rencana Aksi Daerah Pengarusutamaan Gender Periode {self.period} — "
            f"Tahun Pelaporan {self.year}"
        )

    @property
    def class_labels(self) -> list[str]:
        """Tabel 5.5 classes from the best to the worst, then the incomplete column."""
        return [c.label for c in sorted(self.classes, key=lambda c: -c.min)] + [INCOMPLETE]


def _pct(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (part / whole * 100).quantize(Decimal("0.01"))


def _check(cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise ReportCancelled("Pembuatan laporan dibatalkan.")


def _chunks(ids: list[int], size: int = 900) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _matrix_rows(
    session: Session,
    plan: Plan,
    year: int,
    opd_id: int | None,
    cancelled: Cancelled | None,
) -> list[MatrixRow]:
    rows = catalog.load_rows(session, plan.id, opd_id)
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
    for number, r in enumerate(rows, start=1):
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
                path={lvl: r.path.get(lvl, "") for lvl in HIERARCHY},
                aktivitas=r.aktivitas,
                indikator=r.indikator,
                satuan=r.satuan,
                keterangan=r.keterangan,
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
    out = []
    for (node_id, version), answers in grouped.items():
        qset = qsets.get(version)
        if qset is None or node_id not in nodes:
            continue
        out.append(ArgInstrument(nodes[node_id], qset, answers, score(qset, answers)))
    out.sort(key=lambda i: (order[i.node.id], i.qset.version))
    return out


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
        share_female=_pct(female, people),
        share_disabled=_pct(disabled, people),
        budget=budget,
        spending=spending,
        absorption=absorption(budget, spending),
        proposed_targets=proposed,
        arg_assessed=len(arg_rows),
        arg_classes=dict(classes),
    )


def _preparer(profile: Profile | None, opd_name: str | None) -> Person | None:
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
    position = signer.position or default_position(opd.name if opd else None)
    classes = current_question_set().classes if not qsets else max(qsets.items())[1].classes
    return ReportData(
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
            signer.place or "Lumajang",
            report_date or date.today(),
            Person(signer.name, signer.nip, position),
            _preparer(preparer, opd.name if opd else None),
        ),
        generated_at=datetime.now().replace(microsecond=0),
        unsigned=unsigned,
    )


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
    start = None
    for i, lvl in enumerate(HIERARCHY):
        if prev is None or prev.path.get(lvl, "") != row.path.get(lvl, ""):
            start = i
            break
    if prev is not None and prev.opd_code != row.opd_code:
        start = min(start if start is not None else 99, HIERARCHY.index("program"))
    if start is None:
        return []
    return [
        (catalog.LEVEL_LABELS[lvl], row.path[lvl]) for lvl in HIERARCHY[start:] if row.path.get(lvl)
    ]
