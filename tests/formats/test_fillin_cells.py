"""Hostile and odd number cells in a fill-in workbook: each is a per-cell error naming it.

Before, ``1E+308`` and ``-1E+308`` crashed the reader (decimal.InvalidOperation while
quoting the value), ``NaN``/``INF`` crashed inside openpyxl, and a budget of 10**18 was
accepted although the database cannot keep it.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from app.domain.numbers import NumberError
from app.formats import fillin_cells
from app.formats.fillin import FillinError, read_workbook
from app.services.fillin_export import export_fillin
from tests.formats.test_fillin import ERROR_LINE
from tests.services.submission_helpers import OPD, YEAR, Pair, make_pair

MARK = "424242"


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    tmp = tmp_path_factory.mktemp("isian")
    pair: Pair = make_pair(tmp, rows=12)
    path = tmp / "isian.xlsx"
    export_fillin(pair.pokja, None, OPD, YEAR, path)
    pair.dispose()
    yield path


def with_raw_cell(blank: Path, out: Path, ref: str, text: str, kind: str = "n") -> Path:
    """The workbook with cell ``ref`` of the data sheet holding ``<v>text</v>`` of type
    ``kind`` exactly as written, as a hand-edited or hostile file would."""
    from openpyxl import load_workbook

    wb = load_workbook(blank)
    wb["Isian"][ref] = int(MARK)
    wb.save(out)
    with zipfile.ZipFile(out) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    done = False
    t = "" if kind == "n" else f' t="{kind}"'
    for name, data in parts.items():
        if name.startswith("xl/worksheets/") and MARK.encode() in data:
            xml = data.decode()
            cell = re.compile(rf'<c r="{ref}"([^>]*?)(?: t="n")?><v>{MARK}</v></c>')
            xml, n = cell.subn(lambda m: f'<c r="{ref}"{m.group(1)}{t}><v>{text}</v></c>', xml)
            done = done or n == 1
            parts[name] = xml.encode()
    assert done, "the marked cell was found and rewritten"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out


@pytest.mark.parametrize(
    ("ref", "text", "kind", "words"),
    [
        ("J5", "1E+308", "n", "terlalu besar untuk disimpan dengan tepat"),
        ("K5", "-1E+308", "n", "terlalu besar untuk disimpan dengan tepat"),
        ("N5", "1E+400", "n", "bukan angka yang sah"),  # a float overflowing to inf
        ("J5", "NaN", "n", "bukan angka yang sah"),
        ("L5", "nan", "n", "bukan angka yang sah"),
        ("M5", "INF", "n", "bukan angka yang sah"),
        ("O5", "-INF", "n", "bukan angka yang sah"),
        ("J5", "9" * 5000, "n", "bukan angka yang sah"),  # beyond Python's int-string limit
        ("J5", "1E-30", "n", "paling banyak 4 angka di belakang koma"),
        ("J5", "0.12345", "n", "paling banyak 4 angka di belakang koma"),
        ("J5", "100000000000.5", "n", "11 angka di depan koma"),
        ("N5", "999999999999999999", "n", "terlalu besar untuk disimpan dengan tepat"),
        ("N5", "1000.5", "n", "tanpa sen"),
        ("J5", "x", "b", "bukan angka"),
    ],
)
def test_odd_number_cells_are_per_cell_errors(
    blank: Path, tmp_path: Path, ref: str, text: str, kind: str, words: str
) -> None:
    bad = with_raw_cell(blank, tmp_path / "aneh.xlsx", ref, text, kind)
    with pytest.raises(FillinError) as err:
        read_workbook(bad)
    (line,) = err.value.errors
    m = ERROR_LINE.match(line)
    assert m is not None, line
    assert (m.group(2), m.group(1)) == (ref[0], ref[1:])
    assert words in line
    assert len(line) < 400


def test_the_largest_allowed_cells_are_read_exactly(blank: Path, tmp_path: Path) -> None:
    ok = with_raw_cell(blank, tmp_path / "besar.xlsx", "N5", "999999999999999")
    ok = with_raw_cell(ok, tmp_path / "besar2.xlsx", "J6", "99999999999.9999")
    wb = read_workbook(ok)
    by_row = {ln.row: ln for ln in wb.lines}
    assert str(by_row[5].budget) == "999999999999999"
    assert str(by_row[6].breakdown.total) == "99999999999.9999"


def test_the_workbook_tells_the_limits_the_importer_applies(blank: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(blank)
    rules = {
        str(dv.sqref).split(":")[0][0]: dv for dv in wb["Isian"].data_validations.dataValidation
    }
    for letter in "JN":  # a count and a Rupiah column
        assert (rules[letter].operator, rules[letter].formula1) == ("between", "0")
        assert rules[letter].formula2 == "999999999999999"
        assert "999.999.999.999.999" in (rules[letter].error or "")
    assert rules["P"].formula1 == "4000"
    cover = " ".join(str(c.value) for row in wb["Petunjuk"].iter_rows() for c in row if c.value)
    assert "99.999.999.999,9999" in cover and "karakter kendali" in cover


def test_money_cells_typed_as_text_read_as_the_form_reads_them() -> None:
    # A clerk types "Rp 45 jt" into the fill-in sheet's Pagu cell: the same reading as
    # the window's form, not a refusal on one path and acceptance on the other.
    assert fillin_cells.money("Rp 45 jt") == Decimal(45_000_000)
    assert fillin_cells.money("Rp1.500.000,-") == Decimal(1_500_000)
    assert fillin_cells.money(2_500_000) == Decimal(2_500_000)
    with pytest.raises(NumberError, match="tanpa sen"):
        fillin_cells.money("1,5")
