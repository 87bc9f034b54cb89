"""Berkas › Pulihkan dari cadangan…: the backups, what is lost, a deliberate confirmation,
then the window closes so the restore happens with nothing holding the old file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.domain.realisation import parse_realisation
from app.formats.synthetic import synthetic_plan
from app.models.db import Database, make_backup, open_database
from app.models.schema import ImportLog
from app.services import catalog, entry
from app.services.seeding import load_plan_data
from app.ui import application
from app.ui.main_window import MainWindow
from app.ui.restore_dialog import RestoreDialog, request_restore, requested_restore

# Restoring replaces the SQLite file by one of its backup copies.
pytestmark = pytest.mark.sqlite_only

IMPORTED_AT = datetime.now().replace(second=0, microsecond=0)


def _database(tmp_path: Path) -> tuple[Database, Path]:
    """A database, its backup, then an imported file and a typed figure after the backup."""
    db = open_database(tmp_path / "monev.sqlite")
    load_plan_data(db, synthetic_plan(40, opds=2))
    assert db.path is not None
    backup = make_backup(db.path, "buka")
    with db.begin() as s:
        row_id = catalog.load_rows(s, catalog.get_plan(s).id)[0].id
        s.add(
            ImportLog(
                at=IMPORTED_AT,
                file_name="Kiriman-OPD-001-2023-r2.xlsx",
                opd_code="OPD-001",
                year=2023,
                revision=2,
                outcome="menggantikan",
                reason="revisi baru",
            )
        )
    entry.save_realisation(db, row_id, 2023, parse_realisation({"total": "52"}), "Siti Aminah")
    return db, backup


def test_the_dialog_shows_the_loss_and_asks_for_a_deliberate_confirmation(
    tmp_path: Path, qtbot: QtBot
) -> None:
    db, backup = _database(tmp_path)
    try:
        assert db.path is not None
        dialog = RestoreDialog(db.path)
        qtbot.addWidget(dialog)
        assert dialog.list.count() == 1 and backup.name in dialog.list.item(0).text()
        text = dialog.details.toPlainText()
        listed = f"(Dinas Uji 001 r2 {IMPORTED_AT:%d-%m-%Y %H:%M}, revisi baru)"
        assert f"1 impor berkas setelah cadangan ini {listed}" in text
        assert "1 perubahan isian oleh Siti Aminah" in text
        assert "tidak dihapus" in text
        assert not dialog.restore_button.isEnabled()  # nothing restores before the tick
        dialog.understood.setChecked(True)
        assert dialog.restore_button.isEnabled() and dialog.chosen == backup
        dialog.show()
        assert not dialog.grab().isNull()
    finally:
        db.dispose()


def test_a_backup_that_loses_nothing_needs_no_tick(tmp_path: Path, qtbot: QtBot) -> None:
    db = open_database(tmp_path / "monev.sqlite")
    load_plan_data(db, synthetic_plan(40, opds=2))
    try:
        assert db.path is not None
        make_backup(db.path, "buka")
        dialog = RestoreDialog(db.path)
        qtbot.addWidget(dialog)
        assert "tidak ada impor atau perubahan isian" in dialog.details.toPlainText()
        assert dialog.understood.isHidden() and dialog.restore_button.isEnabled()
    finally:
        db.dispose()


def test_confirming_closes_the_window_then_the_restore_reopens_the_old_state(
    tmp_path: Path, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, backup = _database(tmp_path)
    path = db.path
    assert path is not None
    window = make_window(db)
    assert window.restore_action.text().replace("&", "") == "Pulihkan dari cadangan…"

    def accept(dialog: RestoreDialog) -> int:
        dialog.understood.setChecked(True)
        return int(QDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(RestoreDialog, "exec", accept)
    window.restore_action.trigger()
    assert not window.isVisible() and requested_restore(window) == backup
    # What run_gui does once the window is closed: dispose, restore, open again.
    db.dispose()
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: said.append(text))
    monkeypatch.setattr(application, "open_seeded", lambda p, **_k: open_database(p))
    restored = application.restore_and_open(path, backup)
    assert restored is not None
    try:
        with restored.begin() as s:
            assert s.query(ImportLog).count() == 0
        (kept,) = tmp_path.glob("monev-sebelum-pulih-*.sqlite")
        assert kept.name in said[0]
    finally:
        restored.dispose()


def test_cancelling_leaves_the_window_and_the_file_alone(
    tmp_path: Path, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, _backup = _database(tmp_path)
    try:
        window = make_window(db)
        monkeypatch.setattr(RestoreDialog, "exec", lambda self: 0)
        assert request_restore(window, db.path) is None
        assert window.isVisible() and requested_restore(window) is None
        assert not list(tmp_path.glob("monev-sebelum-pulih-*"))
    finally:
        db.dispose()
