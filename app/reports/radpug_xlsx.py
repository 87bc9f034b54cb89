"""The RAD PUG report as an Excel workbook: one print-ready sheet per section.

Sheets in the order a reader needs them: Pokja's completeness per OPD, the action
matrix (Tabel 4.2 with the year's figures), the filled ARG instruments, the evaluation
recap and a summary with charts. Sheets, styles and page set-up come from the kit
``xlsx_kit.py`` (see its docstring for number formats and formula-safe text).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.series import DataPoint
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.pagebreak import Break

from app.domain.arg import Answer
from app.domain.progress import Cancelled, Progress
from app.reports import charts
from app.reports.report_model import MatrixRow, ReportCancelled, ReportData, Summary, summary_lines
from app.reports.xlsx_kit import (
    BAND_FILLS,
    FONT,
    LINE_PT,
    PAPER_SIZES,
    SIZE,
    TICK,
    Book,
    Col,
    Sheet,
    put_text,
    wrapped_lines,
)

# A value Pokja corrected on signed figures: the amber of the row form, with a comment.
CORRECTED_FILL = PatternFill("solid", fgColor="FFF4D6")
# Realisation field → column after the row's first column ``c`` of the matrix.
CORRECTED_COLUMNS = {
    "total": 5,
    "male": 6,
    "female": 7,
    "disabled": 8,
    "budget": 10,
    "spending": 11,
    "evidence": 13,
    "note": 14,
}


class RadPugBook(Book):
    """The RAD PUG workbook's sheets over one report's data."""

    def __init__(self, data: ReportData, paper: str) -> None:
        super().__init__(paper)
        self.data = data
        sig = data.signature
        self.describe(
            title=f"{data.title} — {data.unit_name} — Tahun {data.year}",
            subject=f"{data.plan_title}; tahun pelaporan {data.year}",
            creator=(sig.preparer.name if sig.preparer else "") or data.unit_name,
            keywords=f"RAD PUG; ARG; {data.region.name}; {data.year}",
        )
        self.footer = f"Monev RAD PUG — {data.opd_short_name or 'Pokja PUG'} — Tahun {data.year}"

    # ------------------------------------------------------------------ matrix
    def matrix(self, tick: Callable[[int], None]) -> None:
        d = self.data
        y = d.year
        cols = [Col("No", 5)]
        if d.is_regency:
            cols.append(Col("Perangkat Daerah", 14))
        cols += [
            Col("Aktivitas", 21),
            Col("Indikator", 23),
            Col("Satuan", 9),
            Col(f"Target {y} (sebagaimana tertulis)", 24),
            Col(f"Target {y} (angka)", 9),
            Col(f"Realisasi {y}", 9, "Jumlah"),
            Col(f"Realisasi {y}", 7, "L"),
            Col(f"Realisasi {y}", 7, "P"),
            Col(f"Realisasi {y}", 7, "Dis."),
            Col("Capaian", 9),
            Col(f"Anggaran {y}", 12, "Pagu (Rp)"),
            Col(f"Anggaran {y}", 12, "Realisasi (Rp)"),
            Col(f"Anggaran {y}", 8, "Serapan"),
            Col("Bukti Dukung", 19),
            Col("Catatan / Keterangan", 19),
        ]
        sh = Sheet(self, "Matriks", cols)
        section = (
            f"Matriks Rencana Aksi (Tabel 4.2) dan Realisasi Tahun {y}"
            if not d.is_regency
            else f"Matriks Rencana Aksi Kabupaten (Tabel 4.2) dan Realisasi Tahun {y}"
        )
        sh.letterhead(d, section, submission_notice(d))
        sh.header()
        off = 1 if d.is_regency else 0
        proposed = False
        for i, r in enumerate(d.rows):
            if i % 100 == 0:
                tick(i)
            levels = r.groups
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
            fixed = d.corrected.get(r.key, frozenset())
            for name, col in CORRECTED_COLUMNS.items():
                if name in fixed:
                    cell = sh.ws.cell(n, c + col)
                    cell.fill = CORRECTED_FILL
                    cell.comment = Comment(
                        "Dikoreksi Pokja (lihat catatan di bawah tabel)", "Monev"
                    )
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
        self.earlier(sh)
        self.unsigned(sh)
        sh.signature(d)
        sh.finish(self.paper, self.footer)

    def earlier(self, sh: Sheet) -> None:
        """Earlier periods' figures of continuing indicators, one line per row."""
        if not self.data.earlier_notes:
            return
        sh.span_text(
            sh.row, "Tahun sebelumnya (indikator yang melanjutkan periode lalu):", "plain_b"
        )
        sh.row += 1
        for note in self.data.earlier_notes:
            sh.span_text(sh.row, note, "plain")
            sh.row += 1

    def unsigned(self, sh: Sheet) -> None:
        """Bold lines for OPDs whose figures came from a fill-in workbook (docs/fillin.md)."""
        for note in self.data.unsigned_notes:
            sh.span_text(sh.row, note, "plain_b")
            sh.row += 1
        if self.data.correction_notes:
            sh.span_text(
                sh.row,
                "Sel berwarna kuning muda (†) dikoreksi Pokja PUG; nilai yang ditandatangani "
                "Perangkat Daerah tertulis di kiri tanda →.",
                "plain_b",
            )
            sh.row += 1
        for note in self.data.correction_notes:
            sh.span_text(sh.row, note, "plain")
            sh.row += 1
        if self.data.plausibility_notes:
            sh.span_text(
                sh.row, "Angka yang perlu diperiksa (boleh, tetapi tidak lazim):", "plain_b"
            )
            sh.row += 1
        for note in self.data.plausibility_notes:
            sh.span_text(sh.row, note, "plain")
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
            Col("Unit Organisasi", 16),
            Col("Kegiatan/ Sub Kegiatan", 30),
            Col("Pertanyaan", 52),
            Col("Jawaban", 6, "Ya"),
            Col("Jawaban", 6, "Tidak"),
            Col("Ket", 28),
        ]
        sh = Sheet(self, "Instrumen ARG", cols)
        sh.letterhead(d, "Instrumen Pemantauan ARG (Tabel 5.1–5.3)")
        if not d.instruments:
            sh.text(
                sh.row,
                1,
                f"Belum ada kegiatan/sub kegiatan yang dinilai untuk tahun {d.year}.",
                "plain",
            )
            sh.finish(self.paper, self.footer)
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
                need = wrapped_lines(label, cols[1].width) * LINE_PT + 3
                have = sum(sh.heights.get(x, LINE_PT + 3) for x in range(start, r + 1))
                if need > have:
                    sh.heights[r] = sh.heights.get(r, LINE_PT + 3) + need - have
        sh.signature(d)
        sh.finish(self.paper, self.footer)

    def evaluation(self) -> None:
        d = self.data
        labels = (
            [st.label.removeprefix("Tahap ") for st in d.instruments[0].qset.stages]
            if d.instruments
            else ["Perencanaan", "Pelaksanaan", "Pertanggungjawaban"]
        )
        cols = [Col("No", 5), Col("Unit Organisasi", 18), Col("Kegiatan/ Sub Kegiatan", 44)]
        for lbl in labels:
            cols += [Col(lbl, 8, "Ya"), Col(lbl, 8, "Tidak")]
        cols += [
            Col(f"Jumlah jawaban ({TICK})", 8, "Ya"),
            Col(f"Jumlah jawaban ({TICK})", 8, "Tidak"),
            Col("Klasifikasi (Tabel 5.5)", 26),
        ]
        sh = Sheet(self, "Evaluasi ARG", cols)
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
        sh.finish(self.paper, self.footer)

    def _classes_per_opd(self, sh: Sheet) -> None:
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
        sh: Sheet, no: str, name: str, m: Summary, labels: list[str], ts: str, ns: str
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
            Col("No", 5),
            Col("Perangkat Daerah", 40),
            Col("Baris", 8),
            Col(f"Bertarget {d.year}", 10),
            Col("Terisi", 8),
            Col("% Terisi", 10),
            Col("Rata-rata Capaian", 11),
            Col("Pagu (Rp)", 16),
            Col("Realisasi Anggaran (Rp)", 16),
            Col("Serapan", 10),
            Col("Kegiatan dinilai ARG", 11),
        ]
        sh = Sheet(self, "Kelengkapan", cols)
        sh.letterhead(d, f"Kelengkapan Pengisian per Perangkat Daerah Tahun {d.year}")
        sh.header()
        for i, oc in enumerate(d.completeness, start=1):
            name = oc.name + ("\n(isian tanpa tanda tangan)" if oc.code in d.unsigned else "")
            self._completeness_line(sh, i, name, oc.summary, False)
        self._completeness_line(sh, None, d.region.full_name, d.summary, True)
        sh.row += 1
        self.unsigned(sh)
        sh.signature(d)
        sh.finish(self.paper, self.footer)

    @staticmethod
    def _completeness_line(sh: Sheet, no: int | None, name: str, m: Summary, total: bool) -> None:
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
        cols = [Col("Uraian", 36), Col("Nilai", 24), Col("", 4)] + [Col("", 10)] * 9
        sh = Sheet(self, "Ringkasan", cols)
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
        sh.finish(self.paper, self.footer)


def submission_notice(data: ReportData) -> str | None:
    """The red line atop a signed submission's first sheet; ``None`` for a plain report.

    A cell like any other, so the signed list of visible cells covers it: whoever edits
    it (or the figures under it) gets the file refused at Pokja, which is what it warns.
    """
    if data.verification is None:
        return None
    return f"Kirim berkas ini apa adanya, jangan diubah. Kode verifikasi: {data.verification.code}"


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

    book = RadPugBook(data, paper)
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
