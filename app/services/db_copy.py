"""Moving a Pokja database to another engine (a SQLite file to a PostgreSQL server, and
back), verified row by row.

Both ends are opened the normal way (``open_database``: integrity check, migration), so
the target has exactly this app's schema. The target must hold no rows: merging two
databases is a different, much harder job, and refusing keeps the copy all-or-nothing.
Every table of the models is copied in dependency order, in batches, in one transaction
on the target, keeping primary keys (submissions, corrections and links refer to rows by
id). Before that transaction commits, each table is read back from both ends and
compared by a SHA-256 over its rows in primary-key order; any difference rolls the whole
copy back. The values are normalised first, because the engines hand back the same
stored value as different Python types (a count as ``Decimal('52.0000')`` or ``52.0``,
a flag as ``True`` or ``1``).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Connection,
    Select,
    String,
    Table,
    func,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from app.models.db import HEAD_REVISION, Database, make_engine, open_database
from app.models.lock import InstanceLock
from app.models.schema import Base

BATCH = 1000
# Progress: (phase, table, rows done, rows to do). Phase COPYING counts the rows copied;
# CHECKING the rows read back on both ends (twice the table's rows in all).
Progress = Callable[[str, str, int, int], None]
COPYING, CHECKING = "salin", "cocokkan"


class CopyRefused(Exception):
    """The copy was not done; the message (Indonesian) says why and what to do."""


class CopyMismatch(CopyRefused):
    """The copy differed from the source; everything copied was rolled back."""

    def __init__(self, checks: Sequence[TableCheck]) -> None:
        bad = [c.name for c in checks if not c.matches]
        super().__init__(
            "Salinan TIDAK COCOK dengan sumber pada tabel: "
            + ", ".join(bad)
            + ". Semua yang disalin dibatalkan; basis data tujuan dibiarkan kosong."
        )
        self.checks = list(checks)


@dataclass(frozen=True)
class TableCheck:
    """One table compared on both ends: row counts and content digests."""

    name: str
    source_rows: int
    target_rows: int
    source_digest: str
    target_digest: str

    @property
    def matches(self) -> bool:
        return self.source_rows == self.target_rows and self.source_digest == self.target_digest

    def line(self) -> str:
        if self.matches:
            return f"{self.name}: {self.source_rows} baris, cocok"
        return (
            f"{self.name}: sumber {self.source_rows} baris, tujuan {self.target_rows} baris, "
            "TIDAK COCOK"
        )


@dataclass(frozen=True)
class CopyReport:
    """What ``copy_database`` did: every table checked, sequences set, time taken."""

    source: str
    target: str
    tables: tuple[TableCheck, ...]
    sequences_reset: tuple[str, ...]
    seconds: float

    @property
    def rows(self) -> int:
        return sum(t.source_rows for t in self.tables)


@dataclass(frozen=True)
class Location:
    """One end of the copy: the URL, the SQLite file (None for a server), a safe label."""

    url_or_path: str | Path
    path: Path | None
    label: str


def location(given: str | Path) -> Location:
    """A path means a SQLite file (as ``--db``); text with ``://`` a SQLAlchemy URL. The
    label hides a password written in the URL, so it can be printed."""
    if isinstance(given, Path) or "://" not in given:
        path = Path(given).expanduser().resolve()
        return Location(path, path, str(path))
    try:
        url = make_url(given)
    except ArgumentError as exc:
        raise CopyRefused(
            f"Bukan jalur berkas atau URL basis data yang dikenal: {given.split('@')[-1]}."
        ) from exc
    if url.get_backend_name() == "sqlite" and url.database:
        path = Path(url.database).expanduser().resolve()
        return Location(path, path, str(path))
    return Location(given, None, url.render_as_string(hide_password=True))


# ------------------------------------------------------------------ digests
def canonical(value: Any, *, boolean: bool = False) -> str | None:
    """One cell as text that is the same whichever engine returned it.

    Numbers lose trailing zeros (``Decimal('52.0000')``, ``52.0`` and ``52`` are one
    value; ``0.12345`` stays distinct from ``0.1235``), flags become 0/1, an aware
    datetime becomes naive UTC (the app stores naive local times; a server column with a
    zone hands them back aware), bytes become hex.
    """
    if value is None:
        return None
    if boolean or isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if value == 0:
            return "0"
        return format(value.normalize(), "f")
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes | bytearray):
        return bytes(value).hex()
    return str(value)


def _ordered(conn: Connection, table: Table) -> Select[Any]:
    """All of ``table`` in primary-key order, the same order on both engines: text keys in
    code-point order (PostgreSQL's default collation sorts by language rules)."""
    keys: list[ColumnElement[Any]] = []
    for col in table.primary_key.columns:
        if conn.dialect.name == "postgresql" and isinstance(col.type, String):
            keys.append(col.collate("C"))
        else:
            keys.append(col)
    return select(table).order_by(*keys)


def _stream(conn: Connection, table: Table, batch: int) -> Iterator[Sequence[Any]]:
    """``table`` in batches of ``batch`` rows, never all in memory (a server-side cursor
    on PostgreSQL)."""
    result = conn.execution_options(stream_results=True, yield_per=batch).execute(
        _ordered(conn, table)
    )
    try:
        yield from result.partitions(batch)
    finally:
        result.close()


def table_digest(
    conn: Connection,
    table: Table,
    batch: int = BATCH,
    read: Callable[[int], None] | None = None,
) -> tuple[int, str]:
    """The row count and SHA-256 of ``table`` as read through ``conn``; ``read`` is told
    the rows read so far after each batch."""
    flags = [isinstance(col.type, Boolean) for col in table.columns]
    digest, count = hashlib.sha256(), 0
    for rows in _stream(conn, table, batch):
        for row in rows:
            cells = [canonical(v, boolean=f) for v, f in zip(row, flags, strict=True)]
            digest.update(json.dumps(cells, ensure_ascii=False).encode("utf-8"))
            digest.update(b"\n")
            count += 1
        if read is not None:
            read(count)
    return count, digest.hexdigest()


def verify(
    source: Connection,
    target: Connection,
    batch: int = BATCH,
    progress: Progress | None = None,
) -> list[TableCheck]:
    """Every table of the models compared on both ends, in dependency order."""
    checks = []
    for table in Base.metadata.sorted_tables:
        s_told = t_told = None
        if progress is not None:
            s_told, t_told = _reading(source, table, progress)
        s_rows, s_digest = table_digest(source, table, batch, s_told)
        t_rows, t_digest = table_digest(target, table, batch, t_told)
        checks.append(TableCheck(table.name, s_rows, t_rows, s_digest, t_digest))
    return checks


def _reading(
    source: Connection, table: Table, progress: Progress
) -> tuple[Callable[[int], None], Callable[[int], None]]:
    """Progress of reading ``table`` back: the source's rows, then the target's."""
    total = int(source.execute(select(func.count()).select_from(table)).scalar_one())
    return (
        lambda n: progress(CHECKING, table.name, n, 2 * total),
        lambda n: progress(CHECKING, table.name, total + n, 2 * total),
    )


# ------------------------------------------------------------------ checks before copying
def row_counts(conn: Connection) -> dict[str, int]:
    """Rows per table of the models (0 for a table the database does not have yet)."""
    present = set(inspect(conn).get_table_names())
    return {
        t.name: (
            int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            if t.name in present
            else 0
        )
        for t in Base.metadata.sorted_tables
    }


def stored_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else str(row[0])


def _revision_number(revision: str) -> int:
    head = revision.split("_", 1)[0]
    return int(head) if head.isdigit() else -1


def newer_problem(revision: str | None, label: str, role: str) -> str | None:
    """Why this app cannot open a database at ``revision``: made by a newer app."""
    if revision is None or revision == HEAD_REVISION:
        return None
    number = _revision_number(revision)
    if 0 <= number <= _revision_number(HEAD_REVISION):
        return None
    return (
        f"Basis data {role} {label} berstruktur {revision!r}, lebih baru dari yang dikenal "
        f"aplikasi ini (terbaru: {HEAD_REVISION}). Tidak ada yang disalin: perbarui "
        "aplikasi di PC ini dulu, lalu salin lagi."
    )


def not_empty_problem(counts: dict[str, int], label: str) -> str | None:
    filled = [f"{name} {n} baris" for name, n in counts.items() if n]
    if not filled:
        return None
    return (
        f"Basis data tujuan {label} sudah berisi data ({', '.join(filled)}). Tidak ada yang "
        "disalin dan tujuan tidak diubah: salin ke basis data yang kosong (berkas baru, atau "
        "basis data server yang baru dibuat)."
    )


@dataclass(frozen=True)
class CopyPreview:
    """What a copy would do, read without writing anything at either end."""

    source: str
    target: str
    counts: dict[str, int]
    problem: str | None


def _peek(loc: Location) -> tuple[str | None, dict[str, int]]:
    """Revision and row counts, read only; a missing SQLite file is not created."""
    if loc.path is not None and (not loc.path.exists() or loc.path.stat().st_size == 0):
        return None, {t.name: 0 for t in Base.metadata.sorted_tables}
    url = f"sqlite:///{loc.path}" if loc.path is not None else str(loc.url_or_path)
    try:
        engine = make_engine(url)
    except (ArgumentError, ImportError) as exc:
        raise CopyRefused(
            f"Basis data {loc.label} tidak dapat dibuka: jenis basis data ini tidak dikenal "
            f"atau pengandarnya belum terpasang ({exc}). Tidak ada yang disalin."
        ) from exc
    try:
        with engine.connect() as conn:
            return stored_revision(conn), row_counts(conn)
    except OperationalError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        raise CopyRefused(
            f"Tidak dapat terhubung ke basis data {loc.label}: {reason}. Tidak ada yang "
            "disalin; periksa alamat server, nama basis data dan sandinya."
        ) from exc
    finally:
        engine.dispose()


def _basic_problem(src: Location, dst: Location) -> str | None:
    if src.label == dst.label:
        return f"Sumber dan tujuan sama ({src.label}); tidak ada yang disalin."
    if src.path is not None and (not src.path.is_file() or src.path.stat().st_size == 0):
        return f"Basis data sumber tidak ditemukan: {src.label}."
    return None


def preview_copy(source: str | Path, target: str | Path) -> CopyPreview:
    """The tables and rows a copy would move, and why it would be refused (or None).

    Raises :class:`CopyRefused` when an end cannot be reached at all (no server, no
    driver, not a database URL)."""
    src, dst = location(source), location(target)
    problem = _basic_problem(src, dst)
    counts: dict[str, int] = {}
    if problem is None:
        revision, counts = _peek(src)
        t_revision, t_counts = _peek(dst)
        problem = (
            newer_problem(revision, src.label, "sumber")
            or newer_problem(t_revision, dst.label, "tujuan")
            or not_empty_problem(t_counts, dst.label)
        )
    return CopyPreview(src.label, dst.label, counts, problem)


# ------------------------------------------------------------------ copying
def _lock(loc: Location, stack: ExitStack) -> None:
    """The single-writer lock of a SQLite end, so no window or command writes meanwhile;
    a server has no lock file (its own transactions keep the copy consistent)."""
    if loc.path is not None:
        lock = InstanceLock(loc.path, "perintah db copy").acquire()
        stack.callback(lock.release)


def _insert_batch(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    conn.execute(table.insert(), rows)


def _copy_table(
    source: Connection,
    target: Connection,
    table: Table,
    total: int,
    batch: int,
    progress: Progress | None,
) -> None:
    """Copy ``table`` keeping its keys. A row whose parent (same table) comes later in key
    order is inserted without the parent first and given it once the table is in, since
    PostgreSQL checks a foreign key at each statement."""
    keys = list(table.primary_key.columns)
    pk = keys[0] if len(keys) == 1 else None
    self_refs = [
        fk.parent for fk in table.foreign_keys if fk.column.table is table and fk.parent.nullable
    ]
    seen: set[Any] = set()
    later: list[tuple[Any, str, Any]] = []
    done = 0
    for rows in _stream(source, table, batch):
        values = []
        for row in rows:
            item = dict(row._mapping)
            if pk is not None and self_refs:
                for col in self_refs:
                    parent = item[col.name]
                    if parent is not None and parent not in seen and parent != item[pk.name]:
                        later.append((item[pk.name], col.name, parent))
                        item[col.name] = None
                seen.add(item[pk.name])
            values.append(item)
        _insert_batch(target, table, values)
        done += len(values)
        if progress is not None:
            progress(COPYING, table.name, done, total)
    for key, column, parent in later:
        assert pk is not None
        target.execute(update(table).where(pk == key).values({column: parent}))


def _reset_sequences(conn: Connection) -> list[str]:
    """PostgreSQL: each integer key's sequence continues after the highest copied id, so
    the next row a user adds does not collide with a copied one."""
    if conn.dialect.name != "postgresql":
        return []
    done = []
    quote = conn.dialect.identifier_preparer
    for table in Base.metadata.sorted_tables:
        col = table.autoincrement_column
        if col is None:
            continue
        seq = conn.execute(
            text("SELECT pg_get_serial_sequence(:t, :c)"),
            {"t": quote.format_table(table), "c": col.name},
        ).scalar()
        if seq is None:
            continue
        conn.execute(
            text(
                f"SELECT setval(:s, COALESCE((SELECT MAX({quote.quote(col.name)}) "
                f"FROM {quote.format_table(table)}), 0) + 1, false)"
            ),
            {"s": seq},
        )
        done.append(table.name)
    return done


def _snapshot(conn: Connection) -> Connection:
    """One consistent view of a server source across all tables, while others write."""
    if conn.dialect.name == "postgresql":
        return conn.execution_options(isolation_level="REPEATABLE READ")
    return conn


def _remove_new_file(path: Path) -> None:
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        name.unlink(missing_ok=True)


def copy_database(
    source: str | Path,
    target: str | Path,
    *,
    progress: Progress | None = None,
    batch: int = BATCH,
) -> CopyReport:
    """Copy every row of ``source`` into the empty ``target`` and verify it.

    Raises :class:`CopyRefused` (nothing changed; a target file this call created is
    removed again), :class:`CopyMismatch` (the verification failed; the copy was rolled
    back), ``AlreadyOpen`` when a window or command holds either file, and the opening
    errors of ``open_database`` (a damaged file).
    """
    started = time.monotonic()
    src, dst = location(source), location(target)
    problem = _basic_problem(src, dst)
    if problem:
        raise CopyRefused(problem)
    created = dst.path is not None and not (dst.path.exists() and dst.path.stat().st_size)
    with ExitStack() as stack:
        _lock(src, stack)
        _lock(dst, stack)
        revision, _ = _peek(src)
        t_revision, _ = _peek(dst)
        problem = newer_problem(revision, src.label, "sumber") or newer_problem(
            t_revision, dst.label, "tujuan"
        )
        if problem:
            raise CopyRefused(problem)
        try:
            s_db = open_database(src.url_or_path)
            stack.callback(s_db.dispose)
            t_db = open_database(dst.url_or_path)
            stack.callback(t_db.dispose)
            checks, sequences = _copy(s_db, t_db, dst.label, batch, progress)
        except BaseException:
            stack.close()  # the engines and locks first, so the file can go
            if created and dst.path is not None:
                _remove_new_file(dst.path)
            raise
    return CopyReport(
        src.label,
        dst.label,
        tuple(checks),
        tuple(sequences),
        time.monotonic() - started,
    )


def _copy(
    s_db: Database, t_db: Database, label: str, batch: int, progress: Progress | None
) -> tuple[list[TableCheck], list[str]]:
    with (
        _snapshot(s_db.engine.connect()) as s_conn,
        s_conn.begin(),
        t_db.engine.begin() as t_conn,
    ):
        problem = not_empty_problem(row_counts(t_conn), label)
        if problem:
            raise CopyRefused(problem)
        totals = row_counts(s_conn)
        for table in Base.metadata.sorted_tables:
            _copy_table(s_conn, t_conn, table, totals[table.name], batch, progress)
        sequences = _reset_sequences(t_conn)
        checks = verify(s_conn, t_conn, batch, progress)
        if not all(c.matches for c in checks):
            raise CopyMismatch(checks)  # leaving the block rolls the target back
    return checks, sequences
