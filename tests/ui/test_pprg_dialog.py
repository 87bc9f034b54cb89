"""The PPRG editor: prefilled, edited, saved and reopened; the unsaved-changes prompt;
read-only for a received copy; the GBS built from the GAP with a live Rupiah total."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QTableWidgetItem
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.domain.pprg import Kind
from app.models.db import Database
from app.models.schema import PlanRow
from app.services import catalog, pprg_store
from app.services.arg_store import AssessableNode, assessable_nodes
from app.services.pprg_prefill import prefill_gap
from app.ui import pprg_dialog
from app.ui.main_window import MainWindow
from app.ui.pprg_dialog import PprgDialog
from tests.reports.conftest import need
from tests.ui.conftest import FOCAL

YEAR = 2023


def _node(db: Database) -> AssessableNode:
    with db.begin() as s:
        plan = catalog.get_plan(s)
        return next(n for n in assessable_nodes(s, plan.id) if n.level == "kegiatan")


def _open(qtbot: QtBot, db: Database, key: str, **kw: bool) -> PprgDialog:
    dialog = PprgDialog(db, key, YEAR, "Ani", **kw)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()  # keyboard shortcuts need the active window, as on a desktop
    return dialog


def test_prefilled_edited_saved_with_ctrl_s_and_reopened(qtbot: QtBot, syn_db: Database) -> None:
    node = _node(syn_db)
    dialog = _open(qtbot, syn_db, node.key)
    policy = dialog.gap_page.fields["gap-policy"].toPlainText()
    assert "Kegiatan:" in policy and node.name.split()[0] in policy
    assert "Target 2023" in dialog.gap_page.fields["gap-insight_data"].toPlainText()
    assert "(diisi dari matriks)" in dialog.gap_page.findChild(object, "step-2").text()
    assert "(diisi dari matriks)" not in dialog.gap_page.findChild(object, "step-3").text()
    access = dialog.gap_page.fields["gap-gap_access"]
    access.setFocus()
    qtbot.keyClicks(access, "Perempuan sulit menjangkau layanan")
    assert dialog.dirty
    qtbot.keyClick(access, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.dirty
    dialog.close()
    again = _open(qtbot, syn_db, node.key)
    assert again.gap_page.fields["gap-gap_access"].toPlainText() == (
        "Perempuan sulit menjangkau layanan"
    )
    assert again.origin == pprg_store.LOCAL and not again.read_only


def test_closing_with_unsaved_changes_asks(
    qtbot: QtBot, syn_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    node = _node(syn_db)
    dialog = _open(qtbot, syn_db, node.key)
    dialog.gap_page.fields["gap-internal_causes"].setPlainText("Data belum terpilah")
    answers = iter([2, 0])  # Batal, then Simpan
    asked: list[str] = []

    def ask(parent: object, title: str, text: str, choices: list[str], **kw: object) -> int:
        asked.append(title)
        return next(answers)

    monkeypatch.setattr(pprg_dialog.messages, "ask", ask)
    dialog.close()
    assert dialog.isVisible() and asked == ["Perubahan belum disimpan"]
    dialog.close()
    assert not dialog.isVisible()
    with syn_db.begin() as s:
        stored = pprg_store.load_document(s, Kind.GAP, node.key, YEAR)
    assert stored is not None and stored.document.internal_causes == "Data belum terpilah"


def test_received_copy_and_pokja_view_are_read_only(qtbot: QtBot, syn_db: Database) -> None:
    node = _node(syn_db)
    with syn_db.begin() as s:
        gap = prefill_gap(s, node.key, YEAR).with_values(gap_access="Dari OPD")
    pprg_store.save_document(syn_db, gap, "Pokja", origin=pprg_store.RECEIVED)
    for pokja in (False, True):
        dialog = _open(qtbot, syn_db, node.key, pokja=pokja)
        box = dialog.gap_page.fields["gap-gap_access"]
        assert box.toPlainText() == "Dari OPD" and box.isReadOnly()
        assert not dialog.save_button.isEnabled() and not dialog.gbs_button.isEnabled()
        assert "kiriman" in dialog.origin_note.text()
        dialog.close()


def test_gbs_from_gap_total_is_live_and_a_bad_amount_keeps_the_text(
    qtbot: QtBot, syn_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    node = _node(syn_db)
    dialog = _open(qtbot, syn_db, node.key)
    dialog.gap_page.fields["gap-external_causes"].setPlainText("Jarak ke layanan")
    dialog.gap_page.fields["gap-action_plan"].setPlainText("- Pelatihan kader\n- Pendataan")
    dialog.build_gbs()
    page = dialog.gbs_page
    assert dialog.tabs.currentWidget() is page
    assert (
        "Sebab kesenjangan eksternal:\nJarak ke layanan"
        in page.fields["gbs-situation"].toPlainText()
    )
    assert page.table.rowCount() == 2
    page.table.setItem(0, 1, QTableWidgetItem("Rp1.500.000,-"))
    page.table.setItem(1, 1, QTableWidgetItem("2,5 jt"))
    assert "Rp 4.000.000" in page.total.text()
    page.table.setItem(1, 1, QTableWidgetItem("dua juta"))
    assert "Anggaran komponen 2" in page.total.text()
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(a[2]))
    assert not dialog.save()
    assert warned and "Anggaran komponen 2" in warned[0]
    assert page.table.item(1, 1).text() == "dua juta"  # the typed text stays
    page.table.setItem(1, 1, QTableWidgetItem("2.500.000"))
    assert dialog.save()
    with syn_db.begin() as s:
        stored = pprg_store.load_document(s, Kind.GBS, node.key, YEAR)
    assert stored is not None and str(stored.document.total) == "4000000"


def test_main_window_opens_the_editor_from_the_tree_menu(
    syn_db: Database, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window(syn_db)
    node = _node(syn_db)
    with syn_db.begin() as s:
        row_id = s.scalar(select(PlanRow.id).order_by(PlanRow.id).limit(1))
    assert window.browser.model is not None and row_id is not None
    index = window.browser.model.index_of_row(row_id)
    labels = [a.text() for a in window.browser.tree_menu(index).actions()]
    assert "PPRG (GAP/GBS)…" in labels
    assert window.pprg_action.shortcut().toString() == "Ctrl+Shift+G"
    dialog = window.open_pprg(node.id)
    assert isinstance(dialog, PprgDialog) and dialog.read_only  # the default profile is Pokja
    dialog.close()


def test_closing_the_window_asks_the_open_editor_first(
    syn_db: Database, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(syn_db, FOCAL)
    with syn_db.begin() as s:
        plan = catalog.get_plan(s)
        node = next(n for n in assessable_nodes(s, plan.id) if n.opd_code == FOCAL.opd_code)
    dialog = window.open_pprg(node.id)
    assert dialog is not None and not dialog.read_only
    dialog.gap_page.fields["gap-external_causes"].setPlainText("Jarak ke layanan")
    answers = iter([2, 0])  # Batal: both stay open; then Simpan
    monkeypatch.setattr(pprg_dialog.messages, "ask", lambda *a, **k: next(answers))
    assert not window.close() and window.isVisible() and dialog.isVisible()
    assert window.close()
    with syn_db.begin() as s:
        stored = pprg_store.load_document(s, Kind.GAP, node.key, YEAR)
    assert stored is not None and stored.document.external_causes == "Jarak ke layanan"


def test_printing_from_the_editor_writes_the_text_on_screen(
    qtbot: QtBot, syn_db: Database, tmp_path: Path
) -> None:
    node = _node(syn_db)
    dialog = _open(qtbot, syn_db, node.key)
    dialog.gap_page.fields["gap-reformulated_objective"].setPlainText("Naik 30 persen")
    with qtbot.waitSignal(dialog.exported, timeout=60_000) as done:
        dialog.export(Kind.GAP, "pdf", tmp_path / "gap.pdf")
    dialog.dirty = False  # the test ends here; closing need not ask
    assert done.args[0].pdf == tmp_path / "gap.pdf"
    need("pdftotext")
    out = subprocess.run(["pdftotext", str(tmp_path / "gap.pdf"), "-"], capture_output=True)
    assert "Naik 30 persen" in " ".join(out.stdout.decode().split())


def test_refresh_from_matrix_restores_prefilled_steps_and_keeps_the_analysis(
    qtbot: QtBot, syn_db: Database
) -> None:
    node = _node(syn_db)
    dialog = _open(qtbot, syn_db, node.key)
    fields = dialog.gap_page.fields
    prefilled = fields["gap-insight_data"].toPlainText()
    fields["gap-insight_data"].setPlainText("terhapus tak sengaja")
    fields["gap-gap_benefit"].setPlainText("Manfaat belum merata")
    qtbot.mouseClick(dialog.refresh_button, Qt.MouseButton.LeftButton)
    assert fields["gap-insight_data"].toPlainText() == prefilled
    assert fields["gap-gap_benefit"].toPlainText() == "Manfaat belum merata"
    assert dialog.dirty
    dialog.dirty = False  # the test ends here; closing need not ask


def test_a_gap_saved_meanwhile_by_someone_else_is_not_overwritten(
    qtbot: QtBot, syn_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two Pokja members on one server opened the same GAP: the later save is refused
    naming the first, their text stays stored and this user's typing stays on screen."""
    node = _node(syn_db)
    dialog = _open(qtbot, syn_db, node.key)
    with syn_db.begin() as s:
        theirs = prefill_gap(s, node.key, YEAR).with_values(gap_access="teks Budi")
    pprg_store.save_document(syn_db, theirs, "Budi")
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: said.append(text))
    access = dialog.gap_page.fields["gap-gap_access"]
    access.setPlainText("teks Ani")
    assert not dialog.save()
    assert said and "diubah oleh Budi" in said[0]
    assert access.toPlainText() == "teks Ani"
    with syn_db.begin() as s:
        stored = pprg_store.load_document(s, Kind.GAP, node.key, YEAR)
    assert stored is not None and stored.document.gap_access == "teks Budi"
    # Reopened, the editor shows theirs and saves on top of it without refusal.
    dialog.dirty = False
    dialog.close()
    again = _open(qtbot, syn_db, node.key)
    assert again.gap_page.fields["gap-gap_access"].toPlainText() == "teks Budi"
    again.gap_page.fields["gap-gap_access"].setPlainText("teks Ani")
    assert again.save()
