"""Opening a database: engine, pragmas, integrity check, backups and migrations.

The order on open matters and is the same for the window and the command line:
integrity check → backup copy (SQLite backup API) when a migration is due → migrate.
The window may ask for ``defer_check``: the full check reads the whole file, so only a
cheap check (header, page count, schema) runs before the first paint and the window runs
:func:`integrity_problem` and the ``buka`` backup in the background (a migration-due
open still checks fully and backs up first).
Opening never seeds: the models sit below the use cases, so the caller seeds
(``app.services.database.open_seeded``). A damaged file is never migrated or
written to; the caller gets :class:`DatabaseDamaged` with the backups it can restore.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.models.lock import InstanceLock
from app.models.schema import Base
from app.paths import default_db_path

# The newest migration id. Checked against the migration scripts by a test, so that
# opening an up-to-date database does not need to load Alembic at all (cold start).
HEAD_REVISION = "0014_board_indexes"
BACKUP_KEEP = 10

# Set only by the test suite's PostgreSQL run (tests/conftest.py, ``--pg-url``): it maps
# each file path a test opens to a server database, so the same tests run on both engines.
# The path stays the database's identity there: reopening it reaches the same database.
path_to_url: Callable[[Path], str] | None = None


class DatabaseError(RuntimeError):
    """A database problem whose message (Indonesian) can be shown to users as is."""


class DatabaseDamaged(DatabaseError):
    def __init__(self, path: Path, detail: str, backups: list[Path]) -> None:
        super().__init__(
            f"Berkas basis data rusak ({path.name}): {detail}. "
            + (
                "Pulihkan dari cadangan terbaru yang masih baik."
                if backups
                else "Tidak ada cadangan yang dapat dipulihkan."
            )
        )
        self.path = path
        self.detail = detail
        self.backups = backups


class ServerUnreachable(DatabaseError):
    """The database server did not answer or refused the connection."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"Server basis data tidak dapat dihubungi: {detail}")
        self.detail = detail


class PasswordRequired(ServerUnreachable):
    """The server asks for a password none was given for (PGPASSWORD, ~/.pgpass)."""

    def __init__(self, user: str) -> None:
        DatabaseError.__init__(
            self,
            f"Server basis data meminta kata sandi untuk pengguna {user}. Isikan di "
            "PGPASSWORD atau ~/.pgpass (pgpass.conf di Windows); aplikasi tidak "
            "menyimpan kata sandi.",
        )
        self.detail = "no password supplied"
        self.user = user


def server_error(engine: Engine, exc: OperationalError) -> ServerUnreachable:
    """What a failed first connection to a server means, said in Indonesian.

    libpq's own text (English, several lines) is kept as the detail, first line only:
    an administrator needs "Connection refused" or "timeout expired" to act on it.
    """
    text_ = str(exc.orig or exc)
    if "no password supplied" in text_:
        return PasswordRequired(engine.url.username or "")
    if "password authentication failed" in text_:
        return ServerUnreachable(
            f"kata sandi pengguna {engine.url.username} ditolak server "
            f"({engine.url.host}:{engine.url.port or 5432})"
        )
    lines = [ln.strip() for ln in text_.strip().splitlines() if ln.strip()]
    first = lines[0].removeprefix("connection failed: ") if lines else type(exc).__name__
    return ServerUnreachable(first)


@dataclass
class Database:
    """An open database: the engine and a session factory for short sessions.

    ``lock`` is the single-writer lock a writing command took before opening; it is
    released with the engine, so "for as long as it writes" is one ``dispose()``.
    """

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    path: Path | None
    created: bool
    lock: InstanceLock | None = None
    # False while the full integrity check was deferred to the caller (``defer_check``).
    checked: bool = True
    read_only: bool = False

    def block_writes(self) -> None:
        """Refuse every write from now on: the background check found damage.

        Enforced by SQLite itself (``query_only`` on every connection, old ones dropped),
        so no code path of the window can save an edit into the damaged file.
        """
        if self.read_only:
            return
        self.read_only = True
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _query_only)
            self.engine.dispose()

    @contextmanager
    def begin(self) -> Iterator[Session]:
        """One transaction per user action: commit on success, roll back on error."""
        with self.sessions.begin() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets the window read while an edit commits; FULL makes every acknowledged
    # edit survive a power cut, which matters more to users than a millisecond.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def _query_only(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    dbapi_conn.execute("PRAGMA query_only=ON")


def make_engine(url: str) -> Engine:
    try:
        engine = create_engine(url, future=True)
    except ModuleNotFoundError as exc:
        # A bundle made for focal points may leave the server driver out (psycopg).
        raise DatabaseError(
            f"Pustaka untuk server basis data ({exc.name}) tidak terpasang pada program ini."
        ) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def backups_dir(path: Path) -> Path:
    return path.parent / "cadangan"


def list_backups(path: Path) -> list[Path]:
    """Backups of ``path``, newest first."""
    folder = backups_dir(path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{path.stem}-*.sqlite"), reverse=True)


def integrity_problem(path: Path) -> str | None:
    """``None`` when SQLite's integrity check passes, else what it reported."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = con.execute("PRAGMA integrity_check").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    result = "; ".join(str(r[0]) for r in rows[:5])
    return None if result == "ok" else result


_MAGIC = b"SQLite format 3\x00"


def quick_problem(path: Path) -> str | None:
    """The cheap part of the damage check, independent of the file's size.

    Reads the 100-byte header (magic, page size, the page count it records against the
    file's length: a truncated copy fails here) and has SQLite parse the schema through
    a read-only connection, which also replays and checksums the write-ahead log. Damage
    inside the data pages is left to :func:`integrity_problem`, run after the first paint.
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
        size = path.stat().st_size
    except OSError as exc:
        return str(exc)
    if len(head) < 100 or not head.startswith(_MAGIC):
        return "file is not a database"
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return "invalid page size in header"
    pages = int.from_bytes(head[28:32], "big")
    # The recorded count is valid only when its "valid-for" counter matches the change counter.
    if head[24:28] == head[92:96] and pages * page_size > size:
        return f"file is truncated ({size} of {pages * page_size} bytes)"
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None


def make_backup(path: Path, reason: str = "auto") -> Path:
    """Copy ``path`` with SQLite's backup API (consistent even with WAL) and rotate."""
    folder = backups_dir(path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{path.stem}-{stamp}-{reason}.sqlite"
    src = sqlite3.connect(path)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()
    for old in list_backups(path)[BACKUP_KEEP:]:
        old.unlink(missing_ok=True)
    return target


_STAMP = re.compile(r"-(\d{8}-\d{6})(?:-(\d{6}))?-")


def backup_made_at(backup: Path) -> datetime:
    """When ``backup`` was made: the stamp ``make_backup`` put in its name, else its mtime."""
    found = _STAMP.search(backup.name)
    if found:
        try:
            made = datetime.strptime(found.group(1), "%Y%m%d-%H%M%S")
            return made.replace(microsecond=int(found.group(2) or 0))
        except ValueError:
            pass
    return datetime.fromtimestamp(backup.stat().st_mtime)


def backup_reason(backup: Path) -> str:
    """The reason ``make_backup`` put at the end of the name (``buka``, ``sebelum-migrasi``)."""
    found = _STAMP.search(backup.name)
    return backup.name[found.end() :].removesuffix(".sqlite") if found else ""


def aside_path(path: Path, *, damaged: bool, now: datetime | None = None) -> Path:
    """Where a restore keeps the file it replaces: beside it, named for why and when."""
    why = "rusak" if damaged else "sebelum-pulih"
    base = f"{path.stem}-{why}-{(now or datetime.now()):%Y%m%d-%H%M%S}"
    aside, n = path.with_name(f"{base}.sqlite"), 1
    while aside.exists():  # two restores in one second must not overwrite the first
        n += 1
        aside = path.with_name(f"{base}-{n}.sqlite")
    return aside


def restore_backup(path: Path, backup: Path) -> Path | None:
    """Replace the database at ``path`` by a copy of ``backup``; returns where the replaced
    file now is (``None`` if there was none).

    Nothing is deleted: the replaced file moves aside together with its write-ahead log
    (which can hold committed edits not yet in the main file), so it stays openable.
    The copy is written beside the target first and renamed over it, so a crash leaves
    either the old file or the whole backup, never half of one. The caller holds the
    single-writer lock and has closed every connection to ``path``.
    """
    problem = integrity_problem(backup)
    if problem:
        raise DatabaseError(f"Cadangan {backup.name} juga rusak: {problem}")
    incoming = path.with_name(f".{path.name}.pulih")
    shutil.copyfile(backup, incoming)
    with open(incoming, "rb") as fh:
        os.fsync(fh.fileno())
    aside = None
    wal, aside_wal = Path(str(path) + "-wal"), None
    try:
        if path.exists():
            aside = aside_path(path, damaged=integrity_problem(path) is not None)
            path.replace(aside)
            if wal.exists():
                aside_wal = Path(str(aside) + "-wal")
                wal.replace(aside_wal)
        Path(str(path) + "-shm").unlink(missing_ok=True)  # an index SQLite rebuilds
        incoming.replace(path)
    except OSError:
        # Put the old file back where it was: a failed restore changes nothing.
        if aside is not None and aside.exists() and not path.exists():
            aside.replace(path)
        if aside_wal is not None and aside_wal.exists():
            aside_wal.replace(wal)
        incoming.unlink(missing_ok=True)
        raise
    return aside


def _stored_revision(engine: Engine) -> str | None:
    try:
        con = engine.connect()  # the first connection: a server may not answer
    except OperationalError as exc:
        if engine.dialect.name == "sqlite":
            raise
        raise server_error(engine, exc) from exc
    with con:
        if not inspect(con).has_table("alembic_version"):
            return None
        row = con.execute(text("SELECT version_num FROM alembic_version")).first()
        return row[0] if row else None


def _alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option(
        "script_location", str(Path(__file__).resolve().parent.parent / "migrations")
    )
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    from alembic import command

    command.upgrade(_alembic_config(engine), "head")


def open_database(
    url_or_path: str | Path | None = None,
    *,
    backup_on_open: bool = False,
    defer_check: bool = False,
) -> Database:
    """Open (creating if needed) a database and bring it to the current schema.

    ``backup_on_open`` is what the window asks for: one rotating backup per session, so a
    mistake of today can be undone tomorrow from the file of this morning.
    ``defer_check`` runs only :func:`quick_problem` now and leaves the full check and
    that backup to the caller (``Database.checked`` is then ``False``): both read the
    whole file, and the window must paint first. The backup is never made before the
    full check passed, so a damaged file cannot push good backups out of the rotation.
    """
    path: Path | None
    if url_or_path is None:
        url_or_path = default_db_path()
    if isinstance(url_or_path, Path) or "://" not in str(url_or_path):
        path = Path(url_or_path).expanduser().resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{path}"
    else:
        url = str(url_or_path)
        path = None
    identity = path
    if path is not None and path_to_url is not None:
        url, path = path_to_url(path), None
    created = path is not None and (not path.exists() or path.stat().st_size == 0)
    deferred = defer_check and path is not None and not created
    if path is not None and not created:
        problem = quick_problem(path) if deferred else integrity_problem(path)
        if problem:
            raise DatabaseDamaged(path, problem, list_backups(path))
    engine = make_engine(url)
    try:
        stored = _stored_revision(engine)
        if stored != HEAD_REVISION:
            if path is not None and not created and stored is not None:
                if deferred:  # a damaged file is never migrated: check fully first
                    problem = integrity_problem(path)
                    if problem:
                        raise DatabaseDamaged(path, problem, list_backups(path))
                    deferred = False
                make_backup(path, "sebelum-migrasi")
            migrate(engine)
            deferred = False
        elif backup_on_open and path is not None and not deferred:
            make_backup(path, "buka")
        created = created or stored is None
        db = Database(
            url=url if path is not None else make_url(url).render_as_string(),  # no password
            engine=engine,
            sessions=sessionmaker(engine, expire_on_commit=False),
            path=path or identity,
            created=created,
            checked=not deferred,
        )
    except BaseException:
        engine.dispose()
        raise
    return db


def create_all_for_tests(engine: Engine) -> None:
    """Only for the model/migration agreement test: the schema straight from the models."""
    Base.metadata.create_all(engine)
