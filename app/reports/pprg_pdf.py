"""The GAP and the GBS as printable PDFs, in the house style (``pdf_kit.py``).

The GAP is the guidance's landscape matrix: the nine steps as columns under their
group headings, the header repeated on every page and every cell a wrapped Paragraph
that may continue on the next page (a data pembuka wawasan of many indicators is long).
The GBS is the form: label and value lines, the action plan's components with their
budgets in Rupiah and the total allocation, then the expected outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.platypus import Flowable, Table, TableStyle

from app.domain.numbers import format_rupiah
from app.domain.pprg import GAP_GROUPS, GapDocument, GbsDocument
from app.domain.progress import Cancelled, Progress
from app.reports.fonts import BOLD, register_fonts
from app.reports.pdf_kit import (
    GROUP_BG,
    PAPERS,
    TABLE_STYLE,
    TOTAL_BG,
    DocumentInfo,
    PageBuilder,
    build_document,
    column_widths,
    esc,
    para,
)
from app.reports.pprg_model import STEP_TITLES, PprgPrint, gap_cells, gbs_closing, gbs_lines

# Data pembuka wawasan and the indicators carry the most text; the causes the least.
GAP_WEIGHTS = (1.25, 2.1, 1.35, 1.0, 1.0, 1.0, 1.25, 1.15, 1.45)


class PprgBuilder(PageBuilder[PprgPrint]):
    """One GAP or GBS on the kit's letterhead and signature block."""

    def gap_story(self, tick: Callable[[int], None]) -> list[Flowable]:
        s = self.s
        groups: list[Any] = []
        spans: list[tuple[Any, ...]] = []
        col = 0
        for title, steps in GAP_GROUPS:
            groups += [para(esc(title), s.head)] + [""] * (len(steps) - 1)
            if len(steps) > 1:
                spans.append(("SPAN", (col, 0), (col + len(steps) - 1, 0)))
            col += len(steps)
        heads = [para(f"Langkah {n}<br/>{esc(STEP_TITLES[n])}", s.head) for n in range(1, 10)]
        doc = self.data.document
        assert isinstance(doc, GapDocument)
        body = [para(esc(text) or "-", s.cell) for text in gap_cells(doc)]
        tick(1)
        table = self.table(
            [groups, heads, self.numbering_row(9), body],
            GAP_WEIGHTS,
            header_rows=3,
            extra=spans,
        )
        return [*self.letterhead(), table, self.signature()]

    def gbs_story(self, tick: Callable[[int], None]) -> list[Flowable]:
        s = self.s
        doc = self.data.document
        assert isinstance(doc, GbsDocument)
        value_w = column_widths((1, 3.2), self.width)[1]
        rows: list[list[Any]] = [
            [para(f"<b>{esc(label)}</b>", s.cell), para(esc(value) or "-", s.cell)]
            for label, value in gbs_lines(self.data)
        ]
        rows.append([para("<b>Rencana Aksi</b>", s.cell), self._components(doc, value_w)])
        rows += [
            [para(f"<b>{esc(label)}</b>", s.cell), para(esc(value) or "-", s.cell)]
            for label, value in gbs_closing(doc)
        ]
        tick(1)
        form = self.table(
            rows, (1, 3.2), header_rows=0, extra=[("BACKGROUND", (0, 0), (0, -1), GROUP_BG)]
        )
        # reportlab centres the pieces of a row split across pages (it does not pass
        # hAlign on): the whole form is centred too, so every piece lines up.
        form.hAlign = "CENTER"
        return [*self.letterhead(), form, self.signature()]

    def _components(self, doc: GbsDocument, width: float) -> Flowable | list[Flowable]:
        """The components as a small table: number, name, budget; the total under them."""
        s = self.s
        if not doc.components:
            return para("-", s.cell)
        inner = width - 6
        widths = column_widths((0.35, 4.2, 1.45), inner)
        rows: list[list[Any]] = [
            [para("No", s.head), para("Komponen / Tahapan", s.head), para("Anggaran", s.head)]
        ]
        for n, c in enumerate(doc.components, start=1):
            rows.append(
                [
                    para(str(n), s.cell_c),
                    para(esc(c.name), s.cell),
                    para(esc(format_rupiah(c.budget)) or "-", s.cell_r),
                ]
            )
        total = doc.total
        rows.append(
            [
                "",
                para("<b>Jumlah</b>", s.cell),
                para(f"<b>{esc(format_rupiah(total)) or '-'}</b>", s.cell_r),
            ]
        )
        t = Table(rows, colWidths=widths, hAlign="LEFT")
        t.setStyle(
            TableStyle(
                [
                    *TABLE_STYLE,
                    ("FONT", (0, -1), (-1, -1), BOLD, 7),
                    ("BACKGROUND", (0, -1), (-1, -1), TOTAL_BG),
                    ("BACKGROUND", (0, 0), (-1, 0), GROUP_BG),
                ]
            )
        )
        return t


def build_pprg_pdf(
    data: PprgPrint,
    path: Path,
    paper: str = "a4",
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """Write the GAP or GBS of ``data`` to ``path``; returns the number of pages."""
    if paper not in PAPERS:
        raise ValueError(f"Ukuran kertas tidak dikenal: {paper} (pilih a4 atau f4)")
    register_fonts()
    b = PprgBuilder(data, paper)
    doc = data.document
    info = DocumentInfo(
        title=f"{data.label} — {data.activity_name}",
        author=(data.signature.preparer.name if data.signature.preparer else "") or data.unit_name,
        subject=f"{data.title}; {data.unit_name}; tahun {doc.year}",
        keywords=["PPRG", data.label, data.region.name, str(doc.year)],
        footer_left=(
            f"Monev RAD PUG — {data.label} {doc.year} — {data.activity_name[:60]} — "
            f"dicetak {data.generated_at:%d-%m-%Y %H:%M}"
        ),
    )
    return build_document(
        path,
        b.page,
        b.gap_story if data.is_gap else b.gbs_story,
        rows=1,
        pages=2,
        info=info,
        progress=progress,
        cancelled=cancelled,
    )
