"""Opening a database on a PostgreSQL server: plain Indonesian refusals, passwords from
libpq's own conventions (PGPASSWORD, a password file), never kept in the app's URL."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.models.db import DatabaseError, PasswordRequired, ServerUnreachable, open_database
from tests.conftest import PgServer

PASSWORD = "sandi-server-uji"


def test_a_server_that_does_not_answer_is_said_plainly() -> None:
    # Port 1 on the loopback: nothing listens there, on any machine that runs the tests.
    with pytest.raises(ServerUnreachable) as err:
        open_database("postgresql+psycopg://monev@127.0.0.1:1/monev")
    message = str(err.value)
    assert message.startswith("Server basis data tidak dapat dihubungi: ")
    assert "127.0.0.1" in message and "Traceback" not in message
    assert "\n" not in message  # libpq's hint lines are left out


def test_a_program_without_the_server_driver_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)  # as in a bundle that left it out
    with pytest.raises(DatabaseError, match=r"Pustaka untuk server basis data \(psycopg\)"):
        open_database("postgresql+psycopg://monev@127.0.0.1:1/monev")


@dataclass
class Role:
    url: str  # without a password
    key: Path


@pytest.fixture
def role(pg_server: PgServer | None, tmp_path: Path) -> Iterator[Role]:
    """A login role with a password owning a fresh empty database (PostgreSQL run only)."""
    if pg_server is None:
        pytest.skip("needs a PostgreSQL server (--pg-url)")
    name = f"monev_sandi_{os.getpid()}"
    key = tmp_path / "sandi.sqlite"
    with pg_server.admin.connect() as con:
        con.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
        con.execute(text(f"CREATE ROLE \"{name}\" LOGIN PASSWORD '{PASSWORD}'"))
    database = make_url(pg_server.fresh(key, None)).database
    with pg_server.admin.connect() as con:
        con.execute(text(f'ALTER DATABASE "{database}" OWNER TO "{name}"'))
    url = pg_server.admin_url.set(username=name, password=None, database=database)
    yield Role(url.render_as_string(hide_password=False), key)
    pg_server.drop([key])
    with pg_server.admin.connect() as con:
        con.execute(text(f'DROP ROLE IF EXISTS "{name}"'))


@pytest.fixture
def no_password(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "tidak-ada.pgpass"))


def test_without_a_password_the_server_asks_for_one(role: Role, no_password: None) -> None:
    with pytest.raises(PasswordRequired) as err:
        open_database(role.url)
    assert "meminta kata sandi" in str(err.value) and "PGPASSWORD" in str(err.value)


def test_pgpassword_opens_and_migrates_a_url_without_password(
    role: Role, no_password: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    db = open_database(role.url)
    try:
        assert db.created and db.path is None
        with db.begin() as s:
            assert s.execute(text("SELECT count(*) FROM plan")).scalar() == 0
    finally:
        db.dispose()


def test_a_password_file_is_read_too(
    role: Role, no_password: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = make_url(role.url)
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"{url.host}:{url.port}:{url.database}:{url.username}:{PASSWORD}\n")
    pgpass.chmod(0o600)  # libpq ignores a password file others can read
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    open_database(role.url).dispose()


def test_a_wrong_password_is_refused_plainly_and_not_kept(role: Role, no_password: None) -> None:
    wrong = make_url(role.url).set(password="salah").render_as_string(hide_password=False)
    with pytest.raises(ServerUnreachable, match="ditolak server") as err:
        open_database(wrong)
    assert "salah" not in str(err.value)
    right = make_url(role.url).set(password=PASSWORD).render_as_string(hide_password=False)
    db = open_database(right)
    db.dispose()
    assert PASSWORD not in db.url  # the window shows db.url; the password stays out


def test_a_file_database_of_a_test_is_on_the_server_in_the_server_run(
    tmp_path: Path, on_server: bool
) -> None:
    """The suite's own mapping (tests/conftest.py): without it the PG run tests nothing."""
    db = open_database(tmp_path / "x.sqlite")
    try:
        assert db.engine.dialect.name == ("postgresql" if on_server else "sqlite")
        assert db.path == tmp_path / "x.sqlite"  # reopening the path reaches the same data
    finally:
        db.dispose()


def test_a_copied_database_is_a_separate_copy(
    tmp_path: Path, copy_db: Callable[[Path, Path], None]
) -> None:
    source, copy = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    db = open_database(source)
    with db.begin() as s:
        s.execute(text("INSERT INTO setting (key, value) VALUES ('uji', 'asal')"))
    db.dispose()
    copy_db(source, copy)
    db = open_database(copy)
    with db.begin() as s:
        assert s.execute(text("SELECT value FROM setting WHERE key = 'uji'")).scalar() == "asal"
        s.execute(text("UPDATE setting SET value = 'salinan' WHERE key = 'uji'"))
    db.dispose()
    db = open_database(source)
    with db.begin() as s:
        assert s.execute(text("SELECT value FROM setting WHERE key = 'uji'")).scalar() == "asal"
    db.dispose()
