"""Finding TrueType fonts at run time, and the plain-text cell wrapper of the PDF."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.reports.fonts import REGULAR, FontError, find_fonts, register_fonts
from app.reports.pdf_kit import wrap_lines


def test_fonts_are_found_in_a_given_folder_and_one_level_below(tmp_path: Path) -> None:
    info = register_fonts()
    sub = tmp_path / "fonts" / "dejavu"
    sub.mkdir(parents=True)
    shutil.copy(info.regular, sub / info.regular.name)
    shutil.copy(info.bold, sub / info.bold.name)
    found = find_fonts([tmp_path / "fonts"])
    assert found.regular.parent == sub and found.family == info.family


def test_missing_fonts_say_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(FontError, match="fonts-dejavu-core"):
        find_fonts([tmp_path])


@pytest.mark.parametrize("width", [20.0, 60.0, 150.0])
def test_wrapped_lines_never_exceed_the_cell(width: float) -> None:
    register_fonts()
    text = (
        "Jumlah peserta perempuan dan laki-laki yang mengikuti pelatihan "
        "https://contoh.lumajangkab.go.id/sangat-panjang-tanpa-spasi-sama-sekali\n"
        "baris kedua"
    )
    out = wrap_lines(text, width)
    for line in out.split("\n"):
        assert stringWidth(line, REGULAR, 7) <= width + 0.01, line
    assert "".join(out.split()) == "".join(text.split())
