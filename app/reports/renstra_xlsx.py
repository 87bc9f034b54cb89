"""The Renstra tables TC-23, TC-24 and TC-27 as print-ready Excel sheets.

The report kit ``xlsx_kit.py`` is used: named styles with Indonesian
number formats, text always stored as text (never a formula), row heights from the
wrapped line count, header rows repeated on printed pages, frozen panes, landscape
fit-to-width and "Halaman X dari Y". Figures are numbers: realisations, ratios (as
percent-formatted fractions), Rupiah and the computed end-of-period figures; targets
and the document's own end-of-period target stay text as the Renstra prints them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl.styles import PatternFill

from app.domain.achievement import band
from app.domain.progress import Cancelled, Progress
from app.reports.renstra_model import RenstraReport, YearFigures
from app.reports.report_model import ReportCancelled
from app.reports.xlsx_kit import BAND_FILLS, FMT_DEC, FMT_INT, PAPER_SIZES, Book, Col, Sheet

__all__ = ["build_renstra_xlsx"]


DIFF_FILL = PatternFill("solid", fgColor="FCE4D6")
_EXTRA = {
    "diff_t": dict(fill=DIFF_FILL),
    "diff_int": dict(h="right", fmt=FMT_INT, fill=DIFF_FILL),
    "diff_dec": dict(h="right", fmt=FMT_DEC, fill=DIFF_FILL),
    "tr": dict(h="right"),
    "prog": dict(bold=True, fill=PatternFill("solid", fgColor="F1F4F8")),
    **{
        f"pct_{k}": dict(h="right", fmt="[$-421]0.00%", fill=fill) for k, fill in BAND_FILLS.items()
    },
}


class RenstraBook(Book):
    """The Renstra tables' sheets over one report's data."""

    def __init__(self, data: RenstraReport, paper: str) -> None:
        super().__init__(paper, _EXTRA)
        self.r = data
        sig = data.signature
        self.describe(
            title=f"{data.title} — {data.unit_name}",
            subject=f"{data.plan_title}; {data.scope}; {data.subtitle}",
            creator=(sig.preparer.name if sig.preparer else "") or data.unit_name,
            keywords=(
                f"Renstra; {data.label}; Sekretariat Daerah; {data.region.name}; {data.period}"
            ),
        )

    def _finish(self, sh: Sheet, freeze_col: str) -> None:
        d = self.r
        sh.signature(d)
        freeze = f"{freeze_col}{sh.header_rows[1] + 1}" if sh.header_rows else None
        sh.finish(
            self.paper, f"Monev RAD PUG — Renstra {d.period} {d.label} — {d.unit_short}", freeze
        )

    def _notes(self, sh: Sheet, notes: list[str]) -> None:
        sh.row += 1
        for n in notes:
            sh.span_text(sh.row, n, "plain")
            sh.row += 1

    def _group(self, sh: Sheet, code: str, name: str) -> None:
        if self.r.is_whole:
            sh.span_text(sh.row, "Sekretariat Daerah" if code == "SETDA" else name, "grp")
            sh.row += 1

    # ------------------------------------------------------------------ TC-23
    def tc23(self, tick: Callable[[int], None]) -> None:
        d = self.r
        ys = [str(y) for y in d.years]
        cols = [
            Col("No", 5),
            Col("Kode", 14),
            Col("Indikator Kinerja", 40),
            Col("Satuan", 10),
            *(Col("Target Renstra Perangkat Daerah Tahun", 13, y) for y in ys),
            *(Col("Realisasi Capaian Tahun", 10, y) for y in ys),
            *(Col("Rasio Capaian Tahun", 10, y) for y in ys),
        ]
        sh = Sheet(self, "TC-23", cols)
        sh.letterhead(d, f"{d.title} — {d.scope}")
        sh.header()
        ny = len(ys)
        done = 0
        for code, name, group in d.groups:
            self._group(sh, code, name)
            for r in group:
                done += 1
                if done % 50 == 0:
                    tick(done)
                n = sh.row
                sh.number(n, 1, r.number, "no")
                sh.text(n, 2, r.code)
                sh.text(n, 3, r.indikator + (" ▼" if r.is_lower else ""))
                sh.text(n, 4, r.satuan)
                for k, y in enumerate(d.years):
                    f = r.years[y]
                    sh.text(n, 5 + k, self._target(f), "tr")
                    if f.reported and f.realised is not None:
                        sh.number(n, 5 + ny + k, f.realised)
                    else:
                        sh.text(n, 5 + ny + k, "–" if f.reported else "", "tr")
                    fill = BAND_FILLS.get(band(f.ratio).value)
                    sh.pct(
                        n, 5 + 2 * ny + k, f.ratio, f"pct_{band(f.ratio).value}" if fill else "pct"
                    )
                sh.row += 1
        self._notes(
            sh,
            [
                "Rasio capaian = realisasi ÷ target × 100 %; untuk indikator bertanda ▼ (makin "
                "kecil makin baik) rasio = (2 × target − realisasi) ÷ target × 100 %. Target "
                "sebagaimana tertulis dalam Renstra (usulan perubahan bertanda *, rasio "
                "dihitung terhadapnya); realisasi sebagaimana diisi pada aplikasi.",
            ],
        )
        self._finish(sh, "D")

    @staticmethod
    def _target(f: YearFigures) -> str:
        if f.proposed:
            return f"Resmi: {f.target_text or '–'}\n* Usulan: {f.proposed_text}"
        return f.target_text

    # ------------------------------------------------------------------ TC-24
    def tc24(self, tick: Callable[[int], None]) -> None:
        d = self.r
        ys = [str(y) for y in d.years]
        cols = [
            Col("Kode", 14),
            Col("Uraian", 42),
            *(Col("Anggaran pada Tahun (Rp)", 15, y) for y in ys),
            *(Col("Realisasi Anggaran pada Tahun (Rp)", 15, y) for y in ys),
            *(Col("Rasio antara Realisasi dan Anggaran Tahun", 9, y) for y in ys),
            Col("Rata-rata Pertumbuhan", 11, "Anggaran"),
            Col("Rata-rata Pertumbuhan", 11, "Realisasi"),
        ]
        sh = Sheet(self, "TC-24", cols)
        sh.letterhead(d, f"{d.title} — {d.scope}")
        sh.header()
        ny = len(ys)
        done = 0
        for code, name, group in d.groups:
            self._group(sh, code, name)
            for r in group:
                done += 1
                if done % 50 == 0:
                    tick(done)
                n = sh.row
                style = "prog" if r.level == "program" else "t"
                sh.text(n, 1, r.code, style)
                sh.text(n, 2, r.name, style)
                for k, y in enumerate(d.years):
                    f = r.years[y]
                    for c, v in ((3 + k, f.budget), (3 + ny + k, f.spending)):
                        if f.reported and v is not None:
                            sh.number(n, c, v, "int")
                        else:
                            sh.text(n, c, "–" if f.reported else "", "tr")
                    sh.pct(n, 3 + 2 * ny + k, f.absorption)
                sh.pct(n, 3 + 3 * ny, r.budget_growth)
                sh.pct(n, 4 + 3 * ny, r.spending_growth)
                sh.row += 1
        self._notes(
            sh,
            [
                "Anggaran (pagu) dan realisasi anggaran sebagaimana diisi pada aplikasi. Rasio = "
                "realisasi ÷ anggaran × 100 %. Rata-rata pertumbuhan = rata-rata pertumbuhan "
                "tahunan atas tahun berurutan yang terisi.",
            ],
        )
        self._finish(sh, "C")

    # ------------------------------------------------------------------ TC-27
    def tc27(self, tick: Callable[[int], None]) -> None:
        d = self.r
        cols = [
            Col("Kode", 14),
            Col("Sasaran Program/ Kegiatan/ Sub Kegiatan", 24),
            Col("Program/ Kegiatan/ Sub Kegiatan", 24),
            Col("Indikator", 26),
            Col("Satuan", 9),
            Col("Formulasi Penghitungan", 28),
            Col("Capaian Awal Tahun Perencanaan", 11),
        ]
        for y in d.years:
            cols += [Col(str(y), 10, "Target"), Col(str(y), 15, "Rp")]
        cols += [
            Col("Akhir Periode", 10, "Target (dihitung)"),
            Col("Akhir Periode", 10, "Target (dokumen)"),
            Col("Akhir Periode", 16, "Rp (dihitung)"),
            Col("Akhir Periode", 16, "Rp (dokumen)"),
            Col("Unit Kerja", 16),
            Col("Lokasi", 16),
        ]
        sh = Sheet(self, "TC-27", cols)
        sh.letterhead(d, f"{d.title} — {d.scope}")
        sh.header()
        ny = len(d.years)
        e0 = 8 + 2 * ny
        diffs = 0
        for i, r in enumerate(d.rows):
            if i % 50 == 0:
                tick(i)
            n = sh.row
            style = "prog" if r.level == "program" else "t"
            sh.text(n, 1, r.code, style)
            statement = r.statement
            if r.source_table != "TC-27":
                statement = "(hanya di Tabel 4.2 (cascading); tidak tercantum di TC-27)"
            sh.text(n, 2, statement, style)
            sh.text(n, 3, r.name, style)
            sh.text(n, 4, r.indikator + (" ▼" if r.is_lower else ""))
            sh.text(n, 5, r.satuan)
            sh.text(n, 6, r.formula)
            sh.text(n, 7, r.baseline_text, "tr")
            for k, y in enumerate(d.years):
                f = r.years[y]
                sh.text(n, 8 + 2 * k, f.target_text, "tr")
                if f.plan_budget is not None:
                    sh.number(n, 9 + 2 * k, f.plan_budget, "int")
                else:
                    sh.text(n, 9 + 2 * k, "" if f.plan_budget_ok else f.plan_budget_text, "tr")
            et, eb = r.end_target, r.end_budget
            diffs += bool(et.differs) + bool(eb.differs)
            sh.number(n, e0, et.computed, "diff_dec" if et.differs else "dec")
            sh.text(n, e0 + 1, et.document_text, "diff_t" if et.differs else "tr")
            sh.number(n, e0 + 2, eb.computed, "diff_int" if eb.differs else "int")
            if eb.document is not None:
                sh.number(n, e0 + 3, eb.document, "diff_int" if eb.differs else "int")
            else:
                sh.text(n, e0 + 3, eb.document_text, "tr")
            sh.text(n, e0 + 4, r.responsible_unit or r.opd_short_name)
            sh.text(n, e0 + 5, r.location)
            sh.row += 1
        self._notes(
            sh,
            [
                "Akhir periode (dihitung) dari nilai tahunan: jumlah untuk keluaran yang dihitung "
                "dan untuk Rupiah; nilai tahun terakhir untuk persentase, indeks, laju per "
                "periode dan barang yang dipelihara. Kolom (dokumen) memuat angka yang dicetak "
                f"Renstra; sel berwarna berarti keduanya berbeda ({diffs} sel).",
            ],
        )
        self._finish(sh, "B")


def _row_count(data: RenstraReport) -> int:
    return max(1, len(data.rows))


def build_renstra_xlsx(
    data: RenstraReport,
    path: Path,
    paper: str = "a4",
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> None:
    """Write the table's workbook (one sheet named after the table) to ``path``."""
    if paper not in PAPER_SIZES:
        raise ValueError(f"Ukuran kertas tidak dikenal: {paper} (pilih a4 atau f4)")
    total = _row_count(data) + 2

    def tick(done: int) -> None:
        if cancelled is not None and cancelled():
            raise ReportCancelled("Pembuatan laporan dibatalkan.")
        if progress is not None:
            progress(min(done, total), total)

    book = RenstraBook(data, paper)
    build: dict[str, Callable[[Callable[[int], None]], Any]] = {
        "tc23": book.tc23,
        "tc24": book.tc24,
        "tc27": book.tc27,
    }
    build[data.table](tick)
    tick(total - 1)
    book.wb.active = 0
    book.wb.save(path)
    tick(total)
