"""What a printed GAP or GBS shows: the document, its kegiatan and the report frame.

Shared by ``pprg_pdf.py`` and ``pprg_xlsx.py`` so both print the same cells in the same
order: the GAP as the guidance's nine columns under their group headings, the GBS as
the form of label and value lines with its components and their budgets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.domain.numbers import format_rupiah
from app.domain.pprg import GAP_GROUPS, GapDocument, GbsDocument
from app.domain.region import Region
from app.reports.report_model import SignatureBlock, Verification

# The nine columns of the landscape matrix; step 1 and 3 hold several fields.
STEP_TITLES: dict[int, str] = {
    1: "Kebijakan/Program/Kegiatan",
    2: "Data Pembuka Wawasan",
    3: "Faktor Kesenjangan",
    4: "Sebab Kesenjangan Internal",
    5: "Sebab Kesenjangan Eksternal",
    6: "Reformulasi Tujuan",
    7: "Rencana Aksi",
    8: "Basis Data (Baseline)",
    9: "Indikator Gender",
}
GROUP_OF_STEP = {n: title for title, steps in GAP_GROUPS for n in steps}
GBS_TITLE = "Pernyataan Anggaran Gender (Gender Budget Statement)"
GAP_TITLE = "Gender Analysis Pathway (GAP)"


@dataclass(frozen=True)
class PprgPrint:
    """One GAP or GBS with the letterhead, title and signature of the printed report."""

    region: Region
    unit_name: str  # the OPD's full name
    activity_name: str  # the kegiatan or sub kegiatan, as the tree names it
    document: GapDocument | GbsDocument
    signature: SignatureBlock
    generated_at: datetime
    verification: Verification | None = None

    @property
    def is_gap(self) -> bool:
        return isinstance(self.document, GapDocument)

    @property
    def title(self) -> str:
        return GAP_TITLE if self.is_gap else GBS_TITLE

    @property
    def subtitle(self) -> str:
        return f"{self.activity_name} — Tahun {self.document.year}"

    @property
    def label(self) -> str:
        return "GAP" if self.is_gap else "GBS"


def gap_cells(doc: GapDocument) -> list[str]:
    """The nine column texts; step 1 adds the objective, step 3 its four factors."""
    objective = doc.objective.strip()
    policy = doc.policy.strip() + (f"\n\nTujuan:\n{objective}" if objective else "")
    factors = [
        (label, text.strip())
        for label, text in (
            ("Akses", doc.gap_access),
            ("Partisipasi", doc.gap_participation),
            ("Kontrol", doc.gap_control),
            ("Manfaat", doc.gap_benefit),
        )
    ]
    step3 = "\n\n".join(f"{label}:\n{text or '-'}" for label, text in factors)
    return [
        policy,
        doc.insight_data,
        step3,
        doc.internal_causes,
        doc.external_causes,
        doc.reformulated_objective,
        doc.action_plan,
        doc.baseline,
        doc.gender_indicators,
    ]


def gbs_lines(data: PprgPrint) -> list[tuple[str, str]]:
    """The form's label/value lines above the action plan (the components follow)."""
    doc = data.document
    assert isinstance(doc, GbsDocument)
    return [
        ("Nama Perangkat Daerah", data.unit_name),
        ("Tahun Anggaran", str(doc.year)),
        ("Program", doc.program),
        ("Tujuan Program", doc.program_objective),
        ("Capaian Program (indikator dan target)", doc.program_indicators),
        ("Kegiatan / Sub Kegiatan", doc.activity),
        ("Indikator Kinerja Keluaran (Output)", doc.output_indicator),
        ("Target Keluaran", doc.output_target),
        ("Analisis Situasi", doc.situation),
    ]


def gbs_closing(doc: GbsDocument) -> list[tuple[str, str]]:
    """The lines under the action plan: the allocation and the expected outcome."""
    total = doc.total
    return [
        ("Alokasi Anggaran Keluaran", format_rupiah(total) if total is not None else "-"),
        ("Dampak/Hasil Keluaran yang Diharapkan", doc.expected_outcome),
    ]
