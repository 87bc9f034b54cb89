"""What a Renstra table (TC-23, TC-24, TC-27) prints, as plain dataclasses.

``app/services/renstra_report.py`` fills them from the plan and the realisations;
``renstra_pdf.py`` and ``renstra_xlsx.py`` render them. Nothing here reads the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from app.domain.achievement import Polarity
from app.domain.numbers import format_number
from app.domain.region import Region
from app.reports.report_model import SignatureBlock, Verification

TABLES = {
    "tc23": ("TC-23", "Pencapaian Kinerja Pelayanan"),
    "tc24": ("TC-24", "Anggaran dan Realisasi Pendanaan Pelayanan"),
    "tc27": ("TC-27", "Rencana Program, Kegiatan dan Pendanaan"),
}
_PERCENT_UNITS = {"%", "persen", "persentase", "presentase"}


@dataclass(frozen=True)
class YearFigures:
    """One year of a row: the plan's target and Rupiah, and what was entered."""

    year: int
    target_text: str  # as printed in the Renstra
    target: Decimal | None  # the figure the ratio uses (a proposal when there is one)
    is_percent: bool
    proposed: bool
    proposed_text: str
    plan_budget_text: str  # TC-27 Rupiah as printed
    plan_budget: Decimal | None
    plan_budget_ok: bool
    reported: bool  # the year is within the report (not after the report year)
    realised: Decimal | None
    ratio: Decimal | None
    budget: Decimal | None  # pagu entered
    spending: Decimal | None  # realisasi anggaran entered
    absorption: Decimal | None


@dataclass(frozen=True)
class EndFigure:
    """The end-of-period figure computed from the years beside the document's own."""

    computed: Decimal | None
    document: Decimal | None
    document_text: str
    rule: str  # "sum" or "last" (targets); "sum" for Rupiah
    differs: bool | None  # None when one side is missing


@dataclass(frozen=True)
class RenstraRow:
    number: int  # running number within its OPD group (TC-23) or the report
    key: str
    seq: int
    source_table: str
    opd_code: str
    opd_name: str
    opd_short_name: str
    level: str  # program, kegiatan, sub_kegiatan, sasaran or tujuan
    code: str
    name: str  # the program / kegiatan / sub kegiatan (or sasaran / tujuan) it belongs to
    path: dict[str, str]
    statement: str
    indikator: str
    satuan: str
    formula: str
    responsible_unit: str
    location: str
    baseline_text: str
    polarity: str
    years: dict[int, YearFigures]
    budget_growth: Decimal | None
    spending_growth: Decimal | None
    end_target: EndFigure
    end_budget: EndFigure

    @property
    def is_lower(self) -> bool:
        return self.polarity == Polarity.LOWER.value

    @property
    def has_budget_line(self) -> bool:
        """A program, kegiatan or sub kegiatan: what TC-24 lists."""
        return self.level in ("program", "kegiatan", "sub_kegiatan")

    @property
    def end_target_text(self) -> str:
        """The computed end-of-period target with the row's unit (``14 Dokumen``)."""
        e = self.end_target
        percent = any(f.is_percent for f in self.years.values() if f.target is not None)
        return format_value(e.computed, percent or is_percent_unit(self.satuan), self.satuan)


@dataclass(frozen=True)
class RenstraReport:
    table: str  # tc23, tc24 or tc27
    plan_code: str
    plan_title: str
    start_year: int
    end_year: int
    year: int | None  # realisations up to this year; None: every year of the plan
    opd_code: str | None
    opd_name: str | None
    opd_short_name: str | None
    rows: list[RenstraRow]
    signature: SignatureBlock
    generated_at: datetime
    region: Region  # whose letterhead and name the tables print
    verification: Verification | None = None
    groups: list[tuple[str, str, list[RenstraRow]]] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @property
    def label(self) -> str:
        return TABLES[self.table][0]

    @property
    def is_whole(self) -> bool:
        return self.opd_code is None

    @property
    def unit_name(self) -> str:
        """The letterhead's second line."""
        return self.opd_name or "Sekretariat Daerah"

    @property
    def unit_short(self) -> str:
        return self.opd_short_name or "Setda"

    @property
    def title(self) -> str:
        caption = TABLES[self.table][1]
        return f"Tabel {self.label} {caption} Sekretariat Daerah {self.region.full_name}"

    @property
    def period(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    @property
    def subtitle(self) -> str:
        base = f"Rencana Strategis Sekretariat Daerah Periode {self.period}"
        if self.table == "tc27":
            return base
        if self.year is None or self.year == self.end_year:
            return f"{base} — realisasi tahun {self.period}"
        if self.year == self.start_year:
            return f"{base} — realisasi tahun {self.year}"
        return f"{base} — realisasi tahun {self.start_year}–{self.year}"

    @property
    def scope(self) -> str:
        """Whose rows: a Bagian or the whole Setda (for document properties, footers)."""
        return self.opd_name or "Sekretariat Daerah (seluruh Bagian)"

    @property
    def reported_years(self) -> list[int]:
        return [y for y in self.years if self.year is None or y <= self.year]


def is_percent_unit(satuan: str) -> bool:
    return satuan.strip().casefold() in _PERCENT_UNITS


def format_value(v: Decimal | None, percent: bool = False, unit: str = "") -> str:
    """``14`` + ``Dokumen`` → ``14 Dokumen``; a percent figure → ``100 %``."""
    if v is None:
        return ""
    text = format_number(v)
    if percent:
        return f"{text} %"
    unit = unit.strip()
    return f"{text} {unit}" if unit else text
