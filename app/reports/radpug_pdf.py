"""The RAD PUG report as a printable PDF (landscape A4 or F4, the kit's house style).

An OPD's report: the action matrix (Tabel 4.2 with the year's figures), the filled ARG
instruments, the evaluation recap and the signature block. Pokja's consolidated report:
completeness per OPD, the regency matrix, the ARG classes per OPD and a summary. The
page pieces come from ``pdf_kit.py``, the ARG sections from ``radpug_pdf_arg.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.domain.numbers import format_number
from app.domain.progress import Cancelled, Progress
from app.reports import charts
from app.reports.fonts import register_fonts
from app.reports.pdf_kit import (
    GRID,
    GROUP_BG,
    NUMBER_BG,
    PAPERS,
    TABLE_FONT,
    TABLE_STYLE,
    TOTAL_BG,
    UNSIGNED_BG,
    UNSIGNED_LINE,
    DocumentInfo,
    LongTable,
    build_document,
    column_widths,
    esc,
    muted,
    num_text,
    para,
    pct_text,
    rupiah_text,
    wrap_lines,
)
from app.reports.radpug_pdf_arg import ArgSections
from app.reports.report_model import MatrixRow, ReportData, Summary, summary_lines

# Realisation field → column after the first realisation column (-1: the remarks column).
CORRECTED_COLUMNS = {
    "total": 0,
    "male": 1,
    "female": 2,
    "disabled": 3,
    "budget": 5,
    "spending": 6,
    "evidence": -1,
    "note": -1,
}


class RadPugBuilder(ArgSections):
    """The story of one RAD PUG report."""

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
        widths = column_widths(weights, self.width)
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
            *TABLE_STYLE,
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

        proposed_seen = False
        for i, r in enumerate(d.rows):
            if i % 50 == 0:
                progress(i)
            levels = r.groups
            if levels:
                flush()
                grouped[0] = True
                markup = "<br/>".join(f"<b>{esc(lbl)}</b>: {esc(name)}" for lbl, name in levels)
                rows.append([para(markup, s.cell), *[""] * (ncol - 1)])
                cmds += [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), GROUP_BG)]
            elif len(rows) >= 8:
                flush()
                grouped[0] = False
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
                num_text(real.total) if real and real.total is not None else "–",
                num_text(real.male) if real else "",
                num_text(real.female) if real else "",
                num_text(real.disabled) if real else "",
                pct_text(r.achievement),
                rupiah_text(r.budget),
                rupiah_text(r.spending),
                pct_text(r.absorption),
                text(ncol - 1, remarks),
            ]
            fixed = d.corrected.get(r.key, frozenset())
            for name, col in CORRECTED_COLUMNS.items():
                if name in fixed:
                    c = r0 + col if col >= 0 else ncol - 1
                    if isinstance(cells[c], str):
                        cells[c] = "† " + cells[c]
                    cmds.append(("BACKGROUND", (c, n), (c, n), UNSIGNED_BG))
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
        out += self.earlier()
        return out

    def earlier(self) -> list[Flowable]:
        """Earlier periods' figures of continuing indicators, one paragraph per row."""
        if not self.data.earlier_notes:
            return []
        out: list[Flowable] = [
            Spacer(1, 4),
            Paragraph(
                "<b>Tahun sebelumnya (indikator yang melanjutkan periode lalu)</b>", self.s.small
            ),
        ]
        return out + [Paragraph(esc(n), self.s.small) for n in self.data.earlier_notes]

    def _target(self, r: MatrixRow) -> str:
        """The target as written, the proposal beside it, and the parsed L / P / Dis."""
        t = r.target
        lines = []
        if t.proposed:
            lines.append(f"Resmi: {t.text or '–'}")
            lines.append(f"* Usulan: {t.proposed_text or num_text(t.proposed_breakdown.total)}")
            b = t.proposed_breakdown
        else:
            lines.append(t.text or "–")
            b = t.official
        if b.has_parts:
            lines.append(
                "("
                + " · ".join(
                    f"{lbl} {num_text(v)}"
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
        rows.append(
            self._summary_cells("", f"<b>{esc(d.region.full_name)}</b>", d.summary, bold=True)
        )
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
            para(b(pct_text(m.filled_pct)), s.cell_r),
            para(b(pct_text(m.average_achievement)), s.cell_r),
            para(b(rupiah_text(m.budget)), s.cell_r),
            para(b(rupiah_text(m.spending)), s.cell_r),
            para(b(pct_text(m.absorption)), s.cell_r),
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
                    TABLE_FONT,
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
        side.setStyle(TableStyle([TABLE_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP")]))
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

    def unsigned(self) -> list[Flowable]:
        """A boxed note for OPDs whose figures came from a fill-in workbook (docs/fillin.md),
        and one line per value Pokja corrected on signed figures (marked † in the matrix)."""
        notes = [f"<b>{esc(n)}</b>" for n in self.data.unsigned_notes]
        if self.data.correction_notes:
            notes.append(
                "<b>Nilai bertanda † dikoreksi Pokja PUG; nilai yang ditandatangani Perangkat "
                "Daerah tertulis di kiri tanda →.</b>"
            )
            notes += [esc(n) for n in self.data.correction_notes]
        if self.data.plausibility_notes:
            notes.append("<b>Angka yang perlu diperiksa (boleh, tetapi tidak lazim):</b>")
            notes += [esc(n) for n in self.data.plausibility_notes]
        if not notes:
            return []
        text = "<br/>".join(notes)
        t = Table([[Paragraph(text, self.s.small)]], colWidths=[self.width], hAlign="LEFT")
        t.setStyle(
            TableStyle(
                [
                    TABLE_FONT,
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
    b = RadPugBuilder(data, paper)
    unit = data.opd_short_name or "Pokja PUG"
    sig = data.signature
    info = DocumentInfo(
        title=f"{data.title} — {data.unit_name} — Tahun {data.year}",
        author=(sig.preparer.name if sig.preparer else "") or data.unit_name,
        subject=f"{data.plan_title}; tahun pelaporan {data.year}; {data.unit_name}",
        keywords=["RAD PUG", "PUG", "ARG", data.region.name, str(data.year)],
        footer_left=(
            f"Monev RAD PUG — {unit} — Tahun {data.year} — dicetak "
            f"{data.generated_at:%d-%m-%Y %H:%M}"
        ),
    )
    return build_document(
        path,
        b.page,
        lambda tick: b.story(lambda i: tick(i)),
        rows=max(1, len(data.rows)),
        pages=estimate_pages(data, paper),
        info=info,
        progress=progress,
        cancelled=cancelled,
    )
