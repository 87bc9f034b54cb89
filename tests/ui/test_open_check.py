"""The deferred damage check: the window paints first, then checks and backs up."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app.models import db as dbmod
from app.ui import open_check
from app.ui.main_window import MainWindow
from tests.models.test_db_deferred import damage_last_page, make_with_filler
from tests.ui.conftest import POKJA

# The integrity check and backups on open are a SQLite file's.
pytestmark = pytest.mark.sqlite_only


def _open(path: Path) -> dbmod.Database:
    return dbmod.open_database(path, backup_on_open=True, defer_check=True)


def _buka(path: Path) -> list[Path]:
    return [b for b in dbmod.list_backups(path) if dbmod.backup_reason(b) == "buka"]


def test_a_whole_file_is_checked_and_backed_up_once_after_the_window_shows(
    tmp_path: Path, qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    path = tmp_path / "monev.sqlite"
    make_with_filler(path)
    db = _open(path)
    try:
        window = make_window(db)
        assert _buka(path) == []  # nothing read the whole file before the window
        check = open_check.start_open_check(window)
        assert check is not None
        with qtbot.waitSignal(check.finished, timeout=10_000) as done:
            pass
        assert done.args == [""]
        assert db.checked and window.form_area.isEnabled()
        assert "cadangan hari ini sudah dibuat" in window.statusBar().currentMessage()
        assert open_check.start_open_check(window) is None  # once per session
        (backup,) = _buka(path)
        assert dbmod.integrity_problem(backup) is None
    finally:
        db.dispose()


def test_damage_found_in_the_background_stops_writing_and_offers_restore(
    tmp_path: Path,
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "monev.sqlite"
    make_with_filler(path)
    good = dbmod.make_backup(path, "uji")
    damage_last_page(path)
    db = _open(path)  # the cheap check lets it through
    asked: list[str] = []
    restores: list[Path | None] = []

    def choose_restore(parent: object, title: str, message: str, choices: list[str], **k: object):
        asked.append(message)
        return 0  # "Pilih cadangan…"

    monkeypatch.setattr(open_check.messages, "ask", choose_restore)
    monkeypatch.setattr(open_check, "request_restore", lambda w, p: restores.append(p))
    try:
        window = make_window(db)
        assert window.form is not None and window.form_area.isEnabled()
        check = open_check.start_open_check(window)
        assert check is not None
        with qtbot.waitSignal(check.finished, timeout=10_000) as done:
            pass
        assert done.args[0]  # the problem SQLite reported
        assert "rusak" in asked[0] and "tidak ada perubahan yang disimpan" in asked[0]
        assert restores == [path]  # the menu's restore flow, on this file
        # No edit reaches the damaged file: the form is off and SQLite refuses writes.
        assert not window.form_area.isEnabled()
        assert not window.undo_action.isEnabled()
        assert window.form.row_id is None
        with pytest.raises(OperationalError, match="readonly"), db.begin() as s:
            s.execute(text("INSERT INTO setting (key, value) VALUES ('x', '1')"))
        assert "rusak" in window.statusBar().currentMessage()
        # A damaged file is never backed up: it would push good backups out.
        assert dbmod.list_backups(path) == [good]
    finally:
        db.dispose()


def test_the_check_starts_only_once_the_window_has_painted(
    tmp_path: Path, qtbot: QtBot, settings: QSettings
) -> None:
    path = tmp_path / "monev.sqlite"
    make_with_filler(path)
    db = _open(path)
    try:
        window = MainWindow(db, POKJA, settings=settings)
        qtbot.addWidget(window)
        open_check.check_after_first_paint(window)
        qtbot.wait(50)
        assert window.findChild(open_check.OpenCheck) is None  # not painted: not started
        window.show()
        qtbot.waitUntil(lambda: db.checked, timeout=10_000)
        assert len(_buka(path)) == 1
    finally:
        db.dispose()


def test_damage_found_in_the_background_also_stops_drops_terima_berkas_and_the_profile(
    tmp_path: Path,
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtCore import QUrl

    from tests.ui.test_import_dialog import _drag_drop

    path = tmp_path / "monev.sqlite"
    make_with_filler(path)
    dbmod.make_backup(path, "uji")
    damage_last_page(path)
    db = _open(path)
    monkeypatch.setattr(open_check.messages, "ask", lambda *a, **k: 1)  # "Nanti"
    submission = tmp_path / "kiriman.xlsx"
    submission.write_bytes(b"x")
    try:
        window = make_window(db)
        dialog = window.open_import([])  # Terima Berkas already open when damage is found
        assert dialog is not None and dialog.isEnabled()
        dialog.hide()
        for action in (window.import_action, window.profile_action):
            assert action.isEnabled()
        check = open_check.start_open_check(window)
        assert check is not None
        with qtbot.waitSignal(check.finished, timeout=10_000):
            pass
        # The toolbar's "Terima Berkas" button, Ctrl+I and Berkas → Profil pengguna are off.
        assert not window.import_action.isEnabled()
        assert not window.profile_action.isEnabled()
        assert not dialog.isEnabled()
        # A dropped submission is not taken (the cursor says so), nor opened another way.
        assert _drag_drop(window, [QUrl.fromLocalFile(str(submission))]) == (False, False)
        assert window.open_import([submission]) is None
    finally:
        db.dispose()
