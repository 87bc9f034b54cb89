"""Indonesian number parsing and formatting.

Indonesian documents write ``1.200`` for one thousand two hundred and ``268,08`` for
268.08. Users type the same way, so every figure that enters the app goes through
:func:`parse_number`, and every figure shown goes through :func:`format_number` or
:func:`format_rupiah`.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = [
    "LARGEST_FRACTIONAL",
    "LARGEST_WHOLE",
    "MAX_DECIMALS",
    "MAX_DIGITS",
    "MAX_DIGITS_WITH_DECIMALS",
    "NumberError",
    "check_count",
    "check_figure",
    "check_money",
    "decimal_text",
    "format_number",
    "format_percent",
    "format_rupiah",
    "parse_number",
    "text_decimal",
]


class NumberError(ValueError):
    """A text that is not a number; the message is Indonesian and shown to users."""


# ------------------------------------------------------------------ what is stored exactly
# Measured (tests/domain/test_numbers.py::test_the_limits_are_what_sqlite_keeps): SQLAlchemy's
# Numeric on SQLite goes through a binary float and reads back with ``"%.4f"`` (counts,
# Numeric(18, 4)) or ``"%.0f"`` (money, Numeric(18, 0)). A float holds every whole number
# up to 2**53 (16 digits, not all of them), and keeps four decimals exact only while the
# value stays below about 4.5e11. Hence one rule for every figure on every path (form,
# fill-in workbook, signed submission, matrix package): whole numbers up to 15 digits;
# with a decimal part at most 4 decimals and 11 digits before the comma. PostgreSQL is
# exact, but a file valid there must stay valid on a focal point's SQLite.
MAX_DIGITS = 15
MAX_DECIMALS = 4
MAX_DIGITS_WITH_DECIMALS = 11
LARGEST_WHOLE = Decimal(10**MAX_DIGITS - 1)
LARGEST_FRACTIONAL = Decimal(10**MAX_DIGITS_WITH_DECIMALS) - Decimal(1).scaleb(-MAX_DECIMALS)
_STEP = Decimal(1).scaleb(-MAX_DECIMALS)
WHOLE_ONLY = "isikan Rupiah penuh, tanpa sen."


def check_figure(value: Decimal, *, whole: bool = False) -> Decimal:
    """Return ``value`` when the database stores it exactly, else raise :class:`NumberError`.

    ``whole`` asks for whole Rupiah. Infinite and NaN values, more than four decimals and
    figures too long to store exactly are refused with an Indonesian reason (the caller
    adds the field's name). The sign is the caller's business.
    """
    if not value.is_finite():
        raise NumberError("bukan angka yang sah.")
    size = abs(value)
    # Magnitude first: quantize() on 1E+308 would overflow the decimal context.
    if size > LARGEST_WHOLE:
        raise NumberError(
            f"angka terlalu besar untuk disimpan dengan tepat: paling banyak {MAX_DIGITS} "
            f"angka (terbesar {format_number(LARGEST_WHOLE)})."
        )
    integral = value == value.to_integral_value()
    if whole and not integral:
        raise NumberError(WHOLE_ONLY)
    if value != value.quantize(_STEP):
        raise NumberError(f"paling banyak {MAX_DECIMALS} angka di belakang koma.")
    if not integral and size > LARGEST_FRACTIONAL:
        raise NumberError(
            "angka berkoma terlalu besar untuk disimpan dengan tepat: bila ada angka di "
            f"belakang koma, paling banyak {MAX_DIGITS_WITH_DECIMALS} angka di depan koma "
            f"(terbesar {format_number(LARGEST_FRACTIONAL)}). Bulatkan angkanya."
        )
    return value


def check_count(value: Decimal | None) -> Decimal | None:
    """A count (people, units, percentages): not negative and stored exactly."""
    if value is None:
        return None
    check_figure(value)
    if value < 0:
        raise NumberError(f"tidak boleh negatif ({format_number(value)}).")
    return value


def check_money(value: Decimal | None) -> Decimal | None:
    """Rupiah: whole, not negative, stored exactly; returned without a decimal part."""
    if value is None:
        return None
    check_figure(value, whole=True)
    if value < 0:
        raise NumberError(f"tidak boleh negatif ({format_number(value)}).")
    return value.quantize(Decimal(1))


_EMPTY = {"", "-", "–", "—"}
# Thousands grouped with dots (1.200 / 1.234.567), optional decimal comma.
_ID_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
# Thousands grouped with commas, as the Renstra seed prints Rupiah (1,368,676,135).
_EN_GROUPED = re.compile(r"^\d{1,3}(,\d{3}){2,}(\.\d+)?$")
_PLAIN_COMMA = re.compile(r"^\d+(,\d+)?$")
_PLAIN_DOT = re.compile(r"^\d+\.\d+$")


def parse_number(text: str | None, *, allow_negative: bool = False) -> Decimal | None:
    """Read a number written the Indonesian way; ``None`` for an empty or ``-`` cell.

    A trailing ``%`` and a leading ``Rp`` are accepted and dropped: the caller knows
    the unit. A single dot followed by exactly three digits is a thousands separator
    (``9.500`` is 9500), as in the official documents.
    """
    if text is None:
        return None
    s = text.strip()
    if s in _EMPTY:
        return None
    s = re.sub(r"^rp\.?\s*", "", s, flags=re.IGNORECASE)
    s = s.replace("\u00a0", " ").rstrip()
    if s.endswith("%"):
        s = s[:-1].rstrip()
    s = s.replace(" ", "")
    negative = False
    if s.startswith(("-", "−")):
        negative = True
        s = s[1:]
    if not s:
        raise NumberError("Isian kosong setelah tanda; masukkan angka.")
    if _ID_GROUPED.match(s):
        normal = s.replace(".", "").replace(",", ".")
    elif _EN_GROUPED.match(s):
        normal = s.replace(",", "")
    elif _PLAIN_COMMA.match(s):
        normal = s.replace(",", ".")
    elif _PLAIN_DOT.match(s):
        normal = s
    else:
        raise NumberError(
            f"“{text.strip()}” bukan angka. Gunakan angka, misalnya 1.200 atau 268,08."
        )
    try:
        value = Decimal(normal)
    except InvalidOperation as exc:  # pragma: no cover - the patterns above exclude it
        raise NumberError(f"“{text.strip()}” bukan angka.") from exc
    if negative:
        if not allow_negative:
            raise NumberError(f"Nilai tidak boleh negatif: “{text.strip()}”.")
        value = -value
    return value


def _group(integer: str) -> str:
    parts = []
    while len(integer) > 3:
        parts.append(integer[-3:])
        integer = integer[:-3]
    parts.append(integer)
    return ".".join(reversed(parts))


def format_number(value: Decimal | int | float | None, decimals: int | None = None) -> str:
    """``1234567.5`` → ``1.234.567,5``; ``None`` → empty text.

    Without ``decimals`` the value keeps its own significant decimals (no trailing
    zeros), so a parsed ``268,08`` is shown exactly as typed.
    """
    if value is None:
        return ""
    d = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if decimals is not None:
        d = d.quantize(Decimal(1).scaleb(-decimals))
    elif d == d.to_integral_value():
        d = d.quantize(Decimal(1))
    else:
        d = d.normalize()
    sign = "-" if d < 0 else ""
    text = format(abs(d), "f")
    integer, _, frac = text.partition(".")
    out = sign + _group(integer)
    if frac:
        out += "," + frac
    return out


def format_rupiah(value: Decimal | int | None) -> str:
    """``1234567`` → ``Rp 1.234.567`` (no sen: budgets are whole Rupiah)."""
    if value is None:
        return ""
    return "Rp " + format_number(Decimal(value), decimals=0)


def format_percent(value: Decimal | float | None, decimals: int = 2) -> str:
    """``111.494`` → ``111,49 %``."""
    if value is None:
        return ""
    return format_number(Decimal(str(value)), decimals=decimals) + " %"


def decimal_text(v: Decimal | None) -> str | None:
    """Exact decimal text without padding zeros (``20.0000`` → ``20``), for storage and
    files; None stays None. Display goes through :func:`format_number` instead."""
    return None if v is None else format(v.normalize(), "f")


def text_decimal(v: str | int | None) -> Decimal | None:
    """The inverse of :func:`decimal_text` for values already checked to be plain decimals
    (canonical content, shipped plan data); None and "" read as no figure."""
    return None if v is None or v == "" else Decimal(str(v))
