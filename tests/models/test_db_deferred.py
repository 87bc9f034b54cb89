"""The window's open: a cheap check before the first paint, the full one left to it."""

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app.formats.synthetic import synthetic_plan
from app.models import db as dbmod
from app.services.seeding import load_plan_data

# The integrity check and backups on open are a SQLite file's.
pytestmark = pytest.mark.sqlite_only


def make_with_filler(path: Path) -> None:
    """A small plan, then a table of filler written last, so the file's last pages hold
    data the window never reads: damage there is found only by the full check."""
    db = dbmod.open_database(path)
    load_plan_data(db, synthetic_plan(40, opds=2))
    db.dispose()
    con = sqlite3.connect(path)
    with con:
        con.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, data BLOB)")
        con.executemany("INSERT INTO filler (data) VALUES (?)", [(b"x" * 900,)] * 200)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def damage_last_page(path: Path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.seek(size - 4096)
        fh.write(b"\xde\xad\xbe\xef" * 1024)


def test_the_cheap_check_passes_a_whole_file_and_refuses_a_broken_header(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a.sqlite"
    make_with_filler(path)
    assert dbmod.quick_problem(path) is None
    data = bytearray(path.read_bytes())
    data[:16] = b"\x00" * 16
    path.write_bytes(bytes(data))
    assert dbmod.quick_problem(path) == "file is not a database"


def test_the_cheap_check_finds_a_truncated_copy(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    make_with_filler(path)
    with open(path, "r+b") as fh:
        fh.truncate(path.stat().st_size - 8192)
    assert "truncated" in (dbmod.quick_problem(path) or "")


def test_a_deferred_open_makes_no_backup_and_leaves_the_check_to_the_caller(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a.sqlite"
    make_with_filler(path)
    damage_last_page(path)
    # Damage inside data pages passes the cheap check; the full one finds it.
    db = dbmod.open_database(path, backup_on_open=True, defer_check=True)
    db.dispose()
    assert db.checked is False
    assert dbmod.list_backups(path) == []  # never a backup before the full check
    assert dbmod.integrity_problem(path) is not None
    # The command line still refuses it at once.
    with pytest.raises(dbmod.DatabaseDamaged):
        dbmod.open_database(path)


def test_a_due_migration_checks_fully_and_backs_up_first_even_when_deferred(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.sqlite"
    make_with_filler(path)
    migrated: list[bool] = []
    monkeypatch.setattr(dbmod, "HEAD_REVISION", "0002_future")
    monkeypatch.setattr(
        dbmod, "migrate", lambda engine: migrated.append(bool(dbmod.list_backups(path)))
    )
    db = dbmod.open_database(path, backup_on_open=True, defer_check=True)
    db.dispose()
    assert migrated == [True] and db.checked is True
    assert "sebelum-migrasi" in dbmod.list_backups(path)[0].name
    damage_last_page(path)
    migrated.clear()
    with pytest.raises(dbmod.DatabaseDamaged):  # a damaged file is never migrated
        dbmod.open_database(path, defer_check=True)
    assert migrated == []


def test_blocked_writes_are_refused_by_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    make_with_filler(path)
    db = dbmod.open_database(path)
    try:
        with db.begin() as s:  # a pooled connection opened before the block
            s.execute(text("INSERT INTO setting (key, value) VALUES ('a', '1')"))
        db.block_writes()
        with pytest.raises(OperationalError, match="readonly"), db.begin() as s:
            s.execute(text("INSERT INTO setting (key, value) VALUES ('b', '2')"))
        with db.begin() as s:  # reading goes on
            assert s.execute(text("SELECT value FROM setting WHERE key = 'a'")).scalar() == "1"
    finally:
        db.dispose()
