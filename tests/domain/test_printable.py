"""File names are printed on one line, as what they are (issue 11, item 10)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.domain.printable import shown_name


def test_ordinary_names_are_unchanged() -> None:
    for name in ("kiriman-OPD-001.xlsx", "Dinas Kesehatan (revisi 2).xlsx", "ÄÖ ñ 漢字.xlsx"):
        assert shown_name(name) == name


def test_a_newline_cannot_start_a_line_that_reads_like_a_verdict() -> None:
    shown = shown_name("a.xlsx\nSAH\tpalsu.xlsx")
    assert "\n" not in shown and "\t" not in shown
    assert shown == "a.xlsx\\nSAH\\tpalsu.xlsx"


def test_escape_sequences_bidi_overrides_and_undecodable_bytes_are_escaped() -> None:
    assert shown_name("x\x1b[2Jy") == "x\\x1b[2Jy"
    assert shown_name("laporan\u202exslx.exe") == "laporan\\u202exslx.exe"
    assert shown_name("a\x7fb\x85c\u2066d\u2028e") == "a\\x7fb\\x85c\\u2066d\\u2028e"
    assert shown_name("nama-\udcff.xlsx") == "nama-\\udcff.xlsx"


@given(st.text())
def test_what_is_shown_prints_on_one_line_and_encodes(text: str) -> None:
    shown = shown_name(text)
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in shown)
    assert len(shown.splitlines()) <= 1
    shown.encode("utf-8")  # no lone surrogate left: it can be printed and stored
    assert not any(0x202A <= ord(ch) <= 0x202E or 0x2066 <= ord(ch) <= 0x2069 for ch in shown)
