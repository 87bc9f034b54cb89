"""Reading a plan matrix from an .xlsx workbook, as Pokja's matrices are laid out in practice.

A regency's action plan usually lives in a spreadsheet: a few title rows, a header over
one or two rows ("TARGET" merged over the years), then one row per indicator, with the
hierarchy (misi … sub kegiatan) and the OPD merged down over the rows they cover or
simply left blank under the row above. Columns come in any order and are recognised by
their header text; the caller may override the mapping found (a window shows it).

The workbook is untrusted (it may come from anywhere): the container is checked (sizes,
zip bomb, CRCs) and every XML part scanned with defusedxml before openpyxl reads it, and
the public reader raises only :class:`SubmissionError` with an Indonesian reason. Rows
that cannot be read are left out and listed as :class:`RowProblem` (sheet row + reason).
Nothing here knows the database: OPD names are returned as written, and the service
(``app.services.plan_import``) matches them to the catalogue and makes the row keys.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from app.domain.numbers import format_number
from app.domain.printable import shown_name
from app.domain.target_text import parse_share, parse_target
from app.domain.text_policy import FREE_TEXT_MAX, text_problem
from app.formats.container import Limits, check_container
from app.formats.plan_data import HIERARCHY, PLAN_FORMAT
from app.formats.refusal import SubmissionError, refusing
from app.formats.sheet_scan import opened_workbook, real_cells, scan_xml

# What a refused matrix workbook's sender should do (the fill-in advice does not apply).
PLAN_ADVICE = (
    "Simpan ulang matriks itu dengan Excel atau LibreOffice tanpa baris kosong berlebih, "
    "lalu impor lagi."
)

# The fields a column can hold, in the order the writer lays them out.
TEXT_FIELDS = ("aktivitas", "indikator", "satuan", "keterangan")
FIELDS = (
    "no",
    *HIERARCHY,
    "aktivitas",
    "indikator",
    "satuan",
    "polaritas",
    "opd",
    "keterangan",
)
REQUIRED = ("program", "kegiatan", "sub_kegiatan", "aktivitas", "indikator", "satuan", "opd")
# The header each field is written under (and the first name it is recognised by).
HEADERS = {
    "no": "NO",
    "misi": "MISI",
    "tujuan": "TUJUAN",
    "sasaran": "SASARAN",
    "program": "PROGRAM",
    "kegiatan": "KEGIATAN",
    "sub_kegiatan": "SUB KEGIATAN",
    "aktivitas": "AKTIVITAS",
    "indikator": "INDIKATOR",
    "satuan": "SATUAN",
    "polaritas": "POLARITAS",
    "opd": "PERANGKAT DAERAH (OPD)",
    "keterangan": "KETERANGAN",
}
TARGET_HEADER = "TARGET"
MAX_YEARS = 5
HEADER_SEARCH_ROWS = 40  # the header sits below a few title rows, never far down
# Header words (lower case, punctuation as spaces) → field. Exact matches first, then
# the prefixes in _PREFIXES, so "SUB KEGIATAN" is never taken for "KEGIATAN".
_EXACT = {
    "no": "no",
    "no urut": "no",
    "nomor": "no",
    "misi": "misi",
    "tujuan": "tujuan",
    "sasaran": "sasaran",
    "program": "program",
    "kegiatan": "kegiatan",
    "sub kegiatan": "sub_kegiatan",
    "subkegiatan": "sub_kegiatan",
    "aktivitas": "aktivitas",
    "aktifitas": "aktivitas",
    "indikator": "indikator",
    "satuan": "satuan",
    "opd": "opd",
    "perangkat daerah": "opd",
    "perangkat daerah opd": "opd",
    "opd penanggung jawab": "opd",
    "penanggung jawab": "opd",
    "keterangan": "keterangan",
    "ket": "keterangan",
    "polaritas": "polaritas",
    "polaritas indikator": "polaritas",
    "arah": "polaritas",
}
_PREFIXES = (
    ("sub kegiatan", "sub_kegiatan"),
    ("indikator", "indikator"),
    ("aktivitas", "aktivitas"),
    ("aktifitas", "aktivitas"),
    ("perangkat daerah", "opd"),
    ("opd", "opd"),
    ("satuan", "satuan"),
    ("keterangan", "keterangan"),
    ("polaritas", "polaritas"),
)
# An indicator's polarity as a person writes it (compared like headers) → PlanRow.polarity.
# The writer writes the first word of each (the app's own label).
POLARITY_WORDS = {
    "higher": ("semakin tinggi semakin baik", "naik", "tinggi", "positif", "higher"),
    "lower": ("semakin rendah semakin baik", "turun", "rendah", "negatif", "lower"),
}
POLARITY_TEXT = {"higher": "Semakin tinggi semakin baik", "lower": "Semakin rendah semakin baik"}
_YEAR = re.compile(r"(?:target\s+)?(?:tahun\s+|th\s+)?(20\d\d)")
_NUMBERING = re.compile(r"\(?\d{1,3}\)?")
_EMPTY_MARKS = {"-", "–", "—"}  # an explicitly empty hierarchy cell: not carried down
_UNIT_PERCENT = {"%", "persen", "presentase", "persentase"}


@dataclass(frozen=True)
class ColumnMapping:
    """Where each field was found: 1-based column numbers, and target year → column."""

    sheet: str
    header_rows: tuple[int, int]
    columns: dict[str, int]
    years: dict[int, int]
    # Every header column's text (both header rows), so a window can offer the columns
    # by letter and title when the person corrects the mapping.
    headers: dict[int, str] = field(default_factory=dict)

    def describe(self) -> list[tuple[str, int]]:
        """(header, column) pairs in sheet order, for a window or the CLI to show."""
        pairs = [(HEADERS[f], c) for f, c in self.columns.items()]
        pairs += [(f"{TARGET_HEADER} {y}", c) for y, c in self.years.items()]
        return sorted(pairs, key=lambda p: p[1])


@dataclass(frozen=True)
class RowProblem:
    """A sheet row that was left out (``skipped``) or read with a caveat."""

    row: int
    reason: str
    skipped: bool = True


@dataclass
class PlanWorkbook:
    """What the reader found: plan data (rows with OPDs as written), problems, mapping."""

    data: dict[str, Any]
    problems: list[RowProblem] = field(default_factory=list)
    mapping: ColumnMapping | None = None

    @property
    def years(self) -> list[int]:
        p = self.data["plan"]
        return list(range(p["start_year"], p["end_year"] + 1))


def norm_header(value: Any) -> str:
    """Header text compared: lower case, punctuation and line breaks as single spaces."""
    return " ".join(re.sub(r"[\W_]+", " ", str(value or "").casefold()).split())


def header_field(value: Any) -> str | None:
    text = norm_header(value)
    if not text:
        return None
    if text in _EXACT:
        return _EXACT[text]
    for prefix, name in _PREFIXES:
        if text.startswith(prefix):
            return name
    return None


def header_year(value: Any) -> int | None:
    m = _YEAR.fullmatch(norm_header(value))
    return int(m.group(1)) if m else None


def cell_text(cell: Any) -> str:
    """A cell as the text a person sees: numbers in Indonesian form, percents with %."""
    v = getattr(cell, "value", None)
    if v is None:
        return ""
    if isinstance(v, bool):
        return "Ya" if v else "Tidak"
    if isinstance(v, (int, float, Decimal)):
        try:
            d = Decimal(str(v))
        except InvalidOperation:
            return str(v)
        if "%" in str(getattr(cell, "number_format", "") or ""):
            return format_number(d * 100) + "%"
        return format_number(d)
    if isinstance(v, (datetime, date)):
        return v.strftime("%d-%m-%Y")
    return " ".join(str(v).replace("\u00a0", " ").split())


def header_text(cell: Any) -> str:
    """A header cell's text: a year typed as a number stays "2025" (not "2.025")."""
    v = getattr(cell, "value", None)
    if isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer():
        return str(int(v))
    return cell_text(cell)


# ------------------------------------------------------------------ the header
def _find_header(rows: list[list[str]]) -> tuple[int, dict[str, int], dict[int, int], int] | None:
    """(first header row, columns, years, last header row), 1-based; None if not found."""
    for i, cells in enumerate(rows):
        found: dict[str, int] = {}
        for c, text in enumerate(cells, start=1):
            name = header_field(text)
            if name and name not in found:
                found[name] = c
        if "indikator" not in found or "program" not in found:
            continue
        years = _years(cells)
        last = i
        if i + 1 < len(rows):
            below = rows[i + 1]
            filled = [t for t in below if t]
            # A second header row holds only header words and years (a data row holds
            # texts such as "Aktivitas 1" too, so every cell must look like a header).
            if filled and all(header_field(t) or header_year(t) for t in filled):
                last = i + 1
                if not years:
                    years = _years(below)
                for c, text in enumerate(below, start=1):
                    name = header_field(text)
                    if name and name not in found and not (c <= len(cells) and cells[c - 1]):
                        found[name] = c
        return i + 1, found, years, last + 1
    return None


def _years(cells: list[str]) -> dict[int, int]:
    out: dict[int, int] = {}
    for c, text in enumerate(cells, start=1):
        y = header_year(text)
        if y is not None and y not in out:
            out[y] = c
    return out


def _apply_override(
    columns: dict[str, int], years: dict[int, int], override: Mapping[str, int | None]
) -> None:
    """Field name (or a year as text) → column number; 0 or None removes the column."""
    for name, col in override.items():
        if name.isdigit():
            if col:
                years[int(name)] = int(col)
            else:
                years.pop(int(name), None)
        elif name in HEADERS:
            if col:
                columns[name] = int(col)
            else:
                columns.pop(name, None)
        else:
            raise SubmissionError(f"Kolom '{shown_name(name[:40])}' tidak dikenal.")


def _check_mapping(columns: dict[str, int], years: dict[int, int]) -> None:
    missing = [HEADERS[f] for f in REQUIRED if f not in columns]
    if missing:
        raise SubmissionError(
            "Kolom wajib tidak ditemukan: " + ", ".join(missing) + ". Beri judul kolom itu "
            "di baris judul tabel (atau pilih kolomnya sendiri), lalu baca ulang."
        )
    if not years:
        raise SubmissionError(
            "Tidak ada kolom target tahunan (judul berupa tahun, misalnya 2025, di bawah "
            "TARGET). Tambahkan tahunnya di baris judul, lalu baca ulang."
        )
    ys = sorted(years)
    if len(ys) > MAX_YEARS or ys != list(range(ys[0], ys[-1] + 1)):
        raise SubmissionError(
            f"Kolom target harus 1 sampai {MAX_YEARS} tahun berurutan; yang ditemukan: "
            + ", ".join(str(y) for y in ys)
            + "."
        )
    used = list(columns.values()) + list(years.values())
    if len(set(used)) != len(used):
        raise SubmissionError("Dua bidang menunjuk kolom yang sama; perbaiki pemetaan kolom.")


# ------------------------------------------------------------------ the rows
def _target(text: str, unit_percent: bool) -> tuple[dict[str, Any], bool]:
    parsed = parse_target(text)
    out: dict[str, Any] = {
        "text": parsed.text,
        "is_percent": parsed.is_percent or (unit_percent and not parsed.breakdown.is_empty),
    }
    out.update(parsed.breakdown.to_json())
    return out, parsed.ok


def _read_rows(
    sheet: Any, start: int, columns: dict[str, int], years: dict[int, int]
) -> tuple[list[dict[str, Any]], list[RowProblem]]:
    rows: list[dict[str, Any]] = []
    problems: list[RowProblem] = []
    carried = {lvl: "" for lvl in HIERARCHY}
    opd = ""
    last_col = max([*columns.values(), *years.values()])
    for r, cells in enumerate(sheet.iter_rows(min_row=start, max_col=last_col), start=start):
        texts = [cell_text(c) for c in cells]
        texts += [""] * (last_col - len(texts))
        values = {f: texts[c - 1] for f, c in columns.items()}
        targets = {y: texts[c - 1] for y, c in years.items()}
        if not any(values.values()) and not any(targets.values()):
            continue
        if _is_numbering(texts, len(columns) + len(years)):
            continue  # the (1) (2) … column-number row under the header
        # Carry the hierarchy down: a blank cell repeats the row above until a level
        # is written on this row; below that level a blank is really blank.
        written = False
        for lvl in HIERARCHY:
            raw = values.get(lvl, "")
            if raw:
                written = True
                carried[lvl] = "" if raw in _EMPTY_MARKS else raw
            elif written:
                carried[lvl] = ""
        if values.get("opd"):
            opd = values["opd"]
        own = [values.get(f, "") for f in ("no", *TEXT_FIELDS)]
        if not any(own) and not any(targets.values()):
            continue  # a heading row (program, kegiatan …): context only
        fields: list[tuple[str | int, str]] = [
            *carried.items(),
            *values.items(),
            *targets.items(),
        ]
        bad = next(
            ((f, p) for f, v in fields if (p := text_problem(v, FREE_TEXT_MAX))),
            None,
        )
        if bad is not None:
            problems.append(RowProblem(r, f"Kolom {_label(bad[0])}: {bad[1]}; baris dilewati."))
            continue
        if not opd:
            problems.append(
                RowProblem(r, "Baris tanpa Perangkat Daerah (kolom OPD kosong); baris dilewati.")
            )
            continue
        if not any(carried[lvl] for lvl in HIERARCHY):
            problems.append(
                RowProblem(r, "Baris tanpa program/kegiatan/sub kegiatan; baris dilewati.")
            )
            continue
        satuan = values.get("satuan", "")
        unit_percent = norm_header(satuan) in _UNIT_PERCENT or satuan == "%"
        row_targets: dict[str, Any] = {}
        for y in sorted(years):
            t, ok = _target(targets[y], unit_percent)
            row_targets[str(y)] = t
            if not ok:
                problems.append(
                    RowProblem(
                        r,
                        f"Target {y} '{shown_name(targets[y][:40])}': angkanya tidak terbaca; "
                        "teks disimpan apa adanya tanpa angka. Periksa sel itu.",
                        skipped=False,
                    )
                )
        indikator = values.get("indikator", "")
        keterangan = values.get("keterangan", "")
        share = parse_share(indikator) or parse_share(keterangan)
        polarity = _polarity(values.get("polaritas", ""))
        if polarity is None:
            polarity = "higher"
            problems.append(
                RowProblem(
                    r,
                    f"Polaritas '{shown_name(values['polaritas'][:40])}' tidak dikenal; "
                    "dibaca 'Semakin tinggi semakin baik'. Tulis 'naik' atau 'turun'.",
                    skipped=False,
                )
            )
        no = values.get("no", "")
        rows.append(
            {
                "sheet_row": r,
                "no": "" if no in _EMPTY_MARKS else no,
                **carried,
                **{f: values.get(f, "") for f in TEXT_FIELDS},
                "opd": opd,
                "opd_text": opd,
                "polarity": polarity,
                "share": share.to_json() if share is not None else None,
                "targets": row_targets,
            }
        )
    return rows, problems


def _polarity(text: str) -> str | None:
    """ "higher"/"lower" for a polarity cell (blank: higher); None when not recognised."""
    words = norm_header(text)
    if not words:
        return "higher"
    return next((p for p, known in POLARITY_WORDS.items() if words in known), None)


def _headers(rows: list[list[str]]) -> dict[int, str]:
    """Column → its header text, the header rows joined ("TARGET 2025")."""
    out: dict[int, str] = {}
    for c in range(1, max(len(r) for r in rows) + 1):
        words = [r[c - 1] for r in rows if c <= len(r) and r[c - 1]]
        out[c] = " ".join(dict.fromkeys(words))
    return out


def _is_numbering(texts: list[str], mapped: int) -> bool:
    """The row of column numbers under a header: 1, 2, 3 … (or (1), (2) …) in every column."""
    filled = [t for t in texts if t]
    if len(filled) < mapped or not all(_NUMBERING.fullmatch(t) for t in filled):
        return False
    return [int(t.strip("()")) for t in filled] == list(range(1, len(filled) + 1))


def _label(name: str | int) -> str:
    return f"{TARGET_HEADER} {name}" if isinstance(name, int) else HEADERS.get(name, name)


# ------------------------------------------------------------------ the reader
@refusing()
def read_plan_workbook(
    path: str | Path,
    override: Mapping[str, int | None] | None = None,
    limits: Limits | None = None,
) -> PlanWorkbook:
    """Read a plan matrix workbook; raises only :class:`SubmissionError`.

    ``override`` changes the column mapping found (field name or year → column number).
    The returned data has the shape ``seeding.load_plan`` takes, except that each row's
    ``opd`` is the OPD name as written and rows have no ``key`` yet (the service adds
    both) and carry ``sheet_row``.
    """
    file = Path(path)
    names = list(check_container(file, limits or Limits()))
    scan_xml(file, names, PLAN_ADVICE)
    with opened_workbook(file, data_only=True) as wb:
        return _read(wb, override or {})


def _read(wb: Any, override: Mapping[str, int | None]) -> PlanWorkbook:
    for ws in wb.worksheets:
        if not hasattr(ws, "reset_dimensions"):
            continue  # a chart sheet
        sheet = real_cells(ws, PLAN_ADVICE)
        top = [
            [header_text(c) for c in cells]
            for cells in sheet.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS)
        ]
        found = _find_header(top)
        if found is None:
            continue
        first, columns, years, last = found
        _apply_override(columns, years, override)
        _check_mapping(columns, years)
        mapping = ColumnMapping(
            sheet.title, (first, last), dict(columns), dict(years), _headers(top[first - 1 : last])
        )
        rows, problems = _read_rows(sheet, last + 1, columns, years)
        if not rows:
            raise SubmissionError(
                f"Lembar '{shown_name(sheet.title)}' tidak memuat satu pun baris indikator "
                "di bawah judul tabel; berkas ditolak."
            )
        title = next((t for cells in top[: first - 1] for t in cells if t), "")
        data = {
            "format": PLAN_FORMAT,
            "format_version": 1,
            "plan": {
                "code": "",
                "kind": "radpug",
                "title": title,
                "start_year": min(years),
                "end_year": max(years),
                "source": "",
            },
            "opds": [],
            "rows": rows,
        }
        return PlanWorkbook(data, problems, mapping)
    raise SubmissionError(
        "Judul tabel tidak ditemukan: tidak ada lembar yang baris judulnya memuat kolom "
        "PROGRAM dan INDIKATOR (dalam 40 baris pertama). Periksa bahwa berkas ini matriks "
        "rencana aksi."
    )


__all__ = [
    "FIELDS",
    "HEADERS",
    "MAX_YEARS",
    "POLARITY_TEXT",
    "POLARITY_WORDS",
    "REQUIRED",
    "TARGET_HEADER",
    "ColumnMapping",
    "PlanWorkbook",
    "RowProblem",
    "cell_text",
    "header_field",
    "header_year",
    "norm_header",
    "read_plan_workbook",
]
