"""Two Pokja members correcting the matrix at once: the dialog that lost says who and
when, keeps what was typed, and "Muat ulang" shows the other person's values with the
typed ones offered back (issue 14). Budi works through a second connection to the same
database, as his own app on the server would. Runs on both engines."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models.db import Database, open_database
from app.models.schema import Opd, PlanRow
from app.services import catalog, plan_edit
from app.ui.plan_edit_dialog import MoveDialog, RetireDialog, RowEditDialog

REASON = "salah ketik di Perbup, dikonfirmasi Bappeda"


@pytest.fixture
def budi(syn_db: Database, tmp_path: Path) -> Iterator[Database]:
    other = open_database(tmp_path / "syn.sqlite")
    yield other
    other.dispose()


def _row(db: Database) -> PlanRow:
    with db.begin() as s:
        rid = catalog.load_rows(s, catalog.get_plan(s).id)[0].id
        row = s.get(PlanRow, rid)
        assert row is not None
        s.expunge(row)
        return row


def test_row_edit_refused_then_reloaded_and_typed_text_offered(
    qtbot: QtBot, syn_db: Database, budi: Database
) -> None:
    row = _row(syn_db)
    ani = RowEditDialog(syn_db, row.id, "Ani")
    qtbot.addWidget(ani)
    plan_edit.edit_field(budi, row.id, "indikator", "Indikator menurut Budi", REASON, "Budi")

    ani.fields["indikator"].setText("Indikator menurut Ani")
    ani.reason.setText(REASON)
    ani.accept()
    assert ani.result() != RowEditDialog.DialogCode.Accepted
    assert ani.conflict.refused and not ani.error.isVisibleTo(ani)
    assert "Data ini diubah oleh Budi pada" in ani.conflict.message.text()
    assert ani.fields["indikator"].text() == "Indikator menurut Ani"  # nothing typed lost
    with syn_db.begin() as s:
        assert s.get(PlanRow, row.id).indikator == "Indikator menurut Budi"  # type: ignore[union-attr]

    ani.conflict.reload_button.click()
    assert ani.fields["indikator"].text() == "Indikator menurut Budi"
    kept = ani.conflict.message.text()
    assert "Indikator: Indikator menurut Ani" in kept
    assert "Aktivitas" not in kept  # only what Ani changed is offered back
    assert ani.conflict.restore_button.isVisibleTo(ani)
    assert not ani.ok.isEnabled()  # the form now equals the stored row: nothing to save

    ani.conflict.restore_button.click()
    assert ani.fields["indikator"].text() == "Indikator menurut Ani"
    assert ani.conflict.isHidden() and ani.ok.isEnabled()
    ani.accept()  # checked against the version she reloaded: saved
    assert ani.result() == RowEditDialog.DialogCode.Accepted
    with syn_db.begin() as s:
        assert s.get(PlanRow, row.id).indikator == "Indikator menurut Ani"  # type: ignore[union-attr]


def test_a_field_only_the_other_person_changed_is_not_offered_back(
    qtbot: QtBot, syn_db: Database, budi: Database
) -> None:
    row = _row(syn_db)
    ani = RowEditDialog(syn_db, row.id, "Ani")
    qtbot.addWidget(ani)
    plan_edit.edit_field(budi, row.id, "satuan", "paket", REASON, "Budi")
    ani.fields["indikator"].setText("Indikator menurut Ani")
    ani.reason.setText(REASON)
    ani.accept()
    ani.conflict.reload_button.click()
    assert ani.fields["satuan"].text() == "paket"
    assert "Satuan" not in ani.conflict.message.text()
    assert "Indikator: Indikator menurut Ani" in ani.conflict.message.text()


def test_retire_refused_after_a_correction_then_done_after_reload(
    qtbot: QtBot, syn_db: Database, budi: Database
) -> None:
    row = _row(syn_db)
    ani = RetireDialog(syn_db, row.id, "Ani", retire=True)
    qtbot.addWidget(ani)
    plan_edit.edit_field(budi, row.id, "indikator", "Indikator menurut Budi", REASON, "Budi")
    ani.reason.setText(REASON)
    ani.accept()
    assert ani.conflict.refused and "diubah oleh Budi" in ani.conflict.message.text()
    with syn_db.begin() as s:
        assert s.get(PlanRow, row.id).retired_at is None  # type: ignore[union-attr]
    ani.conflict.reload_button.click()
    assert ani.conflict.isHidden()  # nothing typed but the reason, which stays
    assert ani.reason.text() == REASON
    ani.accept()
    assert ani.result() == RetireDialog.DialogCode.Accepted
    with syn_db.begin() as s:
        assert s.get(PlanRow, row.id).retired_at is not None  # type: ignore[union-attr]


def test_move_refused_when_the_row_was_retired_meanwhile(
    qtbot: QtBot, syn_db: Database, budi: Database
) -> None:
    row = _row(syn_db)
    with syn_db.begin() as s:
        other = s.scalars(select(Opd.id).where(Opd.id != row.opd_id)).first()
    ani = MoveDialog(syn_db, row.id, "Ani")
    qtbot.addWidget(ani)
    plan_edit.set_retired(budi, row.id, True, REASON, "Budi")
    ani.opd.setCurrentIndex(ani.opd.findData(other))
    ani.reason.setText(REASON)
    ani.accept()
    assert ani.conflict.refused and "diubah oleh Budi" in ani.conflict.message.text()
    with syn_db.begin() as s:
        assert s.get(PlanRow, row.id).opd_id == row.opd_id  # type: ignore[union-attr]


def test_a_node_renamed_meanwhile_is_refused_and_reloaded(
    qtbot: QtBot, syn_db: Database, budi: Database
) -> None:
    row = _row(syn_db)
    ani = RowEditDialog(syn_db, row.id, "Ani")
    qtbot.addWidget(ani)
    node_id = ani.nodes["kegiatan"][0]
    plan_edit.rename_node(budi, node_id, "Kegiatan menurut Budi", REASON, "Budi")
    ani.fields["node:kegiatan"].setText("Kegiatan menurut Ani")
    ani.reason.setText(REASON)
    ani.accept()
    assert ani.conflict.refused and "diubah oleh Budi" in ani.conflict.message.text()
    ani.conflict.reload_button.click()
    assert ani.fields["node:kegiatan"].text() == "Kegiatan menurut Budi"
    assert "Kegiatan: Kegiatan menurut Ani" in ani.conflict.message.text()
    ani.conflict.restore_button.click()
    ani.accept()
    assert ani.result() == RowEditDialog.DialogCode.Accepted
    with syn_db.begin() as s:
        assert catalog.row_detail(s, row.id).path["kegiatan"] == "Kegiatan menurut Ani"
