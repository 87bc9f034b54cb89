"""Restoring the database from a backup, after saying what the restore will lose.

A backup is a whole copy of the database at one moment (``app.models.db.make_backup``:
when the window opens a file, and before a migration). Restoring one puts the database
back to that moment, so everything done since is gone from it: files Pokja imported,
realisations typed, matrix updates applied. Before anything happens the user reads
exactly that (``restore_preview``), and the replaced file is never deleted
(``restore``: it moves aside, beside the database, with its write-ahead log).

"After the backup" means the rows of the log tables (``import_log``, ``submission``,
``audit_entry``, ``matrix_update``) whose id the backup does not reach: both files are
the same database at two moments, so this needs no clock and survives a clock that was
wrong. The current file is read with plain ``sqlite3``, read-only and table by table,
because it may be damaged: what can still be read is listed, and what cannot is said.

The window and the CLI call these with the single-writer lock held (the window for its
whole life, the CLI's ``restore`` command for the command), and with no connection open
to the database: a restore swaps the file under its path.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from app.formats.backup_file import BackupFileError
from app.models.db import (
    DatabaseError,
    aside_path,
    backup_made_at,
    backup_reason,
    integrity_problem,
    list_backups,
    restore_backup,
)
from app.services.backup import is_backup_file, restore_backup_file

__all__ = [
    "BackupInfo",
    "ImportItem",
    "RestorePreview",
    "backups",
    "describe_backup",
    "restore",
    "restore_preview",
]

# How many imports the preview names one by one; the rest are counted.
LISTED_IMPORTS = 5
REASON_LABELS = {
    "buka": "saat aplikasi dibuka",
    "sebelum-migrasi": "sebelum pembaruan struktur basis data",
}
OUTCOME_LABELS = {"ditolak": "ditolak", "sama": "sama", "menggantikan": "revisi baru"}


def when(at: datetime) -> str:
    return f"{at:%d-%m-%Y %H:%M}"


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made_at: datetime
    size: int
    reason: str

    @property
    def label(self) -> str:
        """One line for a list: time, size and why it was made."""
        why = REASON_LABELS.get(self.reason, self.reason)
        return f"{when(self.made_at)} — {size_text(self.size)}" + (f" ({why})" if why else "")


def describe_backup(path: Path) -> BackupInfo:
    return BackupInfo(path, backup_made_at(path), path.stat().st_size, backup_reason(path))


def backups(db_path: Path) -> list[BackupInfo]:
    """The backups of ``db_path``, newest first."""
    return [describe_backup(p) for p in list_backups(db_path)]


@dataclass(frozen=True)
class ImportItem:
    """One file Pokja imported after the backup (a row of ``import_log``)."""

    at: datetime
    file_name: str
    opd: str
    revision: int | None
    outcome: str

    @property
    def label(self) -> str:
        rev = f" r{self.revision}" if self.revision is not None else ""
        what = f"{self.opd}{rev}" if self.opd else self.file_name
        note = OUTCOME_LABELS.get(self.outcome)
        return f"{what} {when(self.at)}" + (f", {note}" if note else "")


@dataclass(frozen=True)
class RestorePreview:
    """What restoring ``backup`` over ``db_path`` would lose, and where the file goes."""

    db_path: Path
    backup: BackupInfo
    backup_problem: str | None  # the backup itself fails the integrity check
    current_exists: bool
    current_readable: bool  # some of the log tables could be read
    current_problem: str | None  # the current file fails the integrity check
    unread: tuple[str, ...] = ()  # log tables that could not be read
    imports: tuple[ImportItem, ...] = ()
    submissions: int = 0  # submissions received (any outcome but refused)
    edits: int = 0  # audit entries not made by an import
    edit_users: tuple[str, ...] = ()
    edited_rows: int = 0
    matrix_updates: int = 0
    kept_as: Path | None = None  # where the current file will be kept

    @property
    def can_restore(self) -> bool:
        return self.backup_problem is None

    @property
    def loses_nothing_known(self) -> bool:
        """Nothing after the backup, and the whole current file could be read."""
        return (
            self.current_readable
            and not self.unread
            and not (self.imports or self.submissions or self.edits or self.matrix_updates)
        )

    def lines(self) -> list[str]:
        """The preview as Indonesian sentences, for the window's dialog and the CLI."""
        b = self.backup
        out = [f"Cadangan {b.path.name}: dibuat {when(b.made_at)}, {size_text(b.size)}."]
        if self.backup_problem:
            out.append(
                f"Cadangan ini rusak ({self.backup_problem}) dan tidak dapat dipulihkan; "
                "pilih cadangan lain."
            )
            return out
        since = when(b.made_at)
        if not self.current_exists:
            out.append("Belum ada berkas basis data; cadangan ini menjadi basis datanya.")
            return out
        if not self.current_readable:
            out.append(
                "Isi basis data saat ini tidak dapat dibaca; semua perubahan setelah "
                f"{since} akan hilang."
            )
        else:
            if self.current_problem:
                out.append(
                    "Basis data saat ini rusak sebagian; yang masih terbaca dan akan hilang "
                    "(bisa jadi ada lagi yang tidak terbaca):"
                )
            else:
                out.append(f"Yang akan hilang karena dibuat setelah {since}:")
            out += [f"• {line}" for line in self.loss_lines()]
            if self.unread:
                out.append(
                    "Bagian yang tidak dapat dibaca (" + ", ".join(self.unread) + "): "
                    f"perubahannya setelah {since} juga akan hilang."
                )
        if self.kept_as is not None:
            out.append(
                f"Berkas saat ini tidak dihapus: disimpan sebagai {self.kept_as.name} di "
                f"folder {self.kept_as.parent}, sehingga masih dapat dibuka atau diserahkan "
                "ke petugas."
            )
        return out

    def loss_lines(self) -> list[str]:
        lines = []
        if self.imports:
            shown = ", ".join(i.label for i in self.imports[:LISTED_IMPORTS])
            more = len(self.imports) - LISTED_IMPORTS
            lines.append(
                f"{len(self.imports)} impor berkas setelah cadangan ini ({shown}"
                + (f", dan {more} lagi" if more > 0 else "")
                + ")"
                + (f"; {self.submissions} kiriman diterima" if self.submissions else "")
            )
        elif self.submissions:
            lines.append(f"{self.submissions} kiriman diterima")
        if self.edits:
            who = ", ".join(self.edit_users) or "pengguna tanpa nama"
            lines.append(f"{self.edits} perubahan isian oleh {who}, di {self.edited_rows} baris")
        if self.matrix_updates:
            lines.append(f"{self.matrix_updates} pembaruan matriks yang diterapkan")
        if not lines:
            lines.append("tidak ada: tidak ada impor atau perubahan isian setelah cadangan ini")
        return lines

    def text(self) -> str:
        return "\n".join(self.lines())


@contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        yield con
    finally:
        con.close()


LOG_TABLES = ("import_log", "submission", "audit_entry", "matrix_update")


def _max_ids(backup: Path) -> dict[str, int]:
    """The highest id of each log table in the backup; 0 for a table it does not have."""
    found = dict.fromkeys(LOG_TABLES, 0)
    with _read_only(backup) as con:
        for table in LOG_TABLES:
            # An older schema without this table: every row of it is new (0).
            with suppress(sqlite3.DatabaseError):
                sql = f"SELECT coalesce(max(id), 0) FROM {table}"
                found[table] = con.execute(sql).fetchone()[0]
    return found


def _stamp(value: object) -> datetime:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return datetime.min


@dataclass
class _Reading:
    unread: list[str] = field(default_factory=list)
    read: int = 0


def _rows(con: sqlite3.Connection, reading: _Reading, table: str, sql: str, *args: object):
    try:
        rows = con.execute(sql, args).fetchall()
    except sqlite3.DatabaseError:
        reading.unread.append(table)
        return []
    reading.read += table in LOG_TABLES  # the OPD names only label what is listed
    return rows


def restore_preview(db_path: Path, backup: Path, *, now: datetime | None = None) -> RestorePreview:
    """What restoring ``backup`` over ``db_path`` would lose; writes nothing."""
    info = describe_backup(backup)
    backup_problem = integrity_problem(backup)
    if backup_problem:
        return RestorePreview(db_path, info, backup_problem, db_path.exists(), False, None)
    if not db_path.exists():
        return RestorePreview(db_path, info, None, False, False, None)
    current_problem = integrity_problem(db_path)
    kept_as = aside_path(db_path, damaged=current_problem is not None, now=now)
    base = RestorePreview(db_path, info, None, True, False, current_problem, kept_as=kept_as)
    try:
        after = _max_ids(backup)
        reading = _Reading()
        with _read_only(db_path) as con:
            opds = dict(_rows(con, reading, "opd", "SELECT code, short_name FROM opd"))
            imports = _rows(
                con,
                reading,
                "import_log",
                "SELECT at, file_name, opd_code, revision, outcome FROM import_log "
                "WHERE id > ? ORDER BY id",
                after["import_log"],
            )
            received = _rows(
                con,
                reading,
                "submission",
                "SELECT count(*) FROM submission WHERE id > ? AND signature_state != 'refused'",
                after["submission"],
            )
            audit = _rows(
                con,
                reading,
                "audit_entry",
                "SELECT user, row_key, year, field FROM audit_entry "
                "WHERE id > ? AND action NOT LIKE 'impor%' ORDER BY id",
                after["audit_entry"],
            )
            matrix = _rows(
                con,
                reading,
                "matrix_update",
                "SELECT count(*) FROM matrix_update WHERE id > ?",
                after["matrix_update"],
            )
    except sqlite3.DatabaseError:
        return base  # not even opened: nothing can be listed
    if reading.read == 0:
        return base
    users = Counter(str(u) for u, *_ in audit if u)
    return RestorePreview(
        db_path,
        info,
        None,
        True,
        True,
        current_problem,
        unread=tuple(t for t in reading.unread if t != "opd"),
        imports=tuple(
            ImportItem(_stamp(at), str(name), opds.get(code, code or ""), rev, str(outcome))
            for at, name, code, rev, outcome in imports
        ),
        submissions=received[0][0] if received else 0,
        edits=len(audit),
        edit_users=tuple(u for u, _n in users.most_common()),
        edited_rows=len({(key, year) for _u, key, year, _f in audit}),
        matrix_updates=matrix[0][0] if matrix else 0,
        kept_as=kept_as,
    )


def restore(db_path: Path, backup: Path) -> Path | None:
    """Put ``backup`` in place of ``db_path``; returns where the replaced file is kept.

    Raises ``DatabaseError`` (Indonesian) when the backup is damaged or the files cannot
    be moved; then the database is as it was. A one-file backup (``.monevcadangan``,
    ``app.services.backup``) also brings its signing key, into the user's data folder.
    """
    if is_backup_file(backup):
        try:
            return restore_backup_file(db_path, backup).database_aside
        except BackupFileError as exc:
            raise DatabaseError(str(exc)) from exc
    try:
        return restore_backup(db_path, backup)
    except OSError as exc:
        raise DatabaseError(
            f"Cadangan {backup.name} tidak dapat dipulihkan: {exc.strerror or exc}. "
            "Basis data tidak diubah."
        ) from exc
