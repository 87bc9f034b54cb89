"""``python -m app fillin``: export the fill-in workbook for an OPD without the app.

The filled workbook comes back through the ordinary ``python -m app import`` (it is
recognised by its hidden marker sheet and imported as unsigned data; docs/fillin.md).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.common import EXIT_OK, EXIT_USAGE, Handler, db_target, open_db


def register(sub: Any) -> dict[str, Handler]:
    f = sub.add_parser(
        "fillin",
        help="membuat buku kerja isian (xlsx) untuk Perangkat Daerah tanpa aplikasi",
    )
    f.add_argument("--db", type=db_target, dest="db_sub", metavar="PATH", help="berkas basis data")
    f.add_argument("--opd", required=True, help="kode, nama, atau ejaan lain nama OPD")
    f.add_argument("--year", type=int, required=True, help="tahun pelaporan")
    f.add_argument("--plan", help="kode rencana (bawaan: RAD PUG)")
    f.add_argument("--xlsx", type=Path, required=True, metavar="OUT.xlsx", help="berkas keluaran")
    f.add_argument("--paper", choices=("a4", "f4"), default="a4", help="ukuran kertas cetak")
    return {"fillin": _cmd_fillin}


def _cmd_fillin(args: argparse.Namespace) -> int:
    import sys

    from app.domain.printable import shown_name
    from app.services.fillin_export import export_fillin

    out: Path = args.xlsx
    if out.suffix.lower() != ".xlsx":
        print("Berkas keluaran harus berakhiran .xlsx.", file=sys.stderr)
        return EXIT_USAGE
    if not out.parent.is_dir():
        print(f"Folder {out.parent} tidak ada.", file=sys.stderr)
        return EXIT_USAGE
    db = open_db(args)
    try:
        # Written beside the target and moved over it only when complete.
        tmp = out.with_name(f".{out.name}.tmp")
        try:
            rows = export_fillin(db, args.plan, args.opd, args.year, tmp, paper=args.paper)
            tmp.replace(out)
        except (LookupError, ValueError) as exc:
            print(str(exc).strip("'\""), file=sys.stderr)
            return EXIT_USAGE
        finally:
            tmp.unlink(missing_ok=True)
    finally:
        db.dispose()
    print(
        f"Buku kerja isian {shown_name(args.opd)} tahun {args.year} ({rows} baris) ditulis ke "
        f"{shown_name(str(out))}"
    )
    return EXIT_OK
