"""Berkas → Basis data…: choosing the next start's database, testing a server."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.models.db import Database
from app.services import connection
from app.ui import db_setting
from app.ui.db_password import PasswordAnswer
from app.ui.db_setting import DatabaseSettingDialog
from app.ui.main_window import MainWindow
from tests.services.fake_keyring import MemoryKeyring, memory_keyring

__all__ = ["memory_keyring"]  # a fixture used below


def _dialog(qtbot: QtBot, db: Database | None = None) -> DatabaseSettingDialog:
    dialog = DatabaseSettingDialog(db)
    qtbot.addWidget(dialog)
    return dialog


def _test(qtbot: QtBot, dialog: DatabaseSettingDialog) -> str:
    with qtbot.waitSignal(dialog.tested, timeout=20_000) as told:
        dialog.test_button.click()
        # The answer comes back through the event loop, so it cannot have come yet.
        assert dialog.busy.isVisibleTo(dialog) and not dialog.test_button.isEnabled()
        assert dialog.outcome.text() == "Menghubungi server…"
    assert not dialog.busy.isVisibleTo(dialog) and dialog.test_button.isEnabled()
    return str(told.args[0])


def test_the_file_menu_opens_the_setting_from_the_keyboard(
    syn_db: Database, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[DatabaseSettingDialog] = []
    monkeypatch.setattr(DatabaseSettingDialog, "exec", lambda self: shown.append(self) or 0)
    window = make_window(syn_db)
    (berkas,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&Berkas"]
    assert window.db_setting_action in berkas.actions()
    assert "&d" in window.db_setting_action.text()  # Alt+B, then D
    window.db_setting_action.trigger()
    (dialog,) = shown
    # Opened on the window's own database: the file is shown as the current choice.
    assert dialog.local.isChecked() and dialog.path.text() == str(syn_db.path)
    current = dialog.findChild(QLabel, "current")
    assert current is not None and str(syn_db.path) in current.text()


def test_a_server_is_saved_for_the_next_start_without_a_password(
    qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot)
    assert dialog.local.isChecked()  # nothing chosen yet: the local file
    dialog.server.setChecked(True)
    assert dialog.server_box.isEnabled() and not dialog.file_box.isEnabled()
    dialog.host.setText("10.20.1.5")
    dialog.accept()  # database and user missing: said, not saved
    assert "nama basis data, pengguna" in dialog.outcome.text()
    assert not connection.settings_file().exists()
    dialog.database.setText("monev")
    dialog.user.setText("bappeda")
    dialog.port.setValue(5433)
    dialog.accept()
    assert connection.remembered_target() == "postgresql+psycopg://bappeda@10.20.1.5:5433/monev"
    # What the next start shows: the remembered server, not the default file.
    again = _dialog(qtbot)
    assert again.server.isChecked() and again.user.text() == "bappeda"
    assert again.port.value() == 5433


def test_a_pasted_url_fills_the_fields_and_its_password_is_not_stored(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot)
    dialog.server.setChecked(True)
    dialog.host.setText("postgresql+psycopg://monev:rahasia@10.20.1.5/pokja")
    dialog.host.editingFinished.emit()
    assert (dialog.host.text(), dialog.database.text(), dialog.user.text()) == (
        "10.20.1.5",
        "pokja",
        "monev",
    )
    assert "tidak disimpan" in dialog.outcome.text()  # the user is told
    dialog.accept()
    stored = connection.settings_file().read_text(encoding="utf-8")
    assert "rahasia" not in stored and "monev@10.20.1.5" in stored


def test_a_local_file_is_saved_as_the_choice(qtbot: QtBot, tmp_path: Path) -> None:
    connection.remember_target("postgresql+psycopg://monev@10.20.1.5/monev")
    dialog = _dialog(qtbot)
    assert dialog.server.isChecked()
    dialog.local.setChecked(True)
    dialog.path.setText(str(tmp_path / "pokja.sqlite"))
    dialog.accept()
    assert connection.remembered_target() == tmp_path / "pokja.sqlite"


def test_testing_an_unreachable_server_reports_why_in_indonesian(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot)
    dialog.server.setChecked(True)
    dialog.host.setText("127.0.0.1")
    dialog.port.setValue(1)
    dialog.database.setText("monev")
    dialog.user.setText("monev")
    told = _test(qtbot, dialog)
    assert told.startswith("Server basis data tidak dapat dihubungi:")
    assert not connection.settings_file().exists()  # testing saves nothing


def _fill(dialog: DatabaseSettingDialog, url: str) -> None:
    dialog.server.setChecked(True)
    dialog.host.setText(url)
    dialog.host.editingFinished.emit()


def test_testing_a_server_reports_its_version(qtbot: QtBot, server_url: str) -> None:
    dialog = _dialog(qtbot)
    _fill(dialog, server_url)
    assert _test(qtbot, dialog).startswith("Tersambung: PostgreSQL 1")


def test_testing_asks_the_password_once_and_keeps_it_in_the_keyring(
    qtbot: QtBot,
    server_url: str,
    monkeypatch: pytest.MonkeyPatch,
    memory_keyring: MemoryKeyring,
) -> None:
    role = f"monev_uji_{os.getpid()}"  # roles are the cluster's: one per test process
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        con.execute(text(f"DROP ROLE IF EXISTS {role}"))
        con.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD 'benar'"))
    asked: list[str] = []

    def prompt(url: str, error: str = "", parent: object = None) -> PasswordAnswer:
        asked.append(error)
        return PasswordAnswer("salah" if len(asked) == 1 else "benar", keep=True)

    monkeypatch.setattr(db_setting, "ask_password", prompt)
    try:
        url = make_url(server_url).set(username=role).render_as_string(hide_password=False)
        dialog = _dialog(qtbot)
        _fill(dialog, url)
        assert _test(qtbot, dialog).startswith("Tersambung: PostgreSQL")
        assert asked[0] == "" and "ditolak" in asked[1]  # wanted, then turned down
        assert list(memory_keyring.kept.values()) == ["benar"]
        # Another time: the keyring answers, nobody is asked.
        later = _dialog(qtbot)
        _fill(later, url)
        assert _test(qtbot, later).startswith("Tersambung: PostgreSQL")
        assert len(asked) == 2
    finally:
        with admin.connect() as con:
            con.execute(text(f"DROP ROLE IF EXISTS {role}"))
        admin.dispose()
