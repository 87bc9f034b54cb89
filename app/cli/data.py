"""``summary``, ``dump`` and ``arg``: what the plan's rows hold, as text or JSON.

Read-only commands for scripts and checks: row counts and filled realisations per OPD,
every row with its hierarchy (docs/dump-format.md), and the ARG recap (Tabel 5.4/5.5).
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import EXIT_OK, Handler, db_target, find_opd, open_db, plan_year, print_json


def register(sub: Any) -> dict[str, Handler]:
    s = sub.add_parser("summary", help="jumlah baris dan kelengkapan realisasi per OPD")
    s.add_argument("--db", type=db_target, dest="db_sub", metavar="PATH", help="berkas basis data")
    s.add_argument(
        "--year", type=int, help="tahun pelaporan (bawaan: tahun profil atau tahun awal)"
    )
    s.add_argument("--plan", help="kode rencana (bawaan: RAD PUG)")
    s.add_argument("--json", action="store_true", help="keluaran JSON")

    d = sub.add_parser("dump", help="semua baris dengan hierarki, target dan realisasi (JSON)")
    d.add_argument("--db", type=db_target, dest="db_sub", metavar="PATH", help="berkas basis data")
    d.add_argument("--opd", help="kode, nama, atau ejaan lain nama OPD")
    d.add_argument("--plan", help="kode rencana (bawaan: RAD PUG)")

    a = sub.add_parser("arg", help="rekap instrumen ARG (Tabel 5.4/5.5) per kegiatan")
    a.add_argument("--db", type=db_target, dest="db_sub", metavar="PATH", help="berkas basis data")
    a.add_argument("--opd", help="kode, nama, atau ejaan lain nama OPD (bawaan: semua)")
    a.add_argument("--year", type=int, help="tahun (bawaan: tahun profil atau tahun awal)")
    a.add_argument("--json", action="store_true", help="keluaran JSON")
    return {"summary": _cmd_summary, "dump": _cmd_dump, "arg": _cmd_arg}


def _cmd_summary(args: argparse.Namespace) -> int:
    from app.services import catalog

    db = open_db(args)
    try:
        with db.begin() as session:
            plan = catalog.get_plan(session, args.plan)
            year = plan_year(session, plan, args.year)
            data = catalog.summary(session, plan, year)
    finally:
        db.dispose()
    if args.json:
        print_json(data)
        return EXIT_OK
    print(f"{data['plan']['title']} — tahun {year}")
    width = max((len(o["short_name"]) for o in data["opds"]), default=10)
    print(f"{'Perangkat Daerah':<{width}}  {'Baris':>6}  {'Terisi':>6}  {'%':>6}")
    for o in data["opds"]:
        pct = 100 * o["filled"] / o["rows"] if o["rows"] else 0
        pct_text = f"{pct:>5.1f}%".replace(".", ",")
        print(f"{o['short_name']:<{width}}  {o['rows']:>6}  {o['filled']:>6}  {pct_text}")
    print(
        f"Jumlah: {data['rows']} baris di {data['opd_count']} Perangkat Daerah, "
        f"{data['filled']} terisi."
    )
    return EXIT_OK


def _cmd_dump(args: argparse.Namespace) -> int:
    from app.services import catalog

    db = open_db(args)
    try:
        with db.begin() as session:
            plan = catalog.get_plan(session, args.plan)
            opd = find_opd(session, args.opd)
            data = catalog.dump(session, plan, opd)
    finally:
        db.dispose()
    print_json(data)
    return EXIT_OK


def _cmd_arg(args: argparse.Namespace) -> int:
    from app.formats.arg_questions import load_question_sets
    from app.services import arg_store, catalog

    qsets = load_question_sets()
    db = open_db(args)
    try:
        with db.begin() as session:
            plan = catalog.get_plan(session)
            year = plan_year(session, plan, args.year)
            opd = find_opd(session, args.opd)
            rows = arg_store.recap(session, plan.id, year, qsets, opd.id if opd else None)
    finally:
        db.dispose()
    counts = arg_store.class_counts(rows, qsets)
    if args.json:
        print_json(
            {
                "year": year,
                "opd": opd.code if opd else None,
                "rows": arg_store.recap_json(rows),
                "class_counts": {k: dict(v) for k, v in sorted(counts.items())},
            }
        )
        return EXIT_OK
    print(f"Rekap evaluasi ARG tahun {year}" + (f" — {opd.short_name}" if opd else ""))
    if not rows:
        print("Belum ada kegiatan/sub kegiatan yang dinilai.")
        return EXIT_OK
    print(
        f"{'Perangkat Daerah':<22} {'Kegiatan/Sub Kegiatan':<50} {'Renc':>4} {'Pel':>4} "
        f"{'Ptj':>4} {'Ya':>3}  Klasifikasi"
    )
    for r in rows:
        ya = [st.ya for st in r.score.stages]
        print(
            f"{r.node.opd_name[:22]:<22} {r.node.name[:50]:<50} "
            + " ".join(f"{v:>4}" for v in ya)
            + f" {r.score.total_ya:>3}  {r.score.status_text}"
        )
    print()
    for opd_name, c in sorted(counts.items()):
        print(f"{opd_name}: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())))
    return EXIT_OK
