"""The Excel report kit: print-ready sheets, numbers kept as numbers.

Report modules (``radpug_xlsx.py``, ``renstra_xlsx.py``, ``fillin_xlsx.py``) build their
sheets from :class:`Book`, :class:`Sheet` and :class:`Col` and the constants here.

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
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.pdfbase.pdfmetrics import stringWidth

from app import __version__
from app.domain.nip import format_nip
from app.reports import charts
from app.reports.fonts import arial_metrics
from app.reports.report_model import PrintedReport

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
NOTICE_RED = "C00000"  # the "send as is" line of a signed submission

_thin = Side(style="thin", color="808080")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADER_FILL = PatternFill("solid", fgColor="D9E2EF")
GROUP_FILL = PatternFill("solid", fgColor="F1F4F8")
NUMBER_FILL = PatternFill("solid", fgColor="EEEEEE")
TOTAL_FILL = PatternFill("solid", fgColor="E8E8E8")
BAND_FILLS = {k: PatternFill("solid", fgColor=v) for k, v in charts.BAND_FILLS.items()}


def named_style(
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


STYLES: dict[str, dict[str, Any]] = {
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


def wrapped_lines(text: str, width_chars: float) -> int:
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
class Col:
    title: str
    width: float
    sub: str = ""


class Sheet:
    """Writes one section: letterhead, header rows, body, signature, page set-up."""

    def __init__(self, book: Book, title: str, cols: Sequence[Col]) -> None:
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
        h = (wrapped_lines(text, width) + extra) * LINE_PT + 3
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
    def letterhead(self, data: PrintedReport, section: str, notice: str | None = None) -> None:
        """The region's heading, the unit and title; ``notice`` in red under them."""
        for text, size in (
            *((line, 12) for line in data.region.heading),
            *((line, 9) for line in (data.region.address,) if line),
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
        if notice:
            # In the spare row under the letterhead, so no cell of the table moves: the
            # cells a signed submission lists (and tests name) keep their references.
            cell = self.ws.cell(self.row, 1)
            put_text(cell, notice)
            cell.font = Font(name=FONT, size=10, bold=True, color=NOTICE_RED)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            self.ws.merge_cells(
                start_row=self.row, start_column=1, end_row=self.row, end_column=self.n
            )
            self.heights[self.row] = 10 * 1.8
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
            top = max(top, wrapped_lines(title, span) * LINE_PT + 3)
            sub = max(
                sub,
                *(
                    wrapped_lines(self.cols[c - 1].sub, self.cols[c - 1].width) * LINE_PT + 3
                    for c in cs
                ),
            )
        tall = max(wrapped_lines(c.title, c.width) * LINE_PT + 3 for c in self.cols if not c.sub)
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

    def signature(self, data: PrintedReport) -> None:
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

    def finish(self, paper: str, footer: str, freeze: str | None = None) -> None:
        """Row heights, page set-up, print titles and the footer ``<footer> — <sheet>``."""
        ws = self.ws
        for r, h in self.heights.items():
            ws.row_dimensions[r].height = round(min(h, 409), 1)
        if self.header_rows:
            ws.print_title_rows = f"{self.header_rows[0]}:{self.header_rows[1]}"
            ws.freeze_panes = freeze or f"A{self.header_rows[1] + 1}"
        landscape_page(ws, paper, f"{footer} — {ws.title}")


def landscape_page(ws: Worksheet, paper: str, footer: str) -> None:
    """The house page set-up: landscape, fit to width, the footer and page numbers."""
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
    ws.oddFooter.left.text = footer
    ws.oddFooter.left.size = 7
    ws.oddFooter.right.text = "Halaman &P dari &N"
    ws.oddFooter.right.size = 7


class Book:
    """A workbook with the house's named cell styles (``STYLES`` and any ``extra``)."""

    def __init__(self, paper: str, extra: dict[str, dict[str, Any]] | None = None) -> None:
        self.paper = paper
        self.wb = Workbook()
        self.wb.remove(self.wb.worksheets[0])
        self.arrays: dict[str, StyleArray] = {}
        for name, kw in {**STYLES, **(extra or {})}.items():
            st = named_style(name, **kw)
            self.wb.add_named_style(st)
            self.arrays[name] = copy(st.as_tuple())

    def describe(self, *, title: str, subject: str, creator: str, keywords: str) -> None:
        """The workbook's document properties (Indonesian, with the app's version)."""
        p = self.wb.properties
        p.title = title
        p.subject = subject
        p.creator = creator
        p.keywords = keywords
        p.description = f"Dibuat dengan Monev RAD PUG {__version__}"
        p.language = "id-ID"

    def apply(self, cell: Cell | MergedCell, style: str) -> None:
        """``cell.style = name`` without its per-call lookup (thousands of cells)."""
        cell._style = copy(self.arrays[style])
