from decimal import Decimal

import pytest

from app.domain.plausibility import Units, fractional_count, warnings
from app.domain.realisation import FormError, parse_realisation
from app.resources import units

UNITS = Units.from_json({"counted": ["orang", "desa", "jenis"], "per_time": ["bulan", "jam"]})


@pytest.mark.parametrize(
    ("unit", "counted"),
    [
        ("orang", True),
        ("Orang", True),
        (" orang ", True),
        ("desa lokus stunting", True),  # its first word is counted
        ("jenis produk", True),
        ("orang bulan", False),  # a span of time: 1,5 person-months is possible
        ("orang jam", False),
        ("%", False),
        ("persen", False),
        ("km", False),
        ("", False),
        (None, False),
    ],
)
def test_which_units_are_counted(unit: str | None, counted: bool) -> None:
    assert UNITS.is_counted(unit) is counted


def test_the_shipped_list_covers_the_matrix_commonest_units() -> None:
    shipped = units()
    for unit in ("orang", "kegiatan", "dokumen", "kali", "unit", "pertemuan", "paket"):
        assert shipped.is_counted(unit), unit
    for unit in ("persen", "%", "IKM", "km", "m3", "ton", "orang bulan"):
        assert not shipped.is_counted(unit), unit


def test_a_fractional_count_names_the_field_and_the_unit() -> None:
    text = fractional_count([("Perempuan", Decimal("12.5"))], "orang")
    assert text is not None and "Perempuan: 12,5 orang" in text and "bilangan bulat" in text
    assert fractional_count([("Total", Decimal(12)), ("L", None)], "orang") is None


@pytest.mark.parametrize("typed", ["12,5", "2.5%", "0,5"])
def test_the_form_refuses_fractions_of_people(typed: str) -> None:
    with pytest.raises(FormError) as err:
        parse_realisation({"male": typed}, counted_unit="orang")
    assert err.value.field == "male"
    assert "dihitung utuh" in str(err.value)
    # The same text in a measured unit is a figure like any other.
    assert parse_realisation({"male": typed}).breakdown.male is not None


def test_warnings_for_unlikely_but_possible_figures() -> None:
    assert warnings(Decimal(150), Decimal(100), Decimal(90)) == []
    over = warnings(Decimal("1333359"), None, None)
    assert len(over) == 1 and "melebihi 200 %" in over[0]
    spent = warnings(None, Decimal(1_000_000), Decimal(1_110_000))
    assert len(spent) == 1 and "melebihi pagu" in spent[0] and "111" in spent[0]
    assert warnings(None, Decimal(0), Decimal(5)) and warnings(Decimal(201), None, None)
