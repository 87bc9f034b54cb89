"""The workbook read back with openpyxl and converted by LibreOffice headless."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.models.schema import Realisation
from app.services import catalog
from app.services.database import open_seeded
from tests.reports.conftest import INJECTIONS, YEAR, Rendered, need, run


def _cells(ws):
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                yield cell


def test_sheets_and_print_settings(rendered: Rendered) -> None:
    wb = load_workbook(rendered.opd_xlsx)
    assert wb.sheetnames == ["Matriks", "Instrumen ARG", "Evaluasi ARG", "Ringkasan"]
    kab = load_workbook(rendered.kab_xlsx)
    assert kab.sheetnames == ["Kelengkapan", "Matriks", "Evaluasi ARG", "Ringkasan"]
    for ws in [*wb.worksheets, *kab.worksheets]:
        ps = ws.page_setup
        assert ps.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ps.fitToWidth == 1 and ps.fitToHeight == 0
        assert "&P" in ws.oddFooter.right.text and "&N" in ws.oddFooter.right.text
    assert wb["Matriks"].page_setup.paperSize == 9  # A4
    assert kab["Matriks"].page_setup.paperSize == 14  # F4 / Folio
    m = wb["Matriks"]
    titles = (m.print_title_rows or "").replace("$", "")
    assert re.fullmatch(r"\d+:\d+", titles)
    first, last = (int(x) for x in titles.split(":"))
    assert m.freeze_panes == f"A{last + 1}"
    assert m.cell(first, 2).value == "Aktivitas"
    assert wb.properties.title and "2023" in wb.properties.title
    assert wb.properties.creator


def test_numbers_come_back_as_numbers(rendered: Rendered) -> None:
    db = open_seeded(rendered.db_path)
    with db.begin() as s:
        plan = catalog.get_plan(s)
        opd = catalog.find_opd(s, "DINSOS-PPPA")
        rows = {r.id: r for r in catalog.load_rows(s, plan.id, opd.id)}
        reals = {
            x.row_id: x
            for x in s.query(Realisation).filter(
                Realisation.row_id.in_(rows), Realisation.year == YEAR
            )
        }
    db.dispose()
    ws = load_workbook(rendered.opd_xlsx)["Matriks"]
    by_indicator: dict[str, tuple] = {}
    for row in ws.iter_rows(values_only=True):
        if isinstance(row[0], int) and isinstance(row[2], str):
            by_indicator.setdefault(row[2].removesuffix(" ▼"), row)
    checked = 0
    for rid, x in reals.items():
        got = by_indicator.get(rows[rid].indikator)
        if got is None or x.total is None:
            continue
        # Realisasi Jumlah, L, P, Dis. are columns 7-10; Pagu, Realisasi anggaran 12-13
        assert Decimal(str(got[6])) == x.total
        if x.male is not None:
            assert (got[7], got[8], got[9]) == (int(x.male), int(x.female), int(x.disabled))
        if x.budget is not None:
            assert got[11] == int(x.budget) and got[12] == int(x.spending)
            assert isinstance(got[13], float) and 0 < got[13] <= 1.0
        checked += 1
    assert checked >= 30
    formats = {c.number_format for c in _cells(ws) if isinstance(c.value, (int, float))}
    assert "[$-421]#,##0" in formats and "[$-421]0.00%" in formats


def test_user_text_is_never_a_formula(rendered: Rendered) -> None:
    for path in (rendered.opd_xlsx, rendered.kab_xlsx):
        wb = load_workbook(path)
        for ws in wb.worksheets:
            for cell in _cells(ws):
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    wb = load_workbook(rendered.opd_xlsx)
    texts = {c.value: c for ws in wb.worksheets for c in _cells(ws) if isinstance(c.value, str)}
    for s in (*INJECTIONS, "=SUM(A1:A2)"):
        hits = [v for v in texts if s in v]
        assert hits, s
        cell = texts[hits[0]]
        assert cell.data_type == "s"
    for s in INJECTIONS[:4]:
        assert s in texts and texts[s].quotePrefix, s  # stays text when edited later


def test_wrapped_rows_get_heights(rendered: Rendered) -> None:
    ws = load_workbook(rendered.opd_xlsx)["Matriks"]
    long_rows = [c.row for c in ws["C"] if isinstance(c.value, str) and len(c.value) > 80]
    assert long_rows
    for r in long_rows:
        assert (ws.row_dimensions[r].height or 0) >= 30


def _lo_text(pdf: Path) -> str:
    need("pdftotext")
    res = run("pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-")
    assert res.returncode == 0
    return res.stdout


def test_libreoffice_prints_the_workbooks(
    rendered: Rendered, libreoffice_pdfs: dict[str, Path]
) -> None:
    text = _lo_text(libreoffice_pdfs["opd"])
    flat = " ".join(text.split())
    for s in INJECTIONS[:4]:
        assert s in flat, s  # text, not the result of a formula
    assert "=SUM(A1:A2)" in flat
    assert "PEMERINTAH KABUPATEN LUMAJANG" in flat
    assert "Halaman 1 dari" in flat
    # Indonesian number formats: thousands with dots, decimals with a comma
    assert re.search(r"\b\d{1,3}\.\d{3}\.\d{3}\b", text)
    assert re.search(r"\b\d+,\d\d%", text)
    kab = " ".join(_lo_text(libreoffice_pdfs["kab"]).split())
    assert "Kelengkapan Pengisian per Perangkat Daerah" in kab


def test_no_overlap_in_libreoffice_rendering(libreoffice_pdfs: dict[str, Path]) -> None:
    """Every page has text and none of it is drawn outside the page."""
    need("pdftotext")
    res = run("pdftotext", "-bbox", str(libreoffice_pdfs["opd"]), "-")
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', res.stdout, re.S)
    assert pages
    for w, h, body in pages:
        boxes = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', body)
        assert boxes
        for x0, y0, x1, y1 in boxes:
            assert float(x0) >= 0 and float(x1) <= float(w) + 1
            assert float(y0) >= 0 and float(y1) <= float(h) + 1


@pytest.mark.parametrize("paper", ["a4", "f4"])
def test_workbook_for_a_year_without_figures(tmp_path: Path, paper: str) -> None:
    from app.services.export import export_report

    db = open_seeded(tmp_path / "m.sqlite")
    res = export_report(db, 2024, opd="BPBD", xlsx=tmp_path / "x.xlsx", paper=paper)
    db.dispose()
    wb = load_workbook(res.xlsx)
    assert wb["Instrumen ARG"].cell(7, 1).value.startswith("Belum ada")
