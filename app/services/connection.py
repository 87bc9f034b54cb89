"""Which database the window opens, and the password of a server: rules without Qt.

The window remembers its database (a local file or a server) in a small JSON file in
the user's data folder, outside every database, so that it is known before one opens.
What is written there is a URL *without* a password: a password is never written by the
app. A server's password is found, in this order, by

1. the PostgreSQL client library itself (``PGPASSWORD``, ``~/.pgpass`` or
   ``%APPDATA%\\postgresql\\pgpass.conf``): nothing to do here, the first connection
   simply succeeds;
2. the OS keyring (Windows Credential Manager, macOS Keychain, Secret Service), when
   one works on this PC; the ``keyring`` package is optional at run time;
3. asking the person at the window (``app.ui.db_password``).
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from app.models.db import DatabaseError, ServerUnreachable, make_engine, server_error
from app.paths import default_data_dir

SETTINGS_NAME = "basis-data.json"
DRIVER = "postgresql+psycopg"
DEFAULT_PORT = 5432
# The keyring entry's service name; the entry's user name is ``user@host:port/database``.
KEYRING_SERVICE = "Monev RAD PUG"
# Seconds before libpq gives up on a server that does not answer (a wrong address on
# the LAN would otherwise hold the window's start for the system's TCP timeout).
CONNECT_TIMEOUT = 10


def is_url(target: Path | str | None) -> bool:
    return target is not None and "://" in str(target)


# --- server URLs ------------------------------------------------------------------------


@dataclass(frozen=True)
class ServerSetting:
    """What the window's database setting asks for a server (no password field)."""

    host: str
    port: int
    database: str
    user: str

    def url(self) -> str:
        return URL.create(
            DRIVER,
            username=self.user or None,
            host=self.host,
            port=self.port,
            database=self.database,
        ).render_as_string()


def parse_server(url: str) -> tuple[ServerSetting, str | None]:
    """The setting a server URL names, and the password written in it (``None``: none).

    Raises ``ValueError`` (Indonesian) for a URL that is not a PostgreSQL server's.
    """
    try:
        parsed = make_url(url.strip())
    except ArgumentError as exc:
        raise ValueError(f"URL tidak dapat dibaca: {url}") from exc
    if parsed.get_backend_name() != "postgresql" or not parsed.host or not parsed.database:
        raise ValueError(
            "URL server harus berbentuk postgresql+psycopg://pengguna@alamat:port/nama_basis_data."
        )
    setting = ServerSetting(
        parsed.host, parsed.port or DEFAULT_PORT, parsed.database, parsed.username or ""
    )
    return setting, parsed.password if parsed.password else None


def without_password(url: str) -> tuple[str, bool]:
    """``url`` with any password taken out, and whether there was one."""
    parsed = make_url(url)
    if parsed.password is None:
        return url, False
    # (``URL.set(password=None)`` means "leave it as it is": build the URL anew.)
    bare = URL.create(
        parsed.drivername,
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    )
    return bare.render_as_string(hide_password=False), True


def with_password(url: str, password: str | None) -> str:
    """The URL to connect with (kept in memory only): the password, and a timeout."""
    parsed = make_url(url)
    if password is not None:
        parsed = parsed.set(password=password)
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        parsed = parsed.update_query_dict({"connect_timeout": str(CONNECT_TIMEOUT)})
    return parsed.render_as_string(hide_password=False)


def server_label(url: str) -> str:
    """``host/database`` (with ``:port`` when not the usual one), for titles and the bar."""
    parsed = make_url(url)
    port = f":{parsed.port}" if parsed.port and parsed.port != DEFAULT_PORT else ""
    return f"{parsed.host}{port}/{parsed.database}"


def password_rejected(exc: ServerUnreachable) -> bool:
    """True when the server turned down the password given (not: asked for one)."""
    return "password authentication failed" in str(exc.__cause__ or "")


# --- the remembered choice ----------------------------------------------------------------


def settings_file() -> Path:
    return default_data_dir() / SETTINGS_NAME


def remembered_target() -> Path | str | None:
    """The database chosen in the window for the next start (``None``: the default file).

    An unreadable settings file counts as no choice: the window then opens the default
    file, where the user can choose again.
    """
    try:
        data = json.loads(settings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    if data.get("kind") == "server" and isinstance(data.get("url"), str):
        # Never trust that the file holds no password: someone may have edited it.
        return without_password(data["url"])[0]
    if data.get("kind") == "file" and isinstance(data.get("path"), str) and data["path"]:
        return Path(data["path"])
    return None


def remember_target(target: Path | str | None) -> bool:
    """Keep ``target`` as the next start's database; ``True`` when a password was taken
    out of a URL (it is not stored; the caller tells the user)."""
    stripped = False
    data: dict[str, Any]
    if is_url(target):
        url, stripped = without_password(str(target))
        data = {"kind": "server", "url": url}
    elif target is None:
        data = {"kind": "file", "path": ""}
    else:
        data = {"kind": "file", "path": str(target)}
    file = settings_file()
    file.parent.mkdir(parents=True, exist_ok=True)
    # Written beside and renamed over: a crash leaves the old choice or the new one.
    partial = file.with_name(f".{file.name}.baru")
    partial.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(partial, file)
    return stripped


def window_target(given: Path | str | None) -> Path | str | None:
    """What the window opens: ``--db`` when given, else the remembered choice.

    A ``sqlite:///`` URL is the file it names: the window then takes the file's way in
    (the single-window lock, the check and backup on open), as for a path.
    """
    target = given if given is not None else remembered_target()
    if is_url(target):
        with contextlib.suppress(ArgumentError):
            parsed = make_url(str(target))
            if parsed.get_backend_name() == "sqlite" and parsed.database:
                return Path(parsed.database)
    return target


# --- the OS keyring -------------------------------------------------------------------------


def _keyring() -> Any | None:
    """The ``keyring`` module when a real backend works here, else ``None``."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:  # a bundle may leave it out: the prompt still works
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken backend configuration must not stop the window
        return None
    if isinstance(backend, fail.Keyring):
        return None
    return keyring


def keyring_available() -> bool:
    """Whether a password can be kept in the OS keyring on this PC."""
    return _keyring() is not None


def _entry(url: str) -> str:
    parsed = make_url(url)
    return f"{parsed.username or ''}@{parsed.host}:{parsed.port or DEFAULT_PORT}/{parsed.database}"


def keyring_password(url: str) -> str | None:
    """The password kept in the keyring for this server and user, if any."""
    keyring = _keyring()
    if keyring is None:
        return None
    try:
        found = keyring.get_password(KEYRING_SERVICE, _entry(url))
    except Exception:  # a locked or absent keyring daemon: as if nothing were kept
        return None
    return found if isinstance(found, str) and found else None


def keep_password(url: str, password: str) -> bool:
    """Put the password in the keyring; ``False`` when no keyring took it."""
    keyring = _keyring()
    if keyring is None:
        return False
    try:
        keyring.set_password(KEYRING_SERVICE, _entry(url), password)
    except Exception:
        return False
    return True


def forget_password(url: str) -> None:
    """Drop a kept password the server has turned down (it was changed on the server)."""
    keyring = _keyring()
    if keyring is not None:
        with contextlib.suppress(Exception):
            keyring.delete_password(KEYRING_SERVICE, _entry(url))


# --- trying a server ------------------------------------------------------------------------


def server_version(url: str) -> str:
    """Connect once and return the server's version ("PostgreSQL 15.8"); nothing is
    created or changed. Raises ``ServerUnreachable`` (``PasswordRequired`` when a password
    is wanted) or ``DatabaseError`` (no driver) with an Indonesian message."""
    engine = make_engine(with_password(url, None))
    if engine.dialect.name != "postgresql":
        engine.dispose()
        raise DatabaseError("URL itu bukan server PostgreSQL.")
    try:
        try:
            with engine.connect() as con:
                version = con.exec_driver_sql("SHOW server_version").scalar()
        except OperationalError as exc:
            raise server_error(engine, exc) from exc
    finally:
        engine.dispose()
    return f"PostgreSQL {str(version).split(' ')[0]}"
