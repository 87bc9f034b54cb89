"""What a RAD PUG report prints, as plain dataclasses: the renderers' input.

``app/services/report_data.py`` fills them from the database; ``radpug_pdf.py`` and
``radpug_xlsx.py`` render them, and tests and the window can inspect them directly.
Nothing here reads the database: the ARG nodes and recap lines are described by the
protocols :class:`ArgNode` and :class:`RecapEntry`, which the service's own records meet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from app.domain.achievement import Band, band
from app.domain.arg import AnswerEntry, ClassBand, QuestionSet, Score
from app.domain.breakdown import Breakdown
from app.domain.dates import place_and_date
from app.domain.numbers import format_number, format_percent
from app.domain.region import Region

INCOMPLETE = "Belum lengkap"
HIERARCHY = ("misi", "tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan")


class ReportCancelled(Exception):
    """The user cancelled; nothing was written."""


class ArgNode(Protocol):
    """What a report prints of an assessed kegiatan/sub kegiatan (``AssessableNode``)."""

    @property
    def key(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def opd_code(self) -> str: ...
    @property
    def opd_name(self) -> str: ...
    @property
    def parent_name(self) -> str: ...


class RecapEntry(Protocol):
    """One line of the Tabel 5.4 recap (``RecapRow``): the node and its score."""

    @property
    def node(self) -> ArgNode: ...
    @property
    def version(self) -> str: ...
    @property
    def score(self) -> Score: ...
    @property
    def answered_by(self) -> str: ...
    @property
    def answered_at(self) -> datetime: ...


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
    # The hierarchy levels printed as a group line above this row (label, name), from
    # the first level that changed since the previous row (``hierarchy_changes``).
    groups: tuple[tuple[str, str], ...] = ()

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

    node: ArgNode
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
        return share_percent(Decimal(self.filled), Decimal(self.rows))


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
    recap: Sequence[RecapEntry]
    completeness: list[OpdCompleteness]
    summary: Summary
    classes: tuple[ClassBand, ...]
    signature: SignatureBlock
    generated_at: datetime
    region: Region  # whose letterhead and name the report prints
    verification: Verification | None = None
    # OPD code → when its data for the year came from a fill-in workbook without
    # signature (docs/fillin.md); the renderers print a note for each.
    unsigned: dict[str, datetime] = field(default_factory=dict)
    # The note printed for each of those OPDs, in the order the renderers print them.
    unsigned_notes: tuple[str, ...] = ()
    # Row key → the realisation fields Pokja corrected on signed figures (total, budget…);
    # the renderers mark those cells (†) and print ``correction_notes`` (who, why, when).
    corrected: dict[str, frozenset[str]] = field(default_factory=dict)
    correction_notes: tuple[str, ...] = ()
    # One line per row that continues a row of an earlier period (issue #12): its earlier
    # years' targets, realisations and capaian, printed under the matrix.
    earlier_notes: tuple[str, ...] = ()
    # One line per figure that is allowed but unlikely (domain.plausibility): a capaian
    # above 200 % or spending above the pagu; printed so a reader asks before trusting it.
    plausibility_notes: tuple[str, ...] = ()

    @property
    def is_regency(self) -> bool:
        return self.kind == "regency"

    @property
    def period(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    @property
    def unit_name(self) -> str:
        """The letterhead's second line: the OPD, or Pokja for the consolidated report."""
        return self.opd_name or self.region.pokja_name

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


class PrintedReport(Protocol):
    """What the letterhead and the signature block print of any report's data (the
    RAD PUG report and the Renstra tables alike)."""

    @property
    def region(self) -> Region: ...
    @property
    def unit_name(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def subtitle(self) -> str: ...
    @property
    def signature(self) -> SignatureBlock: ...
    @property
    def verification(self) -> Verification | None: ...


def share_percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """``part`` as a percentage of ``whole``, two decimals; ``None`` without a whole."""
    if part is None or not whole:
        return None
    return (part / whole * 100).quantize(Decimal("0.01"))


def _percent(v: Decimal | None) -> str:
    return format_percent(v) if v is not None else ""


def _rupiah(v: Decimal | None) -> str:
    return format_number(v, decimals=0) if v is not None else ""


def summary_lines(d: ReportData) -> list[tuple[str, str]]:
    """The key figures as (label, value) text, shared by the PDF and the workbook."""
    m = d.summary
    b = m.beneficiaries
    lines = [
        ("Jumlah baris rencana aksi", format_number(m.rows)),
        (f"Baris bertarget tahun {d.year}", format_number(m.with_target)),
        (
            "Baris terisi realisasi",
            f"{format_number(m.filled)} ({_percent(m.filled_pct) or '0,00 %'})",
        ),
        ("Rata-rata capaian", _percent(m.average_achievement) or "–"),
        ("Capaian ≥ 100 %", format_number(m.bands.get(Band.MET.value, 0))),
        ("Capaian 75 – < 100 %", format_number(m.bands.get(Band.NEAR.value, 0))),
        ("Capaian < 75 %", format_number(m.bands.get(Band.LOW.value, 0))),
        ("Penerima manfaat terpilah", format_number(b.total) or "–"),
        (
            "Rincian L / P / disabilitas",
            " / ".join(format_number(v or 0) for v in (b.male, b.female, b.disabled)),
        ),
        ("Proporsi perempuan", _percent(m.share_female) or "–"),
        ("Proporsi penyandang disabilitas", _percent(m.share_disabled) or "–"),
        ("Pagu anggaran", "Rp " + _rupiah(m.budget) if m.budget is not None else "–"),
        ("Realisasi anggaran", "Rp " + _rupiah(m.spending) if m.spending is not None else "–"),
        ("Serapan anggaran", _percent(m.absorption) or "–"),
        ("Usulan perubahan target", format_number(m.proposed_targets)),
        ("Kegiatan/sub kegiatan dinilai ARG", format_number(m.arg_assessed)),
    ]
    for label in d.class_labels:
        if m.arg_classes.get(label):
            lines.append((f"– {label}", format_number(m.arg_classes[label])))
    return lines
