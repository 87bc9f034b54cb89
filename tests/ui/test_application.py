"""Starting the window: a second instance is refused, a damaged file is restored."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app.formats.synthetic import synthetic_plan
from app.models.db import make_backup, open_database
from app.models.lock import InstanceLock
from app.services import catalog
from app.services.seeding import load_plan_data
from app.ui import application


class Boxes:
    """Stands in for QMessageBox.critical: records what the user would have read."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.shown: list[tuple[str, str]] = []
        self.told: list[str] = []
        monkeypatch.setattr(QMessageBox, "critical", self._critical)
        monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: self.told.append(text))

    def _critical(self, parent: object, title: str, text: str, *a: object) -> int:
        self.shown.append((title, text))
        return int(QMessageBox.StandardButton.Ok.value)


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> Boxes:
    return Boxes(monkeypatch)


def test_a_second_instance_on_the_same_database_is_refused(tmp_path: Path, boxes: Boxes) -> None:
    path = tmp_path / "monev.sqlite"
    first = InstanceLock(path).acquire()
    try:
        assert application.acquire_lock(path) is None
        ((_title, text),) = boxes.shown
        # Plain words for the person at the window: no pid, host or --db.
        assert text.startswith("Aplikasi ini sudah terbuka di jendela lain.")
        assert "pid" not in text and "--db" not in text
        # The whole start-up stops there, with a failure exit code, before opening the file.
        assert application.run_gui(path) != 0
        assert len(boxes.shown) == 2
        assert not path.exists()
    finally:
        first.release()
    lock = application.acquire_lock(path)
    assert lock is not None  # free again once the first window is gone
    lock.release()


def _damaged_with_backup(path: Path) -> Path:
    db = open_database(path)
    load_plan_data(db, synthetic_plan(40, opds=2))
    db.dispose()
    backup = make_backup(path, "uji")
    with open(path, "r+b") as fh:  # overwrite the SQLite header: the file is now unreadable
        fh.write(b"\x00" * 100)
    return backup


@pytest.mark.sqlite_only  # a damaged file and its backup copies
def test_a_damaged_database_is_restored_from_the_newest_good_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, boxes: Boxes
) -> None:
    path = tmp_path / "monev.sqlite"
    backup = _damaged_with_backup(path)
    monkeypatch.setattr(application, "open_seeded", open_database)
    asked: list[str] = []

    def choose_restore(parent: object, title: str, text: str, choices: list[str], **kw: object):
        asked.append(text)
        return 0

    monkeypatch.setattr(application.messages, "ask", choose_restore)
    db = application.open_interactive(path)
    assert db is not None
    try:
        assert backup.name in asked[0] and "rusak" in asked[0]
        # What the restore loses is said before it happens (issue 11, item 9).
        made = backup.name.split("-")[1]
        assert f"semua perubahan setelah {made[6:8]}-{made[4:6]}-{made[:4]}" in asked[0]
        assert "isi basis data saat ini tidak dapat dibaca" in asked[0].lower()
        assert "tidak dihapus" in asked[0]
        with db.begin() as s:
            assert len(catalog.load_rows(s, catalog.get_plan(s).id)) == 40
    finally:
        db.dispose()
    (kept,) = tmp_path.glob("monev-rusak-*.sqlite")  # the damaged file is kept aside
    assert kept.name in boxes.told[0]


@pytest.mark.sqlite_only  # a damaged file and its backup copies
def test_a_damaged_database_can_be_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, boxes: Boxes
) -> None:
    path = tmp_path / "monev.sqlite"
    _damaged_with_backup(path)
    monkeypatch.setattr(application.messages, "ask", lambda *a, **k: 1)  # "Keluar"
    assert application.open_interactive(path) is None
    assert not list(tmp_path.glob("monev-rusak-*.sqlite"))


@pytest.mark.sqlite_only  # a damaged file and its backup copies
def test_a_damaged_database_without_backup_says_so(tmp_path: Path, boxes: Boxes) -> None:
    path = tmp_path / "monev.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    assert application.open_interactive(path) is None
    ((_title, text),) = boxes.shown
    assert "Tidak ada cadangan" in text


def test_first_run_offers_the_signing_key_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.formats import keys
    from app.models.db import open_database
    from app.services.profile import ROLE_FOCAL, Profile
    from app.ui import key_dialog

    shown: list[bool] = []
    monkeypatch.setattr(key_dialog.KeyDialog, "exec", lambda self: shown.append(True) or 0)
    profile = Profile(ROLE_FOCAL, "Budi Santoso", "197905152003121002", "OPD-002", 2023)
    monkeypatch.setattr(application, "first_run_profile", lambda *a, **k: profile)
    db = open_database(tmp_path / "a.sqlite")
    try:
        assert application.ensure_profile(db) is profile
        assert shown == [True]  # no key yet: the key dialog came up after the profile
        keys.generate_key("rahasia-dinas-2023")  # MONEV_DATA_DIR is the test's folder
        application.offer_key()
        assert shown == [True]  # a key exists: not asked again
    finally:
        db.dispose()


def test_first_run_restoring_a_backup_offers_no_new_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.ui import key_dialog
    from app.ui.first_run import RestoreRequest

    shown: list[bool] = []
    monkeypatch.setattr(key_dialog.KeyDialog, "exec", lambda self: shown.append(True) or 0)
    request = RestoreRequest(tmp_path / "lama.monevcadangan")
    monkeypatch.setattr(application, "first_run_profile", lambda *a, **k: request)
    db = open_database(tmp_path / "a.sqlite")
    try:
        # The backup brings its own profile and key: run_gui restores it, nothing is asked.
        assert application.ensure_profile(db) is request
        assert shown == []
    finally:
        db.dispose()


@pytest.mark.sqlite_only  # a damaged file and its backup copies
def test_damage_met_while_building_the_window_offers_the_restore(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, boxes: Boxes
) -> None:
    from sqlalchemy.exc import OperationalError

    import app.ui.main_window as main_window
    from app.services.profile import ROLE_POKJA, Profile, save_profile
    from tests.models.test_db_deferred import damage_last_page, make_with_filler

    path = tmp_path / "monev.sqlite"
    make_with_filler(path)
    db = open_database(path)
    with db.begin() as s:
        save_profile(s, Profile(ROLE_POKJA, "Siti", "198001012005011001", None, 2023))
    db.dispose()
    make_backup(path, "uji")
    damage_last_page(path)  # the cheap check lets it through; a page read fails

    def broken_window(*a: object, **k: object) -> None:
        raise OperationalError("SELECT", {}, Exception("database disk image is malformed"))

    asked: list[str] = []
    monkeypatch.setattr(main_window, "MainWindow", broken_window)
    monkeypatch.setattr(
        application.messages, "ask", lambda p, t, text, *a, **k: asked.append(text) or 1
    )
    assert application.run_gui(path) == application.EXIT_FAIL
    assert "rusak" in asked[0] and "Pulihkan dari cadangan itu?" in asked[0]
    assert not list(tmp_path.glob("monev-rusak-*.sqlite"))  # "Keluar": nothing replaced
