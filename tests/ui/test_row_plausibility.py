"""The form refuses a fraction of a counted unit and warns about unlikely figures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models.db import Database
from app.models.schema import PlanRow, Target
from app.services.database import open_seeded
from app.ui.row_form import RowForm


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_seeded(tmp_path / "rad.sqlite")
    yield database
    database.dispose()


def _row(db: Database, unit: str) -> tuple[int, int]:
    """A row in ``unit`` with a numeric 2023 target of the shipped matrix."""
    with db.begin() as s:
        rows = s.execute(
            select(PlanRow.id, Target.total)
            .join(Target, Target.row_id == PlanRow.id)
            .where(PlanRow.satuan == unit, Target.year == 2023, Target.total > 10)
            .order_by(PlanRow.id)
        ).all()
    assert rows, unit
    return rows[0][0], 2023


def _type(qtbot: QtBot, form: RowForm, name: str, text: str) -> None:
    edit = form.real_box.edits[name]
    edit.setFocus()
    edit.setText(text)
    edit.editingFinished.emit()


def test_half_a_person_is_refused_and_the_text_kept(qtbot: QtBot, db: Database) -> None:
    form = RowForm(db, "Pokja")
    qtbot.addWidget(form)
    form.show()
    row, year = _row(db, "orang")
    form.load(row, year)
    assert form.counted_unit() == "orang"
    _type(qtbot, form, "male", "12,5")
    assert not form.commit()
    assert "dihitung utuh" in form.error_text()
    assert form.real_box.edits["male"].text() == "12,5"  # what was typed stays
    _type(qtbot, form, "male", "12")
    assert form.commit()


def test_unlikely_figures_warn_without_blocking(qtbot: QtBot, db: Database) -> None:
    form = RowForm(db, "Pokja")
    qtbot.addWidget(form)
    form.show()
    row, year = _row(db, "orang")
    form.load(row, year)
    warning = form.real_box.warning
    assert not warning.isVisible()
    _type(qtbot, form, "total", "1.000.000")
    _type(qtbot, form, "budget", "Rp 10 jt")
    _type(qtbot, form, "spending", "11,1 juta")
    assert form.commit()  # a warning, not a refusal
    assert warning.isVisible()
    text = warning.text()
    assert "melebihi 200 %" in text and "melebihi pagu" in text
    form.load(row, year)  # shown again when the row is opened
    assert form.real_box.edits["budget"].text() == "10.000.000"
    assert form.real_box.warning.isVisible()
