"""A fill-in workbook made after Pokja retired a row imports (issue 11, item 2 follow-up).

The row-set rule asks a file for exactly the OPD's active rows. The fill-in workbook
leaves retired rows out, as a signed submission does; the fill-in check used to count
them as missing and refused every workbook of an OPD with a retired row.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from app.models.schema import PlanRow
from app.services.fillin_export import export_fillin
from app.services.importer import ACCEPTED, import_file
from tests.formats.test_fillin import fill, keys_of, real
from tests.services.submission_helpers import OPD, YEAR, Pair, make_pair


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


def test_a_workbook_without_the_retired_row_is_accepted(pair: Pair, tmp_path: Path) -> None:
    keys = keys_of(pair.pokja, OPD)
    gone = keys[-1]
    with pair.pokja.begin() as s:
        s.execute(update(PlanRow).where(PlanRow.key == gone).values(retired_at=datetime.now()))
    blank = tmp_path / "isian.xlsx"
    export_fillin(pair.pokja, None, OPD, YEAR, blank)
    filled = fill(blank, tmp_path / "terisi.xlsx", {"J5": 7})
    out = import_file(pair.pokja, filled, user="Pokja")
    assert out.outcome == ACCEPTED, out.reason
    assert real(pair.pokja, keys[0]) is not None
