from decimal import Decimal

import pytest

from app.domain.numbers import NumberError
from app.domain.realisation import FormError, parse_realisation
from app.domain.rupiah import parse_rupiah


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.500.000", 1_500_000),
        ("Rp1.500.000,-", 1_500_000),
        ("Rp. 1.500.000,00", 1_500_000),
        ("IDR 2.000", 2_000),
        ("Rp 45 jt", 45_000_000),
        ("45 juta", 45_000_000),
        ("45juta", 45_000_000),
        ("1,5 M", 1_500_000_000),
        ("1,5 miliar", 1_500_000_000),
        ("2 milyar", 2_000_000_000),
        ("750 rb", 750_000),
        ("12 ribu", 12_000),
        ("1,25 T", 1_250_000_000_000),
        ("Rp 2,5 Juta,-", 2_500_000),
        ("1.200 jt", 1_200_000_000),  # a dot before three digits groups thousands
    ],
)
def test_typed_amounts(text: str, expected: int) -> None:
    assert parse_rupiah(text) == Decimal(expected)


@pytest.mark.parametrize("text", [None, "", "  ", "-", "Rp", "Rp ,-"])
def test_empty(text: str | None) -> None:
    assert parse_rupiah(text) is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("1,5", "tanpa sen"),  # one and a half Rupiah
        ("1,0000005 jt", "tanpa sen"),
        ("empat puluh juta", "bukan angka Rupiah"),
        ("45 kg", "bukan angka Rupiah"),
        ("Rp -5.000", "negatif"),
        ("999.999 T", "terlalu besar"),
    ],
)
def test_refused_with_a_reason(text: str, says: str) -> None:
    with pytest.raises(NumberError, match=says):
        parse_rupiah(text)


def test_the_form_reads_budgets_as_typed() -> None:
    v = parse_realisation({"budget": "Rp 45 jt", "spending": "Rp1.500.000,-"})
    assert (v.budget, v.spending) == (Decimal(45_000_000), Decimal(1_500_000))
    # Shown back in full, so the clerk sees what was understood.
    assert v.texts()["budget"] == "45.000.000"
    with pytest.raises(FormError) as err:
        parse_realisation({"spending": "45 kg"})
    assert err.value.field == "spending"
