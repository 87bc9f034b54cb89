"""The PDF read back with real readers: pdftotext, pdfinfo, pdffonts, qpdf."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.domain.nip import format_nip
from tests.reports.conftest import INJECTIONS, LONG_END, SIGNER, Rendered, need, run


def _squash(text: str) -> str:
    """Text without whitespace: wrapping in cells splits lines anywhere between words."""
    return re.sub(r"\s+", "", text)


def _text(pdf: Path) -> str:
    need("pdftotext")
    # -raw keeps the drawing order, and every cell is drawn in one piece.
    res = run("pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-")
    assert res.returncode == 0, res.stderr
    return res.stdout


def _info(pdf: Path) -> dict[str, str]:
    need("pdfinfo")
    res = run("pdfinfo", str(pdf))
    assert res.returncode == 0, res.stderr
    return {
        k.strip(): v.strip() for k, _, v in (ln.partition(":") for ln in res.stdout.splitlines())
    }


def test_every_indicator_of_the_opd_is_printed(rendered: Rendered) -> None:
    text = _squash(_text(rendered.opd_pdf))
    missing = [i for i in rendered.indicators if _squash(i)[:80] not in text]
    assert not missing, missing[:5]


def test_signature_block_and_letterhead(rendered: Rendered) -> None:
    text = _text(rendered.opd_pdf)
    flat = " ".join(text.split())
    assert "PEMERINTAH KABUPATEN LUMAJANG" in flat
    assert "DINAS SOSIAL, PEMBERDAYAAN PEREMPUAN DAN PERLINDUNGAN ANAK" in flat
    assert "Lumajang, 16 Januari 2023" in flat
    assert SIGNER.name in flat
    assert f"NIP. {format_nip(SIGNER.nip)}" in flat
    assert "Kepala Dinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anak" in flat
    assert "Tahun Pelaporan 2023" in flat


def test_pages_are_numbered_x_of_y(rendered: Rendered) -> None:
    pages = int(_info(rendered.opd_pdf)["Pages"])
    text = _text(rendered.opd_pdf)
    assert pages > 3
    assert f"Halaman 1 dari {pages}" in text
    assert f"Halaman {pages} dari {pages}" in text


def test_the_header_row_repeats_on_matrix_pages(rendered: Rendered) -> None:
    text = _text(rendered.opd_pdf)
    pages = text.split("\f")
    with_header = [p for p in pages if "BuktiDukung/Keterangan" in _squash(p)]
    assert len(with_header) >= 3  # the matrix runs over several pages, each with its header


def test_user_text_long_cells_and_ticks_survive(rendered: Rendered) -> None:
    text = _text(rendered.opd_pdf)
    flat = _squash(text)
    for s in INJECTIONS:
        assert _squash(s) in flat, s
    assert "√" in text  # Tabel 5.1-5.3 answers
    assert "=SUM(A1:A2)" in text
    assert LONG_END in text  # a 3,700-character note split over pages, not clipped


def test_pdf_is_valid_with_embedded_fonts_and_properties(rendered: Rendered) -> None:
    need("qpdf", "pdffonts")
    for pdf in (rendered.opd_pdf, rendered.kab_pdf):
        check = run("qpdf", "--check", str(pdf))
        assert check.returncode == 0, check.stdout + check.stderr
        fonts = run("pdffonts", str(pdf)).stdout.splitlines()[2:]
        assert fonts, "no fonts listed"
        for line in fonts:
            cols = line.split()
            assert "TrueType" in line and cols[-5] == "yes", line  # emb column
    info = _info(rendered.opd_pdf)
    assert "Laporan Monitoring dan Evaluasi RAD PUG" in info["Title"]
    assert info["Creator"].startswith("Monev RAD PUG")
    assert "2023" in info["Subject"]
    assert info["Author"]


def test_paper_sizes(rendered: Rendered) -> None:
    a4 = _info(rendered.opd_pdf)["Page size"]
    f4 = _info(rendered.kab_pdf)["Page size"]
    assert a4.startswith(("841.89 x 595.27", "841.89 x 595.276"))  # A4 landscape
    assert f4.startswith(("935.43 x 609.45", "935.433 x 609.449"))  # 330 x 215 mm landscape


def test_regency_report_covers_every_opd(rendered: Rendered) -> None:
    from app.services import catalog
    from app.services.database import open_seeded

    db = open_seeded(rendered.db_path)
    with db.begin() as s:
        summary = catalog.summary(s, catalog.get_plan(s), 2023)
    db.dispose()
    text = _text(rendered.kab_pdf)
    flat = " ".join(text.split())
    assert "LAPORAN KONSOLIDASI" in flat
    assert "Kelengkapan Pengisian per Perangkat Daerah" in flat
    assert "Klasifikasi ARG per Perangkat Daerah" in flat
    squashed = _squash(text)
    for o in summary["opds"]:
        assert _squash(o["name"]) in squashed, o["name"]
    assert "Ketua Pokja PUG Kabupaten Lumajang" in flat


@pytest.mark.parametrize("paper", ["a4", "f4"])
def test_a_cell_longer_than_a_page_is_split_not_lost(tmp_path: Path, paper: str) -> None:
    """One row whose remark alone is taller than a page still prints in full."""
    from dataclasses import replace

    from app.reports.radpug_pdf import build_pdf
    from app.services import catalog
    from app.services.database import open_seeded
    from app.services.report_data import build_report
    from tests.reports.conftest import OPD

    db = open_seeded(tmp_path / "m.sqlite")
    with db.begin() as s:
        data = build_report(s, 2023, catalog.find_opd(s, OPD))
    db.dispose()
    words = " ".join(f"kata{i:04d}" for i in range(2500))
    rows = [replace(data.rows[0], note=words), *data.rows[1:3]]
    out = tmp_path / "long.pdf"
    pages = build_pdf(replace(data, rows=rows), out, paper)
    text = _text(out)
    assert pages >= 3
    for i in (0, 1234, 2499):
        assert f"kata{i:04d}" in text
