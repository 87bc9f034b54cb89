"""The installation's signing key from the window: create, show, replace."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from app.formats import keys
from app.ui import messages
from app.ui.key_dialog import KeyDialog

SECRET = "rahasia-dinas-2023"


def _dialog(qtbot: QtBot, folder: Path) -> KeyDialog:
    dialog = KeyDialog(folder, first_run=True)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_first_run_creates_the_key_and_shows_its_fingerprint(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, tmp_path)
    assert dialog.passphrase.isVisible() and not dialog.fingerprint.isVisible()
    assert dialog.close_button.text() == "Nanti saja"

    # Two different passphrases: refused, nothing written, the typed text kept.
    dialog.passphrase.setText(SECRET)
    dialog.again.setText(SECRET + "x")
    assert dialog.create_key() is None
    assert "tidak sama" in dialog.error.text() and not keys.key_exists(tmp_path)
    assert dialog.passphrase.text() == SECRET
    # Too short: the core's own rule, in Indonesian.
    dialog.passphrase.setText("pendek")
    dialog.again.setText("pendek")
    assert dialog.create_key() is None
    assert "minimal 8 karakter" in dialog.error.text() and not keys.key_exists(tmp_path)

    dialog.passphrase.setText(SECRET)
    dialog.again.setText(SECRET)
    key_id = dialog.create_key()
    assert key_id is not None and keys.stored_key_id(tmp_path) == key_id
    assert keys.load_key(SECRET, tmp_path).key_id == key_id
    assert dialog.fingerprint.isVisible()
    assert dialog.fingerprint.text() == keys.grouped(key_id)
    assert not dialog.passphrase.isVisible() and dialog.passphrase.text() == ""
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == keys.grouped(key_id)


def test_an_existing_key_is_shown_and_replaced_only_when_confirmed(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = keys.generate_key(SECRET, tmp_path).key_id
    dialog = _dialog(qtbot, tmp_path)
    assert dialog.fingerprint.text() == keys.grouped(old)
    assert not dialog.passphrase.isVisible()

    monkeypatch.setattr(messages, "ask", lambda *a, **k: 1)  # "Batal"
    dialog.replace_button.click()
    assert not dialog.passphrase.isVisible() and keys.stored_key_id(tmp_path) == old

    monkeypatch.setattr(messages, "ask", lambda *a, **k: 0)  # "Ganti kunci"
    dialog.replace_button.click()
    assert dialog.passphrase.isVisible() and "Pokja PUG harus menerima" in dialog.intro.text()
    dialog.passphrase.setText(SECRET)
    dialog.again.setText(SECRET)
    new = dialog.create_key()
    assert new is not None and new != old and keys.stored_key_id(tmp_path) == new
