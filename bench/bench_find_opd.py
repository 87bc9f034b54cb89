"""``catalog.find_opd`` per call, at a regency's 33 OPDs and a province's 1,254, per engine.

Every command with ``--opd``, every export and the row form's start resolve an OPD by
whatever the user typed. The inputs mix codes, canonical and short names, aliases in
odd case and padding, and unknown names (which read every candidate and then fail).
Beside the query, the walk it replaced (every OPD, each one's aliases loaded) is timed
on the same database, so one run shows before and after under the same load.

``python -m bench.bench_find_opd [--pg-url URL] [--calls N]``: ``URL`` is a server
account that may create a database (it makes and drops ``monev_bench_find_opd``).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.formats.synthetic import synthetic_province
from app.models.db import Database, open_database
from app.models.schema import Opd
from app.services import catalog
from app.services.seeding import ensure_opds
from bench.common import machine, workdir

SCALES = {"kabupaten (33 OPD)": 1, "provinsi (1.254 OPD)": 38}
PG_DATABASE = "monev_bench_find_opd"
Figure = tuple[float, float]  # median, max ms per call


def walk(session: Session, typed: str) -> Opd:
    """The lookup before this change: every OPD and its aliases, compared in Python."""
    needle = typed.strip().casefold()
    for opd in session.scalars(select(Opd)):
        names = {opd.code, opd.name, opd.short_name, *(a.variant for a in opd.aliases)}
        if needle in {n.casefold() for n in names}:
            return opd
    raise LookupError(typed)


def inputs(opds: list[dict[str, object]], calls: int) -> list[str]:
    rng = random.Random(14)
    out = []
    for i in range(calls):
        opd = rng.choice(opds)
        kind = i % 5
        if kind == 0:
            out.append(str(opd["code"]))
        elif kind == 1:
            out.append(f"  {str(opd['name']).lower()} ")
        elif kind == 2:
            out.append(str(opd["short"]).upper())
        elif kind == 3:
            out.append(str(opd["variants"][0]).title())  # type: ignore[index]
        else:
            out.append(f"Dinas Tak Dikenal {i}")
    return out


def per_call(db: Database, lookup: Callable[[Session, str], Opd], typed: list[str]) -> Figure:
    """Median and slowest ms per call, each in its own session as a command or a form
    makes it (the slowest is an unknown name, which reads every candidate)."""
    samples = []
    for t in typed:
        start = time.perf_counter()
        with db.begin() as s, contextlib.suppress(LookupError):
            lookup(s, t)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def measure(make: Callable[[str], Database], calls: int) -> dict[str, tuple[Figure, Figure]]:
    out = {}
    for label, regencies in SCALES.items():
        opds = synthetic_province(regencies=regencies, rows_per_regency=1)["opds"]
        db = make(label)
        try:
            with db.begin() as s:
                ensure_opds(s, opds)
            typed = inputs(opds, calls)
            per_call(db, catalog.find_opd, typed[:10])  # warm the engine's caches
            out[label] = (per_call(db, walk, typed), per_call(db, catalog.find_opd, typed))
        finally:
            db.dispose()
    return out


def on_postgresql(admin_url: str, calls: int) -> dict[str, tuple[Figure, Figure]]:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")

    def run(sql: str) -> None:
        with admin.connect() as con:
            con.execute(text(sql))

    def make(_label: str) -> Database:
        run(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        run(f'CREATE DATABASE "{PG_DATABASE}"')
        url = make_url(admin_url).set(database=PG_DATABASE)
        return open_database(url.render_as_string(hide_password=False))

    try:
        return measure(make, calls)
    finally:
        run(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        admin.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_find_opd")
    parser.add_argument("--pg-url", help="akun server yang boleh membuat basis data")
    parser.add_argument("--calls", type=int, default=100, help="panggilan per ukuran")
    args = parser.parse_args(argv)
    print(machine())
    folder: Path = workdir()
    engines = {
        "SQLite": measure(lambda label: open_database(folder / f"{label}.sqlite"), args.calls)
    }
    if args.pg_url:
        engines["PostgreSQL"] = on_postgresql(args.pg_url, args.calls)
    print(f"find_opd, ms per call over {args.calls} calls, median / max (walk before → query now)")
    for engine, figures in engines.items():
        for label, (before, now) in figures.items():
            print(
                f"  {engine:10} {label:22} {before[0]:7.2f} / {before[1]:7.2f} ms"
                f" → {now[0]:5.2f} / {now[1]:5.2f} ms"
            )
    if not args.pg_url:
        print("PostgreSQL: tidak diukur (tanpa --pg-url)")


if __name__ == "__main__":
    main()
