"""verify, import, keys pin and matrix commands: a bad file is one refused line, never a
traceback, and a file name cannot forge a line (issue 11, items 1 and 10)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.__main__ import main
from app.formats.submission import CONTENT_PART
from tests.formats.hostile import (
    DATA_SHEET_PART,
    Originals,
    build_originals,
    content_of,
    matrix_parts,
    matrix_with,
    mutate_json,
    replace_part,
    set_cell,
    signed_with_content,
    with_flag,
)

STATUS = ("SAH", "GAGAL", "TANPA TTD", "DITERIMA", "DITOLAK", "MENGGANTIKAN", "SAMA", "USANG")


@pytest.fixture
def originals(tmp_path: Path) -> Iterator[Originals]:
    o = build_originals(tmp_path / "asli")
    yield o
    o.pair.dispose()


def batch(o: Originals, folder: Path) -> list[Path]:
    folder.mkdir()
    nan = lambda sheet: set_cell(sheet, "J5", '<c r="{ref}"><v>NaN</v></c>')  # noqa: E731
    huge = mutate_json(content_of(o), ("revision",), "replace", b"9" * 5000)
    return [
        with_flag(o.signed, folder / "enkripsi.xlsx", CONTENT_PART, 0x1),
        signed_with_content(o, huge, folder / "angka-panjang.xlsx"),
        replace_part(o.fillin, folder / "isian-nan.xlsx", DATA_SHEET_PART, nan),
        Path(shutil.copy(o.fillin, folder / "a.xlsx\nSAH\tpalsu.xlsx")),
        Path(shutil.copy(o.signed, folder / "baik.xlsx")),
    ]


def records(out: str) -> list[str]:
    """The lines of the output that begin a file's record (a status word and a tab)."""
    return [line for line in out.splitlines() if line.split("\t", 1)[0] in STATUS]


def test_verify_gives_one_line_per_file_and_a_name_cannot_fake_one(
    originals: Originals, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = batch(originals, tmp_path / "kiriman")
    assert main(["verify", *map(str, files)]) == 1
    out = capsys.readouterr().out
    lines = records(out)
    assert len(lines) == len(files)
    assert [line.split("\t")[0] for line in lines] == ["GAGAL"] * 3 + ["TANPA TTD", "SAH"]
    assert lines[3].split("\t")[1] == "a.xlsx\\nSAH\\tpalsu.xlsx"
    assert [line for line in out.splitlines() if line.startswith("SAH")] == [lines[4]]


def test_import_refuses_each_bad_file_and_imports_the_good_one(
    originals: Originals, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = batch(originals, tmp_path / "kiriman")
    code = main(
        ["import", "--db", str(originals.pair.pokja.path)]
        + ["--accept-key", f"OPD-001={originals.key.key_id}"]
        + [str(f) for f in files]
    )
    assert code == 1
    lines = records(capsys.readouterr().out)
    # The blank fill-in workbook imports as unsigned data; the signed file then replaces it.
    assert [line.split("\t")[0] for line in lines] == ["DITOLAK"] * 3 + [
        "DITERIMA",
        "MENGGANTIKAN",
    ]
    assert lines[3].split("\t")[1] == "a.xlsx\\nSAH\\tpalsu.xlsx"


def test_keys_pin_refuses_a_hostile_file_in_a_sentence(
    originals: Originals, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = with_flag(originals.signed, tmp_path / "x\x1b[2J.xlsx", CONTENT_PART, 0x1)
    assert main(["keys", "pin", "--db", str(originals.pair.pokja.path), str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("x\\x1b[2J.xlsx: ") and "terenkripsi" in err


def test_matrix_commands_refuse_a_hostile_package_in_a_sentence(
    originals: Originals, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest, data = matrix_parts(originals)
    huge = mutate_json(manifest, ("row_count",), "replace", b"9" * 5000)
    bad = matrix_with(originals, tmp_path / "paket.monevmatriks", manifest=huge, data=data)
    encrypted = with_flag(originals.matrix, tmp_path / "enkripsi.monevmatriks", "matriks.json", 1)
    db = str(originals.pair.focal.path)
    for argv in (
        ["matrix", "show", str(bad)],
        ["matrix", "import", "--db", db, "--accept-key", str(bad)],
        ["matrix", "pokja-key", "pin", "--db", db, str(encrypted)],
    ):
        assert main(argv) == 1, argv
        err = capsys.readouterr().err
        assert "bukan paket matriks" in err or "terenkripsi" in err, argv
