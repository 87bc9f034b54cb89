"""``python -m app db copy``: move a Pokja database to a server and back, verified.

Without ``--yes`` the command only says what it would copy (tables and rows, read without
writing at either end) and exits with ``EXIT_NOT_CONFIRMED``. With ``--yes`` it copies
into the empty target, checks every table on both ends, prints one line per table and
commits only when every table matches (docs/db-copy.md).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from app.cli.common import (
    EXIT_NOT_CONFIRMED,
    EXIT_OK,
    CommandFailed,
    Handler,
    UsageError,
    print_json,
    program,
    quoted,
)

if TYPE_CHECKING:
    from app.services.db_copy import CopyReport

# Below this many rows a table copies in a blink: a progress line would only be noise.
PROGRESS_FROM = 20_000


def register(sub: Any) -> dict[str, Handler]:
    d = sub.add_parser(
        "db",
        help="memindahkan basis data (berkas SQLite ke server PostgreSQL dan sebaliknya)",
        description="Perintah untuk basis data itu sendiri.",
    )
    actions = d.add_subparsers(dest="db_action", metavar="AKSI", required=True)
    c = actions.add_parser(
        "copy",
        help="menyalin seluruh isi basis data ke basis data kosong, lalu mencocokkan per baris",
        description="Menyalin seluruh isi basis data SUMBER ke basis data TUJUAN yang masih "
        "kosong (berkas SQLite baru, atau basis data server yang baru dibuat), lalu "
        "mencocokkan setiap tabel baris demi baris. Jika ada satu saja yang tidak cocok, "
        "seluruh salinan dibatalkan. Isi sumber tidak diubah. Tanpa --yes hanya ditunjukkan "
        "apa yang akan disalin. Sandi server: dari PGPASSWORD atau .pgpass, jangan ditulis "
        "di URL.",
    )
    c.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="SUMBER",
        help="berkas SQLite, atau URL seperti postgresql+psycopg://monev@127.0.0.1:5432/monev",
    )
    c.add_argument(
        "--to", dest="target", required=True, metavar="TUJUAN", help="berkas SQLite atau URL"
    )
    c.add_argument("--yes", action="store_true", help="benar-benar menyalin")
    c.add_argument("--json", action="store_true", help="hasil sebagai JSON")
    return {"db": _cmd_db}


def _cmd_db(args: argparse.Namespace) -> int:
    if args.db_action == "copy":
        return _cmd_copy(args)
    raise UsageError(f"Aksi tidak dikenal: {args.db_action}")  # argparse allows no other


def _progress(phase: str, table: str, done: int, total: int) -> None:
    from app.services.db_copy import COPYING

    if total < PROGRESS_FROM * (1 if phase == COPYING else 2):
        return
    if phase == COPYING:
        line = f"{table}: {done}/{total} baris disalin"
    else:
        line = f"{table}: {100 * done // total}% dicocokkan"
    print(f"\r{line}", end="\n" if done >= total else "", file=sys.stderr, flush=True)


def _report_json(report: CopyReport) -> dict[str, Any]:
    return {
        "source": report.source,
        "target": report.target,
        "rows": report.rows,
        "seconds": round(report.seconds, 3),
        "sequences_reset": list(report.sequences_reset),
        "tables": [
            {
                "table": t.name,
                "rows": t.source_rows,
                "target_rows": t.target_rows,
                "sha256": t.source_digest,
                "matches": t.matches,
            }
            for t in report.tables
        ],
    }


def _cmd_copy(args: argparse.Namespace) -> int:
    from app.models.lock import AlreadyOpen
    from app.services.db_copy import CopyMismatch, CopyRefused, copy_database, preview_copy

    if not args.yes:
        try:
            preview = preview_copy(args.source, args.target)
        except CopyRefused as exc:
            raise CommandFailed(str(exc)) from exc
        if preview.problem:
            raise CommandFailed(preview.problem)
        print(f"Sumber: {preview.source}\nTujuan: {preview.target} (kosong)")
        for name, rows in preview.counts.items():
            print(f"{name}: {rows} baris")
        again = f"--from {quoted(preview.source)} --to {quoted(preview.target)} --yes"
        print(
            "Belum ada yang disalin. Untuk menyalin, jalankan lagi dengan --yes: "
            f"{program()} db copy {again}"
        )
        return EXIT_NOT_CONFIRMED
    try:
        report = copy_database(args.source, args.target, progress=_progress)
    except CopyMismatch as exc:
        for check in exc.checks:
            print(check.line(), file=sys.stderr)
        raise CommandFailed(str(exc)) from exc
    except (CopyRefused, AlreadyOpen) as exc:
        raise CommandFailed(str(exc)) from exc
    if args.json:
        print_json(_report_json(report))
        return EXIT_OK
    for check in report.tables:
        print(check.line())
    print(
        f"Selesai: {report.rows} baris dari {report.source} disalin ke {report.target} dan "
        f"cocok semuanya ({report.seconds:.1f} detik)."
    )
    return EXIT_OK
