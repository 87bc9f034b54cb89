"""The fill-in workbook as written, as LibreOffice opens it, and the unsigned note in reports."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.domain.realisation import parse_realisation
from app.formats.fillin import COLUMNS, DATA_SHEET, FIRST_ROW, HEADER_ROW, META_SHEET
from app.models.db import Database
from app.services import catalog, entry
from app.services.export import export_report
from app.services.fillin_export import export_fillin
from app.services.importer import ACCEPTED, import_file
from tests.reports.conftest import need, run
from tests.services.submission_helpers import OPD, YEAR, Pair, make_pair

NOTE = "Data dari berkas isian TANPA tanda tangan elektronik"


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


def _first_row(db: Database, opd: str = OPD) -> tuple[int, int]:
    with db.begin() as s:
        plan = catalog.get_plan(s)
        o = catalog.find_opd(s, opd)
        return catalog.load_rows(s, plan.id, o.id)[0].id, o.id


def test_layout_protection_and_validation(pair: Pair, tmp_path: Path) -> None:
    row_id, opd_id = _first_row(pair.pokja)
    values = parse_realisation(
        {"male": "2", "female": "3,5", "budget": "1.000.000", "evidence": "=1+1"}
    )
    entry.save_realisation(pair.pokja, row_id, YEAR, values, "Siti", opd_id=opd_id)
    path = tmp_path / "isian.xlsx"
    assert export_fillin(pair.pokja, None, OPD, YEAR, path) == 20
    wb = load_workbook(path)
    assert wb.sheetnames == ["Petunjuk", DATA_SHEET, META_SHEET]
    assert wb[META_SHEET].sheet_state == "hidden"
    assert wb.security is not None and wb.security.lockStructure
    ws = wb[DATA_SHEET]
    assert ws.protection.sheet and not ws.protection.password
    assert ws.column_dimensions["A"].hidden
    assert [ws.cell(HEADER_ROW, i + 1).value for i in range(len(COLUMNS))] == [
        c.title for c in COLUMNS
    ]
    # Official columns locked, input columns open.
    for c in COLUMNS:
        assert ws[f"{c.letter}{FIRST_ROW}"].protection.locked is (not c.field), c.letter
    # Pre-filled with what the database holds; user text stays text.
    assert ws[f"J{FIRST_ROW}"].value == Decimal("5.5")
    assert ws[f"L{FIRST_ROW}"].value == Decimal("3.5")
    assert ws[f"N{FIRST_ROW}"].value == 1_000_000
    evidence = ws[f"P{FIRST_ROW}"]
    assert (evidence.value, evidence.data_type, evidence.quotePrefix) == ("=1+1", "s", True)
    assert ws[f"J{FIRST_ROW + 1}"].value is None
    kinds = {dv.type: str(dv.sqref) for dv in ws.data_validations.dataValidation}
    assert kinds["decimal"].startswith("J5:J24") and "M5:M24" in kinds["decimal"]
    assert "N5:N24" in kinds["whole"] and "O5:O24" in kinds["whole"]
    assert "P5:P24" in kinds["textLength"]
    assert ws.print_title_rows == "$4:$4"
    # No formula anywhere in the file.
    with zipfile.ZipFile(path) as z:
        assert not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in z.namelist())


def test_unknown_opd_and_year(pair: Pair, tmp_path: Path) -> None:
    with pytest.raises(LookupError):
        export_fillin(pair.pokja, None, "TIDAK-ADA", YEAR, tmp_path / "x.xlsx")
    with pytest.raises(ValueError, match="di luar periode"):
        export_fillin(pair.pokja, None, OPD, 2040, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_libreoffice_opens_the_blank_workbook(pair: Pair, tmp_path: Path) -> None:
    need("soffice", "pdftotext")
    path = tmp_path / "isian-kosong.xlsx"
    export_fillin(pair.pokja, None, OPD, YEAR, path)
    res = run(
        "soffice",
        f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(tmp_path),
        str(path),
    )
    pdf = tmp_path / "isian-kosong.pdf"
    assert res.returncode == 0 and pdf.exists(), res.stderr
    text = run("pdftotext", "-layout", str(pdf), "-").stdout
    assert "Petunjuk pengisian" in text
    assert "ISIAN REALISASI RAD PUG TAHUN 2023" in text
    assert "Dinas Uji 001" in text
    assert "Perempuan" in text and "Realisasi Anggaran" in text
    assert "syn-0000001" not in text  # the key column is hidden
    assert "monev-radpug-isian" not in text  # and so is the marker sheet


def test_reports_mark_unsigned_opds(pair: Pair, tmp_path: Path) -> None:
    need("pdftotext")
    blank = tmp_path / "isian.xlsx"
    export_fillin(pair.pokja, None, OPD, YEAR, blank)
    wb = load_workbook(blank)
    wb[DATA_SHEET][f"J{FIRST_ROW}"] = 8
    wb.save(tmp_path / "terisi.xlsx")
    assert import_file(pair.pokja, tmp_path / "terisi.xlsx").outcome == ACCEPTED
    opd_pdf, opd_xlsx = tmp_path / "opd.pdf", tmp_path / "opd.xlsx"
    export_report(pair.pokja, YEAR, opd=OPD, pdf=opd_pdf, xlsx=opd_xlsx)
    kab_pdf, kab_xlsx = tmp_path / "kab.pdf", tmp_path / "kab.xlsx"
    export_report(pair.pokja, YEAR, pdf=kab_pdf, xlsx=kab_xlsx)
    other_pdf = tmp_path / "opd2.pdf"
    export_report(pair.pokja, YEAR, opd="OPD-002", pdf=other_pdf)

    def text(pdf: Path) -> str:
        return " ".join(run("pdftotext", str(pdf), "-").stdout.split())

    opd_text = text(opd_pdf)
    assert NOTE in opd_text and "Dinas Uji 001" in opd_text
    kab_text = text(kab_pdf)
    assert f"{NOTE} (diterima" in kab_text
    assert re.search(r"Dinas Uji 001[\w ]* \(isian tanpa tanda tangan\)", kab_text)
    assert kab_text.count("(isian tanpa tanda tangan)") == 1  # only the OPD concerned
    assert NOTE not in text(other_pdf)

    def cells(xlsx: Path) -> list[str]:
        book = load_workbook(xlsx)
        return [
            str(c.value)
            for ws in book.worksheets
            for row in ws.iter_rows()
            for c in row
            if isinstance(c.value, str)
        ]

    assert any(v.startswith(NOTE) and "Dinas Uji 001" in v for v in cells(opd_xlsx))
    kab_cells = cells(kab_xlsx)
    assert any(v.startswith(NOTE) for v in kab_cells)
    assert any(v.endswith("\n(isian tanpa tanda tangan)") for v in kab_cells)
