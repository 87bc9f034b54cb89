"""The NIP rules: 18 digits, typed with spaces or dots; printed in four groups."""

from __future__ import annotations

import pytest

from app.domain.nip import NipError, format_nip, validate_nip

NIP = "197001011995031001"


def test_nip_is_eighteen_digits() -> None:
    assert validate_nip("19700101 199503 1 001") == NIP
    with pytest.raises(NipError, match="18 digit"):
        validate_nip(NIP[:-1])
    with pytest.raises(NipError, match="angka"):
        validate_nip("1970010119950310O1")
    with pytest.raises(NipError, match="wajib"):
        validate_nip("")


def test_nip_prints_in_four_groups() -> None:
    assert format_nip("197001011990031005") == "19700101 199003 1 005"
    assert format_nip("") == ""
    assert format_nip(" 123 ") == "123"  # not 18 digits: as typed
