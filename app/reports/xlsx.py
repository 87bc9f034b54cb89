"""The Excel workbook: one print-ready sheet per section, numbers kept as numbers.

Print-ready means: landscape, fit to the page width, header rows repeated on every
printed page, frozen panes, wrapped text with row heights set from an estimate of the
wrapped line count (neither Excel nor LibreOffice grows a row on their own for merged
cells or when opening a file), and "Halaman X dari Y" in the footer.

Number formats are stored in the file's locale-neutral syntax: ``#,##0`` means
"group thousands" and ``0.00%`` a percentage with two decimals. Each program shows them
with the reader's separators; the ``[$-421]`` prefix names Indonesian, which makes
LibreOffice print ``1.234.567`` and ``111,49%`` even on an English system (Excel keeps
the system's separators, which on an Indonesian Windows are the same).

User text never becomes a formula: every string is stored as a string cell and one
that starts with ``=``, ``+``, ``-``, ``@``, tab or CR also carries the quote prefix, so
editing the cell later does not turn it into a formula either.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.series import DataPoint
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.pdfbase.pdfmetrics import stringWidth

from app import __version__
from app.domain.arg import Answer
from app.domain.progress import Cancelled, Progress
from app.reports import charts
from app.reports.fonts import arial_metrics
from app.reports.pdf import summary_lines
from app.services.report_data import (
    GOVERNMENT,
    MatrixRow,
    ReportCancelled,
    ReportData,
    Summary,
    hierarchy_changes,
    unsigned_notes,
)
from app.services.signatory import format_nip

PAPER_SIZES = {"a4": 9, "f4": 14}  # Excel codes: 9 = A4, 14 = Folio 8½ × 13 in (F4)
FONT = "Arial"
SIZE = 8
LINE_PT = 10.5  # row height per wrapped line of 8 pt Arial (Excel: 10.5-11.25, LibreOffice: 9.2)
RISKY = ("=", "+", "-", "@", "\t", "\r")
ID = "[$-421]"  # Indonesian locale tag on number formats
FMT_INT = ID + "#,##0"
FMT_DEC = ID + "#,##0.0#"
FMT_PCT = ID + "0.00%"
TICK = "√"

_thin = Side(style="thin", color="808080")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADER_FILL = PatternFill("solid", fgColor="D9E2EF")
GROUP_FILL = PatternFill("solid", fgColor="F1F4F8")
NUMBER_FILL = PatternFill("solid", fgColor="EEEEEE")
TOTAL_FILL = PatternFill("solid", fgColor="E8E8E8")
BAND_FILLS = {k: PatternFill("solid", fgColor=v) for k, v in charts.BAND_FILLS.items()}


def _named(
    name: str,
    *,
    bold: bool = False,
    h: str = "left",
    fmt: str = "General",
    fill: PatternFill | None = None,
    border: bool = True,
    size: float = SIZE,
    header: bool = False,
) -> NamedStyle:
    st = NamedStyle(name=name)
    st.font = Font(name=FONT, size=size, bold=bold)
    st.alignment = Alignment(horizontal=h, vertical="center" if header else "top", wrap_text=True)
    st.number_format = fmt
    if border:
        st.border = BORDER
    if fill is not None:
        st.fill = fill
    return st


STYLES = {
    "t": dict(),
    "tc": dict(h="center"),
    "tb": dict(bold=True, h="left"),
    "int": dict(h="right", fmt=FMT_INT),
    "dec": dict(h="right", fmt=FMT_DEC),
    "pct": dict(h="right", fmt=FMT_PCT),
    "hdr": dict(bold=True, h="center", fill=HEADER_FILL, header=True),
    "no": dict(h="center", fmt=FMT_INT),
    "num_hdr": dict(h="center", fill=NUMBER_FILL),
    "grp": dict(fill=GROUP_FILL),
    "tot": dict(bold=True, fill=TOTAL_FILL),
    "tot_int": dict(bold=True, h="right", fmt=FMT_INT, fill=TOTAL_FILL),
    "tot_pct": dict(bold=True, h="right", fmt=FMT_PCT, fill=TOTAL_FILL),
    "plain": dict(border=False),
    "plain_b": dict(border=False, bold=True),
}


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def put_text(cell: Cell, text: str | None) -> None:
    """Store user text as text, never as a formula (see the module docstring)."""
    value = _clean(text or "")
    cell.value = value
    cell.data_type = "s"
    if value.startswith(RISKY):
        cell.quotePrefix = True


def _lines(text: str, width_chars: float) -> int:
    """Wrapped line count of ``text`` in a column ``width_chars`` wide (conservative)."""
    if not text:
        return 1
    # One Excel width unit is the width of "0" in the workbook's 11 pt default font
    # (7 px, 5.25 pt); text is 8 pt Arial, measured with Arial's metrics.
    font, factor = arial_metrics()
    usable = max(8.0, width_chars * 5.25 - 5) * 0.93  # word wrap leaves ragged ends
    n = 0
    for par in str(text).split("\n"):
        w = stringWidth(par, font, SIZE) * factor
        n += max(1, math.ceil(w / usable))
    return n


@dataclass
class _Col:
    title: str
    width: float
    sub: str = ""


class _Sheet:
    """Writes one section: letterhead, header rows, body, signature, page set-up."""

    def __init__(self, book: _Book, title: str, cols: Sequence[_Col]) -> None:
        self.book = book
        self.ws: Worksheet = book.wb.create_sheet(title)
        self.cols = list(cols)
        self.n = len(self.cols)
        self.row = 1
        self.heights: dict[int, float] = {}
        self.header_rows: tuple[int, int] | None = None
        for i, c in enumerate(self.cols, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = c.width

    # ---- cells
    def text(self, r: int, c: int, value: str | None, style: str = "t") -> Cell:
        cell = self.ws.cell(r, c)
        self.book.apply(cell, style)  # style first: it would reset the quote prefix
        put_text(cell, value)
        if value:
            self.fit(r, value, self.cols[c - 1].width)
        return cell

    def number(self, r: int, c: int, value: Decimal | int | None, style: str = "") -> Cell:
        cell = self.ws.cell(r, c)
        if value is None:
            self.book.apply(cell, "t")
            return cell
        v = Decimal(value)
        cell.value = int(v) if v == v.to_integral_value() else float(v)
        self.book.apply(cell, style or ("int" if isinstance(cell.value, int) else "dec"))
        return cell

    def pct(self, r: int, c: int, value: Decimal | None, style: str = "pct") -> Cell:
        cell = self.ws.cell(r, c)
        cell.value = None if value is None else float(value / 100)
        self.book.apply(cell, style)
        return cell

    def fit(self, r: int, text: str, width: float, extra: int = 0) -> None:
        h = (_lines(text, width) + extra) * LINE_PT + 3
        if h > self.heights.get(r, 0):
            self.heights[r] = h

    def merge(self, r0: int, c0: int, r1: int, c1: int, style: str) -> None:
        """Merge a range whose covered cells all carry ``style``.

        ``Worksheet.merge_cells`` re-derives every covered cell's border one by one,
        which took most of the build time for the regency matrix's ~600 group lines;
        here the covered cells get the style (borders included) directly.
        """
        ws = self.ws
        rng = MergedCellRange(ws, f"{get_column_letter(c0)}{r0}:{get_column_letter(c1)}{r1}")
        ws.merged_cells.add(rng)
        array = self.book.arrays[style]
        for row in range(r0, r1 + 1):
            for col in range(c0, c1 + 1):
                if (row, col) != (r0, c0):
                    mc = MergedCell(ws, row, col)
                    mc._style = copy(array)
                    ws._cells[row, col] = mc

    def span_text(self, r: int, text: str, style: str, c0: int = 1, c1: int | None = None) -> None:
        c1 = c1 or self.n
        self.text(r, c0, None, style)
        cell = self.ws.cell(r, c0)
        put_text(cell, text)
        if c1 > c0:
            self.merge(r, c0, r, c1, style)
        self.fit(r, text, sum(col.width for col in self.cols[c0 - 1 : c1]))

    # ---- blocks
    def letterhead(self, data: ReportData, section: str) -> None:
        for text, size in (
            (GOVERNMENT, 12),
            (data.unit_name.upper(), 11),
            (data.title.upper(), 10),
            (data.subtitle, 9),
        ):
            cell = self.ws.cell(self.row, 1)
            put_text(cell, text)
            cell.font = Font(name=FONT, size=size, bold=size >= 10)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            self.ws.merge_cells(
                start_row=self.row, start_column=1, end_row=self.row, end_column=self.n
            )
            self.heights[self.row] = size * 1.6
            self.row += 1
        self.row += 1
        cell = self.ws.cell(self.row, 1)
        put_text(cell, section)
        cell.font = Font(name=FONT, size=10, bold=True)
        self.row += 1

    def header(self, numbered: bool = True) -> None:
        """Column titles (two rows when some columns have sub-titles) and (1)…(n)."""
        first = self.row
        ws = self.ws
        two = any(c.sub for c in self.cols)
        one_line = LINE_PT + 3
        groups: dict[str, list[int]] = {}
        for i, c in enumerate(self.cols, start=1):
            for r, value in ((first, c.title), (first + 1, c.sub)):
                if r == first or two:
                    cell = ws.cell(r, i)
                    self.book.apply(cell, "hdr")
                    put_text(cell, value)
            if c.sub:
                groups.setdefault(c.title, []).append(i)
            elif two:
                self.merge(first, i, first + 1, i, "hdr")
        top = sub = one_line
        for title, cs in groups.items():
            self.merge(first, cs[0], first, cs[-1], "hdr")
            span = sum(self.cols[c - 1].width for c in cs)
            top = max(top, _lines(title, span) * LINE_PT + 3)
            sub = max(
                sub,
                *(_lines(self.cols[c - 1].sub, self.cols[c - 1].width) * LINE_PT + 3 for c in cs),
            )
        tall = max(_lines(c.title, c.width) * LINE_PT + 3 for c in self.cols if not c.sub)
        if two:
            sub = max(sub, tall - top)
            self.heights[first], self.heights[first + 1] = top, sub
        else:
            self.heights[first] = tall
        self.row = first + (2 if two else 1)
        if numbered:
            for i in range(1, self.n + 1):
                cell = ws.cell(self.row, i)
                self.book.apply(cell, "num_hdr")
                put_text(cell, f"({i})")
            self.row += 1
        if self.header_rows is None:
            self.header_rows = (first, self.row - 1)

    def signature(self, data: ReportData) -> None:
        sig = data.signature
        self.row += 2
        dots = "...................................."
        right_c0 = max(1, self.n - max(3, self.n // 3) + 1)
        left_c1 = max(1, min(right_c0 - 2, max(2, self.n // 3)))
        right = [sig.place_date, sig.signer.position]
        left: list[str] = []
        if sig.preparer:
            right = [sig.place_date, "Mengetahui,", sig.signer.position]
            left = ["", "Disusun oleh,", sig.preparer.position]
        top = self.row
        for lines, name, nip, c0, c1 in (
            (right, sig.signer.name, sig.signer.nip, right_c0, self.n),
            (
                left,
                sig.preparer.name if sig.preparer else "",
                sig.preparer.nip if sig.preparer else "",
                1,
                left_c1,
            ),
        ):
            if not lines:
                continue
            r = top
            for line in [*lines, "", "", "", name or dots, f"NIP. {format_nip(nip) or dots}"]:
                self.span_text(r, line, "plain_b" if line == name and name else "plain", c0, c1)
                r += 1
            if name:
                self.ws.cell(top + len(lines) + 3, c0).font = Font(
                    name=FONT, size=SIZE + 1, bold=True, underline="single"
                )
            self.row = max(self.row, r)

    def finish(self, data: ReportData, paper: str, freeze: str | None = None) -> None:
        ws = self.ws
        for r, h in self.heights.items():
            ws.row_dimensions[r].height = round(min(h, 409), 1)
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = PAPER_SIZES[paper]
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = 0.5
        ws.page_margins.bottom = 0.6
        ws.page_margins.footer = 0.25
        if self.header_rows:
            ws.print_title_rows = f"{self.header_rows[0]}:{self.header_rows[1]}"
            ws.freeze_panes = freeze or f"A{self.header_rows[1] + 1}"
        unit = data.opd_short_name or "Pokja PUG"
        ws.oddFooter.left.text = f"Monev RAD PUG — {unit} — Tahun {data.year} — {ws.title}"
        ws.oddFooter.left.size = 7
        ws.oddFooter.right.text = "Halaman &P dari &N"
        ws.oddFooter.right.size = 7


class _Book:
    def __init__(self, data: ReportData, paper: str) -> None:
        self.data = data
        self.paper = paper
        self.wb = Workbook()
        self.wb.remove(self.wb.worksheets[0])
        self.arrays: dict[str, StyleArray] = {}
        for name, kw in STYLES.items():
            st = _named(name, **kw)  # type: ignore[arg-type]
            self.wb.add_named_style(st)
            self.arrays[name] = copy(st.as_tuple())
        p = self.wb.properties
        sig = data.signature
        p.title = f"{data.title} — {data.unit_name} — Tahun {data.year}"
        p.subject = f"{data.plan_title}; tahun pelaporan {data.year}"
        p.creator = (sig.preparer.name if sig.preparer else "") or data.unit_name
        p.keywords = f"RAD PUG; ARG; Lumajang; {data.year}"
        p.description = f"Dibuat dengan Monev RAD PUG {__version__}"
        p.language = "id-ID"

    def apply(self, cell: Cell | MergedCell, style: str) -> None:
        """``cell.style = name`` without its per-call lookup (thousands of cells)."""
        cell._style = copy(self.arrays[style])

    # ------------------------------------------------------------------ matrix
    def matrix(self, tick: Callable[[int], None]) -> None:
        d = self.data
        y = d.year
        cols = [_Col("No", 5)]
        if d.is_regency:
            cols.append(_Col("Perangkat Daerah", 14))
        cols += [
            _Col("Aktivitas", 21),
            _Col("Indikator", 23),
            _Col("Satuan", 9),
            _Col(f"Target {y} (sebagaimana tertulis)", 24),
            _Col(f"Target {y} (angka)", 9),
            _Col(f"Realisasi {y}", 9, "Jumlah"),
            _Col(f"Realisasi {y}", 7, "L"),
            _Col(f"Realisasi {y}", 7, "P"),
            _Col(f"Realisasi {y}", 7, "Dis."),
            _Col("Capaian", 9),
            _Col(f"Anggaran {y}", 12, "Pagu (Rp)"),
            _Col(f"Anggaran {y}", 12, "Realisasi (Rp)"),
            _Col(f"Anggaran {y}", 8, "Serapan"),
            _Col("Bukti Dukung", 19),
            _Col("Catatan / Keterangan", 19),
        ]
        sh = _Sheet(self, "Matriks", cols)
        section = (
            f"Matriks Rencana Aksi (Tabel 4.2) dan Realisasi Tahun {y}"
            if not d.is_regency
            else f"Matriks Rencana Aksi Kabupaten (Tabel 4.2) dan Realisasi Tahun {y}"
        )
        sh.letterhead(d, section)
        sh.header()
        off = 1 if d.is_regency else 0
        prev: MatrixRow | None = None
        proposed = False
        for i, r in enumerate(d.rows):
            if i % 100 == 0:
                tick(i)
            levels = hierarchy_changes(prev, r)
            prev = r
            if levels:
                sh.span_text(sh.row, "\n".join(f"{lbl}: {name}" for lbl, name in levels), "grp")
                sh.row += 1
            n = sh.row
            sh.number(n, 1, r.number, "no")
            if d.is_regency:
                sh.text(n, 2, r.opd_name)
            c = 2 + off
            sh.text(n, c, r.aktivitas)
            sh.text(n, c + 1, r.indikator + (" ▼" if r.polarity == "lower" else ""))
            sh.text(n, c + 2, r.satuan)
            sh.text(n, c + 3, self._target_text(r))
            proposed = proposed or r.target.proposed
            sh.number(n, c + 4, r.target.effective.effective_total)
            real = r.realisation
            for k, v in enumerate(
                (real.total, real.male, real.female, real.disabled) if real else (None,) * 4
            ):
                sh.number(n, c + 5 + k, v)
            cap = sh.pct(n, c + 9, r.achievement)
            fill = BAND_FILLS.get(r.band.value)
            if fill is not None:
                cap.fill = fill
            sh.number(n, c + 10, r.budget, "int")
            sh.number(n, c + 11, r.spending, "int")
            sh.pct(n, c + 12, r.absorption)
            sh.text(n, c + 13, r.evidence)
            remarks = "\n".join(
                x for x in (r.note, f"Ket.: {r.keterangan}" if r.keterangan else "") if x
            )
            sh.text(n, c + 14, remarks)
            if n not in sh.heights:
                sh.heights[n] = LINE_PT + 3
            sh.row += 1
        tick(len(d.rows))
        sh.row += 1
        notes = [
            "Capaian = realisasi ÷ target × 100 %; indikator bertanda ▼ (makin kecil makin baik): "
            "(2 × target − realisasi) ÷ target × 100 %. Serapan = realisasi anggaran ÷ pagu. "
            "L = laki-laki, P = perempuan, Dis. = penyandang disabilitas.",
        ]
        if proposed:
            notes.append(
                "* Target usulan Perangkat Daerah; capaian dihitung terhadap target usulan."
            )
        for note in notes:
            sh.span_text(sh.row, note, "plain")
            sh.row += 1
        self.unsigned(sh)
        sh.signature(d)
        sh.finish(d, self.paper)

    def unsigned(self, sh: _Sheet) -> None:
        """Bold lines for OPDs whose figures came from a fill-in workbook (docs/fillin.md)."""
        for note in unsigned_notes(self.data):
            sh.span_text(sh.row, note, "plain_b")
            sh.row += 1

    @staticmethod
    def _target_text(r: MatrixRow) -> str:
        t = r.target
        if t.proposed:
            lines = [f"Resmi: {t.text or '–'}", f"* Usulan: {t.proposed_text}"]
            b = t.proposed_breakdown
        else:
            lines = [t.text] if t.text else []
            b = t.official
        if b.has_parts:
            from app.domain.numbers import format_number

            lines.append(
                " · ".join(
                    f"{lbl} {format_number(v)}"
                    for lbl, v in (("L", b.male), ("P", b.female), ("Dis.", b.disabled))
                    if v is not None
                )
            )
        return "\n".join(lines)

    # ------------------------------------------------------------------ ARG
    def instruments(self) -> None:
        d = self.data
        cols = [
            _Col("Unit Organisasi", 16),
            _Col("Kegiatan/ Sub Kegiatan", 30),
            _Col("Pertanyaan", 52),
            _Col("Jawaban", 6, "Ya"),
            _Col("Jawaban", 6, "Tidak"),
            _Col("Ket", 28),
        ]
        sh = _Sheet(self, "Instrumen ARG", cols)
        sh.letterhead(d, "Instrumen Pemantauan ARG (Tabel 5.1–5.3)")
        if not d.instruments:
            sh.text(
                sh.row,
                1,
                f"Belum ada kegiatan/sub kegiatan yang dinilai untuk tahun {d.year}.",
                "plain",
            )
            sh.finish(d, self.paper)
            return
        sh.header()
        for k, stage in enumerate(d.instruments[0].qset.stages):
            if k:
                sh.ws.row_breaks.append(Break(id=sh.row - 1))  # each table on its own page
            sh.span_text(sh.row, f"{stage.table} Instrumen Pemantauan ARG {stage.label}", "grp")
            sh.ws.cell(sh.row, 1).font = Font(name=FONT, size=SIZE + 1, bold=True)
            sh.row += 1
            for inst in d.instruments:
                st = next((x for x in inst.qset.stages if x.id == stage.id), None)
                if st is None:
                    continue
                start = sh.row
                for q in st.questions:
                    a = inst.answers.get(q.id)
                    r = sh.row
                    sh.text(r, 1, None)
                    sh.text(r, 2, None)
                    sh.text(r, 3, f"{q.number}. {q.text}")
                    sh.text(r, 4, TICK if a and a.answer is Answer.YA else "", "tc")
                    sh.text(r, 5, TICK if a and a.answer is Answer.TIDAK else "", "tc")
                    remark = a.remark if a else "belum dijawab"
                    if a and a.answer is Answer.TIDAK_DAPAT:
                        remark = f"Tidak dapat menjawab. {remark}"
                    sh.text(r, 6, remark)
                    sh.row += 1
                sc = next(x for x in inst.score.stages if x.stage == st.id)
                r = sh.row
                sh.text(r, 1, None)
                sh.text(r, 2, None)
                sh.text(r, 3, f"Jumlah jawaban ({TICK})", "tot")
                sh.number(r, 4, sc.ya, "tot_int")
                sh.number(r, 5, sc.tidak, "tot_int")
                sh.text(r, 6, f"{sc.unanswered} belum dijawab" if sc.unanswered else "", "tot")
                sh.row += 1
                sh.text(start, 1, inst.node.opd_name)
                level = "Sub Kegiatan" if inst.node.level == "sub_kegiatan" else "Kegiatan"
                label = f"{level}: {inst.node.name}"
                if inst.node.parent_name:
                    label += f"\n({inst.node.parent_name})"
                sh.ws.cell(start, 2).value = None
                put_text(sh.ws.cell(start, 2), label)
                for c in (1, 2):
                    sh.merge(start, c, r, c, "t")
                # the merged label must fit in the rows it spans
                need = _lines(label, cols[1].width) * LINE_PT + 3
                have = sum(sh.heights.get(x, LINE_PT + 3) for x in range(start, r + 1))
                if need > have:
                    sh.heights[r] = sh.heights.get(r, LINE_PT + 3) + need - have
        sh.signature(d)
        sh.finish(d, self.paper)

    def evaluation(self) -> None:
        d = self.data
        labels = (
            [st.label.removeprefix("Tahap ") for st in d.instruments[0].qset.stages]
            if d.instruments
            else ["Perencanaan", "Pelaksanaan", "Pertanggungjawaban"]
        )
        cols = [_Col("No", 5), _Col("Unit Organisasi", 18), _Col("Kegiatan/ Sub Kegiatan", 44)]
        for lbl in labels:
            cols += [_Col(lbl, 8, "Ya"), _Col(lbl, 8, "Tidak")]
        cols += [
            _Col(f"Jumlah jawaban ({TICK})", 8, "Ya"),
            _Col(f"Jumlah jawaban ({TICK})", 8, "Tidak"),
            _Col("Klasifikasi (Tabel 5.5)", 26),
        ]
        sh = _Sheet(self, "Evaluasi ARG", cols)
        sh.letterhead(
            d, "Evaluasi Anggaran Responsif Gender (Tabel 5.4) dan Klasifikasi (Tabel 5.5)"
        )
        sh.header()
        for i, r in enumerate(d.recap, start=1):
            n = sh.row
            sh.number(n, 1, i, "no")
            sh.text(n, 2, r.node.opd_name)
            sh.text(n, 3, r.node.name)
            c = 4
            for st in r.score.stages:
                sh.number(n, c, st.ya, "int")
                sh.number(n, c + 1, st.tidak, "int")
                c += 2
            sh.number(n, c, r.score.total_ya, "tot_int")
            sh.number(n, c + 1, r.score.total_tidak, "int")
            sh.text(n, c + 2, r.score.status_text)
            sh.row += 1
        if not d.recap:
            sh.span_text(sh.row, f"Belum ada penilaian ARG tahun {d.year}.", "t")
            sh.row += 1
        sh.row += 1
        sh.span_text(sh.row, "Tabel 5.5 Klasifikasi Evaluasi", "plain_b", 1, 3)
        sh.row += 1
        for c, t in enumerate(("No", "Nilai Variabel", "Kriteria Penilaian"), start=1):
            sh.text(sh.row, c, t, "hdr")
        sh.row += 1
        for i, cb in enumerate(sorted(d.classes, key=lambda c: -c.min), start=1):
            sh.number(sh.row, 1, i, "no")
            sh.text(sh.row, 2, f"{cb.min}–{cb.max}", "tc")
            sh.text(sh.row, 3, cb.label)
            sh.row += 1
        if d.is_regency:
            self._classes_per_opd(sh)
        sh.signature(d)
        sh.finish(d, self.paper)

    def _classes_per_opd(self, sh: _Sheet) -> None:
        d = self.data
        labels = d.class_labels
        sh.row += 1
        sh.span_text(sh.row, "Klasifikasi ARG per Perangkat Daerah", "plain_b", 1, 3)
        sh.row += 1
        # the count columns are narrow: each class title spreads over two of them
        sh.text(sh.row, 1, "No", "hdr")
        sh.span_text(sh.row, "Perangkat Daerah", "hdr", 2, 3)
        sh.text(sh.row, 4, "Dinilai", "hdr")
        c = 5
        for lbl in labels:
            sh.span_text(sh.row, lbl, "hdr", c, c + 1)
            c += 2
        sh.row += 1
        n = 0
        for oc in d.completeness:
            m = oc.summary
            if not m.arg_assessed:
                continue
            n += 1
            self._class_line(sh, str(n), oc.name, m, labels, "t", "int")
        self._class_line(sh, "", "Jumlah", d.summary, labels, "tot", "tot_int")

    @staticmethod
    def _class_line(
        sh: _Sheet, no: str, name: str, m: Summary, labels: list[str], ts: str, ns: str
    ) -> None:
        r = sh.row
        sh.text(r, 1, no, ts)
        sh.span_text(r, name, ts, 2, 3)
        sh.number(r, 4, m.arg_assessed, ns)
        c = 5
        for lbl in labels:
            sh.number(r, c, m.arg_classes.get(lbl, 0), ns)
            sh.merge(r, c, r, c + 1, ns)
            c += 2
        sh.row += 1

    # ------------------------------------------------------------------ regency
    def completeness(self) -> None:
        d = self.data
        cols = [
            _Col("No", 5),
            _Col("Perangkat Daerah", 40),
            _Col("Baris", 8),
            _Col(f"Bertarget {d.year}", 10),
            _Col("Terisi", 8),
            _Col("% Terisi", 10),
            _Col("Rata-rata Capaian", 11),
            _Col("Pagu (Rp)", 16),
            _Col("Realisasi Anggaran (Rp)", 16),
            _Col("Serapan", 10),
            _Col("Kegiatan dinilai ARG", 11),
        ]
        sh = _Sheet(self, "Kelengkapan", cols)
        sh.letterhead(d, f"Kelengkapan Pengisian per Perangkat Daerah Tahun {d.year}")
        sh.header()
        for i, oc in enumerate(d.completeness, start=1):
            name = oc.name + ("\n(isian tanpa tanda tangan)" if oc.code in d.unsigned else "")
            self._completeness_line(sh, i, name, oc.summary, False)
        self._completeness_line(sh, None, "Kabupaten Lumajang", d.summary, True)
        sh.row += 1
        self.unsigned(sh)
        sh.signature(d)
        sh.finish(d, self.paper)

    @staticmethod
    def _completeness_line(sh: _Sheet, no: int | None, name: str, m: Summary, total: bool) -> None:
        r = sh.row
        ints, pcts = ("tot_int", "tot_pct") if total else ("int", "pct")
        if no is None:
            sh.text(r, 1, "", "tot")
        else:
            sh.number(r, 1, no, "no")
        sh.text(r, 2, name, "tot" if total else "t")
        for c, v in ((3, m.rows), (4, m.with_target), (5, m.filled)):
            sh.number(r, c, v, ints)
        sh.pct(r, 6, m.filled_pct, pcts)
        sh.pct(r, 7, m.average_achievement, pcts)
        sh.number(r, 8, m.budget, ints)
        sh.number(r, 9, m.spending, ints)
        if m.budget is None:
            sh.book.apply(sh.ws.cell(r, 8), ints)
        if m.spending is None:
            sh.book.apply(sh.ws.cell(r, 9), ints)
        sh.pct(r, 10, m.absorption, pcts)
        sh.number(r, 11, m.arg_assessed, ints)
        sh.row += 1

    # ------------------------------------------------------------------ summary
    def summary(self) -> None:
        d = self.data
        cols = [_Col("Uraian", 36), _Col("Nilai", 24), _Col("", 4)] + [_Col("", 10)] * 9
        sh = _Sheet(self, "Ringkasan", cols)
        sh.letterhead(d, "Ringkasan")
        top = sh.row
        for label, value in summary_lines(d):
            sh.text(sh.row, 1, label)
            sh.text(sh.row, 2, value)
            sh.row += 1
        # chart source tables (numbers, so the charts and a reader can use them)
        m = d.summary
        sh.row += 1
        src = sh.row
        sh.text(src, 1, "Sebaran capaian indikator", "hdr")
        sh.text(src, 2, "Jumlah baris", "hdr")
        for i, k in enumerate(charts.BAND_LABELS, start=1):
            sh.text(src + i, 1, charts.BAND_LABELS[k])
            sh.number(src + i, 2, m.bands.get(k, 0), "int")
        ben = src + len(charts.BAND_LABELS) + 2
        sh.text(ben, 1, "Penerima manfaat terpilah", "hdr")
        sh.text(ben, 2, "Orang", "hdr")
        b = m.beneficiaries
        for i, (lbl, v) in enumerate(
            zip(charts.GROUP_LABELS, (b.male, b.female, b.disabled), strict=True), start=1
        ):
            sh.text(ben + i, 1, lbl)
            sh.number(ben + i, 2, v or 0, "int")
        sh.row = ben + 5
        ws = sh.ws
        bar = BarChart()
        bar.type = "col"
        bar.legend = None
        bar.height, bar.width = 7, 11
        bar.add_data(Reference(ws, min_col=2, min_row=src, max_row=src + 4), titles_from_data=True)
        bar.set_categories(Reference(ws, min_col=1, min_row=src + 1, max_row=src + 4))
        series = bar.series[0]
        for i, k in enumerate(charts.BAND_LABELS):
            pt = DataPoint(idx=i)
            pt.graphicalProperties.solidFill = charts.BAND_COLOURS[k]
            series.dPt.append(pt)
        series.dLbls = _labels(value=True)
        put_text(ws.cell(top, 4), "Sebaran capaian indikator")
        ws.cell(top, 4).font = Font(name=FONT, size=9, bold=True)
        ws.add_chart(bar, f"D{top + 1}")
        if b.total:
            pie = PieChart()
            pie.height, pie.width = 7, 9
            pie.add_data(
                Reference(ws, min_col=2, min_row=ben, max_row=ben + 3), titles_from_data=True
            )
            pie.set_categories(Reference(ws, min_col=1, min_row=ben + 1, max_row=ben + 3))
            ps = pie.series[0]
            for i, colour in enumerate(charts.GROUP_COLOURS):
                pt = DataPoint(idx=i)
                pt.graphicalProperties.solidFill = colour
                ps.dPt.append(pt)
            ps.dLbls = _labels(percent=True)
            put_text(ws.cell(top, 9), "Penerima manfaat terpilah")
            ws.cell(top, 9).font = Font(name=FONT, size=9, bold=True)
            ws.add_chart(pie, f"I{top + 1}")
        sh.row = max(sh.row, top + 16)
        sh.signature(d)
        sh.finish(d, self.paper)


def _labels(*, value: bool = False, percent: bool = False) -> DataLabelList:
    """Data labels with only the number (LibreOffice otherwise adds series and category)."""
    lbl = DataLabelList()
    lbl.showVal, lbl.showPercent = value, percent
    lbl.showCatName = lbl.showSerName = lbl.showLegendKey = lbl.showLeaderLines = False
    return lbl


def build_xlsx(
    data: ReportData,
    path: Path,
    paper: str = "a4",
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> None:
    """Write the workbook to ``path`` (sheets in the order a reader needs them)."""
    if paper not in PAPER_SIZES:
        raise ValueError(f"Ukuran kertas tidak dikenal: {paper} (pilih a4 atau f4)")
    rows = max(1, len(data.rows))
    total = rows + 4

    def tick(done: int) -> None:
        if cancelled is not None and cancelled():
            raise ReportCancelled("Pembuatan laporan dibatalkan.")
        if progress is not None:
            progress(min(done, total), total)

    book = _Book(data, paper)
    if data.is_regency:
        book.completeness()
    book.matrix(tick)
    if not data.is_regency:
        book.instruments()
    tick(rows + 1)
    book.evaluation()
    book.summary()
    tick(rows + 2)
    book.wb.active = 0
    book.wb.save(path)
    tick(total)
