"""A submission is never signed when Pokja's reader would refuse it (issue 11, item 7).

A database from before the figure and text rules may still hold a value they refuse (a
note with a NUL, a budget of 10^18 stored through a float). Signing it would send a file
that fails its own verification; the export refuses instead, naming the row, and writes
nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.models.schema import Opd, PlanRow, Realisation
from app.services.submission_export import export_submission
from tests.services.submission_helpers import OPD, YEAR, Pair, make_pair


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


def first_filled_row(pair: Pair) -> tuple[int, str]:
    with pair.focal.begin() as s:
        rid, key = s.execute(
            select(PlanRow.id, PlanRow.key)
            .join(Opd, Opd.id == PlanRow.opd_id)
            .join(Realisation, Realisation.row_id == PlanRow.id)
            .where(Opd.code == OPD, Realisation.year == YEAR)
            .order_by(PlanRow.id)
            .limit(1)
        ).one()
    return rid, key


@pytest.mark.parametrize(
    ("column", "value", "said"),
    [
        # A server refuses NUL in text outright, so there it cannot be stored at all.
        pytest.param("note", "selesai\x00dicek", "U+0000", marks=pytest.mark.sqlite_only),
        ("note", "x" * 4001, "4000"),
    ],
)
def test_a_stored_value_the_rules_refuse_is_not_signed(
    pair: Pair, tmp_path: Path, column: str, value: str, said: str
) -> None:
    rid, key = first_filled_row(pair)
    with pair.focal.begin() as s:  # as an older version could have stored it
        s.execute(update(Realisation).where(Realisation.row_id == rid).values({column: value}))
    out = tmp_path / "kiriman.xlsx"
    with pytest.raises(ValueError) as info:
        export_submission(pair.focal, YEAR, pair.key, xlsx=out, pdf=tmp_path / "k.pdf")
    message = str(info.value)
    assert message.startswith("Kiriman tidak dibuat")
    assert f"baris {key}" in message and said in message
    assert not out.exists() and not (tmp_path / "k.pdf").exists()
    assert list(tmp_path.glob(".*.tmp")) == []


def test_values_within_the_rules_are_signed(pair: Pair, tmp_path: Path) -> None:
    result = export_submission(pair.focal, YEAR, pair.key, xlsx=tmp_path / "kiriman.xlsx")
    assert result.xlsx.exists() and result.rows > 0
