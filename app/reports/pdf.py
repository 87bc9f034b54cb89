"""The printable PDF: landscape A4 or F4, header rows on every page, "Halaman X dari Y".

Every text cell is a wrapped Paragraph inside a list, so reportlab can split a very
long cell across pages (``splitInRow``) instead of clipping it; user text is escaped
before it reaches reportlab's mini-markup. Fonts are TrueType and embedded
(``fonts.py``), so "√", "–" and Indonesian text print the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app import __version__
from app.domain.achievement import Band
from app.domain.arg import Answer
from app.domain.numbers import format_number, format_percent
from app.domain.progress import Cancelled, Progress
from app.reports import charts
from app.reports.fonts import BOLD, REGULAR, register_fonts
from app.services.report_data import (
    GOVERNMENT,
    ArgInstrument,
    MatrixRow,
    ReportCancelled,
    ReportData,
    Summary,
    hierarchy_changes,
    unsigned_notes,
)
from app.services.signatory import format_nip

PAPERS = {
    "a4": landscape(A4),
    "f4": (330 * mm, 215 * mm),  # F4 / Folio, as Indonesian offices use it
}
PAPER_LABELS = {"a4": "A4", "f4": "F4 (215 × 330 mm)"}
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 12 * mm, 12 * mm, 14 * mm

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
_FONT = ("FONT", (0, 0), (-1, -1), REGULAR, 7, 7 * 1.2)  # every table: never Helvetica
_BASE_CMDS: list[tuple[Any, ...]] = [
    _FONT,
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("GRID", (0, 0), (-1, -1), 0.4, GRID),
    ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
]


def _style(name: str, size: float, *, bold: bool = False, align: int = TA_LEFT) -> ParagraphStyle:
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
            cell=_style("cell", 7),
            cell_c=_style("cell_c", 7, align=TA_CENTER),
            cell_r=_style("cell_r", 7, align=TA_RIGHT),
            head=_style("head", 7, bold=True, align=TA_CENTER),
            body=_style("body", 8.5),
            small=_style("small", 7),
            h1=ParagraphStyle(
                "h1", parent=_style("h1b", 10.5, bold=True), spaceBefore=4, spaceAfter=5
            ),
            h2=ParagraphStyle(
                "h2", parent=_style("h2b", 9, bold=True), spaceBefore=6, spaceAfter=4
            ),
            lh_gov=_style("lh_gov", 14, bold=True, align=TA_CENTER),
            lh_unit=_style("lh_unit", 12.5, bold=True, align=TA_CENTER),
            title=_style("title", 11, bold=True, align=TA_CENTER),
            subtitle=_style("subtitle", 9, align=TA_CENTER),
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


def _num(v: Decimal | None) -> str:
    return format_number(v)


def _rp(v: Decimal | None) -> str:
    return format_number(v, decimals=0) if v is not None else ""


def _pct(v: Decimal | None) -> str:
    return format_percent(v) if v is not None else ""


def _widths(weights: Sequence[float], total: float) -> list[float]:
    s = sum(weights)
    return [w / s * total for w in weights]


class _NumberedCanvas(Canvas):
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


class _Builder:
    def __init__(self, data: ReportData, paper: str) -> None:
        self.data = data
        self.paper = paper
        self.page = PAPERS[paper]
        self.width = self.page[0] - 2 * MARGIN_X
        self.frame_height = self.page[1] - MARGIN_TOP - MARGIN_BOTTOM - 12  # frame padding
        self.s = Styles.make()

    # ----------------------------------------------------------------- common parts
    def letterhead(self) -> list[Flowable]:
        d, s = self.data, self.s
        return [
            Paragraph(GOVERNMENT, s.lh_gov),
            Paragraph(esc(d.unit_name.upper()), s.lh_unit),
            Spacer(1, 2),
            HRFlowable(width="100%", thickness=1.6, color=colors.black, spaceAfter=1),
            HRFlowable(width="100%", thickness=0.5, color=colors.black, spaceAfter=6),
            Paragraph(esc(d.title.upper()), s.title),
            Paragraph(esc(d.subtitle), s.subtitle),
            Spacer(1, 8),
        ]

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
            colWidths=_widths(weights, self.width),
            repeatRows=header_rows,
            splitByRow=1,
            splitInRow=1 if split_in_row else 0,
            longTableOptimize=1,
            hAlign="LEFT",
        )
        cmds: list[tuple[Any, ...]] = list(_BASE_CMDS)
        if header_rows:
            cmds += [
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_BG),
                ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"),
            ]
        t.setStyle(TableStyle(cmds + (extra or [])))
        return t

    def numbering_row(self, n: int) -> list[Any]:
        return [para(f"({i})", self.s.head) for i in range(1, n + 1)]

    # ----------------------------------------------------------------- matrix
    def matrix(self, progress: Callable[[int], None]) -> list[Flowable]:
        d, s = self.data, self.s
        regency = d.is_regency
        y = d.year
        head = [
            "No",
            *(["Perangkat Daerah"] if regency else []),
            "Aktivitas",
            "Indikator",
            "Satuan",
            f"Target {y}",
            f"Realisasi {y}",
            "",
            "",
            "",
            "Capaian",
            f"Anggaran {y}",
            "",
            "",
            "Bukti Dukung / Keterangan",
        ]
        sub = [""] * len(head)
        off = 1 if regency else 0
        r0 = 5 + off  # first realisation column
        sub[r0 : r0 + 4] = ["Jumlah", "L", "P", "Dis."]
        sub[r0 + 5 : r0 + 8] = ["Pagu (Rp)", "Realisasi (Rp)", "Serapan"]
        ncol = len(head)
        weights = [
            7,
            *([19] if regency else []),
            30,
            33,
            # Wide enough for units such as "Kecamatan" or "Dokumen" on one line.
            17,
            32,
            13,
            11,
            11,
            10,
            15,
            21,
            21,
            14,
            32,
        ]
        widths = _widths(weights, self.width)
        header_rows: list[list[Any]] = [
            [para(esc(h), s.head) if h else "" for h in head],
            [para(esc(h), s.head) if h else "" for h in sub],
            self.numbering_row(ncol),
        ]
        hcmds: list[tuple[Any, ...]] = [("BACKGROUND", (0, 2), (-1, 2), NUMBER_BG)]
        for c in range(ncol):
            if not sub[c]:
                hcmds.append(("SPAN", (c, 0), (c, 1)))
        hcmds += [("SPAN", (r0, 0), (r0 + 3, 0)), ("SPAN", (r0 + 5, 0), (r0 + 7, 0))]
        header = self.table(header_rows, weights, 3, hcmds)
        base = [
            *_BASE_CMDS,
            ("ALIGN", (r0, 0), (r0 + 7, -1), "RIGHT"),
            ("ALIGN", (0, 0), (0, -1), "CENTER"),
        ]
        fit = {c: widths[c] - 5.5 for c in range(ncol)}

        def text(c: int, value: str) -> str:
            return wrap_lines(value, fit[c]) if value else ""

        blocks: list[Flowable] = []
        rows: list[list[Any]] = []
        cmds: list[tuple[Any, ...]] = []
        grouped = [False]  # whether the block being filled starts with a group line

        def flush() -> None:
            if rows:
                t = Table(list(rows), colWidths=widths, splitByRow=1, splitInRow=1, hAlign="LEFT")
                t.setStyle(TableStyle(base + cmds))
                # A group line never ends a page alone: keep it with its first row.
                t.keep_rows = 2 if grouped[0] and len(rows) > 1 else 0
                blocks.append(t)
                rows.clear()
                cmds.clear()

        prev: MatrixRow | None = None
        proposed_seen = False
        for i, r in enumerate(d.rows):
            if i % 50 == 0:
                progress(i)
            levels = hierarchy_changes(prev, r)
            if levels:
                flush()
                grouped[0] = True
                markup = "<br/>".join(f"<b>{esc(lbl)}</b>: {esc(name)}" for lbl, name in levels)
                rows.append([para(markup, s.cell), *[""] * (ncol - 1)])
                cmds += [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), GROUP_BG)]
            elif len(rows) >= 8:
                flush()
                grouped[0] = False
            prev = r
            n = len(rows)
            real = r.realisation
            cells: list[Any] = [str(r.number)]
            if regency:
                cells.append(text(1, r.opd_name))
            proposed_seen = proposed_seen or r.target.proposed
            indikator = r.indikator + (" ▼" if r.polarity == "lower" else "")
            remarks = self._remarks(r)
            cells += [
                text(1 + off, r.aktivitas),
                text(2 + off, indikator),
                text(3 + off, r.satuan),
                text(4 + off, self._target(r)),
                _num(real.total) if real and real.total is not None else "–",
                _num(real.male) if real else "",
                _num(real.female) if real else "",
                _num(real.disabled) if real else "",
                _pct(r.achievement),
                _rp(r.budget),
                _rp(r.spending),
                _pct(r.absorption),
                text(ncol - 1, remarks),
            ]
            rows.append(cells)
            fill = charts.BAND_FILLS.get(r.band.value)
            if fill:
                cmds.append(("BACKGROUND", (r0 + 4, n), (r0 + 4, n), colors.HexColor("#" + fill)))
        flush()
        progress(len(d.rows))
        if not d.rows:
            t = self.table([[para("Tidak ada baris rencana aksi.", s.cell)]], [1], 0)
            blocks.append(t)
        notes = [
            "Capaian = realisasi ÷ target × 100 %; untuk indikator bertanda ▼ (makin kecil makin "
            "baik) capaian = (2 × target − realisasi) ÷ target × 100 %. Serapan = realisasi "
            "anggaran ÷ pagu × 100 %. L = laki-laki, P = perempuan, Dis. = penyandang "
            "disabilitas. Warna capaian: hijau ≥ 100 %, kuning 75 – < 100 %, merah < 75 %.",
        ]
        if proposed_seen:
            notes.append(
                "* Target usulan Perangkat Daerah: target resmi Perbup tetap dicantumkan; "
                "capaian dihitung terhadap target usulan."
            )
        out: list[Flowable] = [
            Paragraph(
                f"I. Matriks Rencana Aksi (Tabel 4.2) dan Realisasi Tahun {y}"
                if not regency
                else f"II. Matriks Rencana Aksi Kabupaten (Tabel 4.2) dan Realisasi Tahun {y}",
                s.h1,
            ),
            LongTable(header, blocks, self.frame_height),
            Spacer(1, 3),
        ]
        out += [Paragraph(muted(esc(n)), s.small) for n in notes]
        return out

    def _target(self, r: MatrixRow) -> str:
        """The target as written, the proposal beside it, and the parsed L / P / Dis."""
        t = r.target
        lines = []
        if t.proposed:
            lines.append(f"Resmi: {t.text or '–'}")
            lines.append(f"* Usulan: {t.proposed_text or _num(t.proposed_breakdown.total)}")
            b = t.proposed_breakdown
        else:
            lines.append(t.text or "–")
            b = t.official
        if b.has_parts:
            lines.append(
                "("
                + " · ".join(
                    f"{lbl} {_num(v)}"
                    for lbl, v in (("L", b.male), ("P", b.female), ("Dis.", b.disabled))
                    if v is not None
                )
                + ")"
            )
        return "\n".join(lines)

    def _remarks(self, r: MatrixRow) -> str:
        bits = []
        if r.evidence:
            bits.append(f"Bukti: {r.evidence}")
        if r.note:
            bits.append(f"Catatan: {r.note}")
        if r.keterangan:
            bits.append(f"Ket.: {r.keterangan}")
        return "\n".join(bits)

    # ----------------------------------------------------------------- ARG
    def instruments(self, number: str) -> list[Flowable]:
        d, s = self.data, self.s
        out: list[Flowable] = [
            CondPageBreak(60 * mm),
            Paragraph(f"{number}. Instrumen Pemantauan ARG (Tabel 5.1–5.3)", s.h1),
        ]
        if not d.instruments:
            out.append(
                Paragraph(
                    f"Belum ada kegiatan/sub kegiatan yang dinilai untuk tahun {d.year}.", s.body
                )
            )
            return out
        stage_ids = [st.id for st in d.instruments[0].qset.stages]
        for k, stage_id in enumerate(stage_ids):
            out += self._stage_table(stage_id, k)
        return out

    def _stage_table(self, stage_id: str, k: int) -> list[Flowable]:
        d, s = self.data, self.s
        first = d.instruments[0].qset.stages[k]
        caption = f"{first.table or f'Tabel 5.{k + 1}'} Instrumen Pemantauan ARG {first.label}"
        rows: list[list[Any]] = [
            [
                para("Unit Organisasi", s.head),
                para("Kegiatan/ Sub Kegiatan", s.head),
                para("Pertanyaan", s.head),
                para("Jawaban", s.head),
                "",
                para("Ket", s.head),
            ],
            ["", "", "", para("Ya", s.head), para("Tidak", s.head), ""],
            self.numbering_row(6),
        ]
        extra: list[tuple[Any, ...]] = [
            ("SPAN", (0, 0), (0, 1)),
            ("SPAN", (1, 0), (1, 1)),
            ("SPAN", (2, 0), (2, 1)),
            ("SPAN", (3, 0), (4, 0)),
            ("SPAN", (5, 0), (5, 1)),
            ("BACKGROUND", (0, 2), (-1, 2), NUMBER_BG),
        ]
        for inst in d.instruments:
            stage = next((st for st in inst.qset.stages if st.id == stage_id), None)
            if stage is None:
                continue
            start = len(rows)
            for q in stage.questions:
                a = inst.answers.get(q.id)
                remark = esc(a.remark) if a and a.remark else ""
                if a is None:
                    remark = muted("belum dijawab")
                elif a.answer is Answer.TIDAK_DAPAT:
                    remark = f"<b>Tidak dapat menjawab.</b> {remark}"
                rows.append(
                    [
                        "",
                        "",
                        para(f"{q.number}. {esc(q.text)}", s.cell),
                        para(TICK if a and a.answer is Answer.YA else "", s.cell_c),
                        para(TICK if a and a.answer is Answer.TIDAK else "", s.cell_c),
                        para(remark, s.cell),
                    ]
                )
            sc = next(x for x in inst.score.stages if x.stage == stage_id)
            rows.append(
                [
                    "",
                    "",
                    para(f"<b>Jumlah jawaban ({TICK})</b>", s.cell),
                    para(f"<b>{sc.ya}</b>", s.cell_c),
                    para(f"<b>{sc.tidak}</b>", s.cell_c),
                    para(muted(f"{sc.unanswered} belum dijawab") if sc.unanswered else "", s.cell),
                ]
            )
            end = len(rows) - 1
            rows[start][0] = para(esc(inst.node.opd_name), s.cell)
            rows[start][1] = para(self._node_label(inst), s.cell)
            extra += [
                ("SPAN", (0, start), (0, end)),
                ("SPAN", (1, start), (1, end)),
                ("NOSPLIT", (0, start), (-1, end)),
                ("BACKGROUND", (2, end), (-1, end), TOTAL_BG),
            ]
        return [
            CondPageBreak(45 * mm),
            Paragraph(esc(caption), s.h2),
            # blocks are kept whole (NOSPLIT), which splitting inside rows would override
            self.table(rows, [30, 48, 110, 11, 11, 50], 3, extra, split_in_row=False),
        ]

    def _node_label(self, inst: ArgInstrument) -> str:
        n = inst.node
        level = "Sub Kegiatan" if n.level == "sub_kegiatan" else "Kegiatan"
        text = f"<b>{level}</b>: {esc(n.name)}"
        if n.parent_name:
            parent = "Kegiatan" if n.level == "sub_kegiatan" else "Program"
            text += "<br/>" + muted(f"{parent}: {esc(n.parent_name)}")
        return text

    def evaluation(self, number: str) -> list[Flowable]:
        d, s = self.data, self.s
        out: list[Flowable] = [
            CondPageBreak(50 * mm),
            Paragraph(
                f"{number}. Evaluasi Anggaran Responsif Gender (Tabel 5.4) dan Klasifikasi "
                "(Tabel 5.5)",
                s.h1,
            ),
        ]
        stages = d.instruments[0].qset.stages if d.instruments else None
        labels = (
            [st.label.removeprefix("Tahap ") for st in stages]
            if stages
            else ["Perencanaan", "Pelaksanaan", "Pertanggungjawaban"]
        )
        head: list[Any] = [
            para("No", s.head),
            para("Unit Organisasi", s.head),
            para("Kegiatan/ Sub Kegiatan", s.head),
        ]
        sub: list[Any] = ["", "", ""]
        for lbl in labels:
            head += [para(esc(lbl), s.head), ""]
            sub += [para("Ya", s.head), para("Tidak", s.head)]
        head += [para("Jumlah jawaban (√)", s.head), "", para("Klasifikasi (Tabel 5.5)", s.head)]
        sub += [para("Ya", s.head), para("Tidak", s.head), ""]
        ncol = len(head)
        rows: list[list[Any]] = [head, sub]
        extra: list[tuple[Any, ...]] = [
            ("SPAN", (0, 0), (0, 1)),
            ("SPAN", (1, 0), (1, 1)),
            ("SPAN", (2, 0), (2, 1)),
            ("SPAN", (ncol - 1, 0), (ncol - 1, 1)),
        ]
        for j in range(len(labels) + 1):
            extra.append(("SPAN", (3 + 2 * j, 0), (4 + 2 * j, 0)))
        for i, r in enumerate(d.recap, start=1):
            cells: list[Any] = [
                para(str(i), s.cell_c),
                para(esc(r.node.opd_name), s.cell),
                para(esc(r.node.name), s.cell),
            ]
            for st in r.score.stages:
                cells += [para(str(st.ya), s.cell_c), para(str(st.tidak), s.cell_c)]
            cells += [
                para(f"<b>{r.score.total_ya}</b>", s.cell_c),
                para(str(r.score.total_tidak), s.cell_c),
                para(esc(r.score.status_text), s.cell),
            ]
            rows.append(cells)
        if not d.recap:
            rows.append(
                [para(f"Belum ada penilaian ARG tahun {d.year}.", s.cell), *[""] * (ncol - 1)]
            )
            extra.append(("SPAN", (0, 2), (-1, 2)))
        weights = [7, 28, 62, *[15] * (2 * len(labels) + 2), 38]
        out.append(self.table(rows, weights, 2, extra))
        out.append(Spacer(1, 6))
        out.append(self._classes_legend())
        if d.is_regency:
            out += self._classes_per_opd()
        return out

    def _classes_legend(self) -> Flowable:
        s = self.s
        rows: list[list[Any]] = [
            [para("No", s.head), para("Nilai Variabel", s.head), para("Kriteria Penilaian", s.head)]
        ]
        for i, c in enumerate(sorted(self.data.classes, key=lambda c: -c.min), start=1):
            rows.append(
                [
                    para(str(i), s.cell_c),
                    para(f"{c.min}–{c.max}", s.cell_c),
                    para(esc(c.label), s.cell),
                ]
            )
        t = Table(rows, colWidths=[10 * mm, 28 * mm, 60 * mm], hAlign="LEFT")
        t.setStyle(
            TableStyle(
                [
                    _FONT,
                    ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                    ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        return KeepTogether(
            [
                Paragraph("Tabel 5.5 Klasifikasi Evaluasi", self.s.h2),
                t,
                Paragraph(
                    muted(
                        "Instrumen yang belum lengkap dijawab belum diklasifikasikan; nilai 0 pada "
                        "instrumen lengkap termasuk Tidak Responsif Gender."
                    ),
                    s.small,
                ),
            ]
        )

    def _classes_per_opd(self) -> list[Flowable]:
        d, s = self.data, self.s
        labels = d.class_labels
        rows: list[list[Any]] = [
            [
                para("No", s.head),
                para("Perangkat Daerah", s.head),
                para("Dinilai", s.head),
                *[para(esc(lbl), s.head) for lbl in labels],
            ]
        ]
        n = 0
        for c in d.completeness:
            if not c.summary.arg_assessed:
                continue
            n += 1
            rows.append(
                [
                    para(str(n), s.cell_c),
                    para(esc(c.name), s.cell),
                    para(str(c.summary.arg_assessed), s.cell_c),
                    *[para(str(c.summary.arg_classes.get(lbl, 0)), s.cell_c) for lbl in labels],
                ]
            )
        tot = d.summary
        rows.append(
            [
                "",
                para("<b>Jumlah</b>", s.cell),
                para(f"<b>{tot.arg_assessed}</b>", s.cell_c),
                *[para(f"<b>{tot.arg_classes.get(lbl, 0)}</b>", s.cell_c) for lbl in labels],
            ]
        )
        return [
            CondPageBreak(45 * mm),
            Paragraph("Klasifikasi ARG per Perangkat Daerah", s.h2),
            self.table(
                rows,
                [7, 80, 16, *[24] * len(labels)],
                1,
                [("BACKGROUND", (0, -1), (-1, -1), TOTAL_BG)],
            ),
        ]

    # ----------------------------------------------------------------- regency completeness
    def completeness(self, number: str) -> list[Flowable]:
        d, s = self.data, self.s
        head = [
            "No",
            "Perangkat Daerah",
            "Baris",
            f"Bertarget {d.year}",
            "Terisi",
            "% Terisi",
            "Rata-rata Capaian",
            "Pagu (Rp)",
            "Realisasi Anggaran (Rp)",
            "Serapan",
            "Kegiatan dinilai ARG",
        ]
        rows: list[list[Any]] = [[para(esc(h), s.head) for h in head]]
        for i, c in enumerate(d.completeness, start=1):
            name = esc(c.name)
            if c.code in d.unsigned:
                name += "<br/>(isian tanpa tanda tangan)"
            rows.append(self._summary_cells(str(i), name, c.summary))
        rows.append(self._summary_cells("", "<b>Kabupaten Lumajang</b>", d.summary, bold=True))
        return [
            Paragraph(f"{number}. Kelengkapan Pengisian per Perangkat Daerah Tahun {d.year}", s.h1),
            self.table(
                rows,
                [7, 70, 14, 17, 14, 15, 18, 30, 30, 16, 18],
                1,
                [("BACKGROUND", (0, -1), (-1, -1), TOTAL_BG)],
            ),
        ]

    def _summary_cells(self, no: str, name: str, m: Summary, bold: bool = False) -> list[Any]:
        s = self.s

        def b(x: str) -> str:
            return f"<b>{x}</b>" if bold and x else x

        return [
            para(no, s.cell_c),
            para(name, s.cell),
            para(b(format_number(m.rows)), s.cell_r),
            para(b(format_number(m.with_target)), s.cell_r),
            para(b(format_number(m.filled)), s.cell_r),
            para(b(_pct(m.filled_pct)), s.cell_r),
            para(b(_pct(m.average_achievement)), s.cell_r),
            para(b(_rp(m.budget)), s.cell_r),
            para(b(_rp(m.spending)), s.cell_r),
            para(b(_pct(m.absorption)), s.cell_r),
            para(b(format_number(m.arg_assessed)), s.cell_r),
        ]

    # ----------------------------------------------------------------- summary
    def summary(self, number: str) -> list[Flowable]:
        d, s = self.data, self.s
        rows = [[para(esc(k), s.cell), para(esc(v), s.cell)] for k, v in summary_lines(d)]
        key_table = Table(rows, colWidths=[62 * mm, 48 * mm], hAlign="LEFT")
        key_table.setStyle(
            TableStyle(
                [
                    _FONT,
                    ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        chart_w = (self.width - 116 * mm) / 2
        side = Table(
            [
                [
                    key_table,
                    charts.band_chart(d.summary, chart_w - 6, 150),
                    charts.beneficiary_chart(d.summary, chart_w - 6, 150),
                ]
            ],
            colWidths=[114 * mm, chart_w, chart_w],
            hAlign="LEFT",
        )
        side.setStyle(TableStyle([_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return [
            KeepTogether([Paragraph(f"{number}. Ringkasan", s.h1), side]),
            Spacer(1, 3),
            Paragraph(
                muted(
                    "Rata-rata capaian dihitung atas baris yang memiliki target dan realisasi. "
                    "Penerima manfaat dijumlahkan dari realisasi terpilah (L / P / disabilitas) "
                    "pada indikator yang bukan persentase."
                ),
                s.small,
            ),
        ]

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
        t.setStyle(TableStyle([_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP")]))
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
        t.setStyle(TableStyle([_FONT, ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        return [Spacer(1, 4 * mm), t]

    def unsigned(self) -> list[Flowable]:
        """A boxed note for OPDs whose figures came from a fill-in workbook (docs/fillin.md)."""
        notes = unsigned_notes(self.data)
        if not notes:
            return []
        text = "<br/>".join(f"<b>{esc(n)}</b>" for n in notes)
        t = Table([[Paragraph(text, self.s.small)]], colWidths=[self.width], hAlign="LEFT")
        t.setStyle(
            TableStyle(
                [
                    _FONT,
                    ("BOX", (0, 0), (-1, -1), 0.8, UNSIGNED_LINE),
                    ("BACKGROUND", (0, 0), (-1, -1), UNSIGNED_BG),
                    ("LEFTPADDING", (0, 0), (-1, -1), 4),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return [t, Spacer(1, 6)]

    # ----------------------------------------------------------------- assembly
    def story(self, progress: Callable[[int], None]) -> list[Flowable]:
        d = self.data
        story = self.letterhead()
        story += self.unsigned()
        if d.is_regency:
            story += self.completeness("I")
            story += self.matrix(progress)
            story += self.evaluation("III")
            story += self.summary("IV")
        else:
            story += self.matrix(progress)
            story += self.instruments("II")
            story += self.evaluation("III")
            story += self.summary("IV")
        story.append(self.signature())
        return story


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


def summary_lines(d: ReportData) -> list[tuple[str, str]]:
    """The key figures as (label, value) text, shared by the PDF and the workbook."""
    m = d.summary
    b = m.beneficiaries
    lines = [
        ("Jumlah baris rencana aksi", format_number(m.rows)),
        (f"Baris bertarget tahun {d.year}", format_number(m.with_target)),
        ("Baris terisi realisasi", f"{format_number(m.filled)} ({_pct(m.filled_pct) or '0,00 %'})"),
        ("Rata-rata capaian", _pct(m.average_achievement) or "–"),
        ("Capaian ≥ 100 %", format_number(m.bands.get(Band.MET.value, 0))),
        ("Capaian 75 – < 100 %", format_number(m.bands.get(Band.NEAR.value, 0))),
        ("Capaian < 75 %", format_number(m.bands.get(Band.LOW.value, 0))),
        ("Penerima manfaat terpilah", format_number(b.total) or "–"),
        (
            "Rincian L / P / disabilitas",
            " / ".join(format_number(v or 0) for v in (b.male, b.female, b.disabled)),
        ),
        ("Proporsi perempuan", _pct(m.share_female) or "–"),
        ("Proporsi penyandang disabilitas", _pct(m.share_disabled) or "–"),
        ("Pagu anggaran", "Rp " + _rp(m.budget) if m.budget is not None else "–"),
        ("Realisasi anggaran", "Rp " + _rp(m.spending) if m.spending is not None else "–"),
        ("Serapan anggaran", _pct(m.absorption) or "–"),
        ("Usulan perubahan target", format_number(m.proposed_targets)),
        ("Kegiatan/sub kegiatan dinilai ARG", format_number(m.arg_assessed)),
    ]
    for label in d.class_labels:
        if m.arg_classes.get(label):
            lines.append((f"– {label}", format_number(m.arg_classes[label])))
    return lines


def estimate_pages(data: ReportData, paper: str) -> int:
    """A rough page count for the progress bar (rows per page from measured output)."""
    per_page = 11 if paper == "a4" else 13
    return max(2, len(data.rows) // per_page + 3 + len(data.instruments) // 2)


def build_pdf(
    data: ReportData,
    path: Path,
    paper: str = "a4",
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """Write the PDF to ``path``; returns the number of pages.

    ``progress(done, total)`` runs per table chunk while the story is built and per page
    while it is laid out; ``cancelled()`` is checked at the same points and raises
    :class:`ReportCancelled`.
    """
    if paper not in PAPERS:
        raise ValueError(f"Ukuran kertas tidak dikenal: {paper} (pilih a4 atau f4)")
    register_fonts()
    b = _Builder(data, paper)
    rows = max(1, len(data.rows))
    pages = estimate_pages(data, paper)
    total = rows + pages

    def tick(done: int) -> None:
        if cancelled is not None and cancelled():
            raise ReportCancelled("Pembuatan laporan dibatalkan.")
        if progress is not None:
            progress(min(done, total), total)

    story = b.story(lambda i: tick(i))
    page_count = 0

    def on_page(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        nonlocal page_count
        page_count = doc.page
        tick(rows + min(doc.page, pages - 1))

    unit = data.opd_short_name or "Pokja PUG"
    sig = data.signature
    doc = SimpleDocTemplate(
        str(path),
        pagesize=b.page,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{data.title} — {data.unit_name} — Tahun {data.year}",
        author=(sig.preparer.name if sig.preparer else "") or data.unit_name,
        subject=f"{data.plan_title}; tahun pelaporan {data.year}; {data.unit_name}",
        creator=f"Monev RAD PUG {__version__}",
        keywords=["RAD PUG", "PUG", "ARG", "Lumajang", str(data.year)],
        lang="id-ID",
        initialFontName=REGULAR,
        initialFontSize=7,
    )

    class Canvas_(_NumberedCanvas):
        footer_left = (
            f"Monev RAD PUG — {unit} — Tahun {data.year} — dicetak "
            f"{data.generated_at:%d-%m-%Y %H:%M}"
        )

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page, canvasmaker=Canvas_)
    if progress is not None:
        progress(total, total)
    return page_count
