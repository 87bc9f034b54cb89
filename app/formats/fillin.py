"""Reading a filled-in workbook (buku kerja isian) from an OPD without the app.

The workbook is made by ``app/reports/fillin_xlsx.py`` with the layout defined here.
It carries no signature, so everything is checked from its cells, strictly:

* the same caps as signed packages before anything is parsed (file size, zip
  directory, compression ratio, CRC of every entry; ``container.check_container``), then
  every XML part streamed through defusedxml with DTDs forbidden, and only then
  openpyxl (read-only);
* formulas are looked for, not evaluated: the workbook is read with
  ``data_only=False`` so that a formula typed in an input cell is seen and refused
  (``data_only=True`` would silently hand over whatever value was cached);
* every problem is collected, not only the first, and each names the sheet, the row
  and the column in Indonesian ("Lembar 'Isian', baris 14, kolom L (Perempuan): …");
* numbers go through ``numbers.parse_number`` and breakdowns through
  ``Breakdown.validate`` — the rules of the entry form;
* the rows must be exactly the OPD's rows (by stable key) in Pokja's database
  (checked by ``app/services/fillin_content.py``, which needs the database).

That service turns the workbook into a content dict of the same shape as a signed
submission (format v1), so the importer merges it with the same code. Only the
whole-year realisation (semester 0) comes from the workbook; the OPD's semester figures,
proposed targets and ARG answers already in the database are carried over unchanged.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.domain.breakdown import Breakdown, BreakdownError
from app.domain.numbers import NumberError, decimal_text
from app.domain.printable import shown_name
from app.domain.text_policy import visible
from app.formats.canonical_json import SubmissionError, canonical_bytes
from app.formats.container import Limits, check_container
from app.formats.fillin_cells import count as _count
from app.formats.fillin_cells import free_text as _free_text
from app.formats.fillin_cells import message as _message
from app.formats.fillin_cells import money as _money
from app.formats.fillin_cells import unreadable_numbers
from app.formats.refusal import refusing
from app.formats.sheet_scan import opened_workbook, real_cells, scan_xml

# ------------------------------------------------------------------ layout (shared with the writer)
FORMAT = "monev-radpug-isian"
FORMAT_VERSION = 1
DATA_SHEET = "Isian"
META_SHEET = "Monev"
COVER_SHEET = "Petunjuk"
HEADER_ROW = 4
FIRST_ROW = 5
META_KEYS_ROW = 13  # row keys listed in column A from here, one per line
MAX_ERRORS = 200  # listed in the refusal; the rest are counted


@dataclass(frozen=True)
class Column:
    letter: str
    title: str
    width: float
    field: str = ""  # content field of an input column; "" for locked columns
    kind: str = "text"  # "key", "text", "count" (decimal >= 0) or "money" (whole Rupiah)


COLUMNS: tuple[Column, ...] = (
    Column("A", "Kunci baris", 14, kind="key"),
    Column("B", "No", 5),
    Column("C", "Program", 13),
    Column("D", "Kegiatan", 14),
    Column("E", "Sub Kegiatan", 14),
    Column("F", "Aktivitas", 18),
    Column("G", "Indikator", 20),
    Column("H", "Satuan", 8),
    Column("I", "Target", 14),
    Column("J", "Realisasi Total", 9, "total", "count"),
    Column("K", "Laki-laki", 8, "male", "count"),
    Column("L", "Perempuan", 8.5, "female", "count"),
    Column("M", "Disabilitas", 8.5, "disabled", "count"),
    Column("N", "Anggaran (Rp)", 12, "budget", "money"),
    Column("O", "Realisasi Anggaran (Rp)", 12, "spending", "money"),
    Column("P", "Bukti Dukung", 16, "evidence"),
    Column("Q", "Catatan", 16, "note"),
)
INPUT_COLUMNS = tuple(c for c in COLUMNS if c.field)
_BY_FIELD = {c.field: c for c in INPUT_COLUMNS}

# Meta sheet: name in column A, value in column B, in this order.
META_FIELDS = (
    "format",
    "format_version",
    "workbook_id",
    "exported_at",
    "app_version",
    "opd_code",
    "opd_name",
    "plan_code",
    "plan_start_year",
    "plan_end_year",
    "year",
)
_META_INTS = {"format_version", "plan_start_year", "plan_end_year", "year"}


class NotFillin(SubmissionError):
    """A sound workbook that is not one of ours (no marker sheet)."""


class FillinError(SubmissionError):
    """A fill-in workbook refused; ``errors`` lists every problem found."""

    def __init__(self, errors: list[str]) -> None:
        shown = errors[:MAX_ERRORS]
        if len(errors) > MAX_ERRORS:
            shown.append(f"… dan {len(errors) - MAX_ERRORS} kesalahan lain.")
        super().__init__(
            f"Buku kerja isian ditolak ({len(errors)} kesalahan); tidak ada data yang "
            "disimpan. Perbaiki lalu kirim ulang:\n" + "\n".join(shown)
        )
        self.errors = errors


@dataclass(frozen=True)
class Line:
    """One data line: its sheet row, stable key and parsed input values."""

    row: int
    key: str
    breakdown: Breakdown
    budget: Decimal | None
    spending: Decimal | None
    evidence: str
    note: str

    @property
    def is_empty(self) -> bool:
        return (
            self.breakdown.is_empty
            and self.budget is None
            and self.spending is None
            and not self.evidence
            and not self.note
        )


@dataclass(frozen=True)
class FillinWorkbook:
    """What a valid fill-in workbook holds (cells read and checked, DB not yet asked)."""

    workbook_id: str
    exported_at: datetime
    opd_code: str
    opd_name: str
    plan_code: str
    plan_start_year: int
    plan_end_year: int
    year: int
    keys: list[str]
    lines: list[Line] = field(default_factory=list)

    @property
    def values_hash(self) -> str:
        """Hash of what was filled in (not of the file): the same data imports once."""
        data = {
            "opd": self.opd_code,
            "plan": self.plan_code,
            "year": self.year,
            "rows": {
                ln.key: [
                    decimal_text(ln.breakdown.total),
                    decimal_text(ln.breakdown.male),
                    decimal_text(ln.breakdown.female),
                    decimal_text(ln.breakdown.disabled),
                    decimal_text(ln.budget),
                    decimal_text(ln.spending),
                    ln.evidence,
                    ln.note,
                ]
                for ln in self.lines
                if not ln.is_empty
            },
        }
        return hashlib.sha256(canonical_bytes(data)).hexdigest()


def where(sheet: str, row: int, col: Column) -> str:
    return f"Lembar '{sheet}', baris {row}, kolom {col.letter} ({col.title})"


def _cell(letter: str, row: int) -> str:
    """``where`` for a cell of the data sheet named by its letters (any column)."""
    col = next((c for c in COLUMNS if c.letter == letter), None)
    if col is None:
        return f"Lembar '{DATA_SHEET}', baris {row}, kolom {letter}"
    return where(DATA_SHEET, row, col)


# ------------------------------------------------------------------ cell values
def _meta_int(name: str, value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(name)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise ValueError(name)


# ------------------------------------------------------------------ reading
def _read_meta(ws: Any) -> tuple[dict[str, Any], list[str]]:
    meta: dict[str, Any] = {}
    keys: list[str] = []
    for r, row in enumerate(ws.iter_rows(min_row=1, max_col=2, values_only=True), start=1):
        if r <= len(META_FIELDS):
            if row and row[0] == META_FIELDS[r - 1]:
                meta[META_FIELDS[r - 1]] = row[1] if len(row) > 1 else None
        elif r >= META_KEYS_ROW:
            v = row[0] if row else None
            if v is None or v == "":
                break
            keys.append(str(v))
    return meta, keys


@refusing()
def read_workbook(path: str | Path, limits: Limits | None = None) -> FillinWorkbook:
    """Read and check a filled-in workbook's cells (the database is not asked here).

    Raises :class:`NotFillin` when the workbook is not a fill-in workbook,
    :class:`FillinError` listing every problem in its cells, and
    :class:`SubmissionError` for a damaged or unsafe file, and nothing else (anything
    unforeseen becomes a ``SubmissionError`` too, with its traceback logged).
    """
    file = Path(path)
    limits = limits or Limits()
    names = list(check_container(file, limits))
    scan_xml(file, names)
    odd = unreadable_numbers(file, DATA_SHEET)
    if odd:  # openpyxl would raise on them without naming the cell
        raise FillinError(
            [
                f"{_cell(col, row)}: '{visible(text[:40])}' bukan angka yang sah."
                for col, row, text in odd
            ]
        )
    with opened_workbook(file, data_only=False) as wb:
        return _read(wb)


def _read(wb: Any) -> FillinWorkbook:
    if META_SHEET not in wb.sheetnames:
        raise NotFillin("Buku kerja ini bukan buku kerja isian Monev RAD PUG.")
    meta, keys = _read_meta(real_cells(wb[META_SHEET]))
    if meta.get("format") != FORMAT:
        raise NotFillin("Buku kerja ini bukan buku kerja isian Monev RAD PUG.")
    bad_meta = SubmissionError(
        f"Lembar tersembunyi '{META_SHEET}' rusak atau diubah; buku kerja ditolak. Minta "
        "Pokja membuat buku kerja isian baru."
    )
    try:
        ints = {k: _meta_int(k, meta.get(k)) for k in _META_INTS}
        texts = {
            k: str(meta[k]).strip()
            for k in ("workbook_id", "opd_code", "opd_name", "plan_code", "exported_at")
        }
        exported = datetime.fromisoformat(texts["exported_at"])
    except (KeyError, ValueError):
        raise bad_meta from None
    if ints["format_version"] != FORMAT_VERSION:
        raise SubmissionError(
            f"Versi buku kerja isian {ints['format_version']} tidak dikenal oleh aplikasi ini; "
            "perbarui aplikasi Pokja."
        )
    if not keys or not all(texts.values()):
        raise bad_meta
    if DATA_SHEET not in wb.sheetnames:
        raise FillinError([f"Lembar '{DATA_SHEET}' tidak ada (diganti nama atau dihapus)."])
    errors: list[str] = []
    lines = _read_lines(real_cells(wb[DATA_SHEET]), keys, errors)
    if errors:
        raise FillinError(errors)
    return FillinWorkbook(
        workbook_id=texts["workbook_id"],
        exported_at=exported,
        opd_code=texts["opd_code"],
        opd_name=texts["opd_name"],
        plan_code=texts["plan_code"],
        plan_start_year=ints["plan_start_year"],
        plan_end_year=ints["plan_end_year"],
        year=ints["year"],
        keys=keys,
        lines=lines,
    )


def _read_lines(ws: Any, keys: list[str], errors: list[str]) -> list[Line]:
    sheet = DATA_SHEET
    width = len(COLUMNS)
    lines: list[Line] = []
    expected = set(keys)
    seen: dict[str, int] = {}
    for r, cells in enumerate(ws.iter_rows(min_row=HEADER_ROW, max_col=width), start=HEADER_ROW):
        cells = tuple(cells) + (None,) * (width - len(cells))
        values = [getattr(c, "value", None) for c in cells]
        if r == HEADER_ROW:
            for col, v in zip(COLUMNS, values, strict=True):
                if (v or "") != col.title:
                    errors.append(
                        f"Lembar '{sheet}', baris {r}, kolom {col.letter}: judul kolom diubah "
                        f"(seharusnya '{col.title}'); susunan kolom tidak boleh diubah."
                    )
            continue
        if r < FIRST_ROW:
            continue
        key_col = COLUMNS[0]
        typed = [(col, c, v) for col, c, v in zip(COLUMNS, cells, values, strict=True)]
        inputs = [(col, c, v) for col, c, v in typed if col.field]
        if values[0] in (None, "") and all(v in (None, "") for _col, _c, v in inputs):
            continue  # a blank line below the table
        row_errors: list[str] = []
        for col, c, v in typed:
            if (col.field or col is key_col) and getattr(c, "data_type", None) == "f":
                row_errors.append(
                    f"{where(sheet, r, col)}: berisi rumus ({str(v)[:40]}); rumus tidak "
                    "diterima, tulis nilainya saja."
                )
        key = values[0]
        if not isinstance(key, str) or not key.strip():
            row_errors.append(
                f"{where(sheet, r, key_col)}: kunci baris kosong; baris tidak boleh "
                "ditambahkan atau disalin."
            )
        elif key not in expected:
            row_errors.append(
                f"{where(sheet, r, key_col)}: kunci '{shown_name(key[:64])}' bukan baris buku "
                "kerja ini; "
                "baris tidak boleh diubah, ditambahkan atau disalin dari buku kerja lain."
            )
        elif key in seen:
            row_errors.append(
                f"{where(sheet, r, key_col)}: kunci '{shown_name(key)}' sudah ada di baris "
                f"{seen[key]}."
            )
        else:
            seen[key] = r
        if row_errors:
            errors.extend(row_errors)
            continue
        parsed: dict[str, Any] = {}
        for col, _c, v in inputs:
            try:
                if col.kind == "count":
                    parsed[col.field] = _count(v)
                elif col.kind == "money":
                    parsed[col.field] = _money(v)
                else:
                    parsed[col.field] = _free_text(v)
            except NumberError as exc:
                errors.append(f"{where(sheet, r, col)}: {_message(v, exc)}")
                parsed[col.field] = _FAILED
        if any(v is _FAILED for v in parsed.values()):
            continue
        b = Breakdown(parsed["total"], parsed["male"], parsed["female"], parsed["disabled"])
        try:
            b.validate()
        except BreakdownError as exc:
            errors.append(f"{where(sheet, r, _BY_FIELD[exc.field or 'total'])}: {exc}")
            continue
        lines.append(
            Line(
                r,
                str(key),
                b.completed(),
                parsed["budget"],
                parsed["spending"],
                parsed["evidence"],
                parsed["note"],
            )
        )
    for key in keys:
        if key not in seen:
            errors.append(
                f"Lembar '{sheet}': baris dengan kunci '{key}' hilang; baris tidak boleh dihapus."
            )
    return lines


_FAILED = object()


__all__ = [
    "COLUMNS",
    "COVER_SHEET",
    "DATA_SHEET",
    "FIRST_ROW",
    "FORMAT",
    "FORMAT_VERSION",
    "HEADER_ROW",
    "INPUT_COLUMNS",
    "META_FIELDS",
    "META_KEYS_ROW",
    "META_SHEET",
    "Column",
    "FillinError",
    "FillinWorkbook",
    "Line",
    "NotFillin",
    "read_workbook",
    "where",
]
