"""One text policy: a limit per kind of field and one set of refused characters."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.text_policy import (
    FREE_TEXT_MAX,
    TextError,
    check_text,
    clean_text,
    forbidden_character,
    visible,
)


@pytest.mark.parametrize(
    ("char", "words"),
    [
        ("\x00", "karakter kendali U+0000"),
        ("\x1b", "karakter kendali U+001B"),
        ("\x0b", "karakter kendali U+000B"),
        ("\x7f", "karakter kendali U+007F"),
        ("\x85", "karakter kendali U+0085"),
        ("\x9f", "karakter kendali U+009F"),
        ("\u202a", "karakter pengarah teks U+202A"),
        ("\u202e", "karakter pengarah teks U+202E"),
        ("\u2066", "karakter pengarah teks U+2066"),
        ("\u2069", "karakter pengarah teks U+2069"),
        ("\ud800", "U+D800"),
        ("\udfff", "U+DFFF"),
        ("\ufffe", "U+FFFE"),
        ("\uffff", "U+FFFF"),
    ],
)
def test_forbidden_characters_are_named_with_their_code(char: str, words: str) -> None:
    with pytest.raises(TextError, match=re.escape(words + " tidak diizinkan")) as err:
        check_text(f"SK{char}Bupati", FREE_TEXT_MAX)
    assert "karakter ke-3" in str(err.value)
    assert char not in str(err.value)


@pytest.mark.parametrize(
    "text", ["tab\there", "dua\nbaris", "cr\rlf", "Ñoño – “kutip” 😀 \u00a0", "ك", "\u200b"]
)
def test_ordinary_text_tabs_and_line_ends_pass(text: str) -> None:
    assert check_text(text, FREE_TEXT_MAX) == text


def test_length_limit_is_exact() -> None:
    assert check_text("x" * FREE_TEXT_MAX, FREE_TEXT_MAX)
    with pytest.raises(
        TextError, match=f"terlalu panjang \\(4001 huruf; maksimal {FREE_TEXT_MAX}\\)"
    ):
        check_text("x" * (FREE_TEXT_MAX + 1), FREE_TEXT_MAX)


def test_clean_text_normalises_line_ends_and_outer_spaces_as_the_form_does() -> None:
    assert clean_text("  a\r\nb\rc\n  ", 10) == "a\nb\nc"
    assert clean_text(None, 10) == ""
    with pytest.raises(TextError):
        clean_text("a\x00b", 10)


def test_visible_shows_what_a_message_must_not_carry_raw() -> None:
    assert visible("a\x00b\u202ec") == "a<U+0000>b<U+202E>c"


@given(st.text())
def test_policy_and_visible_agree(text: str) -> None:
    bad = forbidden_character(text)
    assert (bad is None) == (visible(text) == text)
    assert forbidden_character(visible(text)) is None
