"""The signature of a submission covers what a person reads: every part, every visible cell.

Each tampered file below is re-zipped with valid CRCs (the zip itself is sound), so only
the signed manifest can tell that the sheets were changed after signing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.formats.canonical_json import SubmissionError
from app.formats.container import signature_part
from app.formats.sheet_cells import read_sheets
from app.formats.submission import (
    CELLS_PART,
    CONTENT_PART,
    MANIFEST_PART,
    OLD_SIGNATURE,
    SIGNATURE_PART,
    read_package,
)
from tests.formats.package_edits import MATRIKS as SHEET
from tests.formats.package_edits import edited, parts_of, rezip, set_cell
from tests.services.submission_helpers import Pair, make_pair, submit


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Pair, Path]]:
    tmp = tmp_path_factory.mktemp("signed")
    pair = make_pair(tmp)
    yield pair, submit(pair, tmp / "kiriman.xlsx")
    pair.dispose()


@pytest.fixture
def signed_file(signed: tuple[Pair, Path]) -> Path:
    return signed[1]


def refusal(path: Path) -> str:
    with pytest.raises(SubmissionError) as info:
        read_package(path)
    return str(info.value)


def test_a_valid_signed_file_verifies_and_lists_its_cells(signed_file: Path) -> None:
    s = read_package(signed_file)
    assert s.opd_code == "OPD-001"
    parts = parts_of(signed_file)
    assert {CONTENT_PART, CELLS_PART, MANIFEST_PART, SIGNATURE_PART} <= set(parts)
    _, sheets = read_sheets(parts.get)
    assert [x.name for x in sheets][:2] == ["Matriks", "Instrumen ARG"]
    assert sheets[0].cells["A1"] == "sPEMERINTAH KABUPATEN LUMAJANG"


def test_a_number_changed_in_a_visible_cell_is_named(signed_file: Path, tmp_path: Path) -> None:
    before = read_sheets(parts_of(signed_file).get)[1][0].cells["F11"]
    bad = edited(
        signed_file,
        tmp_path / "angka.xlsx",
        SHEET,
        lambda x: set_cell(x, "F11", '<c r="F11" s="11" t="n"><v>9999999</v></c>'),
    )
    reason = refusal(bad)
    shown = f"{int(before[1:]):,}".replace(",", ".")
    assert reason.startswith("Sel yang terlihat berbeda dari isi bertanda tangan: ")
    assert f"Matriks!F11 (tertanda {shown}, di berkas 9.999.999)" in reason
    assert "diubah setelah ditandatangani" in reason
    assert "\n" not in reason


def test_a_text_cell_changed_is_named(signed_file: Path, tmp_path: Path) -> None:
    bad = edited(
        signed_file,
        tmp_path / "teks.xlsx",
        SHEET,
        lambda x: set_cell(x, "D11", '<c r="D11" s="10" t="inlineStr"><is><t>ton</t></is></c>'),
    )
    assert "Matriks!D11 (tertanda “kegiatan”, di berkas “ton”)" in refusal(bad)


def test_a_cell_turned_into_a_shared_string_is_named(signed_file: Path, tmp_path: Path) -> None:
    """A shared-strings part is added and a cell points at it: both are reported."""
    parts = parts_of(signed_file)
    parts[SHEET] = set_cell(parts[SHEET], "D11", '<c r="D11" s="10" t="s"><v>0</v></c>')
    parts["xl/sharedStrings.xml"] = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        b'uniqueCount="1"><si><t>orang</t></si></sst>'
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml" Id="rId99"/></Relationships>',
    )
    reason = refusal(rezip(parts, tmp_path / "bersama.xlsx"))
    assert "Matriks!D11 (tertanda “kegiatan”, di berkas “orang”)" in reason
    assert "bagian yang tidak ditandatangani: xl/sharedStrings.xml" in reason


def test_a_number_turned_into_text_of_the_same_digits_is_named(
    signed_file: Path, tmp_path: Path
) -> None:
    bad = edited(
        signed_file,
        tmp_path / "jenis.xlsx",
        SHEET,
        lambda x: set_cell(x, "A11", '<c r="A11" s="9" t="inlineStr"><is><t>1</t></is></c>'),
    )
    assert "Matriks!A11 (tertanda 1, di berkas “1”)" in refusal(bad)


def test_a_cell_added_and_a_cell_emptied_are_named(signed_file: Path, tmp_path: Path) -> None:
    def edit(xml: bytes) -> bytes:
        xml = set_cell(xml, "A11", '<c r="A11" s="9"/>')
        return xml.replace(b"</row>", b'<c r="Q1" t="n"><v>5</v></c></row>', 1)

    reason = refusal(edited(signed_file, tmp_path / "tambah.xlsx", SHEET, edit))
    assert "Matriks!Q1 (tertanda kosong, di berkas 5)" in reason
    assert "Matriks!A11 (tertanda 1, di berkas kosong)" in reason
    # In sheet order: row 1 before row 11.
    assert reason.index("Matriks!Q1") < reason.index("Matriks!A11")


def test_many_differences_are_capped_and_counted(signed_file: Path, tmp_path: Path) -> None:
    def edit(xml: bytes) -> bytes:
        return re.sub(rb"<v>(\d+)</v>", rb"<v>\g<1>0</v>", xml)

    reason = refusal(edited(signed_file, tmp_path / "banyak.xlsx", SHEET, edit))
    assert reason.count("(tertanda ") == 20
    assert re.search(r"; dan \d+ perbedaan lain\.", reason)


def test_a_sheet_part_replaced_by_another_is_named(signed_file: Path, tmp_path: Path) -> None:
    parts = parts_of(signed_file)
    parts[SHEET] = parts["xl/worksheets/sheet3.xml"]
    reason = refusal(rezip(parts, tmp_path / "ganti.xlsx"))
    assert "Sel yang terlihat berbeda" in reason and "Matriks!" in reason


def test_a_renamed_sheet_is_named(signed_file: Path, tmp_path: Path) -> None:
    bad = edited(
        signed_file,
        tmp_path / "nama.xlsx",
        "xl/workbook.xml",
        lambda x: x.replace(b'name="Ringkasan"', b'name="Ringkasan Palsu"'),
    )
    assert "lembar “Ringkasan” berganti nama menjadi “Ringkasan Palsu”" in refusal(bad)


def test_a_style_change_names_the_part(signed_file: Path, tmp_path: Path) -> None:
    """No cell value changed, but how the cells print did: the part is named."""
    bad = edited(
        signed_file,
        tmp_path / "gaya.xlsx",
        "xl/styles.xml",
        lambda x: x.replace(b"Calibri", b"Arial"),
    )
    reason = refusal(bad)
    assert "Bagian berkas berubah setelah ditandatangani: xl/styles.xml." in reason
    assert "Sel yang terlihat" not in reason


@pytest.mark.parametrize("how", ["added", "removed", "renamed"])
def test_an_added_removed_or_renamed_part_is_named(
    signed_file: Path, tmp_path: Path, how: str
) -> None:
    parts = parts_of(signed_file)
    if how == "added":
        parts["xl/media/image9.png"] = b"\x89PNG palsu"
    elif how == "removed":
        del parts["xl/charts/chart2.xml"]
    else:
        parts["xl/charts/chart9.xml"] = parts.pop("xl/charts/chart2.xml")
    reason = refusal(rezip(parts, tmp_path / f"{how}.xlsx"))
    if how in ("added", "renamed"):
        name = "image9.png" if how == "added" else "chart9.xml"
        assert "Berkas memuat bagian yang tidak ditandatangani: xl/" in reason and name in reason
    if how in ("removed", "renamed"):
        assert "Bagian bertanda tangan hilang dari berkas: xl/charts/chart2.xml" in reason


def test_the_cell_list_changed_to_hide_a_change_is_refused(
    signed_file: Path, tmp_path: Path
) -> None:
    """Editing the cell list along with the sheet does not help: the list is signed too."""
    parts = parts_of(signed_file)
    parts[SHEET] = set_cell(parts[SHEET], "F11", '<c r="F11" s="11" t="n"><v>9999999</v></c>')
    parts[CELLS_PART] = parts[CELLS_PART].replace(b'"F11":"n', b'"F11":"n9999999#', 1)
    reason = refusal(rezip(parts, tmp_path / "daftar.xlsx"))
    assert "customXml/monev-cells.json" in reason and "xl/worksheets/sheet1.xml" in reason


def test_a_changed_content_part_is_a_broken_signature(signed_file: Path, tmp_path: Path) -> None:
    bad = edited(
        signed_file,
        tmp_path / "isi.xlsx",
        CONTENT_PART,
        lambda x: x.replace(b'"revision":1', b'"revision":7'),
    )
    assert "Tanda tangan tidak cocok" in refusal(bad)


def test_a_manifest_stripped_from_a_current_file_is_refused(
    signed_file: Path, tmp_path: Path
) -> None:
    """Downgrade: dropping the manifest does not bring back the content-only check."""
    parts = parts_of(signed_file)
    del parts[MANIFEST_PART], parts[CELLS_PART]
    parts[SHEET] = set_cell(parts[SHEET], "F11", '<c r="F11" s="11" t="n"><v>9999999</v></c>')
    assert "Tanda tangan tidak cocok" in refusal(rezip(parts, tmp_path / "turun.xlsx"))


def test_the_old_content_only_signature_is_refused(
    signed: tuple[Pair, Path], tmp_path: Path
) -> None:
    """The first format signed the content alone: cells could change unseen, so refuse it."""
    pair, path = signed
    parts = parts_of(path)
    del parts[MANIFEST_PART], parts[CELLS_PART]
    parts[SIGNATURE_PART] = signature_part(pair.key, parts[CONTENT_PART])
    old = rezip(parts, tmp_path / "lama.xlsx")
    assert refusal(old) == OLD_SIGNATURE
    assert "mengekspor ulang" in OLD_SIGNATURE
    # ... also when its cells were altered, which that format could not tell.
    altered = edited(
        old,
        tmp_path / "lama-ubah.xlsx",
        SHEET,
        lambda x: set_cell(x, "F11", '<c r="F11" s="11" t="n"><v>9999999</v></c>'),
    )
    assert refusal(altered) == OLD_SIGNATURE


def test_a_signature_made_over_the_content_cannot_pass_as_a_manifest(
    signed: tuple[Pair, Path], tmp_path: Path
) -> None:
    """Content bytes signed under the old format are no manifest (format field differs)."""
    pair, path = signed
    parts = parts_of(path)
    parts[MANIFEST_PART] = parts[CONTENT_PART]
    parts[SIGNATURE_PART] = signature_part(pair.key, parts[CONTENT_PART])
    assert "daftar tanda tangan berkas rusak" in refusal(rezip(parts, tmp_path / "tukar.xlsx"))


def test_an_unsafe_sheet_after_signing_is_refused_without_expanding_it(
    signed_file: Path, tmp_path: Path
) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    bad = edited(signed_file, tmp_path / "dtd.xlsx", SHEET, lambda _x: laughs)
    assert "Bagian berkas berubah setelah ditandatangani: xl/worksheets/sheet1.xml" in refusal(bad)


# ------------------------------------------------------------------ property
_MUTATIONS = ("number", "text", "to_text", "to_number", "empty", "add")


@settings(
    max_examples=50,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_no_visible_cell_mutation_verifies(
    signed_file: Path, tmp_path: Path, data: st.DataObject
) -> None:
    """Any change of a visible cell's value or type, re-zipped soundly, is refused by name."""
    parts = parts_of(signed_file)
    _, sheets = read_sheets(parts.get)
    index = data.draw(st.integers(0, len(sheets) - 1), label="sheet")
    sheet = sheets[index]
    part = sheet.part
    kind = data.draw(st.sampled_from(_MUTATIONS), label="mutation")
    if kind == "add":
        row = data.draw(st.integers(1, 2000), label="row")
        col = data.draw(st.sampled_from(["R", "S", "Z", "AA", "XFD"]), label="column")
        ref = f"{col}{row}"
        value = data.draw(st.integers(-(10**9), 10**9), label="value")
        new_cell = f'<c r="{ref}" t="n"><v>{value}</v></c>'
        xml = parts[part].decode()
        m = re.search(rf'<row r="{row}"[^>]*>', xml)
        if m is None:
            new_row = f'<row r="{row}">{new_cell}</row>'
            # Rows must stay in order: insert before the first later row, else at the end.
            later = next(
                (x for x in re.finditer(r'<row r="(\d+)"', xml) if int(x.group(1)) > row), None
            )
            at = later.start() if later else xml.index("</sheetData>")
            xml = xml[:at] + new_row + xml[at:]
        else:
            end = xml.index("</row>", m.end())
            xml = xml[:end] + new_cell + xml[end:]
        parts[part] = xml.encode()
    else:
        ref = data.draw(st.sampled_from(sorted(sheet.cells)), label="cell")
        old = sheet.cells[ref]
        if kind == "number":
            value = str(data.draw(st.integers(-(10**12), 10**12), label="value"))
            cell = f'<c r="{ref}" t="n"><v>{value}</v></c>'
        elif kind == "text":
            value = data.draw(
                st.text(st.characters(min_codepoint=0x20, max_codepoint=0xD7FF), min_size=1),
                label="text",
            )
            cell = f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
        elif kind == "to_text":
            cell = f'<c r="{ref}" t="inlineStr"><is><t>{escape(old[1:])}</t></is></c>'
        elif kind == "to_number":
            cell = f'<c r="{ref}" t="n"><v>{len(old)}</v></c>'
        else:
            cell = f'<c r="{ref}"/>'
        parts[part] = set_cell(parts[part], ref, cell)
    assume(parts[part] != parts_of(signed_file)[part])  # a no-op edit is no mutation
    out = rezip(parts, tmp_path / "mutasi.xlsx")
    new_cells = read_sheets(parts_of(out).get)[1][index].cells
    with pytest.raises(SubmissionError) as info:
        read_package(out)
    if new_cells.get(ref) != sheet.cells.get(ref):
        assert f"{sheet.name}!{ref} (tertanda" in str(info.value)
