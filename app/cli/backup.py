"""``python -m app backup``: the one-file backup of data and key, to move to another PC.

``backup create`` writes the database (SQLite's backup API, so it may run beside an open
window) and the signing key as stored into one ``.monevcadangan`` file. ``backup
restore FILE`` prints what the file holds and what it would replace, and exits with
``EXIT_NOT_CONFIRMED`` without changing anything; with ``--yes`` it takes the
single-writer lock, restores (the replaced files are kept beside) and opens the result
once, so a file from an older version is brought up to date now.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.common import (
    EXIT_NOT_CONFIRMED,
    EXIT_OK,
    CommandFailed,
    Handler,
    UsageError,
    db_target,
    program,
    quoted,
    sqlite_file,
    write_lock,
)


def register(sub: Any) -> dict[str, Handler]:
    b = sub.add_parser(
        "backup",
        help="mencadangkan basis data dan kunci tanda tangan dalam satu berkas, atau "
        "memulihkannya (pindah ke PC baru)",
        description="Satu berkas .monevcadangan memuat basis data dan kunci tanda tangan "
        "(tetap terkunci kata sandinya), untuk dipindahkan ke PC baru.",
    )
    actions = b.add_subparsers(dest="backup_action", metavar="TINDAKAN", required=True)
    c = actions.add_parser("create", help="membuat berkas cadangan")
    c.add_argument("--db", type=db_target, dest="db_sub", metavar="PATH", help="berkas basis data")
    c.add_argument(
        "--out",
        type=Path,
        metavar="BERKAS",
        help="berkas cadangan yang dibuat (bawaan: folder Documents, nama bertanggal)",
    )
    r = actions.add_parser(
        "restore", help="memulihkan dari berkas cadangan (tanpa --yes: hanya menunjukkan isinya)"
    )
    r.add_argument("file", type=Path, metavar="BERKAS", help="berkas .monevcadangan")
    r.add_argument("--db", type=db_target, dest="db_sub", metavar="PATH", help="berkas basis data")
    r.add_argument("--yes", action="store_true", help="benar-benar memulihkan")
    return {"backup": _cmd_backup}


def _target(args: argparse.Namespace) -> Path:
    return sqlite_file(args, "Cadangan satu berkas hanya untuk berkas basis data SQLite.")


def default_folder() -> Path:
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


def _cmd_backup(args: argparse.Namespace) -> int:
    from app.formats.backup_file import BackupFileError
    from app.models.db import DatabaseError

    try:
        if args.backup_action == "create":
            return _create(args)
        return _restore(args)
    except BackupFileError as exc:
        raise CommandFailed(str(exc)) from exc
    except DatabaseError as exc:
        raise CommandFailed(str(exc)) from exc


def _create(args: argparse.Namespace) -> int:
    from app.formats import keys
    from app.services.backup import create_backup, default_backup_name

    path = _target(args)
    out = args.out or default_folder() / default_backup_name()
    manifest = create_backup(path, out)
    print(f"Cadangan dibuat: {out}")
    if manifest.key_id:
        print(
            f"Kunci tanda tangan {keys.grouped(manifest.key_id)} ikut, tetap terkunci kata "
            "sandinya: ingat kata sandi itu untuk PC baru."
        )
    else:
        print("PC ini belum punya kunci tanda tangan; hanya basis data yang dicadangkan.")
    print("Simpan berkas ini di luar PC ini (flashdisk, drive kantor).")
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    from app.services.backup import backup_file_preview, restore_backup_file
    from app.services.database import open_seeded

    path = _target(args)
    if not args.file.is_file():
        raise UsageError(f"Berkas cadangan tidak ditemukan: {args.file}")
    if not args.yes:
        print(backup_file_preview(path, args.file).text())
        print(
            "Belum ada yang diubah. Untuk memulihkan, jalankan lagi dengan --yes: "
            f"{program()} backup restore {quoted(args.file)} --db {quoted(path)} --yes"
        )
        return EXIT_NOT_CONFIRMED
    lock = write_lock(args)
    try:
        print(backup_file_preview(path, args.file).text())
        result = restore_backup_file(path, args.file)
        open_seeded(path).dispose()  # an older structure is brought up to date now
    finally:
        if lock is not None:
            lock.release()
    print(f"Dipulihkan dari {args.file.name}.")
    if result.database_aside is not None:
        print(f"Basis data yang diganti disimpan sebagai {result.database_aside}.")
    if result.key_aside is not None:
        print(f"Kunci yang diganti disimpan sebagai {result.key_aside}.")
    return EXIT_OK
