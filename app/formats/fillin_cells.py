"""What one input cell of a fill-in workbook may hold, under the entry form's rules.

``app/formats/fillin.py`` walks the sheet; this module judges single cells. Figures go
through ``numbers.parse_number`` (text typed the Indonesian way) and then the one rule for
stored figures (``numbers.check_count`` / ``check_money``); texts through the one text
policy (``text_policy.clean_text``). Every refusal is a :class:`NumberError` with an
Indonesian reason, which the reader prefixes with the sheet, row and column.

One thing openpyxl cannot do is read a cell typed as a number whose text is no number
(``<v>NaN</v>``, ``<v>INF</v>``, 5,000 digits): it raises while iterating the sheet, so no
cell is named. :func:`unreadable_numbers` finds such cells in the sheet XML first.
"""

from __future__ import annotations

import math
import posixpath
import re
import zipfile
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as SafeET

from app.domain.numbers import NumberError, check_count, check_money, format_number, parse_number
from app.domain.realisation import MAX_TEXT
from app.domain.rupiah import parse_rupiah
from app.domain.text_policy import TextError, clean_text, visible

__all__ = ["count", "free_text", "message", "money", "number", "shown", "unreadable_numbers"]


def number(value: Any) -> Decimal | None:
    """A cell's number; ``NumberError`` (Indonesian) for anything else."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise NumberError(f"'{value}' bukan angka.")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NumberError("bukan angka yang sah.")
        return Decimal(repr(value))
    if isinstance(value, datetime | date | time):
        raise NumberError("berisi tanggal/waktu, bukan angka.")
    if isinstance(value, str):
        return parse_number(value)
    raise NumberError(f"'{visible(str(value)[:30])}' bukan angka.")


def count(value: Any) -> Decimal | None:
    """A count cell under the form's rule (``numbers.check_count``): stored exactly or refused."""
    return check_count(number(value))


def money(value: Any) -> Decimal | None:
    """A Rupiah cell under the form's rule: typed text read as the form reads it
    (``rupiah.parse_rupiah``: "Rp1.500.000,-", "45 juta"), then ``numbers.check_money``."""
    if isinstance(value, str):
        return parse_rupiah(value)
    return check_money(number(value))


def free_text(value: Any) -> str:
    """Evidence and notes: whatever the cell holds as text, under the form's text policy."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    elif isinstance(value, datetime):
        text = f"{value:%d-%m-%Y %H:%M}" if value.time() != time() else f"{value:%d-%m-%Y}"
    elif isinstance(value, date):
        text = f"{value:%d-%m-%Y}"
    elif isinstance(value, bool):
        text = "Ya" if value else "Tidak"
    elif isinstance(value, int | float):
        text = shown(value)
    else:
        text = str(value)
    try:
        return clean_text(text, MAX_TEXT)
    except TextError as exc:
        raise NumberError(str(exc)) from None


def message(value: Any, exc: NumberError) -> str:
    """``'dua' bukan angka`` — what was typed first, then what is wrong with it."""
    text = str(exc)
    quoted = shown(value)
    if not quoted or f"“{quoted}”" in text:
        return text  # parse_number already quotes what was typed
    return f"'{quoted[:40]}': {text}"


def shown(value: Any) -> str:
    """A cell value as a message quotes it: Indonesian notation for a number the form could
    hold, the cell's own notation for any other (1e+308, nan), forbidden characters made
    visible (a quoted NUL or bidi override would garble the message itself)."""
    if isinstance(value, str):
        return visible(value.strip())
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return visible(str(value))
    try:
        d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return repr(value)
    if d.is_finite() and abs(d) < Decimal(10) ** 27:  # format_number's quantize stays exact
        return format_number(d)
    return str(value) if isinstance(value, float) else "angka sangat besar"


# ------------------------------------------------------------------ cells openpyxl cannot read
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(r"([A-Z]{1,3})(\d{1,7})")


def _readable(kind: str, text: str) -> bool:
    """Whether openpyxl can turn a number (``n``) or boolean (``b``) cell's text into a
    value, as its ``_cast_number`` and ``bool(int(...))`` do."""
    try:
        if kind == "n" and ("." in text or "E" in text or "e" in text):
            float(text)
        else:
            int(text)  # ValueError too beyond Python's int-string limit
    except ValueError:
        return False
    return True


def _sheet_part(zf: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip part of the sheet named ``sheet``, from the workbook and its relationships."""
    book = SafeET.fromstring(zf.read("xl/workbook.xml"), forbid_dtd=True)
    rid = next(
        (s.get(f"{_REL}id") for s in book.iter(f"{_MAIN}sheet") if s.get("name") == sheet), None
    )
    if rid is None:
        return None
    rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"), forbid_dtd=True)
    for rel in rels.iter(f"{_PKG_REL}Relationship"):
        if rel.get("Id") == rid:
            target = rel.get("Target") or ""
            if target.startswith("/"):
                return target[1:]
            return posixpath.normpath(posixpath.join("xl", target))
    return None


def unreadable_numbers(path: Path, sheet: str) -> list[tuple[str, int, str]]:
    """``(column letters, row, text)`` of every cell of ``sheet`` typed as a number (or
    boolean) whose text openpyxl cannot read; ``[]`` when the sheet cannot be found (the
    reader then says what is wrong with the workbook itself)."""
    found: list[tuple[str, int, str]] = []
    try:
        with zipfile.ZipFile(path) as zf:
            part = _sheet_part(zf, sheet)
            if part is None or part not in zf.namelist():
                return []
            with zf.open(part) as fh:
                for _event, el in SafeET.iterparse(fh, forbid_dtd=True):
                    if el.tag != f"{_MAIN}c":
                        continue
                    v = el.find(f"{_MAIN}v")
                    text = v.text if v is not None else None
                    kind = el.get("t", "n")
                    if kind in ("n", "b") and text and not _readable(kind, text):
                        m = _REF.fullmatch(el.get("r") or "")
                        if m:
                            found.append((m.group(1), int(m.group(2)), text))
                    el.clear()
    except (KeyError, SafeET.ParseError, zipfile.BadZipFile, OSError, ValueError):
        return found  # the file's own damage is reported by the checks that follow
    return found
