from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.breakdown import Breakdown, BreakdownError


def test_parts_must_add_up_to_total() -> None:
    assert Breakdown.from_texts("30", "20", "9", "1").total == Decimal(30)
    with pytest.raises(BreakdownError, match="tidak sesuai") as err:
        Breakdown.from_texts("30", "20", "9", "")
    assert err.value.field == "total"


def test_total_computed_from_parts_when_empty() -> None:
    b = Breakdown.from_texts("", "10", "12", "1").completed()
    assert b.total == Decimal(23)


def test_negative_and_letters_name_the_field() -> None:
    with pytest.raises(BreakdownError) as err:
        Breakdown.from_texts("10", "-1", "", "")
    assert err.value.field == "male"
    with pytest.raises(BreakdownError, match="Perempuan") as err:
        Breakdown.from_texts("10", "", "sepuluh", "")
    assert err.value.field == "female"


@given(st.tuples(*[st.none() | st.decimals(0, 10**6, places=2) for _ in range(4)]))
def test_json_round_trip(values: tuple[Decimal | None, ...]) -> None:
    b = Breakdown(*values)
    assert Breakdown.from_json(b.to_json()) == b
