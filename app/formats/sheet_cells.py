"""The cells a person reads in an xlsx package, read straight from its XML parts.

A signed submission lists these cells (``submission_manifest``) so that, when a sheet
was changed after signing, the refusal can name every cell that differs. The same reader
runs at export and at verification, so a cell compares equal exactly when its stored
value is unchanged. Input is hostile: every part is read through a caller-given reader
that caps sizes, and XML goes through defusedxml with DTDs refused.

A cell is kept as *typed text*: one letter for what a person sees, then the stored
text — ``n`` number, ``s`` text (shared or inline), ``b`` boolean, ``e`` error,
``d`` date, ``=`` a formula (its text). Empty cells are not listed.
"""

from __future__ import annotations

import io
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from defusedxml import ElementTree as SafeET

from app.domain.printable import shown_name

WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REF = re.compile(r"([A-Z]{1,3})([1-9]\d{0,6})")

# Reads one zip part by name: its bytes, or None when the package has no such part.
PartReader = Callable[[str], "bytes | None"]


class SheetReadError(Exception):
    """The sheets could not be read as a spreadsheet (only the part names can be given)."""


@dataclass
class Sheet:
    name: str
    part: str
    cells: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Layout:
    """Where the sheets live: (name, part) in workbook order, and the shared strings part."""

    sheets: list[tuple[str, str]]
    shared_strings: str | None

    @property
    def parts(self) -> set[str]:
        """Every part the cell values are read from."""
        out = {WORKBOOK, WORKBOOK_RELS} | {p for _, p in self.sheets}
        if self.shared_strings:
            out.add(self.shared_strings)
        return out


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _parse(data: bytes) -> Any:
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except Exception as exc:  # defusedxml, expat and value errors alike: not a sheet
        raise SheetReadError(str(exc)) from None


def _need(read: PartReader, name: str) -> bytes:
    data = read(name)
    if data is None:
        raise SheetReadError(f"missing {name}")
    return data


def _target(base_dir: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(base_dir, target))


def layout(read: PartReader) -> Layout:
    """The worksheets of the workbook in tab order (chart sheets and the like skipped)."""
    rels: dict[str, tuple[str, str]] = {}
    for el in _parse(_need(read, WORKBOOK_RELS)):
        if _local(el.tag) == "Relationship":
            kind = (el.get("Type") or "").rsplit("/", 1)[-1]
            rels[el.get("Id") or ""] = (kind, _target("xl", el.get("Target") or ""))
    shared = next((t for k, t in rels.values() if k == "sharedStrings"), None)
    sheets: list[tuple[str, str]] = []
    for el in _parse(_need(read, WORKBOOK)).iter():
        if _local(el.tag) != "sheet":
            continue
        kind, part = rels.get(el.get(f"{{{_REL_NS}}}id") or "", ("", ""))
        if kind == "worksheet":
            sheets.append((el.get("name") or "", part))
    return Layout(sheets, shared)


def _text_of(el: Any) -> str:
    """The text a person sees in a string item: its <t> runs, phonetic hints left out."""
    out: list[str] = []
    for child in el:
        name = _local(child.tag)
        if name == "t":
            out.append(child.text or "")
        elif name == "r":
            out.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(out)


def shared_strings(data: bytes | None) -> list[str]:
    if data is None:
        return []
    return [_text_of(si) for si in _parse(data) if _local(si.tag) == "si"]


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _letters(n: int) -> str:
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _typed(c: Any, strings: list[str]) -> str | None:
    kind = c.get("t") or "n"
    value: str | None = None
    formula: str | None = None
    inline: str | None = None
    for child in c:
        name = _local(child.tag)
        if name == "v":
            value = child.text or ""
        elif name == "f":
            formula = child.text or f"(rumus bersama {child.get('si') or ''})"
        elif name == "is":
            inline = _text_of(child)
    if formula is not None:
        return "=" + formula
    if kind == "inlineStr":
        return "s" + inline if inline else None
    if value is None:
        return None
    if kind == "s":
        try:
            text = strings[int(value)]
        except (ValueError, IndexError):
            return "e(rujukan teks rusak)"
        return "s" + text if text else None
    if kind == "str":
        return "s" + value if value else None
    if kind in ("b", "e", "d"):
        return kind + value
    return "n" + value


def sheet_cells(data: bytes, strings: list[str]) -> dict[str, str]:
    """Every non-empty cell of one worksheet part, by reference (``F12``)."""
    cells: dict[str, str] = {}
    row_no = 0
    try:
        for _event, el in SafeET.iterparse(io.BytesIO(data), forbid_dtd=True):
            name = _local(el.tag)
            if name != "row":
                continue
            r = el.get("r")
            row_no = int(r) if r and r.isdigit() else row_no + 1
            col = 0
            for c in el:
                if _local(c.tag) != "c":
                    continue
                m = _REF.fullmatch(c.get("r") or "")
                col = _column(m.group(1)) if m else col + 1
                typed = _typed(c, strings)
                if typed is not None:
                    cells[f"{_letters(col)}{row_no}"] = typed
            el.clear()
    except SheetReadError:
        raise
    except Exception as exc:  # any XML or value trouble: the sheet is not readable
        raise SheetReadError(str(exc)) from None
    return cells


MAX_SHEETS = 1000
MAX_XML = 64 * 1024 * 1024  # sheet XML parsed in all, so a hostile layout cannot loop


def read_sheets(read: PartReader, budget: int = MAX_XML) -> tuple[Layout, list[Sheet]]:
    """The layout and every worksheet's cells; raises SheetReadError if unreadable.

    At most ``budget`` bytes of XML are parsed in all (a workbook listing one large part
    under a thousand sheet names would otherwise be parsed a thousand times).
    """
    lay = layout(read)
    if len(lay.sheets) > MAX_SHEETS:
        raise SheetReadError("too many sheets")
    strings = shared_strings(read(lay.shared_strings) if lay.shared_strings else None)
    sheets = []
    for name, part in lay.sheets:
        data = _need(read, part)
        budget -= len(data)
        if budget < 0:
            raise SheetReadError("too much sheet XML")
        sheets.append(Sheet(name, part, sheet_cells(data, strings)))
    return lay, sheets


# ------------------------------------------------------------------ naming differences
def one_line(text: str, limit: int = 40) -> str:
    """Text safe to print on one line of a table: control and bidi characters escaped."""
    out = shown_name(text)
    return out if len(out) <= limit else out[: limit - 1] + "…"


def indonesian_number(text: str) -> str:
    """``9999999.5`` → ``9.999.999,5``; anything unusual is shown as written."""
    try:
        d = Decimal(text)
    except InvalidOperation:
        return one_line(text)
    if not d.is_finite() or abs(d.adjusted()) > 18:
        return one_line(text)
    sign, digits = ("-", format(-d, "f")) if d < 0 else ("", format(d, "f"))
    whole, _, frac = digits.partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + ("," + frac if frac else "")


def shown(typed: str | None) -> str:
    """How a typed cell reads in a refusal (Indonesian)."""
    if typed is None:
        return "kosong"
    kind, text = typed[:1], typed[1:]
    if kind == "n":
        return indonesian_number(text)
    if kind == "s":
        return f"“{one_line(text)}”"
    if kind == "=":
        return f"rumus ={one_line(text)}"
    if kind == "b":
        return "BENAR" if text.strip() in ("1", "true") else "SALAH"
    return one_line(text)


def _ref_order(ref: str) -> tuple[int, int]:
    m = _REF.fullmatch(ref)
    return (int(m.group(2)), _column(m.group(1))) if m else (0, 0)


def differences(signed: list[Sheet], actual: list[Sheet], limit: int = 10_000) -> list[str]:
    """Visible differences, sheet by sheet in tab order, cells by row then column.

    The first ``limit`` are described; beyond them only an empty string is listed per
    difference, so that a hostile sheet of a million cells costs counting, not text.
    """
    out: list[str] = []
    for i in range(max(len(signed), len(actual))):
        s = signed[i] if i < len(signed) else None
        a = actual[i] if i < len(actual) else None
        if s is None and a is not None:
            out.append(f"lembar tambahan “{one_line(a.name)}”")
            continue
        if a is None and s is not None:
            out.append(f"lembar “{one_line(s.name)}” hilang")
            continue
        assert s is not None and a is not None
        label = one_line(s.name)
        if a.name != s.name:
            out.append(f"lembar “{label}” berganti nama menjadi “{one_line(a.name)}”")
        for ref in sorted(set(s.cells) | set(a.cells), key=_ref_order):
            was, now = s.cells.get(ref), a.cells.get(ref)
            if was != now:
                out.append(
                    f"{label}!{ref} (tertanda {shown(was)}, di berkas {shown(now)})"
                    if len(out) < limit
                    else ""
                )
    return out


__all__ = [
    "MAX_SHEETS",
    "MAX_XML",
    "Layout",
    "PartReader",
    "Sheet",
    "SheetReadError",
    "differences",
    "indonesian_number",
    "layout",
    "one_line",
    "read_sheets",
    "shared_strings",
    "sheet_cells",
    "shown",
]
