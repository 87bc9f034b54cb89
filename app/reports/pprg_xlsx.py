"""The GAP and the GBS as Excel workbooks, the same layouts as the PDFs (``pprg_pdf.py``).

Every text the OPD typed goes through the kit's ``put_text``: a cell that starts with
"=" stays text, never a formula. Budgets are numbers with a Rupiah format, so the
total can be checked with Excel's own sum.
"""

from __future__ import annotations

from pathlib import Path

from app.domain.pprg import GAP_GROUPS, GapDocument, GbsDocument
from app.domain.progress import Cancelled, Progress
from app.reports.pprg_model import STEP_TITLES, PprgPrint, gap_cells, gbs_closing, gbs_lines
from app.reports.report_model import ReportCancelled
from app.reports.xlsx_kit import ID, PAPER_SIZES, TOTAL_FILL, Book, Col, Sheet

FMT_RUPIAH = ID + '"Rp "#,##0'
# About as wide as the RAD PUG matrix, so the page keeps a readable size when fitted.
GAP_WIDTHS = (20, 36, 22, 16, 16, 16, 20, 18, 24)
EXTRA_STYLES = {
    "rp": dict(h="right", fmt=FMT_RUPIAH),
    "tot_rp": dict(bold=True, h="right", fmt=FMT_RUPIAH, fill=TOTAL_FILL),
}


def _gap_sheet(book: Book, data: PprgPrint, doc: GapDocument) -> Sheet:
    cols = []
    for title, steps in GAP_GROUPS:
        for n in steps:
            step = f"Langkah {n}\n{STEP_TITLES[n]}"
            # A group of one step is its step (the guidance names them alike): one cell.
            if len(steps) == 1:
                cols.append(Col(step, GAP_WIDTHS[n - 1]))
            else:
                cols.append(Col(title, GAP_WIDTHS[n - 1], step))
    sh = Sheet(book, "GAP", cols)
    sh.letterhead(data, "Matriks GAP: sembilan langkah")
    sh.header(numbered=True)
    r = sh.row
    for c, text in enumerate(gap_cells(doc), start=1):
        sh.text(r, c, text or "-")
    sh.row = r + 1
    sh.signature(data)
    return sh


def _gbs_sheet(book: Book, data: PprgPrint, doc: GbsDocument) -> Sheet:
    sh = Sheet(book, "GBS", [Col("Uraian", 34), Col("Isi", 76), Col("Anggaran", 20)])
    sh.letterhead(data, "Lembar GBS")

    def line(label: str, value: str) -> None:
        sh.text(sh.row, 1, label, "tb")
        sh.text(sh.row, 2, value or "-")
        sh.merge(sh.row, 2, sh.row, 3, "t")
        sh.row += 1

    for label, value in gbs_lines(data):
        line(label, value)
    first = sh.row
    sh.text(first, 1, "Rencana Aksi", "tb")
    sh.text(first, 2, "Komponen / Tahapan", "hdr")
    sh.text(first, 3, "Anggaran", "hdr")
    sh.row += 1
    for n, c in enumerate(doc.components, start=1):
        sh.text(sh.row, 1, None, "tb")
        sh.text(sh.row, 2, f"{n}. {c.name}")
        if c.budget is None:
            sh.text(sh.row, 3, "-", "tc")
        else:
            sh.number(sh.row, 3, c.budget, "rp")
        sh.row += 1
    if sh.row - 1 > first:
        sh.merge(first, 1, sh.row - 1, 1, "tb")
    closing = gbs_closing(doc)
    sh.text(sh.row, 1, closing[0][0], "tb")
    sh.text(sh.row, 2, "Jumlah anggaran komponen", "tb")
    if doc.total is None:
        sh.text(sh.row, 3, "-", "tc")
    else:
        sh.number(sh.row, 3, doc.total, "tot_rp")
    sh.row += 1
    for label, value in closing[1:]:
        line(label, value)
    sh.signature(data)
    return sh


def build_pprg_xlsx(
    data: PprgPrint,
    path: Path,
    paper: str = "a4",
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> None:
    """Write the GAP or GBS of ``data`` as a one-sheet workbook to ``path``."""
    if paper not in PAPER_SIZES:
        raise ValueError(f"Ukuran kertas tidak dikenal: {paper} (pilih a4 atau f4)")
    if cancelled is not None and cancelled():
        raise ReportCancelled("Pembuatan laporan dibatalkan.")
    book = Book(paper, EXTRA_STYLES)
    doc = data.document
    book.describe(
        title=f"{data.label} — {data.activity_name}",
        subject=f"{data.title}; {data.unit_name}; tahun {doc.year}",
        creator=data.unit_name,
        keywords=f"PPRG, {data.label}, {data.region.name}, {doc.year}",
    )
    if progress is not None:
        progress(0, 2)
    if isinstance(doc, GapDocument):
        sheet = _gap_sheet(book, data, doc)
    else:
        sheet = _gbs_sheet(book, data, doc)
    sheet.finish(paper, f"Monev RAD PUG — {data.label} {doc.year}")
    if cancelled is not None and cancelled():
        raise ReportCancelled("Pembuatan laporan dibatalkan.")
    book.wb.save(path)
    if progress is not None:
        progress(2, 2)
