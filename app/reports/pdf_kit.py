"""The PDF report kit: the house style every printed report shares.

Landscape A4 or F4, embedded TrueType fonts (``fonts.py``, so "√", "–" and Indonesian
text print the same everywhere), a letterhead, tables whose header rows repeat on every
page, a signature block and the footer "Halaman X dari Y". Report modules
(``radpug_pdf.py``, ``renstra_pdf.py``) build their story from these pieces and hand it
to :func:`build_document`.

Every text cell is a wrapped Paragraph inside a list, so reportlab can split a very
long cell across pages (``splitInRow``) instead of clipping it; user text is escaped
(:func:`esc`) before it reaches reportlab's mini-markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any, Generic, TypeVar
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app import __version__
from app.domain.nip import format_nip
from app.domain.numbers import format_number, format_percent
from app.domain.progress import Cancelled, Progress
from app.reports.fonts import BOLD, REGULAR
from app.reports.report_model import PrintedReport, ReportCancelled

PAPERS = {
    "a4": landscape(A4),
    "f4": (330 * mm, 215 * mm),  # F4 / Folio, as Indonesian offices use it
}
PAPER_LABELS = {"a4": "A4", "f4": "F4 (215 × 330 mm)"}
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 12 * mm, 12 * mm, 14 * mm
LOGO_HEIGHT = 20 * mm

GRID = colors.HexColor("#7A7A7A")
HEADER_BG = colors.HexColor("#D9E2EF")
GROUP_BG = colors.HexColor("#F1F4F8")
NUMBER_BG = colors.HexColor("#EEEEEE")
TOTAL_BG = colors.HexColor("#E8E8E8")
UNSIGNED_BG = colors.HexColor("#FFF4D6")  # amber, as the row form's unsigned line
UNSIGNED_LINE = colors.HexColor("#B26A00")
MUTED = "#555555"
TICK = "√"


# Leading 1.2 × size: reportlab splits a tall text cell across pages assuming exactly that.
TABLE_FONT = ("FONT", (0, 0), (-1, -1), REGULAR, 7, 7 * 1.2)  # every table: never Helvetica
TABLE_STYLE: list[tuple[Any, ...]] = [
    TABLE_FONT,
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("GRID", (0, 0), (-1, -1), 0.4, GRID),
    ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
]


def paragraph_style(
    name: str, size: float, *, bold: bool = False, align: int = TA_LEFT
) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=BOLD if bold else REGULAR,
        fontSize=size,
        leading=size * 1.22,
        alignment=align,
        splitLongWords=True,
    )


@dataclass(frozen=True)
class Styles:
    cell: ParagraphStyle
    cell_c: ParagraphStyle
    cell_r: ParagraphStyle
    head: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    lh_gov: ParagraphStyle
    lh_unit: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle

    @classmethod
    def make(cls) -> Styles:
        return cls(
            cell=paragraph_style("cell", 7),
            cell_c=paragraph_style("cell_c", 7, align=TA_CENTER),
            cell_r=paragraph_style("cell_r", 7, align=TA_RIGHT),
            head=paragraph_style("head", 7, bold=True, align=TA_CENTER),
            body=paragraph_style("body", 8.5),
            small=paragraph_style("small", 7),
            h1=ParagraphStyle(
                "h1", parent=paragraph_style("h1b", 10.5, bold=True), spaceBefore=4, spaceAfter=5
            ),
            h2=ParagraphStyle(
                "h2", parent=paragraph_style("h2b", 9, bold=True), spaceBefore=6, spaceAfter=4
            ),
            lh_gov=paragraph_style("lh_gov", 14, bold=True, align=TA_CENTER),
            lh_unit=paragraph_style("lh_unit", 12.5, bold=True, align=TA_CENTER),
            title=paragraph_style("title", 11, bold=True, align=TA_CENTER),
            subtitle=paragraph_style("subtitle", 9, align=TA_CENTER),
        )


def esc(text: str | None) -> str:
    """User text made safe for Paragraph markup; line breaks kept."""
    return escape((text or "").strip()).replace("\r\n", "\n").replace("\n", "<br/>")


_WORD_WIDTHS: dict[str, float] = {}


def _width(word: str) -> float:
    w = _WORD_WIDTHS.get(word)
    if w is None:
        w = _WORD_WIDTHS[word] = stringWidth(word, REGULAR, 7)
    return w


def wrap_lines(text: str, width: float) -> str:
    """``text`` broken into lines no wider than ``width`` at 7 pt (plain-text cells).

    Most cells of the matrix hold plain text: drawing them as pre-broken strings is
    several times faster than Paragraphs and reportlab still splits them across pages
    line by line. A word wider than the column is broken between letters.
    """
    space = _width(" ")
    out: list[str] = []
    for par in text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ").split("\n"):
        line: list[str] = []
        used = 0.0
        for word in par.split():
            w = _width(word)
            if w > width:  # break a very long word into pieces that fit
                if line:
                    out.append(" ".join(line))
                    line, used = [], 0.0
                piece = ""
                for ch in word:
                    if stringWidth(piece + ch, REGULAR, 7) > width and piece:
                        out.append(piece)
                        piece = ""
                    piece += ch
                line, used = [piece], stringWidth(piece, REGULAR, 7)
                continue
            extra = w + (space if line else 0)
            if line and used + extra > width:
                out.append(" ".join(line))
                line, used = [word], w
            else:
                line.append(word)
                used += extra
        out.append(" ".join(line))
    return "\n".join(out)


class _Para(Paragraph):
    """A Paragraph that remembers its line breaks for a width.

    A table cell is wrapped to measure the row, again when its page is laid out and
    again when drawn; the regency matrix has thousands of cells, so breaking the lines
    once per width halves the build time. Paragraph.wrap does not depend on the height.
    """

    _wrapped_for: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if availWidth != self._wrapped_for or "blPara" not in self.__dict__:
            super().wrap(availWidth, availHeight)
            self._wrapped_for = availWidth
        return self.width, self.height


def para(markup: str, style: ParagraphStyle) -> list[Flowable]:
    """A cell: a list (not a bare Paragraph) so a table row can split inside it."""
    return [_Para(markup, style)]


def muted(markup: str) -> str:
    return f'<font color="{MUTED}">{markup}</font>'


def num_text(v: Decimal | None) -> str:
    return format_number(v)


def rupiah_text(v: Decimal | None) -> str:
    return format_number(v, decimals=0) if v is not None else ""


def pct_text(v: Decimal | None) -> str:
    return format_percent(v) if v is not None else ""


def column_widths(weights: Sequence[float], total: float) -> list[float]:
    s = sum(weights)
    return [w / s * total for w in weights]


class NumberedCanvas(Canvas):
    """Defers each page so the footer can say how many pages there are."""

    footer_left = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["initialFontName"] = REGULAR  # no stray, unembedded Helvetica
        kwargs["initialFontSize"] = 7
        super().__init__(*args, **kwargs)
        self._saved: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._saved.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            self._footer(total)
            super().showPage()
        super().save()

    def _footer(self, total: int) -> None:
        w, _ = self._pagesize
        self.saveState()
        self.setFont(REGULAR, 7)
        self.setFillColor(colors.HexColor(MUTED))
        self.drawString(MARGIN_X, 7 * mm, self.footer_left)
        self.drawRightString(w - MARGIN_X, 7 * mm, f"Halaman {self._pageNumber} dari {total}")
        self.restoreState()


D = TypeVar("D", bound=PrintedReport)


@dataclass(frozen=True)
class DocumentInfo:
    """The PDF's document properties and the footer's left text."""

    title: str
    author: str
    subject: str
    keywords: list[str]
    footer_left: str


def logo_image(data: bytes) -> Image | None:
    """The region's logo, LOGO_HEIGHT high (at most twice as wide), or ``None`` when
    there is none or it does not decode: a broken logo must not stop a report."""
    if not data:
        return None
    try:
        w, h = ImageReader(BytesIO(data)).getSize()
    except Exception:  # reportlab/Pillow raise several types for a damaged image
        return None
    if not (w and h):
        return None
    width, height = LOGO_HEIGHT * w / h, LOGO_HEIGHT
    if width > 2 * LOGO_HEIGHT:
        width, height = 2 * LOGO_HEIGHT, 2 * LOGO_HEIGHT * h / w
    return Image(BytesIO(data), width=width, height=height)


class PageBuilder(Generic[D]):
    """A report's page geometry and styles, with the pieces every report prints: the
    letterhead, a table in the house style and the signature block."""

    def __init__(self, data: D, paper: str) -> None:
        self.data = data
        self.paper = paper
        self.page = PAPERS[paper]
        self.width = self.page[0] - 2 * MARGIN_X
        self.frame_height = self.page[1] - MARGIN_TOP - MARGIN_BOTTOM - 12  # frame padding
        self.s = Styles.make()

    def letterhead(self) -> list[Flowable]:
        d, s = self.data, self.s
        region = d.region
        head: list[Flowable] = [
            *(Paragraph(esc(line), s.lh_gov) for line in region.heading),
            Paragraph(esc(d.unit_name.upper()), s.lh_unit),
            *(Paragraph(esc(a), s.subtitle) for a in (region.address,) if a),
        ]
        logo = logo_image(region.logo)
        if logo is not None:
            head = [self._beside_logo(logo, head)]
        return [
            *head,
            Spacer(1, 2),
            HRFlowable(width="100%", thickness=1.6, color=colors.black, spaceAfter=1),
            HRFlowable(width="100%", thickness=0.5, color=colors.black, spaceAfter=6),
            Paragraph(esc(d.title.upper()), s.title),
            Paragraph(esc(d.subtitle), s.subtitle),
            Spacer(1, 8),
        ]

    def _beside_logo(self, pic: Image, lines: list[Flowable]) -> Flowable:
        """The letterhead's lines centred between the logo (left) and an equal margin."""
        gap = pic.drawWidth + 4 * mm
        t = Table([[pic, lines, ""]], colWidths=[gap, self.width - 2 * gap, gap])
        t.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("ALIGN", (0, 0), (0, 0), "LEFT"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return t

    def table(
        self,
        rows: list[list[Any]],
        weights: Sequence[float],
        header_rows: int,
        extra: list[tuple[Any, ...]] | None = None,
        split_in_row: bool = True,
    ) -> Table:
        t = Table(
            rows,
            colWidths=column_widths(weights, self.width),
            repeatRows=header_rows,
            splitByRow=1,
            splitInRow=1 if split_in_row else 0,
            longTableOptimize=1,
            hAlign="LEFT",
        )
        cmds: list[tuple[Any, ...]] = list(TABLE_STYLE)
        if header_rows:
            cmds += [
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_BG),
                ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"),
            ]
        t.setStyle(TableStyle(cmds + (extra or [])))
        return t

    def numbering_row(self, n: int) -> list[Any]:
        return [para(f"({i})", self.s.head) for i in range(1, n + 1)]

    # ----------------------------------------------------------------- signature
    def signature(self) -> Flowable:
        d, s = self.data, self.s
        sig = d.signature
        dots = "...................................."

        def block(lines_top: list[str], person_name: str, nip: str) -> list[Flowable]:
            out: list[Flowable] = [Paragraph(x, s.body) for x in lines_top]
            out.append(Spacer(1, 17 * mm))
            out.append(Paragraph(f"<b><u>{esc(person_name) or dots}</u></b>", s.body))
            out.append(Paragraph(f"NIP. {esc(format_nip(nip)) or dots}", s.body))
            return out

        right = block(
            [esc(sig.place_date), esc(sig.signer.position)], sig.signer.name, sig.signer.nip
        )
        left: list[Flowable] = []
        if sig.preparer:
            left = block(
                ["&nbsp;", "Disusun oleh,", esc(sig.preparer.position)],
                sig.preparer.name,
                sig.preparer.nip,
            )
            right = block(
                [esc(sig.place_date), "Mengetahui,", esc(sig.signer.position)],
                sig.signer.name,
                sig.signer.nip,
            )
        t = Table(
            [[left, "", right]],
            colWidths=[self.width * 0.38, self.width * 0.22, self.width * 0.40],
            hAlign="LEFT",
        )
        t.setStyle(TableStyle([TABLE_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return KeepTogether([Spacer(1, 8 * mm), t, *self.verification()])

    def verification(self) -> list[Flowable]:
        """A signed submission's verification code, QR and key fingerprint, when present."""
        v = self.data.verification
        if v is None:
            return []
        from reportlab.graphics.barcode.qr import QrCodeWidget
        from reportlab.graphics.shapes import Drawing

        size = 24 * mm
        qr = QrCodeWidget(v.qr_text)
        x0, y0, x1, y1 = qr.getBounds()
        drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
        drawing.add(qr)
        text = Paragraph(
            f"Kode verifikasi isi: <b>{esc(v.code)}</b><br/>"
            f"Sidik jari kunci penanda tangan: <b>{esc(v.key_id)}</b><br/>"
            "Berkas Excel kiriman ini memuat isi bertanda tangan elektronik; Pokja PUG "
            "mencocokkan kode ini dengan berkas yang diterima.",
            self.s.small,
        )
        t = Table([[drawing, text]], colWidths=[size + 4 * mm, self.width * 0.5], hAlign="LEFT")
        t.setStyle(TableStyle([TABLE_FONT, ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        return [Spacer(1, 4 * mm), t]


class LongTable(Flowable):
    """A header table and row blocks that split in linear time, header on every page.

    reportlab's Table re-measures and re-spans all remaining rows at every page break,
    which is quadratic for the regency matrix (~1,500 rows and group lines). Here every
    block (a group line with its rows) is measured once; a page takes whole blocks, and
    the block that straddles the page end is split by reportlab inside it.
    """

    def __init__(self, header: Table, blocks: list[Flowable], page_room: float) -> None:
        super().__init__()
        self.header = header
        self.blocks = blocks
        self.page_room = page_room  # the height of an empty frame
        self._heights: dict[int, float] = {}
        self._hh = 0.0
        self._aw = 0.0

    def _measure(self, aw: float, ah: float) -> None:
        if aw != self._aw:
            self._aw = aw
            self._heights.clear()
            self._hh = self.header.wrap(aw, ah)[1]
        for b in self.blocks:
            if id(b) not in self._heights:
                self._heights[id(b)] = b.wrap(aw, ah)[1]

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self._measure(aw, ah)
        self.width = aw
        self.height = self._hh + sum(self._heights[id(b)] for b in self.blocks)
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        self._measure(aw, ah)
        room = ah - self._hh
        taken: list[Flowable] = []
        rest = list(self.blocks)
        used = 0.0
        while rest:
            h = self._heights[id(rest[0])]
            if used + h <= room:
                taken.append(rest.pop(0))
                used += h
                continue
            left = room - used
            block = rest[0]
            keep = getattr(block, "keep_rows", 0)
            need = sum(block._rowHeights[:keep]) if keep else 24  # measured by wrap above
            fresh = not taken and ah >= self.page_room - 1
            if left >= max(36, need) or fresh:
                parts = rest[0].split(aw, left)
                if len(parts) == 2:
                    rest[0:1] = parts
                    taken.append(parts[0])
                    self._heights[id(parts[0])] = parts[0].wrap(aw, left)[1]
                    self._heights[id(parts[1])] = parts[1].wrap(aw, ah)[1]
                    rest.pop(0)
            break
        if not taken:
            return []
        first = _Stack([self.header, *taken], [self._hh, *(self._heights[id(b)] for b in taken)])
        if not rest:
            return [first]
        more = LongTable(self.header, rest, self.page_room)
        more._aw, more._hh, more._heights = aw, self._hh, self._heights
        return [first, more]

    def draw(self) -> None:
        stack = _Stack(
            [self.header, *self.blocks], [self._hh, *(self._heights[id(b)] for b in self.blocks)]
        )
        stack.wrap(self.width, self.height)
        stack.drawOn(self.canv, 0, 0)


class _Stack(Flowable):
    """Flowables drawn top to bottom, as one piece of a page."""

    def __init__(self, parts: list[Flowable], heights: list[float]) -> None:
        super().__init__()
        self.parts = parts
        self._h = heights

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width, self.height = aw, sum(self._h)
        return aw, self.height

    def draw(self) -> None:
        y = self.height
        for p, h in zip(self.parts, self._h, strict=True):
            y -= h
            p.drawOn(self.canv, 0, y)


def build_document(
    path: Path,
    page: tuple[float, float],
    story: Callable[[Callable[[int], None]], list[Flowable]],
    *,
    rows: int,
    pages: int,
    info: DocumentInfo,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """Lay out ``story`` (built with a ``tick(done)`` callback) into ``path``; returns
    the number of pages.

    Progress runs over ``rows`` (ticked while the story is built) plus an estimate of
    ``pages`` (ticked per page laid out); ``cancelled()`` is checked at the same points
    and raises :class:`ReportCancelled`.
    """
    total = rows + pages

    def tick(done: int) -> None:
        if cancelled is not None and cancelled():
            raise ReportCancelled("Pembuatan laporan dibatalkan.")
        if progress is not None:
            progress(min(done, total), total)

    flowables = story(tick)
    page_count = 0

    def on_page(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        nonlocal page_count
        page_count = doc.page
        tick(rows + min(doc.page, pages - 1))

    doc = SimpleDocTemplate(
        str(path),
        pagesize=page,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=info.title,
        author=info.author,
        subject=info.subject,
        creator=f"Monev RAD PUG {__version__}",
        keywords=info.keywords,
        lang="id-ID",
        initialFontName=REGULAR,
        initialFontSize=7,
    )
    canvas_class = type("Canvas_", (NumberedCanvas,), {"footer_left": info.footer_left})
    doc.build(flowables, onFirstPage=on_page, onLaterPages=on_page, canvasmaker=canvas_class)
    if progress is not None:
        progress(total, total)
    return page_count
