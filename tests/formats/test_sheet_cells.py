"""Reading the cells a person sees straight from the XML parts of an xlsx package."""

from __future__ import annotations

import pytest

from app.formats.sheet_cells import (
    MAX_SHEETS,
    Sheet,
    SheetReadError,
    differences,
    indonesian_number,
    one_line,
    read_sheets,
    shown,
)

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _package(sheet: str, strings: str | None = None) -> dict[str, bytes]:
    rels = (
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{REL}/chartsheet" Target="/xl/chartsheets/c1.xml"/>'
        f'<Relationship Id="rId3" Type="{REL}/sharedStrings" Target="/xl/sharedStrings.xml"/>'
        "</Relationships>"
    )
    parts = {
        "xl/workbook.xml": f'<workbook {NS} {R}><sheets><sheet name="Data" sheetId="1" '
        f'r:id="rId1"/><sheet name="Grafik" sheetId="2" r:id="rId2"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": rels,
        "xl/worksheets/sheet1.xml": f"<worksheet {NS}><sheetData>{sheet}</sheetData></worksheet>",
    }
    if strings is not None:
        parts["xl/sharedStrings.xml"] = f"<sst {NS}>{strings}</sst>"
    return {k: v.encode() for k, v in parts.items()}


def test_every_kind_of_cell_is_read_as_typed_text() -> None:
    strings = (
        "<si><t>biasa</t></si>"
        "<si><r><t>te</t></r><r><t>bal</t></r><rPh><t>FONETIK</t></rPh></si>"
        "<si><t></t></si>"
    )
    sheet = (
        '<row r="2">'
        '<c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="C2" t="s"><v>2</v></c>'
        '<c r="D2" t="s"><v>9</v></c><c r="E2" t="inlineStr"><is><t>sebaris</t></is></c>'
        '<c r="F2"><v>12.5</v></c><c r="G2" t="b"><v>1</v></c><c r="H2" t="e"><v>#N/A</v></c>'
        '<c r="I2"><f>SUM(F2:F3)</f><v>12.5</v></c><c r="J2" s="3"/>'
        "</row>"
        "<row><c><v>7</v></c><c><v>8</v></c></row>"  # positions implied: row 3, A and B
    )
    lay, sheets = read_sheets(_package(sheet, strings).get)
    assert [n for n, _ in lay.sheets] == ["Data"]  # the chart sheet has no cells
    assert lay.shared_strings == "xl/sharedStrings.xml"
    assert sheets[0].cells == {
        "A2": "sbiasa",
        "B2": "stebal",
        "D2": "e(rujukan teks rusak)",
        "E2": "ssebaris",
        "F2": "n12.5",
        "G2": "b1",
        "H2": "e#N/A",
        "I2": "=SUM(F2:F3)",
        "A3": "n7",
        "B3": "n8",
    }


def test_a_dtd_in_a_sheet_is_refused_not_expanded() -> None:
    parts = _package("")
    parts["xl/worksheets/sheet1.xml"] = (
        b'<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet ' + NS.encode() + b"><sheetData>"
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&a;</t></is></c></row></sheetData></worksheet>'
    )
    with pytest.raises(SheetReadError):
        read_sheets(parts.get)


def test_a_missing_sheet_part_is_unreadable() -> None:
    parts = _package("")
    del parts["xl/worksheets/sheet1.xml"]
    with pytest.raises(SheetReadError):
        read_sheets(parts.get)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("9999999", "9.999.999"),
        ("-1234.5", "-1.234,5"),
        ("10", "10"),
        ("0.25", "0,25"),
        ("1E+308", "1E+308"),
        ("abc", "abc"),
    ],
)
def test_numbers_read_the_indonesian_way(text: str, expected: str) -> None:
    assert indonesian_number(text) == expected


def test_shown_values_stay_on_one_line() -> None:
    assert shown(None) == "kosong"
    assert shown("sbaris\nbaru\u202e") == "“baris\\nbaru\\u202e”"  # the one escaping rule
    assert shown("=A1") == "rumus =A1"
    assert shown("b0") == "SALAH"
    assert len(one_line("x" * 500)) == 40


def test_differences_name_renamed_added_and_missing_sheets() -> None:
    signed = [Sheet("A", "", {"A1": "n1"}), Sheet("B", "", {})]
    actual = [Sheet("A2", "", {"A1": "n1", "B1": "sx"}), Sheet("B", "", {}), Sheet("C", "", {})]
    assert differences(signed, actual) == [
        "lembar “A” berganti nama menjadi “A2”",
        "A!B1 (tertanda kosong, di berkas “x”)",
        "lembar tambahan “C”",
    ]
    assert differences(actual[:1], []) == ["lembar “A2” hilang"]


def test_a_hostile_layout_is_not_parsed_over_and_over() -> None:
    """One large part listed under many sheet names stops at the XML budget or sheet cap."""
    parts = _package('<row r="1"><c r="A1"><v>1</v></c></row>' * 50)
    size = len(parts["xl/worksheets/sheet1.xml"])
    sheets = "".join(f'<sheet name="S{i}" sheetId="{i}" r:id="rId1"/>' for i in range(3))
    parts["xl/workbook.xml"] = f"<workbook {NS} {R}><sheets>{sheets}</sheets></workbook>".encode()
    assert len(read_sheets(parts.get, budget=3 * size)[1]) == 3
    with pytest.raises(SheetReadError):
        read_sheets(parts.get, budget=3 * size - 1)
    many = "".join(f'<sheet name="S{i}" sheetId="{i}" r:id="rId1"/>' for i in range(MAX_SHEETS + 1))
    parts["xl/workbook.xml"] = f"<workbook {NS} {R}><sheets>{many}</sheets></workbook>".encode()
    with pytest.raises(SheetReadError):
        read_sheets(parts.get)
