"""``python -m app plan …``: Pokja brings a plan in from a matrix workbook, or writes one out.

import-xlsx (preview, then one transaction; ``--dry-run`` only previews) · export-xlsx
(the layout import-xlsx reads back). See docs/plans.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.common import EXIT_FAIL, EXIT_OK, Handler, db_target, open_db


def register(sub: Any) -> dict[str, Handler]:
    p = sub.add_parser(
        "plan",
        help="rencana dari buku kerja matriks (.xlsx) dan sebaliknya (Pokja)",
        description="Pokja mengimpor matriks rencana aksi dari buku kerja Excel sebagai "
        "rencana baru, atau menulis rencana yang ada sebagai buku kerja yang dapat disunting "
        "dan diimpor kembali. Lihat docs/plans.md.",
    )
    p_sub = p.add_subparsers(dest="plan_command", metavar="AKSI", required=True)

    i = p_sub.add_parser("import-xlsx", help="mengimpor buku kerja matriks sebagai rencana baru")
    i.add_argument("--db", type=db_target, dest="db_sub", metavar="PATH", help="berkas basis data")
    i.add_argument("--code", required=True, metavar="KODE", help="kode rencana baru")
    i.add_argument("--region", required=True, metavar="NAMA", help='misalnya "Kabupaten X"')
    i.add_argument("--title", metavar="T", help="judul rencana (bawaan: dari nama daerah)")
    i.add_argument("--dry-run", action="store_true", help="hanya pratinjau; tidak menulis apa pun")
    i.add_argument(
        "--create-opds",
        action="store_true",
        help="buat Perangkat Daerah baru untuk nama yang tidak ada di katalog",
    )
    i.add_argument("file", type=Path, metavar="BERKAS")

    e = p_sub.add_parser("export-xlsx", help="menulis rencana sebagai buku kerja matriks")
    e.add_argument("--db", type=db_target, dest="db_sub", metavar="PATH", help="berkas basis data")
    e.add_argument("--plan", required=True, metavar="KODE", help="kode rencana")
    e.add_argument("--out", type=Path, required=True, metavar="F", help="berkas .xlsx keluaran")
    return {"plan": _cmd_plan}


def _cmd_plan(args: argparse.Namespace) -> int:
    from app.domain.printable import shown_lines
    from app.formats.refusal import SubmissionError
    from app.services.plan_import import PlanImportError

    try:
        if args.plan_command == "export-xlsx":
            return _export(args)
        return _import(args)
    except (SubmissionError, PlanImportError) as exc:
        print(shown_lines(str(exc)), file=sys.stderr)
        return EXIT_FAIL


def _export(args: argparse.Namespace) -> int:
    from app.services.plan_import import export_plan

    db = open_db(args)  # reads only
    try:
        with db.begin() as session:
            try:
                rows = export_plan(session, args.plan, args.out)
            except OSError as exc:
                print(f"Buku kerja tidak dapat ditulis: {exc}", file=sys.stderr)
                return EXIT_FAIL
    finally:
        db.dispose()
    print(f"Rencana {args.plan}: {rows} baris ditulis ke {args.out}")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from app.domain.printable import shown_name as esc
    from app.services.plan_import import import_plan, preview_plan

    db = open_db(args, write=not args.dry_run)
    try:
        with db.begin() as session:
            preview = preview_plan(session, args.file)
        start, end = preview.period
        mapping = preview.workbook.mapping
        print(f"Baris indikator: {preview.rows}; periode {start}–{end}")
        if mapping is not None:
            cols = ", ".join(f"{h}={_letter(c)}" for h, c in mapping.describe())
            print(
                f"Lembar '{esc(mapping.sheet)}', judul tabel baris "
                f"{mapping.header_rows[0]}–{mapping.header_rows[1]}: {cols}"
            )
        for m in preview.opds:
            if m.code:
                print(f"OPD\t{esc(m.written)}\t→ {m.code}\t{m.rows} baris")
            else:
                hint = f" (mungkin: {esc('; '.join(m.suggestions))})" if m.suggestions else ""
                print(f"OPD BARU\t{esc(m.written)}\t{m.rows} baris{hint}")
        for p in preview.problems:
            mark = "DILEWATI" if p.skipped else "CATATAN"
            print(f"{mark}\tbaris {p.row}\t{esc(p.reason)}")
        if args.dry_run:
            print("Pratinjau saja (--dry-run): tidak ada yang ditulis.")
            return EXIT_OK
        done = import_plan(
            db,
            args.file,
            code=args.code,
            region=args.region,
            title=args.title,
            create_opds=args.create_opds,
        )
    finally:
        db.dispose()
    created = f"; OPD baru: {', '.join(done.created_opds)}" if done.created_opds else ""
    print(f"DIIMPOR\t{done.code}\t{esc(done.title)}\t{done.rows} baris{created}")
    return EXIT_OK


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)
