"""Opening, backing up, detecting damage and restoring."""

import sqlite3
from pathlib import Path

import pytest

from app.domain.realisation import parse_realisation
from app.formats.synthetic import synthetic_plan
from app.models import db as dbmod
from app.models.lock import AlreadyOpen, InstanceLock
from app.services import catalog, entry
from app.services.seeding import load_plan_data


def _make(path: Path) -> int:
    db = dbmod.open_database(path)
    load_plan_data(db, synthetic_plan(50, opds=2))
    with db.begin() as s:
        row_id = catalog.load_rows(s, catalog.get_plan(s).id)[0].id
    entry.save_realisation(db, row_id, 2022, parse_realisation({"total": "7"}), "u")
    db.dispose()
    return row_id


@pytest.mark.sqlite_only
def test_window_open_leaves_a_good_backup(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    _make(path)
    db = dbmod.open_database(path, backup_on_open=True)
    db.dispose()
    backups = dbmod.list_backups(path)
    assert len(backups) == 1 and "buka" in backups[0].name
    assert dbmod.integrity_problem(backups[0]) is None


@pytest.mark.sqlite_only
def test_a_due_migration_is_preceded_by_a_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.sqlite"
    _make(path)
    migrated: list[bool] = []
    # Pretend a newer app whose head is past the file's revision.
    monkeypatch.setattr(dbmod, "HEAD_REVISION", "0002_future")
    monkeypatch.setattr(
        dbmod, "migrate", lambda engine: migrated.append(bool(dbmod.list_backups(path)))
    )
    dbmod.open_database(path).dispose()
    assert migrated == [True]
    assert "sebelum-migrasi" in dbmod.list_backups(path)[0].name


@pytest.mark.sqlite_only
def test_backups_rotate(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    _make(path)
    for _ in range(dbmod.BACKUP_KEEP + 3):
        dbmod.make_backup(path)
    assert len(dbmod.list_backups(path)) == dbmod.BACKUP_KEEP


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    # Overwrite the middle pages with garbage, leaving the header intact.
    start = 4096 * 2
    data[start : start + 8192] = b"\xde\xad\xbe\xef" * 2048
    path.write_bytes(bytes(data))


@pytest.mark.sqlite_only
def test_damaged_file_is_refused_and_restored_from_backup(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    row_id = _make(path)
    good = dbmod.make_backup(path)
    # Fold the WAL into the main file so that damaging it damages the data.
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    _damage(path)
    with pytest.raises(dbmod.DatabaseDamaged) as err:
        dbmod.open_database(path)
    assert "rusak" in str(err.value)
    assert err.value.backups[0] == good
    aside = dbmod.restore_backup(path, err.value.backups[0])
    assert aside is not None and aside.exists()
    db = dbmod.open_database(path)
    with db.begin() as s:
        got = entry.get_realisation(s, row_id, 2022)
    db.dispose()
    assert got is not None and str(got.breakdown.total.normalize()) == "7"


def test_second_instance_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    with InstanceLock(path), pytest.raises(AlreadyOpen, match="sedang dibuka"):
        InstanceLock(path).acquire()
    # Released: a new window may open it.
    InstanceLock(path).acquire().release()


def test_the_window_gets_a_plain_sentence_the_command_line_the_details(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    with InstanceLock(path), pytest.raises(AlreadyOpen) as window:
        InstanceLock(path).acquire()
    assert "pid" in str(window.value) and "--db" in str(window.value)
    plain = window.value.plain
    assert plain.startswith("Aplikasi ini sudah terbuka di jendela lain.")
    assert "pid" not in plain and "--db" not in plain and path.name not in plain
    with InstanceLock(path, "perintah import"), pytest.raises(AlreadyOpen) as command:
        InstanceLock(path).acquire()
    assert "sedang diperbarui oleh proses lain" in command.value.plain
