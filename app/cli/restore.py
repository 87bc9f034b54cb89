"""``python -m app restore``: put the database back to a backup, after saying what is lost.

Without ``--yes`` the command only prints what the restore would lose (imports and edits
made after the backup, docs/backup.md) and exits with ``EXIT_NOT_CONFIRMED``; nothing is
written. With ``--yes`` it takes the single-writer lock, restores, keeps the replaced
file beside the database, and opens the result once so a schema update is done now.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import (
    EXIT_NOT_CONFIRMED,
    EXIT_OK,
    CommandFailed,
    Handler,
    UsageError,
    db_target,
    print_json,
    program,
    quoted,
    sqlite_file,
    write_lock,
)

if TYPE_CHECKING:
    from app.services.restore import BackupInfo


def register(sub: Any) -> dict[str, Handler]:
    r = sub.add_parser(
        "restore",
        help="memulihkan basis data dari cadangan (tanpa --yes: hanya menunjukkan yang hilang)",
        description="Memulihkan basis data dari salah satu cadangannya (folder 'cadangan' di "
        "samping basis data). Tanpa --yes hanya ditunjukkan cadangan yang dipilih dan apa yang "
        "akan hilang (impor berkas dan perubahan isian setelah cadangan itu); tidak ada yang "
        "diubah. Berkas basis data yang diganti tidak dihapus, tetapi disimpan di sampingnya.",
    )
    r.add_argument("--db", type=db_target, dest="db_sub", metavar="PATH", help="berkas basis data")
    r.add_argument("--list", action="store_true", help="daftar cadangan (waktu, ukuran)")
    r.add_argument(
        "backup",
        nargs="?",
        metavar="CADANGAN",
        help="nomor dari --list, nama berkas di folder cadangan, atau jalur berkas "
        "(bawaan: cadangan terbaru yang masih baik)",
    )
    r.add_argument("--yes", action="store_true", help="benar-benar memulihkan")
    r.add_argument("--json", action="store_true", help="keluaran JSON (untuk --list)")
    return {"restore": _cmd_restore}


def _target(args: argparse.Namespace) -> Path:
    return sqlite_file(args, "Pemulihan dari cadangan hanya untuk berkas basis data SQLite.")


def _choose(path: Path, found: list[BackupInfo], given: str | None) -> Path:
    from app.models.db import backups_dir, integrity_problem

    if given is None:
        for b in found:  # newest first
            if integrity_problem(b.path) is None:
                return b.path
        raise UsageError(
            f"Tidak ada cadangan yang masih baik untuk {path.name} di {backups_dir(path)}."
        )
    if given.isdigit() and 1 <= int(given) <= len(found):
        return found[int(given) - 1].path
    for candidate in (Path(given), backups_dir(path) / given):
        if candidate.is_file():
            return candidate
    raise UsageError(
        f"Cadangan tidak ditemukan: {given}. Lihat daftarnya: "
        f"{program()} restore --db {quoted(path)} --list"
    )


def _cmd_restore(args: argparse.Namespace) -> int:
    from app.services.restore import backups, restore, restore_preview

    path = _target(args)
    found = backups(path)
    if args.list:
        if args.json:
            print_json(
                [
                    {
                        "number": n,
                        "file": str(b.path),
                        "made_at": b.made_at.isoformat(timespec="seconds"),
                        "size": b.size,
                        "reason": b.reason,
                    }
                    for n, b in enumerate(found, 1)
                ]
            )
            return EXIT_OK
        if not found:
            print(f"Belum ada cadangan untuk {path.name}.")
        for n, b in enumerate(found, 1):
            print(f"{n}\t{b.label}\t{b.path.name}")
        return EXIT_OK
    backup = _choose(path, found, args.backup)
    if not args.yes:
        preview = restore_preview(path, backup)
        if not preview.can_restore:
            raise CommandFailed(preview.text())
        print(preview.text())
        print(
            "Belum ada yang diubah. Untuk memulihkan, jalankan lagi dengan --yes: "
            f"{program()} restore --db {quoted(path)} {quoted(backup.name)} --yes"
        )
        return EXIT_NOT_CONFIRMED
    lock = write_lock(args)
    try:
        preview = restore_preview(path, backup)  # again: the file may have changed since
        if not preview.can_restore:
            raise CommandFailed(preview.text())
        print(preview.text())
        aside = restore(path, backup)
        _reopen(path)
    finally:
        if lock is not None:
            lock.release()
    print(f"Basis data dipulihkan dari {backup.name}.")
    if aside is not None:
        print(f"Berkas yang diganti disimpan sebagai {aside}.")
    return EXIT_OK


def _reopen(path: Path) -> None:
    """Open the restored file once: an older backup is migrated now, under the lock."""
    from app.services.database import open_seeded

    open_seeded(path).dispose()
