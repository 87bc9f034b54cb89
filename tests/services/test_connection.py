"""The window's database choice and a server's password: never written, found in order."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from app.models.db import PasswordRequired, ServerUnreachable
from app.services import connection
from tests.services.fake_keyring import MemoryKeyring, memory_keyring, no_keyring

__all__ = ["memory_keyring", "no_keyring"]  # fixtures used below

SERVER = "postgresql+psycopg://monev@10.20.1.5:5432/monev"


def _stored() -> dict[str, str]:
    return json.loads(connection.settings_file().read_text(encoding="utf-8"))


def test_a_server_is_remembered_without_its_password() -> None:
    told = connection.remember_target("postgresql+psycopg://monev:rahasia%21@10.20.1.5/monev")
    assert told  # the caller says the password was left out
    text = connection.settings_file().read_text(encoding="utf-8")
    assert "rahasia" not in text
    assert _stored() == {"kind": "server", "url": "postgresql+psycopg://monev@10.20.1.5/monev"}
    assert connection.remembered_target() == "postgresql+psycopg://monev@10.20.1.5/monev"
    assert not connection.remember_target(SERVER)  # none to leave out: nothing to tell
    assert connection.remembered_target() == SERVER


def test_a_password_put_in_the_settings_by_hand_is_not_used() -> None:
    file = connection.settings_file()
    file.parent.mkdir(parents=True, exist_ok=True)
    url = "postgresql+psycopg://monev:ditulis-tangan@10.20.1.5/monev"
    file.write_text(json.dumps({"kind": "server", "url": url}), encoding="utf-8")
    assert connection.remembered_target() == "postgresql+psycopg://monev@10.20.1.5/monev"


def test_the_local_file_choice_and_command_line_precedence(tmp_path: Path) -> None:
    assert connection.remembered_target() is None  # nothing chosen: the default file
    assert connection.window_target(None) is None
    connection.remember_target(tmp_path / "pokja.sqlite")
    assert _stored() == {"kind": "file", "path": str(tmp_path / "pokja.sqlite")}
    assert connection.window_target(None) == tmp_path / "pokja.sqlite"
    connection.remember_target(SERVER)
    assert connection.window_target(None) == SERVER
    # --db on the command line wins over the remembered choice, file or server.
    assert connection.window_target(tmp_path / "lain.sqlite") == tmp_path / "lain.sqlite"
    connection.remember_target(None)
    assert connection.window_target(None) is None
    # A SQLite URL is the file it names (the window locks and checks it as a file).
    given = f"sqlite:///{tmp_path / 'url.sqlite'}"
    assert connection.window_target(given) == tmp_path / "url.sqlite"


def test_an_unreadable_settings_file_counts_as_no_choice() -> None:
    file = connection.settings_file()
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text("{ini bukan json", encoding="utf-8")
    assert connection.remembered_target() is None


def test_server_urls_are_built_and_read_without_surprises() -> None:
    setting = connection.ServerSetting("10.20.1.5", 5433, "monev", "bappeda")
    assert setting.url() == "postgresql+psycopg://bappeda@10.20.1.5:5433/monev"
    assert connection.parse_server(setting.url()) == (setting, None)
    parsed, password = connection.parse_server("postgresql+psycopg://a:p%40ss%2F1@h/d")
    assert parsed == connection.ServerSetting("h", 5432, "d", "a") and password == "p@ss/1"
    # The session's URL carries the password (memory only) and a connect timeout.
    live = connection.with_password(SERVER, "p@ss/1")
    assert connection.parse_server(live)[1] == "p@ss/1" and "connect_timeout=10" in live
    assert connection.server_label(SERVER) == "10.20.1.5/monev"
    assert connection.server_label(setting.url()) == "10.20.1.5:5433/monev"
    with pytest.raises(ValueError, match="postgresql"):
        connection.parse_server("sqlite:///monev.sqlite")


def test_the_keyring_keeps_and_gives_back_a_password(memory_keyring: MemoryKeyring) -> None:
    assert connection.keyring_available()
    assert connection.keyring_password(SERVER) is None
    assert connection.keep_password(SERVER, "rahasia")
    assert memory_keyring.kept == {("Monev RAD PUG", "monev@10.20.1.5:5432/monev"): "rahasia"}
    # The same server and user, however the URL is spelled (port, a password in it).
    assert connection.keyring_password("postgresql+psycopg://monev:x@10.20.1.5/monev") == "rahasia"
    assert connection.keyring_password("postgresql+psycopg://lain@10.20.1.5/monev") is None
    connection.forget_password(SERVER)
    assert connection.keyring_password(SERVER) is None
    connection.forget_password(SERVER)  # already gone: nothing to say


@pytest.mark.usefixtures("no_keyring")
def test_without_a_working_keyring_nothing_is_kept_and_nothing_breaks() -> None:
    assert not connection.keyring_available()
    assert not connection.keep_password(SERVER, "rahasia")
    assert connection.keyring_password(SERVER) is None
    connection.forget_password(SERVER)


def test_an_unreachable_server_is_said_in_indonesian() -> None:
    with pytest.raises(ServerUnreachable, match="tidak dapat dihubungi") as caught:
        connection.server_version("postgresql+psycopg://monev@127.0.0.1:1/monev")
    assert not isinstance(caught.value, PasswordRequired)
    assert not connection.password_rejected(caught.value)


def test_the_server_version_is_reported(server_url: str) -> None:
    assert connection.server_version(server_url).startswith("PostgreSQL 1")


def test_a_password_wanted_and_a_password_rejected_are_told_apart(server_url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    role = f"monev_uji_{os.getpid()}"  # roles are the cluster's: one per test process
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        con.execute(text(f"DROP ROLE IF EXISTS {role}"))
        con.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD 'benar'"))
    try:
        url = make_url(server_url).set(username=role).render_as_string(hide_password=False)
        with pytest.raises(PasswordRequired):
            connection.server_version(url)
        with pytest.raises(ServerUnreachable) as caught:
            connection.server_version(connection.with_password(url, "salah"))
        assert connection.password_rejected(caught.value)
        assert connection.server_version(connection.with_password(url, "benar"))
    finally:
        with admin.connect() as con:
            con.execute(text(f"DROP ROLE IF EXISTS {role}"))
        admin.dispose()
