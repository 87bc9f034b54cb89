"""Renstra TC-23, TC-24 and TC-27 rendered from the seeded database and read back.

Realisations are entered through the app's own entry functions: every row with a 2024
target gets its target as realisation, a few rows also 2025, plus hand-worked rows:

* a proposed target of 87 % realised at 97 % (TC-23 prints 111 %): 111,49 %;
* Angka Inflasi Daerah, lower is better, target 5,51 %, realised 4,2 %: 123,77 %;
* a budget of 275.461.700 → 339.070.750 and spending 266.211.005 → 327.925.426 (the
  seed's own TC-24 example): average growth 23,09 % and 23,18 %.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.domain.breakdown import Breakdown
from app.domain.realisation import RealisationValues
from app.models.db import Database
from app.models.schema import PlanRow, Target
from app.reports.report_model import ReportCancelled
from app.services import catalog, entry
from app.services.database import open_seeded
from app.services.renstra_export import export_renstra
from app.services.renstra_report import build_renstra_report, renstra_plan
from app.services.signatory import Signatory
from tests.reports.conftest import need, run

BAGIAN = "SETDA-BAG-PBJ"
SIGNER = Signatory("Ir. Budi Santoso, M.T.", "197502022000031004", "", "Lumajang")
PROPOSED_CODE = "4.01.03.2.02"  # persentase pencapaian pelaksanaan administrasi pembangunan
GROWTH_CODE = "4.01.03.2.02.01"
INFLATION = "Angka Inflasi Daerah"
TABLES = ("tc23", "tc24", "tc27")


@dataclass(frozen=True)
class Out:
    db_path: Path
    files: dict[tuple[str, str], tuple[Path, Path]]  # (table, "bagian"|"setda") → pdf, xlsx
    bagian_indicators: list[str]

    def pdf(self, table: str, scope: str) -> Path:
        return self.files[table, scope][0]

    def xlsx(self, table: str, scope: str) -> Path:
        return self.files[table, scope][1]


def _values(total: str, budget: int | None = None, spending: int | None = None):
    return RealisationValues(
        Breakdown(Decimal(total)),
        None if budget is None else Decimal(budget),
        None if spending is None else Decimal(spending),
        "",
        "",
    )


def _fill(db: Database) -> list[str]:
    with db.begin() as s:
        plan = renstra_plan(s)
        rows = catalog.load_rows(s, plan.id)
        pbj = catalog.find_opd(s, BAGIAN)
        targets = {
            (t.row_id, t.year): (t.total, t.budget)
            for t in s.query(Target).filter(Target.row_id.in_([r.id for r in rows]))
        }
        codes = {r.id: (s.get(PlanRow, r.id).no or "") for r in rows}
    special = {PROPOSED_CODE, GROWTH_CODE}
    for i, r in enumerate(rows):
        code = codes[r.id]
        if r.opd_id == pbj.id and (code in special or r.indikator == INFLATION):
            continue
        for year in (2024, 2025) if i % 4 == 0 else (2024,):
            total, budget = targets.get((r.id, year), (None, None))
            if total is None:
                continue
            spend = None if budget is None else int(budget * 9 // 10)
            entry.save_realisation(
                db,
                r.id,
                year,
                _values(str(total), None if budget is None else int(budget), spend),
                "uji",
            )
    by_code = {codes[r.id]: r for r in rows if r.opd_id == pbj.id}
    inflation = next(r for r in rows if r.indikator == INFLATION)
    entry.propose_target(db, by_code[PROPOSED_CODE].id, 2024, "87 %", Breakdown(Decimal(87)), "uji")
    entry.save_realisation(db, by_code[PROPOSED_CODE].id, 2024, _values("97"), "uji")
    entry.save_realisation(db, inflation.id, 2024, _values("4.2"), "uji")
    growth = by_code[GROWTH_CODE].id
    entry.save_realisation(db, growth, 2024, _values("1", 275_461_700, 266_211_005), "uji")
    entry.save_realisation(db, growth, 2025, _values("1", 339_070_750, 327_925_426), "uji")
    return [r.indikator for r in rows if r.opd_id == pbj.id]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Out]:
    folder = tmp_path_factory.mktemp("renstra")
    db = open_seeded(folder / "monev.sqlite")
    indicators = _fill(db)
    files: dict[tuple[str, str], tuple[Path, Path]] = {}
    for table in TABLES:
        for scope, opd, paper in (
            ("bagian", BAGIAN, "a4"),
            ("setda", None, "f4" if table == "tc24" else "a4"),
        ):
            pdf, xlsx = folder / f"{table}-{scope}.pdf", folder / f"{table}-{scope}.xlsx"
            export_renstra(
                db,
                None,
                table=table,
                opd=opd,
                pdf=pdf,
                xlsx=xlsx,
                paper=paper,
                signatory=SIGNER if opd else None,
                report_date=date(2025, 1, 20),
            )
            files[table, scope] = (pdf, xlsx)
    db.dispose()
    yield Out(folder / "monev.sqlite", files, indicators)


def _text(pdf: Path) -> str:
    need("pdftotext")
    res = run("pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-")
    assert res.returncode == 0, res.stderr
    return res.stdout


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_every_indicator_of_the_bagian_is_printed(out: Out) -> None:
    assert len(out.bagian_indicators) == 9
    for table in ("tc23", "tc27"):
        text = _squash(_text(out.pdf(table, "bagian")))
        missing = [i for i in out.bagian_indicators if _squash(i) not in text]
        assert not missing, (table, missing)
    flat = _flat(_text(out.pdf("tc23", "bagian")))
    assert "SEKRETARIAT DAERAH – BAGIAN PENGADAAN BARANG DAN JASA" in flat
    assert "Kepala Bagian Pengadaan Barang dan Jasa" in flat
    assert "Lumajang, 20 Januari 2025" in flat
    assert "NIP. 19750202 200003 1 004" in flat


def test_tc23_ratios_worked_by_hand(out: Out) -> None:
    flat = _flat(_text(out.pdf("tc23", "bagian")))
    assert "111,49 %" in flat  # 97 % against a proposed 87 % (TC-23: 97 % of 87 % → 111 %)
    assert "123,77 %" in flat  # inflation 4,2 % under 5,51 %: (2 × 5,51 − 4,2) ÷ 5,51
    assert "Usulan: 87 %" in flat and "Resmi: 100 %" in flat
    assert "100,00 %" in flat  # the rows realised at their target
    ws = load_workbook(out.xlsx("tc23", "bagian"))["TC-23"]
    ratios = {
        ws.cell(r, 3).value: ws.cell(r, 11).value
        for r in range(1, ws.max_row + 1)
        if isinstance(ws.cell(r, 11).value, float)
    }
    inflation = next(v for k, v in ratios.items() if k and k.startswith(INFLATION))
    assert inflation == pytest.approx(1.2377)
    assert pytest.approx(1.1149) in ratios.values()


def test_tc24_absorption_and_growth(out: Out) -> None:
    flat = _flat(_text(out.pdf("tc24", "bagian")))
    assert "275.461.700" in flat and "327.925.426" in flat
    assert "96,64 %" in flat  # 266.211.005 ÷ 275.461.700
    assert "23,09 %" in flat and "23,18 %" in flat  # the seed's own growth example
    ws = load_workbook(out.xlsx("tc24", "bagian"))["TC-24"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == GROWTH_CODE)
    assert [ws.cell(row, c).value for c in (3, 4, 6, 7)] == [
        275_461_700,
        339_070_750,
        266_211_005,
        327_925_426,
    ]
    assert ws.cell(row, 12).value == pytest.approx(0.2309)
    assert ws.cell(row, 13).value == pytest.approx(0.2318)
    assert ws.cell(row, 3).number_format == "[$-421]#,##0"
    assert ws.cell(row, 12).number_format == "[$-421]0.00%"


def test_tc27_shows_both_end_of_period_figures_where_they_differ(out: Out) -> None:
    # Review file: line 1049, 4.01.01.2.06.04 — 28 / 29 / 27 paket → 84, document 82 paket;
    # Rp 812.581.954 summed, document Rp 2.205.772.077.
    text = _text(out.pdf("tc27", "setda"))
    flat = _flat(text)
    i = flat.index("4.01.01.2.06.04")
    window = flat[i : i + 900]
    assert "84 Paket" in window and "82 paket" in window, window
    assert "812.581.954" in window and "2.205.772.077" in window
    assert window.count("≠ Dok.:") == 2
    ws = load_workbook(out.xlsx("tc27", "setda"))["TC-27"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "4.01.01.2.06.04")
    e0 = 14  # 7 columns, then target and Rp for three years
    assert ws.cell(row, e0).value == 84
    assert ws.cell(row, e0 + 1).value == "82 paket"
    assert ws.cell(row, e0 + 2).value == 812_581_954
    assert ws.cell(row, e0 + 3).value == 2_205_772_077
    assert ws.cell(row, e0).fill.fgColor.rgb.endswith("FCE4D6")
    # a row where both agree shows the document's figure muted, without the mark
    j = flat.index("4.01.01.2.01.01")
    assert "14 Dokumen Dok.: 14 dokumen" in flat[j : j + 600]


def test_whole_setda_lists_every_bagian(out: Out) -> None:
    db = open_seeded(out.db_path)
    with db.begin() as s:
        plan = renstra_plan(s)
        names = {r.opd_name for r in catalog.load_rows(s, plan.id)}
        full = {o.short_name: o.name for o in catalog.opds(s)}
    db.dispose()
    for table in ("tc23", "tc24"):
        text = _squash(_text(out.pdf(table, "setda")))
        for short in names:
            assert _squash(full[short]) in text, (table, short)
    flat = _flat(_text(out.pdf("tc23", "setda")))
    assert "Sekretaris Daerah Kabupaten Lumajang" in flat


def test_pdfs_are_valid_numbered_with_header_on_every_page(out: Out) -> None:
    need("qpdf", "pdffonts", "pdfinfo")
    for (table, scope), (pdf, _) in out.files.items():
        check = run("qpdf", "--check", str(pdf))
        assert check.returncode == 0, check.stdout + check.stderr
        for line in run("pdffonts", str(pdf)).stdout.splitlines()[2:]:
            assert "TrueType" in line and line.split()[-5] == "yes", line
        info = dict(
            (k.strip(), v.strip())
            for k, _, v in (
                ln.partition(":") for ln in run("pdfinfo", str(pdf)).stdout.splitlines()
            )
        )
        assert info["Title"].startswith(f"Tabel {table.upper().replace('TC', 'TC-')}")
        assert info["Creator"].startswith("Monev RAD PUG") and info["Author"]
        pages = int(info["Pages"])
        text = _text(pdf)
        assert f"Halaman 1 dari {pages}" in text and f"Halaman {pages} dari {pages}" in text
        if scope == "setda":
            assert pages > 3, table
            head = {"tc23": "RasioCapaianTahun", "tc24": "RasioantaraRealisasi"}
            needle = head.get(table, "AkhirPeriode")
            bodies = text.split("\f")[:pages]
            with_header = [p for p in bodies if needle.casefold() in _squash(p).casefold()]
            assert len(with_header) >= pages - 1, (table, len(with_header), pages)
    size = run("pdfinfo", str(out.pdf("tc24", "setda"))).stdout
    assert "935.43" in size  # F4 landscape (330 × 215 mm)


def test_workbooks_are_print_ready_and_never_formulas(out: Out) -> None:
    for (table, _), (_, xlsx) in out.files.items():
        wb = load_workbook(xlsx)
        ws = wb.worksheets[0]
        assert ws.title == table.upper().replace("TC", "TC-")
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        titles = (ws.print_title_rows or "").replace("$", "")
        _first, last = (int(x) for x in titles.split(":"))
        assert ws.freeze_panes and ws.freeze_panes.endswith(str(last + 1))
        assert "&P" in ws.oddFooter.right.text and "&N" in ws.oddFooter.right.text
        assert wb.properties.title.startswith("Tabel") and wb.properties.creator
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str) and "\n" in cell.value:
                    assert cell.alignment.wrap_text
        assert any(ws.row_dimensions[r].height for r in range(last + 1, ws.max_row))


def test_libreoffice_converts_the_widest_workbook(out: Out, tmp_path: Path) -> None:
    need("soffice", "pdftotext")
    res = run(
        "soffice",
        f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(tmp_path),
        str(out.xlsx("tc27", "setda")),
        timeout=180,
    )
    pdf = tmp_path / "tc27-setda.pdf"
    assert res.returncode == 0 and pdf.exists(), res.stdout + res.stderr
    flat = _flat(_text(pdf))
    assert "4.01.01.2.06.04" in flat
    assert "2.205.772.077" in flat  # Indonesian grouping from the [$-421] format


def test_report_year_limits_the_realisations(out: Out) -> None:
    db = open_seeded(out.db_path)
    with db.begin() as s:
        opd = catalog.find_opd(s, BAGIAN)
        only_2024 = build_renstra_report(s, "tc24", 2024, opd)
        every = build_renstra_report(s, "tc24", None, opd)
    db.dispose()
    row = next(r for r in only_2024.rows if r.code == GROWTH_CODE)
    assert row.years[2024].budget == 275_461_700 and not row.years[2025].reported
    assert row.years[2025].budget is None and row.budget_growth is None
    assert next(r for r in every.rows if r.code == GROWTH_CODE).budget_growth == Decimal("23.09")
    assert "2024" in only_2024.subtitle


def test_export_refuses_bad_requests_and_leaves_no_file(out: Out, tmp_path: Path) -> None:
    db = open_seeded(out.db_path)
    try:
        target = tmp_path / "x.pdf"
        with pytest.raises(ValueError, match="Tabel tidak dikenal"):
            export_renstra(db, None, table="tc25", pdf=target)
        with pytest.raises(ValueError, match="di luar periode"):
            export_renstra(db, 2023, table="tc23", pdf=target)
        with pytest.raises(LookupError, match="tidak memiliki baris"):
            export_renstra(db, None, table="tc23", opd="DINSOS-PPPA", pdf=target)
        with pytest.raises(LookupError, match="bukan Rencana Strategis"):
            export_renstra(db, None, table="tc23", plan="RADPUG-LMJ-2022-2024", pdf=target)
        calls = []

        def cancelled() -> bool:
            calls.append(1)
            return len(calls) > 3

        with pytest.raises(ReportCancelled):
            export_renstra(db, None, table="tc27", pdf=target, cancelled=cancelled)
    finally:
        db.dispose()
    assert not list(tmp_path.iterdir())
