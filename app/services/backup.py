"""Backing up this PC's data and key in one file, and restoring them on another PC.

PCs are replaced and reinstalled, and the database and the signing key live in a hidden
folder. ``create_backup`` copies both into one ``.monevcadangan`` file
(``app.formats.backup_file``): the database through SQLite's backup API (consistent
while the window is open and writing), the key file as stored (still locked by its
passphrase). ``backup_file_preview`` says what a file holds and what it would replace
here; ``restore_backup_file`` puts it in place, keeping the replaced files beside.

Restoring is refused, with nothing changed, for a file made by a newer app or a newer
database structure than this app knows, a tampered or oversized part, and a database
that fails ``PRAGMA integrity_check``. An older structure is brought up to date by the
next ordinary open (the callers open the file once after restoring). The callers hold
the single-writer lock and have no connection open to the database.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app import __version__
from app.domain.progress import Cancelled, Progress
from app.formats import keys
from app.formats.backup_file import (
    DB_PART,
    KEY_PART,
    PUBLIC_PART,
    SUFFIX,
    BackupFileError,
    BackupManifest,
    ReadBackup,
    read_backup_file,
    sha256_file,
    write_backup_file,
)
from app.models.db import HEAD_REVISION, DatabaseError, integrity_problem, restore_backup
from app.paths import default_data_dir

__all__ = [
    "BackupCancelled",
    "BackupFacts",
    "BackupFilePreview",
    "backup_file_preview",
    "create_backup",
    "default_backup_name",
    "is_backup_file",
    "restore_backup_file",
]


class BackupCancelled(Exception):
    """The user cancelled making a backup; no file was left behind."""


def default_backup_name(now: datetime | None = None) -> str:
    return f"monev-radpug-cadangan-{(now or datetime.now()):%Y-%m-%d}{SUFFIX}"


def is_backup_file(path: Path) -> bool:
    return path.suffix.lower() == SUFFIX


@dataclass(frozen=True)
class BackupFacts:
    """What a database holds, in the words of the preview (read with plain sqlite3)."""

    revision: str = ""
    role: str = ""
    opd_code: str = ""
    opd_name: str = ""
    realised_rows: int = 0
    submissions: int = 0
    pinned_keys: int = 0


def _scalar(con: sqlite3.Connection, sql: str, *args: object) -> object:
    with suppress(sqlite3.DatabaseError):
        row = con.execute(sql, args).fetchone()
        return row[0] if row else None
    return None


def _count(con: sqlite3.Connection, sql: str) -> int:
    value = _scalar(con, sql)
    return value if isinstance(value, int) else 0


def database_facts(path: Path) -> BackupFacts:
    """Counts and profile of the database at ``path``; what cannot be read stays empty."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        opd = str(_scalar(con, "SELECT value FROM setting WHERE key = 'profile.opd'") or "")
        return BackupFacts(
            revision=str(_scalar(con, "SELECT version_num FROM alembic_version") or ""),
            role=str(_scalar(con, "SELECT value FROM setting WHERE key = 'profile.role'") or ""),
            opd_code=opd,
            opd_name=str(_scalar(con, "SELECT name FROM opd WHERE code = ?", opd) or ""),
            realised_rows=_count(con, "SELECT count(DISTINCT row_id) FROM realisation"),
            submissions=_count(con, "SELECT count(*) FROM submission"),
            pinned_keys=_count(con, "SELECT count(*) FROM pinned_key WHERE active")
            + (1 if _scalar(con, "SELECT 1 FROM setting WHERE key = 'matrix.pokja_key'") else 0),
        )
    finally:
        con.close()


def copy_database(db_path: Path, target: Path, progress: Progress | None = None) -> None:
    """A consistent copy with SQLite's backup API, in steps so progress can be shown."""
    src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:

        def step(_status: int, remaining: int, total: int) -> None:
            if progress is not None:
                progress(total - remaining, total)

        with dst:
            src.backup(dst, pages=256, progress=step)
    finally:
        dst.close()
        src.close()


def create_backup(
    db_path: Path,
    out: Path,
    *,
    key_folder: Path | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    now: datetime | None = None,
) -> BackupManifest:
    """Write the one-file backup of ``db_path`` and this PC's key to ``out``.

    Written under a temporary name beside ``out`` and renamed, so ``out`` is either the
    whole backup or absent. Raises ``BackupCancelled`` when ``cancelled()`` says so.
    """
    if not db_path.is_file():
        raise DatabaseError(f"Basis data {db_path} tidak ada; tidak ada yang dicadangkan.")
    folder = key_folder if key_folder is not None else default_data_dir()
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    with tempfile.TemporaryDirectory(prefix="monev-cadangan-") as tmp:
        copy = Path(tmp) / "basis-data.sqlite"
        copy_database(db_path, copy, progress)
        if cancelled is not None and cancelled():
            raise BackupCancelled()
        facts = database_facts(copy)
        files = {DB_PART: copy}
        key_id = None
        if keys.key_exists(folder):
            files[KEY_PART] = folder / keys.KEY_FILE
            files[PUBLIC_PART] = folder / keys.PUBLIC_FILE
            key_id = keys.stored_key_id(folder)
        manifest = BackupManifest(
            app_version=__version__,
            revision=facts.revision,
            made_at=(now or datetime.now()).replace(microsecond=0),
            role=facts.role,
            opd_code=facts.opd_code,
            opd_name=facts.opd_name,
            key_id=key_id,
            parts={name: (p.stat().st_size, sha256_file(p)) for name, p in files.items()},
        )
        try:
            write_backup_file(partial, manifest, files)
            if cancelled is not None and cancelled():
                raise BackupCancelled()
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


# ------------------------------------------------------------------ restoring
def _numbers(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def _revision_number(revision: str) -> int:
    head = revision.split("_", 1)[0]
    return int(head) if head.isdigit() else -1


def newer_problem(manifest: BackupManifest, facts: BackupFacts) -> str | None:
    """Why this app cannot take the file: made by a newer app or structure; else None."""
    if _numbers(manifest.app_version) > _numbers(__version__):
        return (
            f"Cadangan ini dibuat oleh Monev RAD PUG versi {manifest.app_version}, lebih baru "
            f"dari aplikasi di PC ini (versi {__version__}). Tidak ada yang diubah: perbarui "
            "aplikasi di PC ini dulu, lalu pulihkan lagi."
        )
    revision = facts.revision or manifest.revision
    if _revision_number(revision) > _revision_number(HEAD_REVISION) or (
        _revision_number(revision) < 0
    ):
        return (
            f"Basis data di cadangan ini berstruktur {revision!r}, yang tidak dikenal "
            f"aplikasi ini (terbaru yang dikenal: {HEAD_REVISION}). Tidak ada yang diubah: "
            "perbarui aplikasi di PC ini dulu, lalu pulihkan lagi."
        )
    return None


@dataclass(frozen=True)
class BackupFilePreview:
    """What a backup file holds and what restoring it would replace on this PC."""

    file: Path
    manifest: BackupManifest
    facts: BackupFacts
    db_path: Path
    current_exists: bool
    current_changed_at: datetime | None
    current_facts: BackupFacts | None
    current_key_id: str | None
    key_folder: Path

    @property
    def replaces_key(self) -> bool:
        return (
            self.manifest.key_id is not None
            and self.current_key_id is not None
            and (self.current_key_id != self.manifest.key_id)
        )

    def lines(self) -> list[str]:
        m, f = self.manifest, self.facts
        who = "Pokja PUG" if f.role == "pokja" else (f.opd_name or f.opd_code or "")
        out = [
            f"Berkas cadangan {self.file.name}",
            f"• dibuat {m.made_at:%d-%m-%Y %H:%M} oleh Monev RAD PUG versi {m.app_version}"
            + (f", untuk {who}" if who else ""),
            f"• {f.realised_rows} baris berisi realisasi, {f.submissions} kiriman, "
            f"{f.pinned_keys} kunci tersemat",
            "• kunci tanda tangan "
            + (
                f"{keys.grouped(m.key_id or '')} (tetap terkunci kata sandinya)"
                if m.key_id
                else "tidak ikut (PC asalnya belum punya kunci)"
            ),
            "",
            "Yang diganti di PC ini:",
        ]
        if not self.current_exists:
            out.append("• belum ada basis data; cadangan ini menjadi basis datanya")
        else:
            changed = (
                f"{self.current_changed_at:%d-%m-%Y %H:%M}" if self.current_changed_at else "?"
            )
            cf = self.current_facts
            counts = (
                f": {cf.realised_rows} baris berisi realisasi, {cf.submissions} kiriman"
                if cf
                else ""
            )
            out.append(f"• basis data {self.db_path.name} (terakhir berubah {changed}){counts}")
        if self.current_key_id is None:
            out.append(
                "• belum ada kunci tanda tangan di PC ini"
                + ("; kunci dari cadangan dipakai" if m.key_id else "")
            )
        elif not m.key_id:
            out.append(f"• kunci tanda tangan {keys.grouped(self.current_key_id)} tetap dipakai")
        elif self.replaces_key:
            out.append(
                f"• kunci tanda tangan {keys.grouped(self.current_key_id)} diganti oleh kunci "
                "dari cadangan"
            )
        else:
            out.append("• kunci tanda tangan sama dengan yang di cadangan")
        out.append("")
        out.append(
            "Yang diganti tidak dihapus: disimpan di sampingnya dengan nama "
            "…-sebelum-pulih-<waktu>."
        )
        return out

    def text(self) -> str:
        return "\n".join(self.lines())


@contextmanager
def _verified(file: Path, work_dir: Path | None) -> Iterator[tuple[ReadBackup, BackupFacts]]:
    """The file read, hash-checked, and its database integrity-checked, in a temp folder."""
    with tempfile.TemporaryDirectory(prefix=".monev-pulih-", dir=work_dir) as tmp:
        read = read_backup_file(file, Path(tmp))
        problem = integrity_problem(read.database)
        if problem:
            raise BackupFileError(
                f"Basis data di berkas cadangan {file.name} rusak (pemeriksaan keutuhan "
                f"SQLite: {problem}); tidak ada yang diubah. Pakai berkas cadangan lain."
            )
        facts = database_facts(read.database)
        refused = newer_problem(read.manifest, facts)
        if refused:
            raise BackupFileError(refused)
        yield read, facts


def _changed_at(db_path: Path) -> datetime | None:
    times = [p.stat().st_mtime for p in (db_path, Path(f"{db_path}-wal")) if p.exists()]
    return datetime.fromtimestamp(max(times)) if times else None


def backup_file_preview(
    db_path: Path, file: Path, *, key_folder: Path | None = None
) -> BackupFilePreview:
    """Read and verify ``file``; say what it holds and replaces. Writes nothing here."""
    folder = key_folder if key_folder is not None else default_data_dir()
    with _verified(file, None) as (read, facts):
        exists = db_path.is_file()
        current = None
        if exists and integrity_problem(db_path) is None:
            current = database_facts(db_path)
        return BackupFilePreview(
            file=file,
            manifest=read.manifest,
            facts=facts,
            db_path=db_path,
            current_exists=exists,
            current_changed_at=_changed_at(db_path) if exists else None,
            current_facts=current,
            current_key_id=keys.stored_key_id(folder),
            key_folder=folder,
        )


@dataclass(frozen=True)
class RestoredFiles:
    """Where the replaced files were kept (``None``: there was none, or it stayed)."""

    database_aside: Path | None
    key_aside: Path | None


def _key_aside(folder: Path, now: datetime) -> Path:
    base = f"kunci-tanda-tangan-sebelum-pulih-{now:%Y%m%d-%H%M%S}"
    aside, n = folder / f"{base}.pem", 1
    while aside.exists():
        n += 1
        aside = folder / f"{base}-{n}.pem"
    return aside


def _put_key(read: ReadBackup, folder: Path) -> Path | None:
    """Put the backup's key files in place; the current ones move aside. Returns the aside
    of the private key, or None. On failure the old key files are back."""
    folder.mkdir(parents=True, exist_ok=True)
    key, pub = folder / keys.KEY_FILE, folder / keys.PUBLIC_FILE
    incoming_key = folder / f".{keys.KEY_FILE}.pulih"
    incoming_pub = folder / f".{keys.PUBLIC_FILE}.pulih"
    shutil.copyfile(read.files[KEY_PART], incoming_key)
    shutil.copyfile(read.files[PUBLIC_PART], incoming_pub)
    with suppress(OSError):
        os.chmod(incoming_key, 0o600)
    aside = aside_pub = None
    try:
        if key.exists():
            aside = _key_aside(folder, datetime.now())
            key.replace(aside)
        if pub.exists():
            aside_pub = aside.with_suffix(".pub") if aside else folder / f"{pub.name}.lama"
            pub.replace(aside_pub)
        incoming_key.replace(key)
        incoming_pub.replace(pub)
    except OSError:
        if aside is not None and aside.exists():
            aside.replace(key)
        if aside_pub is not None and aside_pub.exists():
            aside_pub.replace(pub)
        raise
    finally:
        incoming_key.unlink(missing_ok=True)
        incoming_pub.unlink(missing_ok=True)
    return aside


def _undo_database(db_path: Path, aside: Path | None) -> None:
    """Put the replaced database back after a later step failed."""
    with suppress(OSError):
        if aside is not None and aside.exists():
            aside.replace(db_path)
            wal = Path(f"{aside}-wal")
            if wal.exists():
                wal.replace(Path(f"{db_path}-wal"))
        else:
            db_path.unlink(missing_ok=True)


def restore_backup_file(
    db_path: Path, file: Path, *, key_folder: Path | None = None
) -> RestoredFiles:
    """Replace the database and the key by the backup's; the old ones stay beside.

    Everything is verified before anything moves; the database goes first (its own
    rename keeps the old file), then the key; if the key cannot be put in place, the
    old database is put back, so a failure leaves the old state. Raises
    ``BackupFileError`` (refused) or ``DatabaseError`` (files could not be moved).
    """
    folder = key_folder if key_folder is not None else default_data_dir()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with _verified(file, db_path.parent) as (read, _facts):
        try:
            db_aside = restore_backup(db_path, read.database)
        except OSError as exc:
            raise DatabaseError(
                f"Cadangan {file.name} tidak dapat dipulihkan: {exc.strerror or exc}. "
                "Tidak ada yang diubah."
            ) from exc
        key_aside = None
        if read.has_key and keys.stored_key_id(folder) != read.manifest.key_id:
            try:
                key_aside = _put_key(read, folder)
            except OSError as exc:
                _undo_database(db_path, db_aside)
                raise DatabaseError(
                    f"Kunci tanda tangan dari {file.name} tidak dapat dipasang: "
                    f"{exc.strerror or exc}. Tidak ada yang diubah."
                ) from exc
    return RestoredFiles(db_aside, key_aside)
