"""Berkas › Cadangkan data dan kunci… and restoring that file from *Pulihkan dari cadangan…*
(issue 13, item 2): the backup runs in the background, the preview shows what the file
holds and what it replaces, cancelling changes nothing, confirming restores via run_gui."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.domain.realisation import parse_realisation
from app.formats import keys
from app.formats.synthetic import synthetic_plan
from app.models.db import Database, open_database
from app.models.schema import Realisation
from app.services import catalog, entry
from app.services.backup import create_backup
from app.services.seeding import load_plan_data
from app.ui import application
from app.ui.backup_dialog import BackupFileDialog
from app.ui.main_window import MainWindow
from app.ui.restore_dialog import RestoreDialog, requested_restore
from tests.cli.test_locks import snapshot

# The backup file carries the SQLite database file itself.
pytestmark = pytest.mark.sqlite_only

PASSPHRASE = "kata-sandi-uji"


def _database(tmp_path: Path) -> Database:
    db = open_database(tmp_path / "monev.sqlite")
    load_plan_data(db, synthetic_plan(40, opds=2))
    with db.begin() as s:
        row_id = catalog.load_rows(s, catalog.get_plan(s).id)[0].id
    entry.save_realisation(db, row_id, 2023, parse_realisation({"total": "52"}), "Siti Aminah")
    keys.generate_key(PASSPHRASE)  # into MONEV_DATA_DIR (conftest)
    return db


def test_the_menu_makes_the_backup_in_the_background(
    tmp_path: Path,
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = _database(tmp_path)
    try:
        window = make_window(db)
        assert window.backup_action.text().replace("&", "") == "Cadangkan data dan kunci…"
        offered: list[str] = []
        out = tmp_path / "usb" / "cadangan"

        def save_as(_parent: object, _title: str, start: str, _filter: str) -> tuple[str, str]:
            offered.append(start)
            return str(out), ""

        monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
        said: list[str] = []
        monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: said.append(text))
        window.backup_action.trigger()
        qtbot.waitUntil(lambda: bool(said), timeout=20000)
        made = out.with_name("cadangan.monevcadangan")
        assert made.is_file() and str(made) in said[0]
        assert keys.grouped(keys.stored_key_id() or "") in said[0]
        assert Path(offered[0]).name.startswith("monev-radpug-cadangan-")
        assert offered[0].endswith(".monevcadangan")
    finally:
        db.dispose()


def test_the_preview_shows_what_it_holds_and_cancel_changes_nothing(
    tmp_path: Path,
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = _database(tmp_path)
    assert db.path is not None
    path = db.path
    file = tmp_path / "c.monevcadangan"
    create_backup(path, file)
    keys.generate_key("kata-sandi-lain", replace=True)  # this PC has another key now
    before, key_before = snapshot(path), keys.stored_key_id()
    try:
        dialog = BackupFileDialog(path, file)
        qtbot.addWidget(dialog)
        text = dialog.details.toPlainText()
        assert "1 baris berisi realisasi" in text
        assert "diganti oleh kunci" in text
        assert not dialog.restore_button.isEnabled()  # the tick is required
        dialog.understood.setChecked(True)
        assert dialog.restore_button.isEnabled()
        dialog.reject()

        # From the window: Pulihkan dari cadangan… › the file › Batal.
        window = make_window(db)
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(file), ""))
        monkeypatch.setattr(BackupFileDialog, "exec", lambda self: 0)

        def pick_file(dialog: RestoreDialog) -> int:
            dialog.from_file.click()
            return int(dialog.result())

        monkeypatch.setattr(RestoreDialog, "exec", pick_file)
        window.restore_action.trigger()
        assert window.isVisible() and requested_restore(window) is None
        assert snapshot(path) == before and keys.stored_key_id() == key_before
    finally:
        db.dispose()


def test_a_tampered_file_shows_the_refusal_and_cannot_be_restored(
    tmp_path: Path, qtbot: QtBot
) -> None:
    db = _database(tmp_path)
    assert db.path is not None
    try:
        bad = tmp_path / "bad.monevcadangan"
        bad.write_bytes(b"bukan cadangan")
        dialog = BackupFileDialog(db.path, bad)
        qtbot.addWidget(dialog)
        assert "bukan berkas cadangan" in dialog.details.toPlainText()
        dialog.understood.setChecked(True)
        assert not dialog.restore_button.isEnabled()
    finally:
        db.dispose()


def test_confirming_closes_the_window_and_run_gui_restores_data_and_key(
    tmp_path: Path,
    make_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = _database(tmp_path)
    assert db.path is not None
    path = db.path
    file = tmp_path / "c.monevcadangan"
    create_backup(path, file)
    key_id = keys.stored_key_id()
    with db.begin() as s:
        s.query(Realisation).delete()
    keys.generate_key("kata-sandi-lain", replace=True)
    window = make_window(db)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(file), ""))

    def confirm(dialog: BackupFileDialog) -> int:
        dialog.understood.setChecked(True)
        return int(QDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(BackupFileDialog, "exec", confirm)

    def pick_file(dialog: RestoreDialog) -> int:
        dialog.from_file.click()
        return int(dialog.result())

    monkeypatch.setattr(RestoreDialog, "exec", pick_file)
    window.restore_action.trigger()
    assert not window.isVisible() and requested_restore(window) == file
    db.dispose()
    monkeypatch.setattr(QMessageBox, "information", lambda *_a: None)
    monkeypatch.setattr(application, "open_seeded", lambda p, **_k: open_database(p))
    restored = application.restore_and_open(path, file)
    assert restored is not None
    try:
        with restored.begin() as s:
            assert s.query(Realisation).count() == 1
        assert keys.load_key(PASSPHRASE).key_id == key_id
        assert os.path.exists(path)
    finally:
        restored.dispose()
