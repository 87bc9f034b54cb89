"""``pprg export``: a GAP or GBS of one kegiatan/sub kegiatan as PDF or Excel.

``pprg review …``: the review flow's actions, from ``app/cli/pprg_review.py``.

Prints the stored document (the OPD's own, else a received copy), or a fresh prefill
from the plan when none was saved yet (docs/pprg.md).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli import pprg_review
from app.cli.common import EXIT_OK, CommandFailed, Handler, UsageError, db_target, open_db


def register(sub: Any) -> dict[str, Handler]:
    p = sub.add_parser(
        "pprg",
        help="dokumen PPRG (GAP/GBS) per kegiatan: cetak PDF atau Excel",
        description="Dokumen GAP atau GBS satu kegiatan/sub kegiatan. Yang dicetak: dokumen "
        "yang tersimpan, atau isian awal dari matriks bila belum ada.",
    )
    actions = p.add_subparsers(dest="pprg_action", metavar="AKSI", required=True)
    e = actions.add_parser("export", help="tulis GAP atau GBS sebagai PDF atau Excel")
    e.add_argument("--db", type=db_target, dest="db_sub", metavar="PATH", help="berkas basis data")
    e.add_argument("--node", required=True, metavar="KUNCI", help="kunci kegiatan/sub kegiatan")
    e.add_argument("--year", type=int, required=True, help="tahun anggaran")
    e.add_argument("--kind", choices=("gap", "gbs"), required=True, help="jenis dokumen")
    e.add_argument("--format", choices=("pdf", "xlsx"), default="pdf", help="bawaan pdf")
    e.add_argument("--out", type=Path, required=True, metavar="BERKAS", help="berkas keluaran")
    e.add_argument("--paper", choices=("a4", "f4"), default="a4", help="ukuran kertas")
    r = actions.add_parser(
        "review",
        help="telaah GAP/GBS: daftar, status, berkas hasil telaah, realisasi Inspektorat",
        description="Pokja PUG (atau Inspektorat) menelaah GAP/GBS yang diterima dalam kiriman "
        "OPD dan mengirim hasil telaah bertanda tangan; OPD menerimanya (docs/pprg-review.md).",
    )
    pprg_review.register_actions(r)
    return {"pprg": _cmd_pprg}


def _cmd_pprg(args: argparse.Namespace) -> int:
    if args.pprg_action == "review":
        return pprg_review.run_action(args)
    from app.domain.pprg import Kind, PprgError
    from app.reports.fonts import FontError
    from app.services.export import explain_failure
    from app.services.pprg_export import export_pprg

    if not 2000 <= args.year <= 2100:
        raise UsageError("Tahun harus antara 2000 dan 2100.")
    kind = Kind(args.kind)
    out = {args.format: args.out}
    db = open_db(args)
    try:
        result = export_pprg(
            db,
            kind,
            args.node,
            args.year,
            pdf=out.get("pdf"),
            xlsx=out.get("xlsx"),
            paper=args.paper,
        )
    except PprgError as exc:
        raise CommandFailed(str(exc)) from exc
    except FontError as exc:
        raise CommandFailed(str(exc)) from exc
    except OSError as exc:
        raise CommandFailed(explain_failure(exc)) from exc
    finally:
        db.dispose()
    what = "GAP" if kind is Kind.GAP else "GBS"
    if result.pdf:
        print(f"{what} {args.year}: {result.pdf} ({result.pdf_pages} halaman, PDF)")
    if result.xlsx:
        print(f"{what} {args.year}: {result.xlsx} (Excel)")
    return EXIT_OK
