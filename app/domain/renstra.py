"""Figures of a Renstra (strategic plan) and the computations its tables print.

The Renstra of the Sekretariat Daerah 2024–2026 writes its figures in mixed forms:
Rupiah with comma groups (``Rp 1,368,676,135``, ``Rp200,000,000``), percents with a
space (``100 %``), counts with a unit that the PDF extraction broke apart (``4 lapor an``,
``1089 6 Dok ume n``), rates (``86 orang/12 bulan``) and graded indices (``60 (B-)``).
This module reads them (:func:`parse_figure`, :func:`parse_amount`), computes the
end-of-period figure of TC-27 from the yearly values (:func:`end_of_period`) instead of
copying the document's own column (DOMAIN.md, erratum 6), and reproduces the ratios of
TC-23 (:func:`ratio_per_year`) and TC-24 (:func:`absorption_per_year`,
:func:`average_growth`).

Pure: no Qt, no database. The converter, the loader, the dump and the UI all use it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from app.domain.achievement import absorption, achievement
from app.domain.numbers import NumberError, parse_number

__all__ = [
    "Amount",
    "EndCheck",
    "EndMode",
    "Figure",
    "absorption_per_year",
    "average_growth",
    "check_end",
    "end_mode",
    "end_of_period",
    "parse_amount",
    "parse_figure",
    "ratio_per_year",
]

HUNDRED = Decimal(100)
# Cells that mean "no figure": empty, a dash, "N/A" in its spellings.
_NONE = {"", "-", "–", "—", "n/a", "na", "n/ a", "n.a", "n.a."}
# A leading figure: digits, possibly split by the extractor into "1089 6" (one number
# across a cell wrap), with dot/comma groups or a decimal part.
_LEAD = re.compile(r"^(?P<num>\d+(?:\s\d+)*(?:[.,]\d+)*)\s*(?P<pct>%?)\s*(?P<rest>.*)$")
_PERCENT_UNITS = {"%", "persen", "percent", "presentase", "persentase"}
# Units whose end-of-period figure is the last year's value, not a sum: an index or a
# score is a level reached, not an amount accumulated.
_LEVEL_UNITS = {"angka", "nilai", "indeks", "skor", "index"}
# Indicators that count a stock looked after every year (vehicles, buildings maintained):
# the same units each year, so the period's figure is the last year's, as TC-27 prints
# "5 unit / 5 unit / 5 unit → 5 unit" for maintained vehicles.
_STOCK_RE = re.compile(r"dipelihara|pemeliharaan", re.IGNORECASE)


def _clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").replace("\u00a0", " ")).strip()


def _unit_key(text: str) -> str:
    """A unit without the spaces the extraction put inside words (``lapor an``)."""
    return re.sub(r"\s+", "", text).casefold()


@dataclass(frozen=True, slots=True)
class Figure:
    """A target cell as printed and as read.

    ``unit`` is the unit written after the figure with extraction spaces removed and
    lower-cased (``laporan``, ``orang/12bulan``); ``note`` keeps a grade or remark in
    brackets (``B-``). ``ok`` is False when the text holds something that should be a
    figure but is not (a person must check it); an empty or ``N/A`` cell is ok and None.
    """

    text: str
    value: Decimal | None
    is_percent: bool = False
    unit: str = ""
    note: str = ""
    ok: bool = True

    @property
    def is_rate(self) -> bool:
        """``86 orang/12 bulan``: so many per period, not an amount that adds up."""
        return "/" in self.unit


def parse_figure(text: str | None) -> Figure:
    """Read a Renstra target, baseline or end-of-period cell; never raises."""
    s = _clean(text)
    if s.casefold() in _NONE:
        return Figure(s, None)
    m = _LEAD.match(s)
    if not m:
        return Figure(s, None, ok=not re.search(r"\d", s))
    raw = m.group("num").replace(" ", "")
    rest = m.group("rest").strip()
    note = ""
    grade = re.fullmatch(r"\((?P<note>[^)]*)\)\s*(?P<after>.*)", rest)
    if grade:
        note, rest = grade.group("note").strip(), grade.group("after").strip()
    try:
        value = parse_number(raw)
    except NumberError:
        return Figure(s, None, ok=False)
    unit = _unit_key(rest)
    is_percent = bool(m.group("pct")) or unit in _PERCENT_UNITS
    return Figure(s, value, is_percent, "%" if is_percent and not unit else unit, note)


@dataclass(frozen=True, slots=True)
class Amount:
    """A Rupiah cell as printed and as read (whole Rupiah)."""

    text: str
    value: Decimal | None
    ok: bool = True


def parse_amount(text: str | None) -> Amount:
    """``Rp 1,368,676,135`` / ``Rp200,000,000`` / ``1.000.000`` → whole Rupiah.

    A lone ``Rp`` or a dash is an empty cell (no money that year). A text that carries
    digits but no readable amount (``Rp 1,96,125,000``) is not ok: shown, never guessed.
    """
    s = _clean(text)
    body = re.sub(r"^rp\.?\s*", "", s, flags=re.IGNORECASE).strip()
    if body.casefold() in _NONE:
        return Amount(s, None)
    try:
        value = parse_number(body.replace(" ", ""))
    except NumberError:
        return Amount(s, None, ok=False)
    if value is None or value != value.to_integral_value():
        return Amount(s, None, ok=value is None)
    return Amount(s, value)


class EndMode(StrEnum):
    """How a Renstra's end-of-period target follows from the yearly targets."""

    SUM = "sum"  # documents, reports, people: what the three years add up to
    LAST = "last"  # percents, indices, rates: the level reached in the last year


def end_mode(satuan: str, figures: Iterable[Figure] = (), indikator: str = "") -> EndMode:
    """Percent, index, per-period rate and maintained-stock indicators end at the last
    year's level; counted outputs add up (TC-27: ``4 + 6 + 4 dokumen`` → ``14 dokumen``)."""
    unit = _unit_key(satuan)
    if unit in _PERCENT_UNITS or unit in _LEVEL_UNITS or "/" in unit:
        return EndMode.LAST
    if _STOCK_RE.search(indikator):
        return EndMode.LAST
    figs = [f for f in figures if f.value is not None]
    if figs and all(f.is_percent or f.is_rate for f in figs):
        return EndMode.LAST
    return EndMode.SUM


def end_of_period(values: Iterable[Decimal | None], mode: EndMode = EndMode.SUM) -> Decimal | None:
    """The period's figure from the yearly ones, in year order.

    ``SUM`` adds the years that have a figure (a year printed ``-`` or empty has none);
    ``LAST`` takes the last year that has one. ``None`` when no year has a figure.
    """
    given = [v for v in values if v is not None]
    if not given:
        return None
    return given[-1] if mode is EndMode.LAST else sum(given, Decimal(0))


@dataclass(frozen=True, slots=True)
class EndCheck:
    """The computed end-of-period figure beside the document's own.

    ``differs`` is None when one of the two is missing (nothing to compare).
    """

    computed: Decimal | None
    document: Decimal | None

    @property
    def differs(self) -> bool | None:
        if self.computed is None or self.document is None:
            return None
        return self.computed != self.document


def check_end(
    yearly: Iterable[Decimal | None], document: Decimal | None, mode: EndMode = EndMode.SUM
) -> EndCheck:
    return EndCheck(end_of_period(yearly, mode), document)


# --------------------------------------------------------------------------- TC-23/24


def ratio_per_year(
    targets: Mapping[int, Decimal | None],
    realised: Mapping[int, Decimal | None],
    polarity: str = "higher",
) -> dict[int, Decimal | None]:
    """TC-23 "Rasio Capaian": realisation against target per year, with the row's
    polarity (see :func:`app.domain.achievement.achievement`); None where either is missing.
    """
    years = sorted(set(targets) | set(realised))
    return {y: achievement(targets.get(y), realised.get(y), polarity) for y in years}


def absorption_per_year(
    budget: Mapping[int, Decimal | None], spending: Mapping[int, Decimal | None]
) -> dict[int, Decimal | None]:
    """TC-24 "Rasio antara Realisasi dan Anggaran": spending / budget × 100 per year."""
    years = sorted(set(budget) | set(spending))
    return {y: absorption(budget.get(y), spending.get(y)) for y in years}


def average_growth(values: Mapping[int, Decimal | None]) -> Decimal | None:
    """TC-24 "Rata-rata Pertumbuhan": the mean of the year-on-year growth rates, in percent.

    Growth of year *t* = (x_t − x_{t−1}) / x_{t−1} × 100, for consecutive years that both
    have a figure (and a non-zero base); the mean is rounded to two decimals. The seed
    computes it over the years with complete figures: the Bagian Organisasi's "Program
    Penunjang" has budget 275.461.700 → 339.070.750 and spending 266.211.005 →
    327.925.426 for 2021 → 2022, printed as 23 % and 23 % (23,09 and 23,18).
    """
    years = sorted(y for y, v in values.items() if v is not None)
    rates: list[Decimal] = []
    for prev, cur in itertools.pairwise(years):
        base = values[prev]
        now = values[cur]
        if cur != prev + 1 or base is None or now is None or base == 0:
            continue
        rates.append((now - base) / base * HUNDRED)
    if not rates:
        return None
    mean = sum(rates, Decimal(0)) / len(rates)
    return mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
