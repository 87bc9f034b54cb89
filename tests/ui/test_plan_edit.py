"""Koreksi matriks in the window: the tree's menu, the dialogs, the form's marks, undo."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QDialog, QLabel, QMenu, QTreeWidget
from sqlalchemy import select

from app.models.db import Database
from app.models.schema import PlanNode, PlanRow, Target
from app.services import catalog, row_place
from app.ui import plan_edit_dialog
from app.ui.main_window import MainWindow
from app.ui.plan_edit_dialog import RetireDialog, RowEditDialog
from tests.ui.conftest import FOCAL

REASON = "salah ketik di Perbup, dikonfirmasi Bappeda"


def matrix_entries(window: MainWindow, row_id: int) -> list[str]:
    assert window.browser.model is not None
    menu = window.browser.tree_menu(window.browser.model.index_of_row(row_id))
    sub = next((a.menu() for a in menu.actions() if a.text() == "Koreksi matriks"), None)
    return [] if not isinstance(sub, QMenu) else [a.text() for a in sub.actions()]


def target_text(db: Database, row_id: int, year: int) -> str:
    with db.begin() as s:
        return s.scalars(
            select(Target.text).where(Target.row_id == row_id, Target.year == year)
        ).one()


def history(window: MainWindow) -> list[list[str]]:
    tree = window.findChild(QTreeWidget, "history")
    assert tree is not None
    return [
        [tree.topLevelItem(i).text(c) for c in range(7)] for i in range(tree.topLevelItemCount())
    ]


def test_the_menu_offers_corrections_to_pokja_only(
    syn_db: Database, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window(syn_db)
    row_id = window.current_row_id
    assert row_id is not None
    assert matrix_entries(window, row_id) == [
        "Ubah isi baris…",
        "Tambah baris di bawah…",
        "Pensiunkan baris…",
        "Pindahkan ke OPD lain…",
    ]
    focal = make_window(syn_db, FOCAL)
    assert focal.current_row_id is not None
    assert matrix_entries(focal, focal.current_row_id) == []


def test_dialog_needs_a_reason_and_keeps_the_text_on_a_refusal(syn_db: Database) -> None:
    with syn_db.begin() as s:
        row_id = s.scalars(select(Target.row_id)).first()
    assert row_id is not None
    dialog = RowEditDialog(syn_db, row_id, "Pokja")
    target = dialog.fields["target:2023"]
    assert not dialog.ok.isEnabled()
    target.setText("#####")
    assert not dialog.ok.isEnabled()  # no reason yet
    dialog.reason.setText(REASON)
    assert dialog.ok.isEnabled()
    before = target_text(syn_db, row_id, 2023)
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "tidak terbaca" in dialog.error.text() and dialog.error.isVisibleTo(dialog)
    assert target.text() == "#####" and dialog.reason.text() == REASON
    assert target_text(syn_db, row_id, 2023) == before
    dialog.deleteLater()


def test_corrected_target_shows_in_the_form_and_history_and_undoes(
    syn_db: Database, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(syn_db)
    row_id = window.current_row_id
    assert row_id is not None
    old = target_text(syn_db, row_id, 2023)

    def fill(dialog: RowEditDialog) -> int:
        dialog.fields["target:2023"].setText("40 orang terdiri dari 25 laki-laki, 15 perempuan")
        dialog.reason.setText(REASON)
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr(RowEditDialog, "exec", fill)
    window.edit_matrix(plan_edit_dialog.EDIT, row_id)
    assert target_text(syn_db, row_id, 2023).startswith("40 orang")
    marks = window.findChild(QLabel, "official-marks")
    assert marks is not None and marks.isVisibleTo(window)
    assert "Target resmi 2023" in marks.text() and REASON in marks.text()
    newest = history(window)[0]
    assert newest[3] == "Target (koreksi matriks)" and newest[6] == REASON
    assert window.undo_stack.canUndo()
    window.undo()
    assert target_text(syn_db, row_id, 2023) == old
    assert not marks.isVisibleTo(window)
    assert history(window)[0][3] == "Target (diurungkan)"
    window.redo()
    assert target_text(syn_db, row_id, 2023).startswith("40 orang")


def test_retired_row_stays_in_pokja_tree_marked_and_can_come_back(
    syn_db: Database, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(syn_db)
    row_id = window.current_row_id
    assert row_id is not None

    def fill(dialog: RetireDialog) -> int:
        dialog.reason.setText(REASON)
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr(RetireDialog, "exec", fill)
    window.edit_matrix(plan_edit_dialog.RETIRE, row_id)
    assert window.browser.model is not None
    index = window.browser.model.index_of_row(row_id)
    assert str(index.data()).startswith("[dipensiunkan]")
    assert "Aktifkan kembali…" in matrix_entries(window, row_id)
    marks = window.findChild(QLabel, "official-marks")
    assert marks is not None and "DIPENSIUNKAN" in marks.text()
    window.undo()
    index = window.browser.model.index_of_row(row_id)
    assert not str(index.data()).startswith("[dipensiunkan]")
    assert "Pensiunkan baris…" in matrix_entries(window, row_id)


def test_a_refused_name_takes_back_the_values_written_before_it(syn_db: Database) -> None:
    with syn_db.begin() as s:
        row_id = s.scalars(select(Target.row_id)).first()
    assert row_id is not None
    with syn_db.begin() as s:
        nodes = row_place.row_nodes(s, row_id)
        sub = s.get(PlanNode, nodes["sub_kegiatan"][0])
        assert sub is not None
        sibling = s.scalars(
            select(PlanNode.name).where(PlanNode.parent_id == sub.parent_id, PlanNode.id != sub.id)
        ).first()
    if sibling is None:
        pytest.skip("the synthetic plan gave this sub kegiatan no sibling")
    dialog = RowEditDialog(syn_db, row_id, "Pokja")
    old = dialog.fields["indikator"].text()
    dialog.fields["indikator"].setText("Indikator yang dibetulkan")
    dialog.fields["node:sub_kegiatan"].setText(sibling)
    dialog.reason.setText(REASON)
    dialog.accept()
    assert "Sudah ada" in dialog.error.text()
    with syn_db.begin() as s:
        assert catalog.row_detail(s, row_id).indikator == old
    assert dialog.fields["node:sub_kegiatan"].text() == sibling
    dialog.deleteLater()


def test_a_refused_undo_is_said_and_leaves_the_stack(
    syn_db: Database, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Undoing "Tambah baris" after a figure was entered on the new row is refused by the
    # service: the user is told why, and Ctrl+Z does not keep pointing at that command.
    from decimal import Decimal

    from app.domain.breakdown import Breakdown
    from app.domain.realisation import RealisationValues
    from app.services import entry
    from app.ui.plan_edit_dialog import AddRowDialog

    window = make_window(syn_db)
    row_id = window.current_row_id
    assert row_id is not None
    with syn_db.begin() as s:
        nodes = row_place.row_nodes(s, row_id)
    node_id = nodes.get("sub_kegiatan", nodes.get("kegiatan", (0, "")))[0]

    def fill(dialog: AddRowDialog) -> int:
        dialog.fields["indikator"].setText("Jumlah kader yang dilatih")
        dialog.fields["satuan"].setText("orang")
        dialog.reason.setText(REASON)
        dialog.accept()
        return int(dialog.result())

    said: list[str] = []
    monkeypatch.setattr(AddRowDialog, "exec", fill)
    monkeypatch.setattr(
        plan_edit_dialog.QMessageBox, "warning", lambda *a: said.append(str(a[2])) or 0
    )
    window.edit_matrix(plan_edit_dialog.ADD, node_id)
    assert window.undo_stack.count() == 1
    with syn_db.begin() as s:
        new_id = s.scalars(select(PlanRow.id).order_by(PlanRow.id.desc())).first()
        assert new_id is not None and new_id != row_id
    values = RealisationValues(breakdown=Breakdown(total=Decimal(4)))
    entry.save_realisation(syn_db, new_id, window.year, values, "Pokja")
    window.undo()
    assert said and "sudah berisi realisasi" in said[0]
    assert window.undo_stack.count() == 0  # the obsolete command is gone
    with syn_db.begin() as s:
        assert catalog.row_detail(s, new_id) is not None  # nothing deleted


def test_a_correction_saved_meanwhile_by_another_member_is_not_overwritten(
    syn_db: Database,
) -> None:
    with syn_db.begin() as s:
        row_id = s.scalars(select(Target.row_id)).first()
    assert row_id is not None
    mine = RowEditDialog(syn_db, row_id, "Ani")
    other = RowEditDialog(syn_db, row_id, "Budi")
    for dialog, text in ((other, "Indikator Budi"), (mine, "Indikator Ani")):
        dialog.fields["indikator"].setText(text)
        dialog.reason.setText(REASON)
    other.accept()
    assert other.result() == QDialog.DialogCode.Accepted
    mine.accept()
    assert mine.result() != QDialog.DialogCode.Accepted
    assert "Data ini diubah oleh Budi pada" in mine.conflict.message.text()  # the banner
    assert mine.fields["indikator"].text() == "Indikator Ani"  # kept to copy or retry
    with syn_db.begin() as s:
        assert catalog.row_detail(s, row_id).indikator == "Indikator Budi"
    mine.deleteLater()
    other.deleteLater()
