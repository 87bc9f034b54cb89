"""``python -m app pprg review``: received GAP/GBS, verdicts and the signed review file.

``app/cli/pprg.py`` hangs these actions under its ``review`` action
(:func:`register_actions`, :func:`run_action`); the rules are in the services.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.common import (
    EXIT_FAIL,
    EXIT_OK,
    CommandFailed,
    UsageError,
    db_target,
    open_db,
    print_json,
    unlock_key,
)

STATUSES = {"diterima": "diterima", "perbaikan": "perlu_perbaikan"}


def register_actions(p: argparse.ArgumentParser) -> None:
    acts = p.add_subparsers(dest="review_command", metavar="AKSI", required=True)

    def with_db(a: argparse.ArgumentParser) -> argparse.ArgumentParser:
        a.add_argument("--db", type=db_target, dest="db_sub", metavar="PATH", help="basis data")
        return a

    ls = with_db(acts.add_parser("list", help="dokumen yang diterima (Pokja) atau milik OPD ini"))
    ls.add_argument("--year", type=int, help="satu tahun saja")
    ls.add_argument("--opd", metavar="KODE", help="satu Perangkat Daerah saja")
    ls.add_argument("--local", action="store_true", help="dokumen OPD ini sendiri (Focal Point)")
    ls.add_argument("--json", action="store_true", help="keluaran JSON")

    st = with_db(acts.add_parser("set", help="memberi status telaah pada dokumen yang diterima"))
    st.add_argument("kind", choices=("gap", "gbs"))
    st.add_argument("node", metavar="KEGIATAN", help="kunci kegiatan/sub kegiatan")
    st.add_argument("year", type=int)
    st.add_argument("status", choices=sorted(STATUSES))
    st.add_argument("--remarks", default="", metavar="T", help="catatan untuk OPD")
    st.add_argument("--role", choices=("pokja", "inspektorat"), help="peran penelaah")

    ex = with_db(acts.add_parser("export", help="berkas hasil telaah bertanda tangan untuk OPD"))
    ex.add_argument("--opd", required=True, metavar="KODE")
    ex.add_argument("--year", type=int, required=True)
    ex.add_argument("--out", type=Path, required=True, metavar="F", help="berkas .monevtelaah")
    ex.add_argument("--passphrase-file", type=Path, metavar="F", help="berkas kata sandi kunci")

    im = with_db(acts.add_parser("import", help="menerima berkas hasil telaah (Focal Point)"))
    im.add_argument("file", type=Path, metavar="BERKAS")

    ins = with_db(
        acts.add_parser(
            "inspektorat",
            help="mengisi realisasi baris Inspektorat dari jumlah dokumen PPRG yang ditelaah",
        )
    )
    ins.add_argument("--year", type=int, required=True)
    ins.add_argument("--row", metavar="KUNCI", help="kunci baris (diingat untuk berikutnya)")


def run_action(args: argparse.Namespace) -> int:
    from app.domain.pprg import PprgError
    from app.domain.printable import shown_lines
    from app.formats.canonical_json import SubmissionError

    handlers = {
        "list": _list,
        "set": _set,
        "export": _export,
        "import": _import,
        "inspektorat": _inspektorat,
    }
    try:
        return handlers[args.review_command](args)
    except (PprgError, SubmissionError, LookupError) as exc:
        print(shown_lines(str(exc)), file=sys.stderr)
        return EXIT_FAIL


def _user(db: Any) -> str:
    from app.services.profile import load_profile

    with db.begin() as session:
        profile = load_profile(session)
    return profile.user_label if profile else ""


def _list(args: argparse.Namespace) -> int:
    from app.services.pprg_review import document_states
    from app.services.pprg_store import LOCAL, RECEIVED

    db = open_db(args)
    try:
        with db.begin() as session:
            states = document_states(
                session, LOCAL if args.local else RECEIVED, year=args.year, opd_code=args.opd
            )
    finally:
        db.dispose()
    rows = [
        {
            "opd": s.stored.document.opd_code,
            "year": s.stored.document.year,
            "kind": s.kind.value,
            "node": s.stored.document.node_key,
            "name": s.node_name,
            "status": s.status,
            "remarks": s.review.remarks if s.review else "",
            "content_hash": s.stored.content_hash,
        }
        for s in states
    ]
    if args.json:
        print_json(rows)
    elif not rows:
        print("Belum ada dokumen PPRG.")
    else:
        for r in rows:
            print(f"{r['opd']}\t{r['year']}\t{r['node']}\t{r['status']}\t{r['name']}")
    return EXIT_OK


def _set(args: argparse.Namespace) -> int:
    from app.domain.pprg import Kind, ReviewStatus
    from app.services.pprg_review import review_received

    db = open_db(args, write=True)
    try:
        review = review_received(
            db,
            Kind(args.kind),
            args.node,
            args.year,
            ReviewStatus(STATUSES[args.status]),
            args.remarks,
            reviewer=_user(db),
            role=args.role,
        )
    finally:
        db.dispose()
    print(f"{args.kind.upper()} {args.node} {args.year}: {review.status.value}.")
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from app.services.pprg_review import export_review_file

    key = unlock_key(args)
    db = open_db(args)
    try:
        try:
            n = export_review_file(db, args.opd, args.year, key, args.out)
        except OSError as exc:
            raise CommandFailed(f"Berkas tidak dapat ditulis: {exc}") from exc
    finally:
        db.dispose()
    print(f"Hasil telaah {n} dokumen PPRG {args.opd} tahun {args.year}: {args.out}")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from app.services.pprg_review import import_review_file

    db = open_db(args, write=True)
    try:
        result = import_review_file(db, args.file, user=_user(db))
    finally:
        db.dispose()
    print(result.message)
    return EXIT_OK


def _inspektorat(args: argparse.Namespace) -> int:
    from app.services import catalog
    from app.services.entry import EntryError
    from app.services.pprg_counts import (
        choose_row,
        chosen_row,
        fill_inspektorat_realisation,
        row_candidates,
    )

    db = open_db(args, write=True)
    try:
        with db.begin() as session:
            plan = catalog.get_plan(session)
            if args.year not in plan.years:
                raise UsageError(f"Tahun {args.year} di luar periode rencana.")
            row = choose_row(session, plan, args.row) if args.row else chosen_row(session, plan)
            if row is None:
                listed = "\n".join(f"  {c.key}\t{c.label}" for c in row_candidates(session, plan))
                raise UsageError(
                    "Pilih baris Inspektorat sekali dengan --row KUNCI. Kandidat:\n"
                    + (listed or "  (tidak ada baris yang menyebut PPRG)")
                )
        try:
            total, _old = fill_inspektorat_realisation(db, row.row_id, args.year, _user(db))
        except EntryError as exc:
            raise CommandFailed(str(exc)) from exc
    finally:
        db.dispose()
    print(f"Realisasi {row.label} tahun {args.year}: {total} dokumen ditelaah.")
    return EXIT_OK
