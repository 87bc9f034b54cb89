from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.numbers import (
    LARGEST_FRACTIONAL,
    LARGEST_WHOLE,
    NumberError,
    check_count,
    check_figure,
    check_money,
    format_number,
    format_rupiah,
    parse_number,
)


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


# ------------------------------------------------------------------ the one rule for stored figures
@pytest.mark.parametrize(
    ("value", "whole"),
    [
        ("999999999999999", False),  # 15 digits: the largest whole figure
        ("999999999999999", True),  # and the largest Rupiah
        ("-999999999999999", False),
        ("99999999999.9999", False),  # 11 digits before the comma, 4 after
        ("0.0001", False),
        ("268.08", False),
        ("20.0000", False),  # padding zeros are not decimals
        ("1500000.00", True),
    ],
)
def test_figures_the_database_keeps_exactly_pass(value: str, whole: bool) -> None:
    assert check_figure(Decimal(value), whole=whole) == Decimal(value)


@pytest.mark.parametrize(
    ("value", "whole", "words"),
    [
        ("1000000000000000", False, "terlalu besar"),  # 16 digits
        ("999999999999999999", True, "terlalu besar"),  # the budget of the issue
        ("1E+308", False, "terlalu besar"),
        ("-1E+308", False, "terlalu besar"),
        ("NaN", False, "bukan angka yang sah"),
        ("Infinity", False, "bukan angka yang sah"),
        ("-Infinity", True, "bukan angka yang sah"),
        ("1E-30", False, "4 angka di belakang koma"),
        ("0.00001", False, "4 angka di belakang koma"),
        ("100000000000.5", False, "11 angka di depan koma"),
        ("99999999999999.9", False, "11 angka di depan koma"),
        ("1000.5", True, "tanpa sen"),
    ],
)
def test_figures_beyond_the_rule_are_refused_in_indonesian(
    value: str, whole: bool, words: str
) -> None:
    with pytest.raises(NumberError, match=words):
        check_figure(Decimal(value), whole=whole)


def test_count_and_money_refuse_negatives_and_money_drops_the_decimal_part() -> None:
    with pytest.raises(NumberError, match="negatif"):
        check_count(Decimal(-1))
    with pytest.raises(NumberError, match="negatif"):
        check_money(Decimal(-1))
    assert str(check_money(Decimal("1500000.00"))) == "1500000"
    assert check_count(None) is None and check_money(None) is None


def test_the_limits_are_the_largest_values_of_their_kind() -> None:
    assert Decimal("999999999999999") == LARGEST_WHOLE
    assert Decimal("99999999999.9999") == LARGEST_FRACTIONAL
    for v in (LARGEST_WHOLE + 1, LARGEST_FRACTIONAL + Decimal("0.0002")):
        with pytest.raises(NumberError):
            check_figure(v)
