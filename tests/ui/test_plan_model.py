"""The plan tree model: structure, filtering, marks, and Qt's model contract."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont

from app.domain.breakdown import Breakdown
from app.domain.realisation import parse_realisation
from app.models.db import Database
from app.services import catalog, entry
from app.services.catalog import RowSummary
from app.services.figures import year_figures
from app.ui.plan_model import (
    COL_ACH,
    COL_REAL,
    COL_TARGET,
    COL_TITLE,
    LEVEL_ROLE,
    PlanModel,
    visible_row_ids,
)


def _rows(db: Database) -> tuple[int, list[RowSummary]]:
    with db.begin() as s:
        plan = catalog.get_plan(s)
        return plan.id, catalog.load_rows(s, plan.id)


def _model(db: Database, year: int = 2023) -> PlanModel:
    plan_id, rows = _rows(db)
    model = PlanModel(rows, year)
    with db.begin() as s:
        model.set_figures(year, year_figures(s, plan_id, year))
    return model


def _path(model: PlanModel, index: QModelIndex) -> list[str]:
    out = []
    while index.isValid():
        out.append(model.data(index, LEVEL_ROLE))
        index = index.parent()
    return list(reversed(out))


def test_model_passes_the_qt_model_tester(qtmodeltester, syn_db: Database) -> None:
    model = _model(syn_db)
    qtmodeltester.check(model)
    model.set_visible(list(visible_row_ids(model))[::7])
    qtmodeltester.check(model)
    model.set_visible([])
    qtmodeltester.check(model)


def test_tree_is_opd_program_kegiatan_sub_kegiatan_rows(syn_db: Database) -> None:
    model = _model(syn_db)
    assert model.rowCount() == 5  # one top-level node per OPD
    assert model.data(model.index(0, 0)) == "Dinas Uji 001"
    row_id = next(iter(visible_row_ids(model)))
    index = model.index_of_row(row_id)
    assert _path(model, index) == ["opd", "program", "kegiatan", "sub_kegiatan", "row"]
    row = model.row(row_id)
    assert model.data(index.parent()) == row.path["sub_kegiatan"]
    assert model.data(index.parent().parent().parent()) == row.path["program"]
    # Rows are named by their aktivitas (the indikator often repeats within a group).
    assert model.data(index) == row.aktivitas
    assert row.indikator in model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert sorted(visible_row_ids(model)) == sorted(r.id for r in _rows(syn_db)[1])


def test_a_missing_level_is_skipped_not_shown_blank(syn_db: Database) -> None:
    _plan_id, rows = _rows(syn_db)
    # (Rows of one node share their path dicts: replace them, do not edit them.)
    no_kegiatan, no_sub = rows[0], rows[1]
    for row, dropped in ((no_kegiatan, {"kegiatan"}), (no_sub, {"kegiatan", "sub_kegiatan"})):
        row.path = {k: v for k, v in row.path.items() if k not in dropped}
        row.path_nodes = {k: v for k, v in row.path_nodes.items() if k not in dropped}
    model = PlanModel(rows, 2023)
    assert _path(model, model.index_of_row(no_kegiatan.id)) == [
        "opd",
        "program",
        "sub_kegiatan",
        "row",
    ]
    assert _path(model, model.index_of_row(no_sub.id)) == ["opd", "program", "row"]
    # A row without aktivitas is named by its indikator.
    rows[2].aktivitas = ""
    model = PlanModel(rows, 2023)
    assert model.data(model.index_of_row(rows[2].id)) == rows[2].indikator
    for rid in visible_row_ids(model):
        index = model.index_of_row(rid).parent()
        while index.isValid():
            assert model.data(index)  # every group has a name
            index = index.parent()


def test_filled_rows_are_marked_and_achievement_is_coloured_by_band(syn_db: Database) -> None:
    plan_id, rows = _rows(syn_db)
    with syn_db.begin() as s:
        targets = {r.id: catalog.row_detail(s, r.id).targets[2023] for r in rows[:40]}
    row = next(r for r in rows[:40] if (targets[r.id].official.total or 0) > 4)
    target = targets[row.id].official.total
    assert target is not None
    entry.save_realisation(syn_db, row.id, 2023, parse_realisation({"total": "1"}), "uji")
    model = _model(syn_db)
    index = model.index_of_row(row.id)
    assert model.data(index.siblingAtColumn(COL_REAL)) == "1"
    cell = index.siblingAtColumn(COL_ACH)
    assert model.data(cell).endswith(" %")
    low = model.data(cell, Qt.ItemDataRole.ForegroundRole).color().name()
    assert low == "#b3261e"  # far below target: red
    filled_icon = model.data(index, Qt.ItemDataRole.DecorationRole)
    other = model.index_of_row(rows[-1].id)
    assert filled_icon.cacheKey() != model.data(other, Qt.ItemDataRole.DecorationRole).cacheKey()
    # The group shows how many of its rows are filled, worded as a count.
    count = index.parent().siblingAtColumn(COL_REAL)
    assert model.data(count).startswith("1 dari ")
    assert model.data(count, Qt.ItemDataRole.FontRole).italic()
    figure = index.siblingAtColumn(COL_REAL)
    assert model.data(count, Qt.ItemDataRole.TextAlignmentRole) != model.data(
        figure, Qt.ItemDataRole.TextAlignmentRole
    )

    entry.save_realisation(syn_db, row.id, 2023, parse_realisation({"total": str(target)}), "uji")
    with syn_db.begin() as s:
        model.update_row(row.id, year_figures(s, plan_id, 2023, [row.id])[row.id])
    assert model.data(cell, Qt.ItemDataRole.ForegroundRole).color().name() == "#1b7f3b"
    assert model.data(cell) == "100,00 %"


def test_a_proposed_target_is_shown_in_italics_with_a_mark(syn_db: Database) -> None:
    _plan_id, rows = _rows(syn_db)
    row = rows[3]
    entry.propose_target(syn_db, row.id, 2023, "12 orang", Breakdown(Decimal(12)), "uji")
    model = _model(syn_db)
    cell = model.index_of_row(row.id).siblingAtColumn(COL_TARGET)
    assert model.data(cell) == "✎ 12 orang"
    font = model.data(cell, Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.italic()
    assert "Target diusulkan berubah" in model.data(cell, Qt.ItemDataRole.ToolTipRole)
    plain = model.index_of_row(rows[4].id).siblingAtColumn(COL_TARGET)
    assert not model.data(plain).startswith("✎")


def test_year_change_relabels_the_columns(syn_db: Database) -> None:
    model = _model(syn_db, 2022)
    assert model.headerData(COL_TARGET, Qt.Orientation.Horizontal) == "Target 2022"
    model.set_figures(2024, {})
    assert model.headerData(COL_REAL, Qt.Orientation.Horizontal) == "Realisasi 2024"
    assert model.headerData(COL_TITLE, Qt.Orientation.Horizontal) == "Uraian"
