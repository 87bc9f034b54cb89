"""Reading an untrusted workbook's sheets: XML scanned first, rows capped, real cells read.

Used by the fill-in reader (``fillin.py``) before and while openpyxl reads the cells:
every XML part is streamed through defusedxml with DTDs forbidden, a sheet declaring or
holding rows far beyond any fill-in workbook is refused from the XML alone, and the
sheets are then read to their real last row (not the declared ``<dimension>``), with a
cell openpyxl cannot decode refused as such.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from openpyxl import load_workbook

from app.domain.printable import shown_name
from app.formats.canonical_json import SubmissionError
from app.formats.container import NOT_XLSX, ZIP_CORRUPT

# No sheet of a fill-in workbook comes near this many rows (the largest OPD of the
# shipped RAD PUG plan has 456 rows). A sheet declaring or holding a row beyond it is
# refused while the XML is scanned, before openpyxl would walk every row up to it.
MAX_SHEET_ROWS = 10_000

_ROW_NUMBER = re.compile(r"\d+")
_ROW_TAGS = ("}row", "}c", "}dimension")  # elements naming a row: by number or by count


class _TooManyRows(Exception):
    def __init__(self, rows: int) -> None:
        self.rows = rows


def _row_number(ref: str) -> int:
    """The largest row number in a cell reference or range (``A1:Q24`` → 24)."""
    digits = _ROW_NUMBER.findall(ref)
    if any(len(d) > 9 for d in digits):
        return 10**9  # no sheet has that many rows; also keeps int() cheap
    return max((int(d) for d in digits), default=0)


def _check_rows(elem: Any, rows_seen: int) -> int:
    """Refuse a row beyond MAX_SHEET_ROWS, whether declared, numbered or counted."""
    tag = elem.tag if isinstance(elem.tag, str) else ""
    if not tag.endswith(_ROW_TAGS):
        return rows_seen
    if tag.endswith("}row"):
        rows_seen += 1
    ref = elem.get("ref" if tag.endswith("}dimension") else "r") or ""
    last = max(rows_seen, _row_number(ref))
    if last > MAX_SHEET_ROWS:
        raise _TooManyRows(last)
    return rows_seen


FILLIN_ADVICE = "Isikan data pada buku kerja isian dari Pokja tanpa menambah baris."
FILLIN_CELL_ADVICE = (
    "Isikan data pada buku kerja isian dari Pokja dengan Excel atau LibreOffice, lalu kirim ulang."
)


def scan_xml(path: Path, names: list[str], advice: str = FILLIN_ADVICE) -> None:
    """Stream every XML part through defusedxml before openpyxl sees any of it.

    Also refuses, from the XML alone, a sheet that declares or holds rows far beyond any
    fill-in workbook (``MAX_SHEET_ROWS``): openpyxl would walk every row up to the last
    one, so a small file naming row 1,000,000 cost seconds.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            for name in names:
                if not name.endswith((".xml", ".rels")):
                    continue
                rows_seen = 0
                with zf.open(name) as fh:
                    for _event, elem in SafeET.iterparse(fh, forbid_dtd=True):
                        rows_seen = _check_rows(elem, rows_seen)
                        elem.clear()
    except DefusedXmlException:
        raise SubmissionError(
            "Berkas memuat XML yang tidak aman (entitas/DTD); berkas ditolak tanpa dibaca."
        ) from None
    except _TooManyRows as exc:
        raise SubmissionError(
            f"Sebuah lembar di berkas ini menyatakan {exc.rows:,} baris, jauh melebihi yang "
            f"dapat dibaca aplikasi ini (paling banyak {MAX_SHEET_ROWS:,} baris); berkas "
            f"ditolak tanpa dibaca. {advice}"
        ) from None
    except (SafeET.ParseError, *ZIP_CORRUPT):
        raise SubmissionError(NOT_XLSX) from None


# What openpyxl raises while decoding a malformed cell: a number cell holding "NaN" or
# 5,000 digits, a shared-string index that does not exist, a bad date or reference.
_CELL_DECODING = (ValueError, IndexError, KeyError, TypeError, AttributeError, OverflowError)


class Sheet:
    """A read-only sheet read to its real last row, refusing a cell openpyxl cannot decode."""

    def __init__(self, ws: Any, advice: str = FILLIN_CELL_ADVICE) -> None:
        self.ws = ws
        self.title = str(ws.title)
        self.advice = advice

    def iter_rows(self, *, min_row: int = 1, **kw: Any) -> Iterator[Any]:
        rows = self.ws.iter_rows(min_row=min_row, **kw)
        r = min_row
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except _CELL_DECODING:
                raise SubmissionError(
                    f"Lembar '{shown_name(self.title)}', baris {r}: ada sel yang tidak dapat "
                    "dibaca (nilai atau jenis selnya rusak, misalnya diubah oleh program "
                    f"lain); buku kerja ditolak. {self.advice}"
                ) from None
            r += 1
            yield row


@contextmanager
def opened_workbook(file: Path, *, data_only: bool) -> Iterator[Any]:
    """openpyxl's read-only workbook over ``file`` (already scanned), always closed.

    The file is opened here, not by openpyxl, so that it is closed whatever openpyxl
    raises half-way (it would leave its own handle to the garbage collector).
    """
    with file.open("rb") as fh:
        try:
            wb = load_workbook(fh, read_only=True, data_only=data_only, keep_links=False)
        except Exception:  # openpyxl raises many kinds on a malformed package
            raise SubmissionError(NOT_XLSX) from None
        try:
            yield wb
        finally:
            wb.close()


def real_cells(ws: Any, advice: str = FILLIN_CELL_ADVICE) -> Sheet:
    """The sheet with its declared ``<dimension>`` forgotten, so every real cell is read.

    openpyxl (read-only) stops at the declared last row: rows below it, typed by hand or
    added by another program, were silently ignored. Scanning already refused a sheet
    with rows beyond MAX_SHEET_ROWS, so reading to the real last row stays cheap.
    """
    if not hasattr(ws, "reset_dimensions"):  # a chart sheet under the expected name
        raise SubmissionError(NOT_XLSX)
    ws.reset_dimensions()
    return Sheet(ws, advice)


__all__ = [
    "FILLIN_ADVICE",
    "FILLIN_CELL_ADVICE",
    "MAX_SHEET_ROWS",
    "Sheet",
    "opened_workbook",
    "real_cells",
    "scan_xml",
]
