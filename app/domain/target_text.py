"""Reading the target cells of the RAD PUG action matrix.

The official matrix (Perbup Lumajang No. 3/2023, Tabel 4.2) writes targets as free text,
often with a sex/disability breakdown: "20 jenis produk dari 15 IKM laki - laki, 5 IKM
perempuan" or "30 orang terdiri dari 20 orang laki - laki, 9 orang perempuan, 1
disabilitas". Monitoring needs the numbers, Pokja needs the text exactly as the regulation
wrote it, so :func:`parse_target` keeps both and says plainly what it could not read.

Percentage shares of men and women ("(75% Perempuan dan 25% Laki-laki)", "L = 50% P = 50%")
appear in the indicator or remarks columns rather than in the target cells; they describe
the intended composition of participants, not an amount, so :func:`parse_share` returns
them separately as a :class:`~app.domain.breakdown.Breakdown` of percents.

This module is pure (no Qt, no I/O) so the seed converter, the loader and the UI can all
use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from app.domain.breakdown import Breakdown
from app.domain.numbers import NumberError, parse_number

__all__ = ["ParsedTarget", "parse_share", "parse_target"]

# A figure as printed: digits with dot/comma groups ("1.200", "268,08", "54.8").
_NUM = r"\d+(?:[.,]\d+)*"
_MALE = r"laki\s*-\s*laki|laki\s+laki|laki2|pria"
_FEMALE = r"perempuan|wanita"
_DISABLED = r"(?:penyandang\s+)?disabilitas|difabel"
_LABEL = rf"(?P<label>{_MALE}|{_FEMALE}|{_DISABLED})"
# Up to three plain words between a figure and its label: "15 IKM laki - laki",
# "20 orang perempuan", "5 IKM disabilitas".
_FILLER = r"(?:[^\W\d]+\.?\s+){0,3}?"

# "<figure> [%] [words] <label>"
_NUM_THEN_LABEL = re.compile(
    rf"(?<![\d.,])(?P<num>{_NUM})\s*(?P<pct>%?)\s*{_FILLER}{_LABEL}", re.IGNORECASE
)
# "<label> [: = ;] <figure> [%]" as in "siswa laki-laki : 5653" or "Perempuan ; 30%".
_LABEL_THEN_NUM = re.compile(
    rf"{_LABEL}\s*[:=;]?\s*[:=;]?\s*(?P<num>{_NUM})\s*(?P<pct>%?)", re.IGNORECASE
)
# Single-letter labels are only trusted with a percent sign: "L = 50% P = 50%".
_LETTER_THEN_PCT = re.compile(
    rf"(?<![\w])(?P<label>[LP])\s*[:=]\s*(?P<num>{_NUM})\s*(?P<pct>%)", re.IGNORECASE
)
# "Laki - laki : Perempuan = 30 : 30", "Perempuan :Laki-laki 50%:50%" and "laki2 dan
# perempuan 50% - 50%": two labels, then two figures in the same order.
_RATIO = re.compile(
    rf"(?P<a>{_MALE}|{_FEMALE})\s*(?::|dan|&|/)\s*(?P<b>{_MALE}|{_FEMALE})\D{{0,40}}?"
    rf"(?P<m>{_NUM})\s*%?\s*[:\-–]\s*(?P<f>{_NUM})",
    re.IGNORECASE,
)
# "laki-laki dan perempuan" after a figure means both sexes together, not a part.
_BOTH_AFTER = re.compile(rf"^\s*(?:dan|&|/|,)\s*(?:{_FEMALE})", re.IGNORECASE)
_LEAD = re.compile(rf"^\(?\s*(?P<num>{_NUM})\s*(?P<pct>%?)")
_ANY_NUM = re.compile(rf"(?<![\d.,]){_NUM}")
_EMPTY = {"", "-", "–", "—"}


@dataclass(frozen=True, slots=True)
class ParsedTarget:
    """One target cell: the text as written plus what could be read from it.

    ``ok`` is False only when the text contains something that looks like a figure but
    cannot be read (``"#####"``, ``"1.2.3"``); such cells must be checked by a person.
    ``problem`` is an English note for the converter's review file, or None.
    """

    text: str
    breakdown: Breakdown
    is_percent: bool
    ok: bool
    problem: str | None = None


def _clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").replace("\u00a0", " ")).strip()


def _label_key(label: str) -> str:
    low = label.lower()
    if re.fullmatch(_MALE, low) or low == "l":
        return "male"
    if re.fullmatch(_FEMALE, low) or low == "p":
        return "female"
    return "disabled"


def _ratio(text: str) -> tuple[dict[str, Decimal], list[tuple[int, int]]] | None:
    """Read a two-label ratio, pairing the figures with the labels in written order."""
    m = _RATIO.search(text)
    if not m:
        return None
    first, second = _label_key(m.group("a")), _label_key(m.group("b"))
    x, y = _number(m.group("m")), _number(m.group("f"))
    if first == second or x is None or y is None:
        return None
    return {first: x, second: y}, [m.span("m"), m.span("f")]


def _number(raw: str) -> Decimal | None:
    try:
        return parse_number(raw)
    except NumberError:
        return None


def _labelled_parts(
    text: str, *, percent: bool
) -> tuple[dict[str, Decimal], list[tuple[int, int]]]:
    """Find "<figure> <label>" (or "<label> <figure>") pairs.

    Returns the first figure per label and the character spans of the figures used, so
    the caller can tell which figures were left unexplained. With ``percent`` only figures
    carrying a ``%`` count.
    """
    ratio = _ratio(text)
    if ratio and not percent:
        return ratio

    def collect(pattern: re.Pattern[str]) -> tuple[dict[str, Decimal], list[tuple[int, int]]]:
        parts: dict[str, Decimal] = {}
        spans: list[tuple[int, int]] = []
        for m in pattern.finditer(text):
            if percent and not m.group("pct"):
                continue
            # "100% laki-laki dan perempuan" is a figure for both sexes, not a part.
            if pattern is _NUM_THEN_LABEL and _BOTH_AFTER.match(text[m.end() :]):
                continue
            key = _label_key(m.group("label"))
            value = _number(m.group("num"))
            if value is None or key in parts:
                continue
            parts[key] = value
            spans.append(m.span("num"))
        return parts, spans

    # Both writing orders occur ("15 IKM laki - laki, 5 IKM perempuan" and
    # "Laki-laki 50 % Perempuan 50 %"); the order that pairs more figures wins.
    parts, spans = collect(_NUM_THEN_LABEL)
    other = collect(_LABEL_THEN_NUM)
    if len(other[0]) > len(parts):
        parts, spans = other
    if not parts and percent:
        parts, spans = collect(_LETTER_THEN_PCT)
    return parts, spans


def parse_target(text: str | None) -> ParsedTarget:
    """Read one target cell of the matrix; never raises.

    A bare figure (``"1.200"``, ``"268,08"``, ``"100%"``) gives the total and no parts.
    A leading figure followed by labelled figures gives total and parts
    (``"20 jenis produk dari 15 IKM laki - laki, 5 IKM perempuan"`` → 20 / 15 / 5).
    When only parts are written the total is their sum, and the note says so. Parts that
    do not add up to the total are kept as written: the caller reports them.
    """
    s = _clean(text)
    if s in _EMPTY:
        return ParsedTarget(s, Breakdown(), False, True, None)
    try:
        total = parse_number(s)
    except NumberError:
        pass
    else:
        return ParsedTarget(s, Breakdown(total=total), s.endswith("%"), True, None)

    parts, spans = _labelled_parts(s, percent=False)
    lead = _LEAD.match(s)
    total = None
    is_percent = False
    notes: list[str] = []
    if lead:
        lead_span = lead.span("num")
        is_percent = bool(lead.group("pct"))
        if lead_span in spans:
            # The first figure is itself a labelled part ("15 laki-laki, 5 perempuan").
            notes.append("no total written; total is the sum of the parts")
        else:
            total = _number(lead.group("num"))
            if total is None:
                return ParsedTarget(
                    s,
                    Breakdown(),
                    False,
                    False,
                    f"leading figure {lead.group('num')!r} is not a number",
                )
            spans.append(lead_span)
    elif parts:
        notes.append("no total written; total is the sum of the parts")
    elif re.search(r"\d|#", s):
        return ParsedTarget(s, Breakdown(), False, False, "figures present but no total found")
    else:
        return ParsedTarget(s, Breakdown(), False, True, "no figure in the text")

    breakdown = Breakdown(total=total, **parts).completed()
    unused = [
        m.group(0) for m in _ANY_NUM.finditer(s) if not any(a <= m.start() < b for a, b in spans)
    ]
    if unused:
        notes.append("figures not used: " + ", ".join(unused))
    return ParsedTarget(s, breakdown, is_percent, True, "; ".join(notes) or None)


def parse_share(text: str | None) -> Breakdown | None:
    """Percent shares of men, women and people with disabilities named in a text.

    ``"(75% Perempuan dan 25% Laki-laki)"`` → male 25, female 75, total 100.
    ``"L = 50% P = 50%"`` and ``"Laki-laki 50 % Perempuan 50 %"`` are read too, and so is
    a ratio such as ``"laki-laki dan perempuan sebesar 60 : 40"``. The total is always
    100 (a share is of everyone); parts that do not sum to 100 are kept as written.
    Returns None when the text names no share.
    """
    s = _clean(text)
    if not s:
        return None
    ratio = _ratio(s)
    if ratio and sum(ratio[0].values()) == 100:
        parts = ratio[0]
    else:
        parts, _ = _labelled_parts(s, percent=True)
    if not parts:
        return None
    return Breakdown(total=Decimal(100), **parts)
