"""The fill-in workbook (buku kerja isian) for an OPD that does not run the app.

Pokja exports one workbook per OPD and year, the OPD types its realisations into the
unlocked cells (in Excel or LibreOffice) and sends it back; ``app/formats/fillin.py`` reads
it strictly and the importer stores its data as *unsigned* (see docs/fillin.md).

Layout (constants in ``app/formats/fillin.py``, which reads it back):

* ``Petunjuk`` — cover and instructions in Indonesian;
* ``Isian`` — one line per plan row of the OPD, in plan order. Column A holds the
  row's stable key (hidden and locked), B–I the official text (locked, grey), J–Q the
  input cells (unlocked, yellow) with data validation where the format allows it;
* ``Monev`` — a hidden, protected sheet carrying the format marker, the OPD, plan,
  year, the workbook id and the list of row keys. It is a sheet and not a custom zip
  part because LibreOffice drops unknown parts when it re-saves a file (see
  docs/submissions.md), and re-saving in LibreOffice is exactly what OPDs will do.

The workbook is pre-filled with what Pokja's database already holds for the OPD and
year (semester 0 = the whole year), so an export after a first round shows the OPD
what was received and a corrected workbook replaces it. A first export is blank.
This module only writes the workbook from the rows it is given; gathering them is
``app/services/fillin_export.py``.
Sheets are protected without a password: the protection keeps the structure
(columns, keys, official text) from being changed by accident; it is not security —
the importer checks everything again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from app import __version__
from app.domain.numbers import (
    LARGEST_FRACTIONAL,
    LARGEST_WHOLE,
    MAX_DECIMALS,
    format_number,
)
from app.domain.realisation import MAX_TEXT
from app.domain.region import Region
from app.formats.fillin import (
    COLUMNS,
    COVER_SHEET,
    DATA_SHEET,
    FIRST_ROW,
    FORMAT,
    FORMAT_VERSION,
    HEADER_ROW,
    INPUT_COLUMNS,
    META_FIELDS,
    META_KEYS_ROW,
    META_SHEET,
)
from app.reports.report_model import MatrixRow
from app.reports.xlsx_kit import (
    BORDER,
    FMT_DEC,
    FMT_INT,
    FONT,
    HEADER_FILL,
    LINE_PT,
    PAPER_SIZES,
    SIZE,
    landscape_page,
    put_text,
    wrapped_lines,
)

INPUT_FILL = PatternFill("solid", fgColor="FFF6CC")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
UNLOCKED = Protection(locked=False)


def _cell_font(bold: bool = False, size: float = SIZE) -> Font:
    return Font(name=FONT, size=size, bold=bold)


def _target_text(r: MatrixRow) -> str:
    t = r.target
    text = t.text or format_number(t.official.effective_total)
    if t.proposed:
        text += f"\nUsulan: {t.proposed_text or format_number(t.proposed_breakdown.total)}"
    return text


def _protect(ws: Worksheet) -> None:
    """Protected without a password; widths and heights may still be changed."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    p.selectLockedCells = False
    p.selectUnlockedCells = False


def _cover(
    ws: Worksheet, h: FillinHeader, opd_name: str, plan_title: str, year: int, exported: str
) -> None:
    ws.column_dimensions["A"].width = 4
    ws.column_dimensions["B"].width = 110
    lines: list[tuple[str, float, bool]] = [
        *((line, 12, True) for line in h.region.heading),
        *((line, 9, False) for line in (h.region.address,) if line),
        (f"BUKU KERJA ISIAN REALISASI RAD PUG TAHUN {year}", 11, True),
        (opd_name, 10, True),
        (plan_title, 9, False),
        (f"Dibuat oleh Pokja PUG: {exported}", 9, False),
        ("", 9, False),
        ("Petunjuk pengisian", 10, True),
    ]
    steps = [
        "Isilah hanya sel berwarna kuning pada lembar 'Isian' (kolom J sampai Q). Sel lain "
        "dikunci agar susunan buku kerja tetap utuh; jangan menambah, menghapus, atau "
        "mengurutkan ulang baris.",
        "Realisasi Total, Laki-laki, Perempuan dan Disabilitas: angka tidak negatif, "
        f"boleh pecahan (misalnya 12,5; paling banyak {MAX_DECIMALS} angka di belakang "
        f"koma). Laki-laki + Perempuan + Disabilitas harus sama "
        "dengan Total; bila Total dikosongkan, Total dihitung dari rinciannya.",
        "Anggaran dan Realisasi Anggaran: Rupiah penuh tanpa sen, tanpa tulisan 'Rp'.",
        f"Angka terbesar yang disimpan dengan tepat: {format_number(LARGEST_WHOLE)}; "
        f"angka berkoma paling besar {format_number(LARGEST_FRACTIONAL)}.",
        f"Bukti Dukung dan Catatan: teks bebas, paling banyak {format_number(MAX_TEXT)} "
        "huruf, tanpa karakter kendali (karakter tak terlihat hasil salin-tempel).",
        "Jangan menulis rumus (diawali '='): buku kerja yang memuat rumus pada sel isian ditolak.",
        "Baris yang tidak ada realisasinya biarkan kosong. Sel yang dikosongkan berarti "
        "tidak ada data untuk baris itu.",
        "Simpan tetap sebagai .xlsx (Excel atau LibreOffice) lalu kirim kembali ke Pokja "
        "PUG. Jangan mengganti nama lembar; lembar tersembunyi 'Monev' menandai untuk "
        "Perangkat Daerah dan tahun mana buku kerja ini dibuat.",
        "Bila ada isian yang salah, Pokja menerima daftar lengkap kesalahan (lembar, baris "
        "dan kolom) dan tidak ada data yang disimpan sampai semuanya benar.",
        "Data dari buku kerja ini dicatat sebagai data TANPA tanda tangan elektronik dan "
        "ditandai demikian di aplikasi dan di laporan. Perangkat Daerah yang memakai "
        "aplikasi Monev RAD PUG sebaiknya mengirim kiriman bertanda tangan.",
    ]
    r = 1
    for text, size, bold in lines:
        cell = ws.cell(r, 1)
        put_text(cell, text)
        cell.font = _cell_font(bold, size)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
        ws.row_dimensions[r].height = size * 1.7
        r += 1
    for i, text in enumerate(steps, start=1):
        no = ws.cell(r, 1)
        put_text(no, f"{i}.")
        no.font = _cell_font(size=9)
        no.alignment = Alignment(vertical="top")
        cell = ws.cell(r, 2)
        put_text(cell, text)
        cell.font = _cell_font(size=9)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        ws.row_dimensions[r].height = wrapped_lines(text, 110 * 0.85) * 12.5 + 3
        r += 1
    _protect(ws)


def _data_sheet(ws: Worksheet, rows: Sequence[MatrixRow], opd_name: str, year: int) -> None:
    last = get_column_letter(len(COLUMNS))
    for c in COLUMNS:
        ws.column_dimensions[c.letter].width = c.width
    # The key stays in the file for the importer; people do not need to see it.
    ws.column_dimensions["A"].hidden = True
    title = ws.cell(1, 2)
    put_text(title, f"ISIAN REALISASI RAD PUG TAHUN {year} — {opd_name}")
    title.font = _cell_font(True, 11)
    ws.merge_cells(f"B1:{last}1")
    ws.row_dimensions[1].height = 20
    hint = ws.cell(2, 2)
    put_text(
        hint,
        "Isi hanya sel berwarna kuning. Rincian L + P + Disabilitas = Total. "
        "Rupiah tanpa sen. Tanpa rumus. Lihat lembar 'Petunjuk'.",
    )
    hint.font = _cell_font(size=9)
    ws.merge_cells(f"B2:{last}2")
    for c in COLUMNS:
        cell = ws[f"{c.letter}{HEADER_ROW}"]
        put_text(cell, c.title)
        cell.font = _cell_font(True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[HEADER_ROW].height = 3 * LINE_PT + 3
    top = Alignment(vertical="top", wrap_text=True)
    right = Alignment(horizontal="right", vertical="top")
    for i, r in enumerate(rows):
        n = FIRST_ROW + i
        real = r.realisation
        values: dict[str, object] = {
            "A": r.key,
            "B": r.number,
            "C": r.path.get("program", ""),
            "D": r.path.get("kegiatan", ""),
            "E": r.path.get("sub_kegiatan", ""),
            "F": r.aktivitas,
            "G": r.indikator,
            "H": r.satuan,
            "I": _target_text(r),
            "J": None if real is None else real.total,
            "K": None if real is None else real.male,
            "L": None if real is None else real.female,
            "M": None if real is None else real.disabled,
            "N": r.budget,
            "O": r.spending,
            "P": r.evidence,
            "Q": r.note,
        }
        height = LINE_PT + 3
        for c in COLUMNS:
            cell = ws[f"{c.letter}{n}"]
            v = values[c.letter]
            cell.font = _cell_font()
            cell.border = BORDER
            if c.kind in ("count", "money"):
                if isinstance(v, Decimal):
                    cell.value = int(v) if v == v.to_integral_value() else float(v)
                cell.number_format = FMT_INT if c.kind == "money" else FMT_DEC
                cell.alignment = right
            elif c.letter == "B":
                cell.value = v
                cell.alignment = Alignment(horizontal="center", vertical="top")
            else:
                put_text(cell, str(v or ""))
                cell.alignment = top
                if v:
                    height = max(height, wrapped_lines(str(v), c.width) * LINE_PT + 3)
            if c.field:
                cell.protection = UNLOCKED
                cell.fill = INPUT_FILL
            elif c.letter != "A":
                cell.fill = LOCKED_FILL
        ws.row_dimensions[n].height = round(min(height, 409), 1)
    end = FIRST_ROW + max(len(rows), 1) - 1
    _validations(ws, end)
    ws.freeze_panes = f"C{FIRST_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"B1:{last}{end}"


def _validations(ws: Worksheet, end: int) -> None:
    """Checks Excel and LibreOffice apply while typing; the importer checks again."""
    # Bounds from numbers.check_figure (the importer's rule); Excel cannot express the
    # "11 digits before the comma when there are decimals" part, the importer checks it.
    count = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2=str(LARGEST_WHOLE),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Isian tidak sah",
        error=(
            "Isikan angka tidak negatif, misalnya 12 atau 12,5 (paling besar "
            f"{format_number(LARGEST_WHOLE)}; paling banyak {MAX_DECIMALS} angka di "
            "belakang koma)."
        ),
    )
    money = DataValidation(
        type="whole",
        operator="between",
        formula1="0",
        formula2=str(LARGEST_WHOLE),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Isian tidak sah",
        error=(
            "Isikan Rupiah penuh tanpa sen (bilangan bulat tidak negatif, paling besar "
            f"{format_number(LARGEST_WHOLE)})."
        ),
    )
    text = DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1=str(MAX_TEXT),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Isian terlalu panjang",
        error=f"Paling banyak {MAX_TEXT} huruf.",
    )
    for dv, kind in ((count, "count"), (money, "money"), (text, "text")):
        letters = [c.letter for c in INPUT_COLUMNS if c.kind == kind]
        for letter in letters:
            dv.add(f"{letter}{FIRST_ROW}:{letter}{end}")
        ws.add_data_validation(dv)


def _meta(ws: Worksheet, values: dict[str, str | int], keys: list[str]) -> None:
    for i, name in enumerate(META_FIELDS, start=1):
        put_text(ws.cell(i, 1), name)
        v = values[name]
        if isinstance(v, int):
            ws.cell(i, 2).value = v
        else:
            put_text(ws.cell(i, 2), v)
    put_text(ws.cell(META_KEYS_ROW - 1, 1), "row_keys")
    ws.cell(META_KEYS_ROW - 1, 2).value = len(keys)
    for i, key in enumerate(keys):
        put_text(ws.cell(META_KEYS_ROW + i, 1), key)
    ws.sheet_state = "hidden"
    _protect(ws)


@dataclass(frozen=True)
class FillinHeader:
    """Whose workbook it is: the OPD, the plan and the year, and when it was made."""

    opd_code: str
    opd_name: str
    plan_code: str
    plan_title: str
    plan_start_year: int
    plan_end_year: int
    year: int
    exported_at: datetime  # without microseconds
    workbook_id: str
    region: Region


def write_fillin(
    path: Path, rows: Sequence[MatrixRow], header: FillinHeader, *, paper: str = "a4"
) -> None:
    """Write the fill-in workbook for ``rows`` (one OPD's, in plan order) to ``path``."""
    if paper not in PAPER_SIZES:
        raise ValueError(f"Ukuran kertas tidak dikenal: {paper} (pilih a4 atau f4)")
    h = header
    opd_name, year, stamp = h.opd_name, h.year, h.exported_at
    wb = Workbook()
    cover = wb.active
    assert cover is not None
    cover.title = COVER_SHEET
    _cover(cover, h, opd_name, h.plan_title, year, f"{stamp:%d-%m-%Y %H:%M}")
    landscape_page(cover, paper, f"Monev RAD PUG — {opd_name} — Tahun {year} — Petunjuk")
    sheet = wb.create_sheet(DATA_SHEET)
    _data_sheet(sheet, rows, opd_name, year)
    _protect(sheet)
    landscape_page(sheet, paper, f"Monev RAD PUG — {opd_name} — Tahun {year} — Isian")
    meta = wb.create_sheet(META_SHEET)
    _meta(
        meta,
        {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "workbook_id": h.workbook_id,
            "exported_at": stamp.isoformat(),
            "app_version": __version__,
            "opd_code": h.opd_code,
            "opd_name": opd_name,
            "plan_code": h.plan_code,
            "plan_start_year": h.plan_start_year,
            "plan_end_year": h.plan_end_year,
            "year": year,
        },
        [r.key for r in rows],
    )
    # Structure locked (no renaming, unhiding or deleting sheets), no password.
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 1
    props = wb.properties
    props.title = f"Isian realisasi RAD PUG — {opd_name} — Tahun {year}"
    props.creator = f"Pokja PUG {h.region.full_name}"
    props.description = f"Dibuat dengan Monev RAD PUG {__version__}"
    props.language = "id-ID"
    wb.save(path)
