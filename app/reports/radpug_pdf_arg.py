"""The ARG sections of the RAD PUG report PDF: the filled instruments (Tabel 5.1–5.3),
the evaluation recap (Tabel 5.4) and the Tabel 5.5 classes, per OPD for Pokja.

A base of :class:`app.reports.radpug_pdf.RadPugBuilder`, which adds the action matrix,
the completeness and summary sections and assembles the document.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.domain.arg import Answer
from app.reports.pdf_kit import (
    GRID,
    HEADER_BG,
    NUMBER_BG,
    TABLE_FONT,
    TICK,
    TOTAL_BG,
    PageBuilder,
    esc,
    muted,
    para,
)
from app.reports.report_model import ArgInstrument, ReportData


class ArgSections(PageBuilder[ReportData]):
    """The RAD PUG report's ARG sections, on the kit's page and table style."""

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
                    TABLE_FONT,
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
