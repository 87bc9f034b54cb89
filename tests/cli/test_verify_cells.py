"""`verify` prints, on one line, every visible cell that differs from what was signed."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.__main__ import main
from tests.formats.package_edits import with_number
from tests.services.submission_helpers import make_pair, submit


def test_verify_names_the_changed_cell_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pair = make_pair(tmp_path)
    try:
        genuine = submit(pair, tmp_path / "kiriman.xlsx")
    finally:
        pair.dispose()
    forged = with_number(genuine, tmp_path / "ubah.xlsx", "F11", 9_999_999)
    assert main(["verify", str(genuine), str(forged)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("SAH\tkiriman.xlsx\t")
    assert lines[1].startswith(
        "GAGAL\tubah.xlsx\tSel yang terlihat berbeda dari isi bertanda tangan: Matriks!F11 "
    )
    assert "di berkas 9.999.999)" in lines[1]
