"""A second region ("Kota Contoh"): every report names it, never the shipped regency.

The synthetic plan holds no word of the shipped regency, so any "Lumajang" found in a
report made for Kota Contoh came from the code, which is what these tests forbid.
"""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.domain.region import Region
from app.models.db import Database
from app.services.database import open_seeded
from app.services.export import export_report
from app.services.fillin_export import export_fillin
from app.services.region import store_region
from app.services.renstra_export import export_renstra, gather_renstra

CONTOH = Region(
    "Contoh",
    "Kota",
    letterhead=("PEMERINTAH KOTA CONTOH", "BADAN PERENCANAAN PEMBANGUNAN DAERAH"),
    address="Jl. Merdeka No. 1 Contoh",
)


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def workbook_text(path: Path) -> str:
    wb = load_workbook(path)
    p = wb.properties
    parts = [str(x) for x in (p.title, p.creator, p.keywords, p.subject, p.description) if x]
    for ws in wb.worksheets:
        parts.extend(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
        parts.extend(str(x) for x in (ws.oddHeader.center.text, ws.oddFooter.left.text) if x)
    return "\n".join(parts)


@pytest.fixture
def contoh_db(syn_db: Database) -> Database:
    store_region(syn_db, CONTOH)
    return syn_db


def test_opd_report_carries_the_stored_region(contoh_db: Database, tmp_path: Path) -> None:
    res = export_report(
        contoh_db, 2022, opd="OPD-001", pdf=tmp_path / "r.pdf", xlsx=tmp_path / "r.xlsx"
    )
    assert res.pdf and res.xlsx
    for text in (pdf_text(res.pdf), workbook_text(res.xlsx)):
        assert "PEMERINTAH KOTA CONTOH" in text
        assert "BADAN PERENCANAAN PEMBANGUNAN DAERAH" in text
        assert "Jl. Merdeka No. 1 Contoh" in text
        assert "lumajang" not in text.lower()
    assert "Contoh, " in pdf_text(res.pdf)  # the signature place


def test_regency_report_is_signed_by_the_regions_pokja(contoh_db: Database, tmp_path: Path) -> None:
    res = export_report(contoh_db, 2022, pdf=tmp_path / "k.pdf", xlsx=tmp_path / "k.xlsx")
    assert res.pdf and res.xlsx
    for text in (pdf_text(res.pdf), workbook_text(res.xlsx)):
        flat = " ".join(text.split())
        assert "KELOMPOK KERJA PENGARUSUTAMAAN GENDER KOTA CONTOH" in flat
        assert "Ketua Pokja PUG Kota Contoh" in flat
        assert "lumajang" not in text.lower()


def test_fillin_workbook_names_the_region(contoh_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "isian.xlsx"
    export_fillin(contoh_db, None, "OPD-001", 2022, path)
    text = workbook_text(path)
    assert load_workbook(path).properties.creator == "Pokja PUG Kota Contoh"
    assert "PEMERINTAH KOTA CONTOH" in text
    assert "lumajang" not in text.lower()


def test_without_a_stored_profile_reports_keep_the_shipped_letterhead(
    syn_db: Database, tmp_path: Path
) -> None:
    res = export_report(syn_db, 2022, opd="OPD-001", pdf=tmp_path / "r.pdf")
    assert res.pdf
    text = pdf_text(res.pdf)
    assert "PEMERINTAH KABUPATEN LUMAJANG" in text
    assert "Lumajang, " in text


def test_renstra_tables_name_the_region(tmp_path: Path) -> None:
    db = open_seeded(tmp_path / "m.sqlite")
    try:
        store_region(db, CONTOH)
        data = gather_renstra(db, None, "tc23")
        assert data.title.endswith("Sekretariat Daerah Kota Contoh")
        assert data.signature.signer.position == "Sekretaris Daerah Kota Contoh"
        assert data.signature.place == "Contoh"
        res = export_renstra(db, None, table="tc23", xlsx=tmp_path / "t.xlsx")
        assert res.xlsx
        wb = load_workbook(res.xlsx)
        head = [wb.worksheets[0].cell(r, 1).value for r in range(1, 4)]
        assert head[:2] == ["PEMERINTAH KOTA CONTOH", "BADAN PERENCANAAN PEMBANGUNAN DAERAH"]
        assert "Lumajang" not in str(wb.properties.keywords)
    finally:
        db.dispose()


def _png(tmp_path: Path) -> bytes:
    from PIL import Image

    path = tmp_path / "logo.png"
    Image.new("RGB", (60, 80), (21, 101, 192)).save(path)
    return path.read_bytes()


def _pdf_images(path: Path) -> list[str]:
    out = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, check=True)
    return out.stdout.decode().splitlines()[2:]  # two header lines


def test_the_logo_is_printed_on_the_letterhead(syn_db: Database, tmp_path: Path) -> None:
    plain = export_report(syn_db, 2022, opd="OPD-001", pdf=tmp_path / "a.pdf").pdf
    store_region(syn_db, replace(CONTOH, logo=_png(tmp_path)))
    with_logo = export_report(syn_db, 2022, opd="OPD-001", pdf=tmp_path / "b.pdf").pdf
    assert plain and with_logo
    assert _pdf_images(plain) == []
    images = _pdf_images(with_logo)
    assert len(images) == 1 and images[0].split()[3:5] == ["60", "80"]


def test_a_logo_that_does_not_decode_does_not_stop_the_report(
    syn_db: Database, tmp_path: Path
) -> None:
    # Passes the type check (PNG signature) but is no image: the report prints without it.
    store_region(syn_db, replace(CONTOH, logo=b"\x89PNG\r\n\x1a\n" + b"\0" * 50))
    res = export_report(syn_db, 2022, opd="OPD-001", pdf=tmp_path / "c.pdf")
    assert res.pdf and _pdf_images(res.pdf) == []
    assert "PEMERINTAH KOTA CONTOH" in pdf_text(res.pdf)
