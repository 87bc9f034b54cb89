"""Two people on one row: the form that lost the race says who and when, keeps what was
typed, and "Muat ulang" shows the other person's values with the typed ones kept aside
(issue 14, item 2). Runs on both engines."""

from __future__ import annotations

from decimal import Decimal

from pytestqt.qtbot import QtBot

from app.models.db import Database
from app.services import catalog, entry
from app.ui.row_form import RowForm


def _form(qtbot: QtBot, db: Database, user: str, row_id: int) -> RowForm:
    form = RowForm(db, user)
    qtbot.addWidget(form)
    form.show()
    form.load(row_id, 2023)
    return form


def _row(db: Database) -> int:
    with db.begin() as s:
        return catalog.load_rows(s, catalog.get_plan(s).id)[0].id


def _total(db: Database, row_id: int) -> Decimal | None:
    with db.begin() as s:
        got = entry.get_realisation(s, row_id, 2023)
    return None if got is None else got.breakdown.total


def test_the_later_save_is_refused_and_the_typed_text_kept(qtbot: QtBot, syn_db: Database) -> None:
    row = _row(syn_db)
    ani, budi = _form(qtbot, syn_db, "Ani", row), _form(qtbot, syn_db, "Budi", row)
    budi.real_box.edits["total"].setText("20")
    assert budi.commit() and not budi.conflict.isVisible()

    ani.real_box.edits["total"].setText("30")
    ani.real_box.note.setText("angka dari laporan triwulan")
    assert not ani.commit()
    assert ani.conflict.isVisible() and ani.conflict.reload_button.isVisible()
    assert "Data ini diubah oleh Budi pada" in ani.conflict.message.text()
    assert "Muat ulang" in ani.conflict.message.text()
    assert ani.real_box.edits["total"].text() == "30"  # nothing typed is lost
    assert ani.real_box.note.text() == "angka dari laporan triwulan"
    assert "diubah oleh Budi" in ani.error_text()  # what leaving the row would say
    assert _total(syn_db, row) == 20  # Budi's figure stands

    ani.conflict.reload_button.click()
    assert ani.real_box.edits["total"].text() == "20"  # the other person's value now
    kept = ani.conflict.message.text()
    assert "Total: 30" in kept and "Catatan: angka dari laporan triwulan" in kept
    assert ani.conflict.restore_button.isVisible() and not ani.conflict.reload_button.isVisible()

    ani.conflict.restore_button.click()
    assert ani.real_box.edits["total"].text() == "30" and not ani.conflict.isVisible()
    assert ani.commit()  # checked against the version she reloaded: saved
    assert _total(syn_db, row) == 30


def test_a_proposal_changed_by_someone_else_is_refused(qtbot: QtBot, syn_db: Database) -> None:
    row = _row(syn_db)
    ani, budi = _form(qtbot, syn_db, "Ani", row), _form(qtbot, syn_db, "Budi", row)
    for form, figure in ((budi, "12"), (ani, "15")):
        block = form.targets_box.blocks[2023]
        block.text.setText(f"{figure} orang")
        block.edits["total"].setText(figure)
    assert budi.commit()
    assert not ani.commit()
    assert "diubah oleh Budi" in ani.conflict.message.text()
    assert ani.targets_box.blocks[2023].edits["total"].text() == "15"


def test_one_person_saving_again_and_again_is_never_refused(qtbot: QtBot, syn_db: Database) -> None:
    row = _row(syn_db)
    form = _form(qtbot, syn_db, "Ani", row)
    for total in ("1", "2", "3"):
        form.real_box.edits["total"].setText(total)
        assert form.commit()
    form.undo_stack.undo()  # undo writes through the same checked path
    assert not form.conflict.isVisible()
    assert _total(syn_db, row) == 2
