"""The Renstra tables TC-23, TC-24 and TC-27 as printable PDFs (landscape A4 or F4).

Same house style as the RAD PUG report (the kit ``pdf_kit.py``: letterhead, signature
block, page footer "Halaman X dari Y", fonts and table style): the column header
repeats on every page, text cells are wrapped Paragraphs that may split across pages,
and a figure never wraps — a Rupiah amount too wide for its column is set in a smaller
size instead of being cut or broken between digits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import unescape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from app.domain.achievement import band
from app.domain.numbers import format_number, format_percent
from app.domain.progress import Cancelled, Progress
from app.reports import charts
from app.reports.fonts import BOLD, REGULAR, register_fonts
from app.reports.pdf_kit import (
    GRID,
    GROUP_BG,
    HEADER_BG,
    NUMBER_BG,
    PAPERS,
    DocumentInfo,
    PageBuilder,
    build_document,
    column_widths,
    esc,
    muted,
    para,
)
from app.reports.renstra_model import RenstraReport, RenstraRow, YearFigures

DIFF_BG = colors.HexColor("#FCE4D6")  # an end-of-period figure the document prints otherwise
DIFF_TEXT = "#9C2A00"
PAD_L, PAD_R = 2.5, 3.0
_TAG = re.compile(r"<[^>]+>")
NOT_IN_TC27 = "hanya di Tabel 4.2 (cascading); tidak tercantum di TC-27"


@cache
def _cell_style(size: float, bold: bool, align: int) -> ParagraphStyle:
    return ParagraphStyle(
        f"r{size}{bold}{align}",
        fontName=BOLD if bold else REGULAR,
        fontSize=size,
        leading=size * 1.22,
        alignment=align,
        splitLongWords=True,
    )


def fitted_size(text: str, width: float, size: float, bold: bool = False) -> float:
    """The largest size ≤ ``size`` (down to 4.5 pt) at which ``text`` fits on one line."""
    avail = width - PAD_L - PAD_R - 0.5
    font = BOLD if bold else REGULAR
    w = stringWidth(text, font, size)
    if w <= avail:
        return size
    return max(4.5, int(size * avail / w * 10) / 10)


class RenstraBuilder(PageBuilder[RenstraReport]):
    """One Renstra table on the kit's letterhead and signature block."""

    def __init__(self, data: RenstraReport, paper: str) -> None:
        super().__init__(data, paper)
        self.r = data
        # The frame's own padding (6 pt each side): a table exactly as wide as the frame
        # is placed where the letterhead is, also after a page break.
        self.width -= 12
        self.size = 6.0 if data.table == "tc27" else 7.0
        self.notes: list[str] = []

    # ----------------------------------------------------------------- cells
    def txt(self, markup: str, *, bold: bool = False, align: int = TA_LEFT) -> list[Flowable]:
        return para(markup, _cell_style(self.size, bold, align))

    def head(self, text: str) -> list[Flowable]:
        return para(esc(text), _cell_style(self.size, True, TA_CENTER))  # \n: a line break

    def fig(self, lines: Sequence[str], width: float, *, bold: bool = False) -> list[Flowable]:
        """Right-aligned figures, one per line, each kept on one line (shrunk if needed)."""
        out: list[Flowable] = []
        for line in lines:
            if not line:
                continue
            plain = unescape(_TAG.sub("", line)) if "<" in line else line
            size = fitted_size(plain, width, self.size, bold or "<b>" in line)
            out += para(line if "<" in line else esc(line), _cell_style(size, bold, TA_RIGHT))
        return out

    def table(
        self,
        rows: list[list[Any]],
        weights: Sequence[float],
        header_rows: int,
        extra: list[tuple[Any, ...]] | None = None,
        split_in_row: bool = False,
    ) -> Table:
        # Whole rows only: reportlab, splitting inside a row, may also put the repeated
        # header and the row's remainder on the same page. No row here is near a page
        # tall (the longest TC-27 cell is about 15 lines).
        def make(split: bool) -> Table:
            return Table(
                rows,
                colWidths=column_widths(weights, self.width),
                repeatRows=header_rows,
                splitByRow=1,
                splitInRow=1 if split else 0,
                hAlign="LEFT",
            )

        t = make(split_in_row)
        if not split_in_row:
            # A row that cannot fit on a page under the header (a very long proposed
            # target, say) must be split after all rather than fail the layout.
            t.wrap(self.width, self.frame_height)
            heights = t._rowHeights
            room = self.frame_height - sum(heights[:header_rows]) - 24
            if any(h > room for h in heights[header_rows:]):
                t = make(True)
        cmds: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, -1), REGULAR, self.size, self.size * 1.2),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("GRID", (0, 0), (-1, -1), 0.4, GRID),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD_L),
            ("RIGHTPADDING", (0, 0), (-1, -1), PAD_R),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ]
        if header_rows:
            cmds += [
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_BG),
                ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"),
                ("BACKGROUND", (0, header_rows - 1), (-1, header_rows - 1), NUMBER_BG),
            ]
        t.setStyle(TableStyle(cmds + (extra or [])))
        return t

    def header_block(
        self, singles: list[str], groups: list[tuple[str, list[str]]], tail: list[str]
    ) -> tuple[list[list[Any]], list[tuple[Any, ...]]]:
        """Two title rows (groups over their sub-columns) and the (1)…(n) row."""
        top: list[Any] = []
        sub: list[Any] = []
        cmds: list[tuple[Any, ...]] = []
        c = 0
        for title in singles:
            top.append(self.head(title))
            sub.append("")
            cmds.append(("SPAN", (c, 0), (c, 1)))
            c += 1
        for title, subs in groups:
            top += [self.head(title)] + [""] * (len(subs) - 1)
            sub += [self.head(s) for s in subs]
            cmds.append(("SPAN", (c, 0), (c + len(subs) - 1, 0)))
            c += len(subs)
        for title in tail:
            top.append(self.head(title))
            sub.append("")
            cmds.append(("SPAN", (c, 0), (c, 1)))
            c += 1
        numbers = [para(f"({i})", _cell_style(self.size, True, TA_CENTER)) for i in range(1, c + 1)]
        return [top, sub, numbers], cmds

    def group_line(self, rows: list[list[Any]], cmds: list[tuple[Any, ...]], text: str) -> None:
        n = len(rows)
        ncol = len(rows[0])
        rows.append([self.txt(f"<b>{esc(text)}</b>"), *[""] * (ncol - 1)])
        cmds += [("SPAN", (0, n), (-1, n)), ("BACKGROUND", (0, n), (-1, n), GROUP_BG)]

    def indicator(self, r: RenstraRow) -> str:
        text = esc(r.indikator) + (" ▼" if r.is_lower else "")
        if r.code:
            text += "<br/>" + muted(esc(r.code))
        return text

    # ----------------------------------------------------------------- TC-23
    def tc23(self, tick: Callable[[int], None]) -> list[Flowable]:
        d = self.r
        years = d.years
        ny = len(years)
        ys = [str(y) for y in years]
        rows, cmds = self.header_block(
            ["No", "Indikator Kinerja", "Satuan"],
            [
                ("Target Renstra Perangkat Daerah Tahun", ys),
                ("Realisasi Capaian Tahun", ys),
                ("Rasio Capaian Tahun", ys),
            ],
            [],
        )
        weights = [6, 62, 15, *[19] * ny, *[15] * ny, *[15] * ny]
        widths = column_widths(weights, self.width)
        proposed = False
        done = 0
        for code, name, group in d.groups:
            if d.is_whole:
                self.group_line(rows, cmds, name if code != "SETDA" else "Sekretariat Daerah")
            for r in group:
                done += 1
                if done % 25 == 0:
                    tick(done)
                n = len(rows)
                cells: list[Any] = [
                    self.txt(str(r.number), align=TA_CENTER),
                    self.txt(self.indicator(r)),
                    self.txt(esc(r.satuan)),
                ]
                for y in years:
                    f = r.years[y]
                    proposed = proposed or f.proposed
                    cells.append(self.txt(self._year_target(f), align=TA_RIGHT))
                for k, y in enumerate(years):
                    f = r.years[y]
                    col = 3 + ny + k
                    if not f.reported:
                        cells.append("")
                    elif f.realised is None:
                        cells.append(self.fig(["–"], widths[col]))
                    else:
                        text = format_number(f.realised) + (" %" if f.is_percent else "")
                        cells.append(self.fig([text], widths[col]))
                for k, y in enumerate(years):
                    f = r.years[y]
                    col = 3 + 2 * ny + k
                    if f.ratio is None:
                        cells.append(
                            self.fig(["–"] if f.reported and f.target else [], widths[col])
                        )
                        continue
                    cells.append(self.fig([format_percent(f.ratio)], widths[col]))
                    fill = charts.BAND_FILLS.get(band(f.ratio).value)
                    if fill:
                        cmds.append(("BACKGROUND", (col, n), (col, n), colors.HexColor("#" + fill)))
                rows.append(cells)
        if len(rows) == 3:
            rows.append([self.txt("Tidak ada indikator."), *[""] * (len(weights) - 1)])
            cmds.append(("SPAN", (0, 3), (-1, 3)))
        self.notes = [
            "Rasio capaian = realisasi ÷ target × 100 %; untuk indikator bertanda ▼ (makin "
            "kecil makin baik) rasio = (2 × target − realisasi) ÷ target × 100 %. Target "
            "sebagaimana tertulis dalam Renstra; realisasi sebagaimana diisi pada aplikasi. "
            "Warna rasio: hijau ≥ 100 %, kuning 75 – < 100 %, merah < 75 %. Kolom Target "
            "NSPK, IKK dan Indikator Lainnya tidak dicantumkan: Renstra 2024–2026 tidak "
            "menetapkannya untuk indikator ini."
        ]
        if proposed:
            self.notes.append(
                "* Target usulan: target resmi Renstra tetap dicantumkan; rasio dihitung "
                "terhadap target usulan."
            )
        return [self.table(rows, weights, 3, cmds)]

    @staticmethod
    def _year_target(f: YearFigures) -> str:
        if f.proposed:
            return (
                f"{muted('Resmi: ' + esc(f.target_text or '–'))}<br/>"
                f"* Usulan: {esc(f.proposed_text or format_number(f.target))}"
            )
        return esc(f.target_text) or "–"

    # ----------------------------------------------------------------- TC-24
    def tc24(self, tick: Callable[[int], None]) -> list[Flowable]:
        d = self.r
        years = d.years
        ny = len(years)
        ys = [str(y) for y in years]
        rows, cmds = self.header_block(
            ["Uraian"],
            [
                ("Anggaran pada Tahun (Rp)", ys),
                ("Realisasi Anggaran pada Tahun (Rp)", ys),
                ("Rasio antara Realisasi dan Anggaran Tahun", ys),
                ("Rata-rata Pertumbuhan", ["Anggaran", "Realisasi"]),
            ],
            [],
        )
        weights = [72, *[21] * ny, *[21] * ny, *[14] * ny, 16, 16]
        widths = column_widths(weights, self.width)
        done = 0
        for code, name, group in d.groups:
            if d.is_whole:
                self.group_line(rows, cmds, name if code != "SETDA" else "Sekretariat Daerah")
            for r in group:
                done += 1
                if done % 25 == 0:
                    tick(done)
                n = len(rows)
                bold = r.level == "program"
                label = f"<b>{esc(r.code)}</b> " if r.code else ""
                name_markup = f"<b>{esc(r.name)}</b>" if bold else esc(r.name)
                cells: list[Any] = [self.txt(label + name_markup)]
                for k, y in enumerate(years):
                    f = r.years[y]
                    cells.append(self._money(f.budget, f.reported, widths[1 + k]))
                for k, y in enumerate(years):
                    f = r.years[y]
                    cells.append(self._money(f.spending, f.reported, widths[1 + ny + k]))
                for k, y in enumerate(years):
                    f = r.years[y]
                    col = 1 + 2 * ny + k
                    text = format_percent(f.absorption) if f.absorption is not None else ""
                    cells.append(self.fig([text or ("–" if f.reported else "")], widths[col]))
                    fill = charts.BAND_FILLS.get(band(f.absorption).value)
                    if fill and f.absorption is not None:
                        cmds.append(("BACKGROUND", (col, n), (col, n), colors.HexColor("#" + fill)))
                for k, g in enumerate((r.budget_growth, r.spending_growth)):
                    text = format_percent(g) if g is not None else "–"
                    cells.append(self.fig([text], widths[1 + 3 * ny + k]))
                rows.append(cells)
                if bold:
                    cmds.append(("BACKGROUND", (0, n), (0, n), GROUP_BG))
        if len(rows) == 3:
            rows.append([self.txt("Tidak ada program/kegiatan."), *[""] * (len(weights) - 1)])
            cmds.append(("SPAN", (0, 3), (-1, 3)))
        self.notes = [
            "Anggaran = pagu dan realisasi anggaran sebagaimana diisi pada aplikasi per tahun. "
            "Rasio = realisasi anggaran ÷ anggaran × 100 %. Rata-rata pertumbuhan = rata-rata "
            "pertumbuhan tahunan ((nilai tahun t − nilai tahun t−1) ÷ nilai tahun t−1 × 100 %) "
            "atas tahun berurutan yang terisi; – bila kurang dari dua tahun berurutan terisi."
        ]
        return [self.table(rows, weights, 3, cmds)]

    def _money(self, v: Decimal | None, reported: bool, width: float) -> list[Flowable]:
        if not reported:
            return []
        return self.fig([format_number(v, decimals=0) if v is not None else "–"], width)

    # ----------------------------------------------------------------- TC-27
    def tc27(self, tick: Callable[[int], None]) -> list[Flowable]:
        d = self.r
        years = d.years
        ny = len(years)
        rows, cmds = self.header_block(
            [
                "Kode",
                "Sasaran Program/ Kegiatan/ Sub Kegiatan",
                "Program/ Kegiatan/ Sub Kegiatan",
                "Indikator",
                "Satuan",
                "Capaian Awal Tahun Peren-\ncanaan",
            ],
            [*((str(y), ["Target", "Rp"]) for y in years), ("Akhir Periode", ["Target", "Rp"])],
            ["Unit Kerja", "Lokasi"],
        )
        weights = [19, 24, 24, 22, 13, 13, *[13, 19] * ny, 16, 20, 18.5, 18.5]
        widths = column_widths(weights, self.width)
        e0 = 6 + 2 * ny  # first end-of-period column
        diffs = 0
        for i, r in enumerate(d.rows):
            if i % 25 == 0:
                tick(i)
            n = len(rows)
            program = r.level == "program"
            strong = r.level in ("program", "kegiatan")
            statement = esc(r.statement)
            if r.source_table != "TC-27":
                statement = muted(NOT_IN_TC27)
            cells: list[Any] = [
                self.fig([r.code], widths[0], bold=strong) if r.code else "",
                self.txt(statement),
                self.txt(esc(r.name)),
                self.txt(esc(r.indikator) + (" ▼" if r.is_lower else "")),
                self.txt(esc(r.satuan)),
                self.txt(esc(r.baseline_text), align=TA_RIGHT),
            ]
            for k, y in enumerate(years):
                f = r.years[y]
                cells.append(self.txt(esc(f.target_text), align=TA_RIGHT))
                cells.append(self._plan_rp(f, widths[7 + 2 * k]))
            et, eb = r.end_target, r.end_budget
            lines = [r.end_target_text] if et.computed is not None else []
            if et.document_text:
                lines += self._doc(et.document_text, bool(et.differs))
            cells.append(self.fig(lines, widths[e0]))
            lines = [format_number(eb.computed, decimals=0)] if eb.computed is not None else []
            if eb.document is not None or eb.document_text:
                shown = (
                    format_number(eb.document, decimals=0)
                    if eb.document is not None
                    else eb.document_text
                )
                lines += self._doc(shown, bool(eb.differs))
            cells.append(self.fig(lines, widths[e0 + 1]))
            unit = esc(r.responsible_unit) if r.responsible_unit else muted(esc(r.opd_short_name))
            cells += [self.txt(unit), self.txt(esc(r.location))]
            rows.append(cells)
            if program:
                cmds.append(("BACKGROUND", (0, n), (e0 - 1, n), GROUP_BG))
            for col, e in ((e0, et), (e0 + 1, eb)):
                if e.differs:
                    diffs += 1
                    cmds.append(("BACKGROUND", (col, n), (col, n), DIFF_BG))
        if len(rows) == 3:
            rows.append([self.txt("Tidak ada program/kegiatan."), *[""] * (len(weights) - 1)])
            cmds.append(("SPAN", (0, 3), (-1, 3)))
        self.notes = [
            "Akhir periode dihitung dari nilai tahunan: jumlah ketiga tahun untuk keluaran yang "
            "dihitung (dokumen, laporan, orang, paket) dan untuk Rupiah; nilai tahun terakhir "
            "untuk persentase, indeks, laju per periode dan barang yang dipelihara. Angka yang "
            "dicetak dokumen Renstra tertulis di bawahnya (Dok.); sel berwarna dengan tanda ≠ "
            f"berarti keduanya berbeda ({diffs} sel pada tabel ini). Rp dalam Rupiah penuh. "
            "Formulasi penghitungan indikator tercantum pada berkas Excel.",
        ]
        return [self.table(rows, weights, 3, cmds)]

    def _plan_rp(self, f: YearFigures, width: float) -> list[Flowable]:
        if f.plan_budget is not None:
            return self.fig([format_number(f.plan_budget, decimals=0)], width)
        if f.plan_budget_text and not f.plan_budget_ok:
            return self.txt(esc(f.plan_budget_text) + "<br/>" + muted("(tidak terbaca)"))
        return []

    @staticmethod
    def _doc(text: str, differs: bool) -> list[str]:
        """The document's own figure under the computed one: a label line, then the
        figure (each line fits its column on its own)."""
        if differs:
            return [
                f'<font color="{DIFF_TEXT}"><b>≠ Dok.:</b></font>',
                f'<font color="{DIFF_TEXT}"><b>{esc(text)}</b></font>',
            ]
        return [muted("Dok.:"), muted(esc(text))]

    # ----------------------------------------------------------------- assembly
    def renstra_story(self, tick: Callable[[int], None]) -> list[Flowable]:
        story = self.letterhead()
        body = {"tc23": self.tc23, "tc24": self.tc24, "tc27": self.tc27}[self.r.table](tick)
        story += body
        story.append(Spacer(1, 3))
        story += [Paragraph(muted(esc(n)), self.s.small) for n in self.notes]
        story.append(self.signature())
        return story


def build_renstra_pdf(
    data: RenstraReport,
    path: Path,
    paper: str = "a4",
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """Write the table's PDF to ``path``; returns the number of pages."""
    if paper not in PAPERS:
        raise ValueError(f"Ukuran kertas tidak dikenal: {paper} (pilih a4 atau f4)")
    register_fonts()
    b = RenstraBuilder(data, paper)
    rows = max(1, len(data.rows))
    sig = data.signature
    scope = data.year if data.year is not None else data.period
    info = DocumentInfo(
        title=f"{data.title} — {data.unit_name}",
        author=(sig.preparer.name if sig.preparer else "") or data.unit_name,
        subject=f"{data.plan_title}; {data.scope}; {data.subtitle}",
        keywords=["Renstra", data.label, "Sekretariat Daerah", data.region.name, str(scope)],
        footer_left=(
            f"Monev RAD PUG — Renstra {data.period} {data.label} — {data.unit_short} — "
            f"dicetak {data.generated_at:%d-%m-%Y %H:%M}"
        ),
    )
    return build_document(
        path,
        b.page,
        b.renstra_story,
        rows=rows,
        pages=max(2, rows // 8),
        info=info,
        progress=progress,
        cancelled=cancelled,
    )
