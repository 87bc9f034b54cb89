from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.numbers import NumberError, format_number, format_rupiah, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9.500", Decimal(9500)),
        ("1.200", Decimal(1200)),
        ("268,08", Decimal("268.08")),
        ("1.234.567,5", Decimal("1234567.5")),
        ("100%", Decimal(100)),
        ("100 %", Decimal(100)),
        ("Rp 1.234.567", Decimal(1234567)),
        ("Rp 1,368,676,135", Decimal(1368676135)),
        ("12", Decimal(12)),
        ("0,5", Decimal("0.5")),
    ],
)
def test_parses_indonesian_numbers(text: str, expected: Decimal) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", "-", "  ", "–", None])
def test_empty_and_dash_mean_no_value(text: str | None) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize("text", ["abc", "12a", "1.2.3,4,5", "Rp", "1,2,3"])
def test_letters_are_refused_in_indonesian(text: str) -> None:
    with pytest.raises(NumberError, match=r"bukan angka|kosong"):
        parse_number(text)


def test_negative_refused_unless_allowed() -> None:
    with pytest.raises(NumberError, match="negatif"):
        parse_number("-5")
    assert parse_number("-5", allow_negative=True) == Decimal(-5)


def test_formats_the_indonesian_way() -> None:
    assert format_number(Decimal("1234567.5")) == "1.234.567,5"
    assert format_number(Decimal("268.0800")) == "268,08"
    assert format_number(Decimal("20.0000")) == "20"
    assert format_rupiah(1234567) == "Rp 1.234.567"
    assert format_number(None) == ""


@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False))
def test_format_then_parse_round_trips(value: Decimal) -> None:
    assert parse_number(format_number(value)) == value
