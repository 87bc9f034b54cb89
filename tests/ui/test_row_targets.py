"""Target proposals of other years than the one being filled are folded away."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.domain.breakdown import Breakdown
from app.models.db import Database
from app.services import catalog, entry
from app.ui.row_form import RowForm


@pytest.fixture
def form(qtbot: QtBot, syn_db: Database) -> Iterator[RowForm]:
    widget = RowForm(syn_db, "Pokja")
    qtbot.addWidget(widget)
    widget.show()
    yield widget


def _row(db: Database) -> int:
    with db.begin() as s:
        return catalog.load_rows(s, catalog.get_plan(s).id)[0].id


def _open_years(form: RowForm) -> list[int]:
    QApplication.processEvents()  # a layout shows widgets it was given once idle
    return [y for y, b in form.targets_box.blocks.items() if b.text.isVisible()]


def test_only_the_year_filled_in_is_open(form: RowForm, syn_db: Database) -> None:
    form.load(_row(syn_db), 2023)
    assert sorted(form.targets_box.blocks) == [2022, 2023, 2024]
    assert _open_years(form) == [2023]
    # The official target of every year is still in view.
    assert all(b.official.isVisible() for b in form.targets_box.blocks.values())
    form.load(form.row_id, 2024)  # another year in the tree: its proposal opens instead
    assert _open_years(form) == [2024]


def test_a_click_unfolds_a_year(qtbot: QtBot, form: RowForm, syn_db: Database) -> None:
    form.load(_row(syn_db), 2023)
    QApplication.processEvents()
    block = form.targets_box.blocks[2022]
    assert not block.edits["total"].isVisible()
    qtbot.mouseClick(block.toggle, Qt.MouseButton.LeftButton)
    assert block.text.isVisible() and block.edits["total"].isVisible()
    qtbot.mouseClick(block.toggle, Qt.MouseButton.LeftButton)
    assert not block.text.isVisible()


def test_the_fold_is_reached_and_opened_by_keyboard(
    qtbot: QtBot, form: RowForm, syn_db: Database
) -> None:
    form.load(_row(syn_db), 2023)
    QApplication.processEvents()
    block = form.targets_box.blocks[2024]
    assert block.toggle.focusPolicy() & Qt.FocusPolicy.TabFocus
    # Tab from the open 2023 proposal's last input reaches the 2024 fold.
    form.activateWindow()
    form.targets_box.blocks[2023].edits["disabled"].setFocus()
    qtbot.keyClick(form.targets_box.blocks[2023].edits["disabled"], Qt.Key.Key_Tab)
    assert block.toggle.hasFocus()
    qtbot.keyClick(block.toggle, Qt.Key.Key_Space)
    assert block.text.isVisible()


def test_a_stored_proposal_is_never_folded(form: RowForm, syn_db: Database) -> None:
    row_id = _row(syn_db)
    entry.propose_target(
        syn_db, row_id, 2022, "12 orang", Breakdown.from_texts("12", "", "", ""), "u"
    )
    form.load(row_id, 2023)
    assert _open_years(form) == [2022, 2023]
    assert form.targets_box.blocks[2022].text.text() == "12 orang"


def test_a_refused_value_opens_its_year(form: RowForm, syn_db: Database) -> None:
    form.load(_row(syn_db), 2023)
    block = form.targets_box.blocks[2024]
    block.edits["male"].setText("5")  # typed while open, then folded
    block.edits["total"].setText("2")
    block.set_open(False)
    assert not form.commit()
    assert block.is_open and block.error.isVisible()
