"""The printed GAP and GBS: the nine headings and the values in the PDF, the same cells in
the workbook, and user text starting with "=" kept as text."""

from __future__ import annotations

import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.domain.pprg import GapDocument, GbsComponent, GbsDocument
from app.domain.region import Region
from app.reports.pprg_model import STEP_TITLES, PprgPrint
from app.reports.pprg_pdf import build_pprg_pdf
from app.reports.pprg_xlsx import build_pprg_xlsx
from app.reports.report_model import Person, SignatureBlock
from tests.reports.conftest import need

GAP = GapDocument(
    node_key="n-1",
    opd_code="DINKOP",
    year=2024,
    policy="Program: PROGRAM PENGEMBANGAN EKSPOR",
    objective="TujuanSatu",
    insight_data="Target 2024: 20 (L 13 · P 5 · disabilitas 2)",
    gap_access="AksesDua",
    gap_participation="=1+1",
    gap_control="KontrolTiga",
    gap_benefit="ManfaatEmpat",
    internal_causes="InternalLima",
    external_causes="EksternalEnam",
    reformulated_objective="ReformulasiTujuh",
    action_plan="- Pameran APKASI",
    baseline="BaselineDelapan",
    gender_indicators="IndikatorSembilan",
)
GBS = GbsDocument(
    node_key="n-1",
    opd_code="DINKOP",
    year=2024,
    program="PROGRAM PENGEMBANGAN EKSPOR",
    program_objective="=SUM(A1:A3)",
    activity="Kegiatan: Promosi",
    situation="Data pembuka wawasan:\nSituasiSatu",
    expected_outcome="HasilDua",
    components=(
        GbsComponent("Pameran APKASI", Decimal(45_000_000)),
        GbsComponent("Pendataan IKM", Decimal(1_250_500)),
        GbsComponent("Tanpa anggaran"),
    ),
)


def _print(doc: GapDocument | GbsDocument) -> PprgPrint:
    return PprgPrint(
        region=Region("Lumajang"),
        unit_name="Dinas Koperasi dan UKM",
        activity_name="Kegiatan Promosi dan Misi Dagang",
        document=doc,
        signature=SignatureBlock(
            "Lumajang", date(2024, 2, 1), Person("Drs. Agus", "197205141998031007", "Kepala"), None
        ),
        generated_at=datetime(2024, 2, 1, 9, 0),
    )


def _text(pdf: Path) -> str:
    need("pdftotext")
    out = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, check=True)
    # A narrow heading wraps after its slashes ("Kebijakan/Program/ Kegiatan").
    return " ".join(out.stdout.decode().split()).replace("/ ", "/")


def test_gap_pdf_has_the_nine_steps_under_their_groups(tmp_path: Path) -> None:
    pages = build_pprg_pdf(_print(GAP), tmp_path / "gap.pdf")
    text = _text(tmp_path / "gap.pdf")
    assert pages == 1
    assert "GENDER ANALYSIS PATHWAY (GAP)" in text and "PEMERINTAH KABUPATEN LUMAJANG" in text
    for n, title in STEP_TITLES.items():
        assert f"Langkah {n}" in text
        assert title in text
    for group in ("Isu Gender", "Kebijakan dan Rencana ke Depan", "Pengukuran Hasil"):
        assert group in text
    for value in (
        "TujuanSatu",
        "L 13 · P 5 · disabilitas 2",
        "AksesDua",
        "KontrolTiga",
        "ManfaatEmpat",
        "InternalLima",
        "EksternalEnam",
        "ReformulasiTujuh",
        "Pameran APKASI",
        "BaselineDelapan",
        "IndikatorSembilan",
        "=1+1",
        "Drs. Agus",
        "19720514 199803 1 007",
    ):
        assert value in text


def test_gbs_pdf_prints_components_budgets_and_total(tmp_path: Path) -> None:
    build_pprg_pdf(_print(GBS), tmp_path / "gbs.pdf", "f4")
    text = _text(tmp_path / "gbs.pdf")
    for value in (
        "PERNYATAAN ANGGARAN GENDER",
        "Analisis Situasi",
        "SituasiSatu",
        "Pameran APKASI Rp 45.000.000",
        "Pendataan IKM Rp 1.250.500",
        "Jumlah Rp 46.250.500",
        "Alokasi Anggaran Keluaran Rp 46.250.500",
        "HasilDua",
    ):
        assert value in text


def test_gap_workbook_reads_back_and_keeps_formulas_as_text(tmp_path: Path) -> None:
    build_pprg_xlsx(_print(GAP), tmp_path / "gap.xlsx")
    ws = load_workbook(tmp_path / "gap.xlsx").active
    assert ws is not None and ws.title == "GAP"
    cells = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert {"ReformulasiTujuh", "BaselineDelapan", "IndikatorSembilan"} <= cells
    assert any(v.startswith("Langkah 9") for v in cells)
    step3 = next(c for row in ws.iter_rows() for c in row if "AksesDua" in str(c.value))
    assert "Partisipasi:\n=1+1" in step3.value and step3.data_type == "s"


def test_gbs_workbook_budgets_are_numbers_and_text_is_not_a_formula(tmp_path: Path) -> None:
    build_pprg_xlsx(_print(GBS), tmp_path / "gbs.xlsx")
    ws = load_workbook(tmp_path / "gbs.xlsx").active
    assert ws is not None
    rows = {str(r[0].value): r for r in ws.iter_rows() if r[0].value}
    objective = rows["Tujuan Program"][1]
    assert objective.value == "=SUM(A1:A3)" and objective.data_type == "s"
    amounts = [c.value for r in ws.iter_rows() for c in r[2:3] if isinstance(c.value, int)]
    assert amounts == [45_000_000, 1_250_500, 46_250_500]
    assert rows["Alokasi Anggaran Keluaran"][2].value == 46_250_500


def test_unknown_paper_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="kertas"):
        build_pprg_pdf(_print(GAP), tmp_path / "x.pdf", "a3")
