"""The plan tree made from each OPD's counts, reading an OPD's rows when it is opened.

(app/ui/plan_model.py's lazy side; the tree's shape and cells are in test_plan_model.)
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex

from app.domain.realisation import parse_realisation
from app.models.db import Database
from app.services import catalog, entry
from app.services.catalog import RowSummary
from app.services.figures import RowFigures, year_figures
from app.ui.plan_model import COL_REAL, PlanModel, visible_row_ids
from app.ui.plan_source import PlanRows


class Recording(PlanRows):
    """The real source, noting what the model asked of it."""

    def __init__(self, db: Database, plan_id: int) -> None:
        super().__init__(db, plan_id, None, all_retired=True)
        self.asked: list[tuple[str, int]] = []

    def rows_of(self, opd_id: int) -> list[RowSummary]:
        self.asked.append(("rows", opd_id))
        return super().rows_of(opd_id)

    def figures_of(self, opd_id: int, year: int) -> dict[int, RowFigures]:
        self.asked.append(("figures", opd_id))
        return super().figures_of(opd_id, year)

    def all(self) -> list[RowSummary]:
        if not self.complete:
            self.asked.append(("all", 0))
        return super().all()


def _lazy(db: Database, year: int = 2023) -> tuple[PlanModel, Recording]:
    with db.begin() as s:
        plan_id = catalog.get_plan(s).id
    source = Recording(db, plan_id)
    outline, filled = source.counts(year)
    return PlanModel.lazy(source, outline, filled, year), source


def test_the_top_level_and_its_counts_need_no_row(syn_db: Database) -> None:
    with syn_db.begin() as s:
        rows = catalog.load_rows(s, catalog.get_plan(s).id)
    for r in rows[:3]:
        entry.save_realisation(syn_db, r.id, 2023, parse_realisation({"total": "1"}), "u")
    model, source = _lazy(syn_db)
    assert model.rowCount() == 5 and model.data(model.index(0, 0)) == "Dinas Uji 001"
    first = model.index(0, 0)
    assert model.hasChildren(first) and model.rowCount(first) == 0  # not opened yet
    assert model.data(first.siblingAtColumn(COL_REAL)) == "3 dari 60"
    assert model.visible_count == 300 and len(source) == 300
    assert source.asked == [] and not source.complete


def test_an_opds_rows_and_figures_are_read_when_it_is_opened(syn_db: Database) -> None:
    model, source = _lazy(syn_db)
    second = model.index(1, 0)
    assert model.canFetchMore(second)
    model.fetchMore(second)
    opd_id = source.asked[0][1]
    assert source.asked == [("rows", opd_id)] and model.rowCount(second) > 0
    row_index = model.index(0, 0, model.index(0, 0, model.index(0, 0, second)))
    row_id = model.row_id(model.index(0, 0, row_index))
    assert row_id is not None and model.row(row_id).opd_id == opd_id
    model.data(model.index(0, COL_REAL, row_index))  # shown: the OPD's figures are read
    assert source.asked == [("rows", opd_id), ("figures", opd_id)]
    assert not model.canFetchMore(second)
    assert not any(kind == "all" for kind, _ in source.asked)


def test_lazily_read_figures_equal_the_eager_ones(syn_db: Database) -> None:
    with syn_db.begin() as s:
        plan_id = catalog.get_plan(s).id
        rows = catalog.load_rows(s, plan_id)
    for i, r in enumerate(rows[::11]):
        entry.save_realisation(syn_db, r.id, 2023, parse_realisation({"total": str(i)}), "u")
    model, _source = _lazy(syn_db)
    with syn_db.begin() as s:
        eager = year_figures(s, plan_id, 2023)
    shown = list(visible_row_ids(model))  # opens every OPD
    assert sorted(shown) == sorted(r.id for r in rows)
    assert {rid: model.figures(rid) for rid in shown if rid in eager} == eager
    for group in range(model.rowCount()):
        index = model.index(group, COL_REAL)
        total = sum(1 for r in rows if r.opd_name == model.data(index.siblingAtColumn(0)))
        filled = sum(
            1
            for r in rows
            if r.opd_name == model.data(index.siblingAtColumn(0))
            and ((f := eager.get(r.id)) is not None and f.filled)
        )
        assert model.data(index) == f"{filled} dari {total}"


def test_a_row_asked_for_opens_its_opd_and_a_filter_reads_every_row(syn_db: Database) -> None:
    model, source = _lazy(syn_db)
    with syn_db.begin() as s:
        last = catalog.load_rows(s, source.plan_id)[-1]
    index = model.index_of_row(last.id)
    assert index.isValid() and model.row_id(index) == last.id
    assert [kind for kind, _ in source.asked] == ["rows"]
    assert not model.index_of_row(10**9).isValid()
    model.set_visible([last.id])
    assert ("all", 0) in source.asked
    assert list(visible_row_ids(model)) == [last.id]
    model.set_visible(None)
    assert model.rowCount() == 5 and model.rowCount(model.index(0, 0)) == 0


def test_a_large_match_links_an_opd_only_when_opened(
    syn_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.ui import plan_model

    monkeypatch.setattr(plan_model, "LINK_AT_ONCE", 10)
    model, source = _lazy(syn_db)
    some = [r for r in source.all() if r.seq % 3 == 0]
    model.set_visible([r.id for r in some])
    first = model.index(0, 0)
    assert model.canFetchMore(first) and model.rowCount(first) == 0
    of_first = [r for r in some if r.opd_name == model.data(first)]
    assert model.data(first.siblingAtColumn(COL_REAL)) == f"0 dari {len(of_first)}"
    assert sorted(visible_row_ids(model)) == sorted(r.id for r in some)


def test_the_lazy_model_passes_the_qt_model_tester(qtmodeltester: object, syn_db: Database) -> None:
    model, _source = _lazy(syn_db)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount(QModelIndex()) == 5
