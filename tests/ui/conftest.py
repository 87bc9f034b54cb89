"""Fixtures for the window tests: offscreen Qt, a synthetic plan, profiles, settings."""

from __future__ import annotations

import os

# Before anything imports Qt: tests never need a screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.models.db import Database
from app.services.profile import ROLE_FOCAL, ROLE_POKJA, Profile
from app.ui.main_window import MainWindow

POKJA = Profile(ROLE_POKJA, "Siti Aminah", "198001012005011001", None, 2023)
FOCAL = Profile(ROLE_FOCAL, "Budi Santoso", "197905152003121002", "OPD-002", 2023)


@pytest.fixture(autouse=True)
def _application(qapp: QApplication) -> QApplication:
    """Every UI test has the QApplication, even one that builds only a model or icon."""
    return qapp


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """Window state in a file of this test, never in the developer's own settings."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(
    qtbot: QtBot, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., MainWindow]:
    import app.ui.main_window as main_window

    def discard_on_teardown(window: object) -> None:
        # A test may end with a refused value in the form; closing would then ask
        # whether to discard it. The test is over, so the answer is yes.
        monkeypatch.setattr(main_window, "confirm_discard", lambda parent, message: True)

    def make(db: Database, profile: Profile = POKJA) -> MainWindow:
        window = MainWindow(db, profile, settings=settings)
        qtbot.addWidget(window, before_close_func=discard_on_teardown)
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()  # keyboard focus, as on a desktop
        return window

    return make


@pytest.fixture(autouse=True)
def _no_unexpected_modal_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A message box nobody patched would block the run forever: fail the test instead."""
    from PySide6.QtWidgets import QMessageBox

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"unexpected modal message box: {args[1:3]}")

    for name in ("warning", "critical", "information", "question", "about"):
        monkeypatch.setattr(QMessageBox, name, refuse)
    monkeypatch.setattr(QMessageBox, "exec", lambda self: refuse(self, self.text()))


@pytest.fixture(autouse=True)
def _settings_home(tmp_path: Path) -> None:
    """A window that writes QSettings() itself (its remembered size, a last folder)
    writes into this test's folder, never the developer's own settings."""
    home = str(tmp_path / "qsettings")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, home)
        QSettings.setPath(fmt, QSettings.Scope.SystemScope, home)
