"""Import and the Terima Berkas check refuse a file whose visible cells were changed."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.formats.canonical_json import content_hash, verification_code
from app.formats.submission import CONTENT_PART, read_package
from app.models.schema import ImportLog
from app.services import importer, intake
from app.services.importer import ACCEPTED, REFUSED
from tests.formats.package_edits import MATRIKS, edited, parts_of, set_cell, with_number
from tests.services.submission_helpers import Pair, dump_bytes, make_pair, submit


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


def _cell(path: Path, ref: str) -> str:
    m = re.search(
        rf'<c r="{ref}"[^>]*><v>(\d+)</v>', parts_of(path)["xl/worksheets/sheet1.xml"].decode()
    )
    assert m, ref
    return m.group(1)


def test_a_changed_cell_after_a_genuine_import_is_refused_not_same(
    pair: Pair, tmp_path: Path
) -> None:
    """The case found: the genuine file imported, then the same file with 10 → 9,999,999."""
    genuine = submit(pair, tmp_path / "kiriman.xlsx")
    assert importer.import_file(pair.pokja, genuine, accept_new_key=True).outcome == ACCEPTED
    was = _cell(genuine, "F11")
    forged = with_number(genuine, tmp_path / "kiriman-ubah.xlsx", "F11", 9_999_999)
    before = dump_bytes(pair.pokja)
    out = importer.import_file(pair.pokja, forged, accept_new_key=True)
    assert out.outcome == REFUSED
    shown = f"{int(was):,}".replace(",", ".")  # Indonesian thousands
    assert f"Matriks!F11 (tertanda {shown}, di berkas 9.999.999)" in out.reason
    assert dump_bytes(pair.pokja) == before
    with pair.pokja.begin() as s:
        log = s.scalars(select(ImportLog).order_by(ImportLog.id.desc())).first()
        assert log is not None and log.outcome == REFUSED and "Matriks!F11" in log.reason


def test_the_terima_berkas_check_names_the_cells(pair: Pair, tmp_path: Path) -> None:
    genuine = submit(pair, tmp_path / "kiriman.xlsx")
    forged = with_number(genuine, tmp_path / "kiriman-ubah.xlsx", "G11", 0)
    check = intake.check_file(pair.pokja, forged)
    assert not check.readable
    assert check.error is not None
    assert check.error.startswith("Sel yang terlihat berbeda dari isi bertanda tangan: Matriks!G11")
    assert "\n" not in check.error


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not installed")
def test_the_pdf_still_prints_the_code_of_the_signed_content(pair: Pair, tmp_path: Path) -> None:
    """Signing the sheets does not change the content, so the printed code stays its hash."""
    xlsx = submit(pair, tmp_path / "kiriman.xlsx", pdf=tmp_path / "kiriman.pdf")
    code = verification_code(content_hash(parts_of(xlsx)[CONTENT_PART]))
    assert code == verification_code(read_package(xlsx).content_hash)
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(tmp_path / "kiriman.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert code in text


def _notice(path: Path) -> tuple[str, str, str | None]:
    """The reference, text and font colour of the "send as is" line of the first sheet."""
    from openpyxl import load_workbook

    ws = load_workbook(path).worksheets[0]
    for row in ws.iter_rows(max_row=15):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("Kirim berkas ini"):
                return cell.coordinate, cell.value, cell.font.color.rgb
    raise AssertionError("no notice on the first sheet")


def test_the_first_sheet_says_in_red_to_send_it_as_is(pair: Pair, tmp_path: Path) -> None:
    xlsx = submit(pair, tmp_path / "kiriman.xlsx")
    ref, text, colour = _notice(xlsx)
    code = verification_code(read_package(xlsx).content_hash)
    assert text == f"Kirim berkas ini apa adanya, jangan diubah. Kode verifikasi: {code}"
    assert colour is not None and colour.endswith("C00000")
    # In the spare row under the letterhead, right above the section title: nothing moved.
    from openpyxl import load_workbook

    below = load_workbook(xlsx).worksheets[0].cell(int(ref[1:]) + 1, 1).value
    assert str(below).startswith("Matriks Rencana Aksi")


def test_a_changed_notice_is_refused_like_any_visible_cell(pair: Pair, tmp_path: Path) -> None:
    genuine = submit(pair, tmp_path / "kiriman.xlsx")
    ref, _text, _colour = _notice(genuine)
    forged = edited(
        genuine,
        tmp_path / "kiriman-ubah.xlsx",
        MATRIKS,
        lambda x: set_cell(x, ref, f'<c r="{ref}" t="inlineStr"><is><t>Boleh diubah</t></is></c>'),
    )
    out = importer.import_file(pair.pokja, forged, accept_new_key=True)
    assert out.outcome == REFUSED
    assert f"Matriks!{ref}" in out.reason
