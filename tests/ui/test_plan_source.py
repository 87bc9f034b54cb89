"""The browser's rows: counted before they are read, read per OPD, then all at once."""

from __future__ import annotations

from app.models.db import Database
from app.services import catalog
from app.ui.plan_source import PlanRows


def _source(db: Database) -> tuple[PlanRows, list[catalog.RowSummary]]:
    with db.begin() as s:
        plan_id = catalog.get_plan(s).id
        rows = catalog.load_rows(s, plan_id)
    return PlanRows(db, plan_id, None, all_retired=False), rows


def test_the_length_is_known_from_the_counts_without_reading(syn_db: Database) -> None:
    source, rows = _source(syn_db)
    source.counts(2023)
    assert len(source) == 300 and not source.complete
    assert source.rows_of(rows[0].opd_id) == [r for r in rows if r.opd_id == rows[0].opd_id]
    assert not source.complete
    assert list(source) == rows and source.complete  # iterating reads every row
    assert source[3] == rows[3] and source.by_id[rows[7].id] == rows[7]
    assert source.opd_of(rows[-1].id) == rows[-1].opd_id


def test_counts_kept_for_the_next_call_are_given_once(syn_db: Database) -> None:
    source, _rows = _source(syn_db)
    reads: list[int] = []
    real = source.outline
    source.outline = lambda year: reads.append(year) or real(year)  # type: ignore[method-assign]
    first = source.counts(2023, keep=True)
    assert source.counts(2023) == first and reads == [2023]  # the kept counts
    source.counts(2023)
    source.counts(2024, keep=True)
    source.counts(2023)  # another year than kept: read
    assert reads == [2023, 2023, 2024, 2023]
