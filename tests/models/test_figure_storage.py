"""The rule for figures (``numbers.check_figure``) is what SQLite keeps exactly.

SQLAlchemy's Numeric on SQLite goes through a binary float; these tests measure the
columns the app stores figures in, so the rule cannot drift away from the storage.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from app.domain.numbers import LARGEST_FRACTIONAL, LARGEST_WHOLE, NumberError, check_figure
from app.formats.synthetic import synthetic_plan
from app.models.db import Database, open_database
from app.models.schema import PlanRow, Realisation
from app.services.seeding import load_plan_data


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    d = open_database(tmp_path_factory.mktemp("figures") / "f.sqlite")
    load_plan_data(d, synthetic_plan(4, opds=1))
    yield d
    d.dispose()


def stored(db: Database, count: Decimal | None, money: Decimal | None) -> tuple[Decimal, ...]:
    """Write one realisation (count in ``total``, Rupiah in ``budget``) and read it back."""
    with db.begin() as s:
        row_id = s.scalars(select(PlanRow.id)).first()
        s.execute(delete(Realisation))
        s.add(
            Realisation(
                row_id=row_id,
                year=2023,
                semester=0,
                total=count,
                budget=money,
                updated_at=datetime(2026, 12, 1),
            )
        )
    with db.begin() as s:
        r = s.scalars(select(Realisation)).one()
        return r.total, r.budget


def test_the_largest_allowed_figures_come_back_exactly(db: Database) -> None:
    assert stored(db, LARGEST_WHOLE, LARGEST_WHOLE) == (LARGEST_WHOLE, LARGEST_WHOLE)
    assert stored(db, LARGEST_FRACTIONAL, None)[0] == LARGEST_FRACTIONAL


@pytest.mark.sqlite_only  # PostgreSQL keeps them exactly (or refuses them)
@pytest.mark.parametrize(
    ("count", "money"),
    [
        (None, Decimal("999999999999999999")),  # the budget: came back as 10**18
        (None, Decimal("9999999999999999")),  # 16 digits
        (Decimal("99999999999999.9"), None),  # 15 digits, but 14 before the comma
        (Decimal("894120449492.8205"), None),  # 12 before the comma: back as ….8206
    ],
)
def test_figures_beyond_the_rule_are_refused_because_sqlite_changes_them(
    db: Database, count: Decimal | None, money: Decimal | None
) -> None:
    value = count if count is not None else money
    assert value is not None
    with pytest.raises(NumberError):
        check_figure(value, whole=money is not None)
    back = stored(db, count, money)
    assert back[0 if count is not None else 1] != value


figures = st.one_of(
    st.integers(-int(LARGEST_WHOLE), int(LARGEST_WHOLE)).map(Decimal),
    st.integers(-(10**15) + 1, 10**15 - 1).map(lambda n: Decimal(n).scaleb(-4)),
    st.decimals(allow_nan=False, allow_infinity=False, places=4, max_value=10**12),
)


@settings(max_examples=150, deadline=None)
@given(value=figures)
def test_every_figure_the_rule_accepts_comes_back_exactly(db: Database, value: Decimal) -> None:
    try:
        check_figure(value)
    except NumberError:
        return
    assert stored(db, value, None)[0] == value
    if value == value.to_integral_value():
        assert stored(db, None, value)[1] == value
