"""Province scale: 38 regencies' submissions imported into one Pokja database, per engine.

A province is modelled as one plan whose OPDs are every regency's OPDs (38 × 33, codes
``R01-OPD-001`` …) over 38 × 850 ≈ 32,300 rows (``synthetic_province``): the app has no
level above a plan, and a province consolidates its regencies as a regency consolidates
its OPDs. Each OPD sends one signed submission per year (3 years, 3,762 files), imported
in one batch by ``importer.import_files``, the service the window and
``python -m app submissions import`` use, with each OPD's key accepted by name as Pokja
does after comparing fingerprints. Then the completeness board over the result.

The files are built once into ``<cache>/province/<VERSION>`` (about ten minutes: the
printable workbooks and the signing) and reused; bump ``VERSION`` when what they hold
changes. Each OPD's printable workbook is exported once and carries its three years'
signed contents (the importer verifies the signed content and the manifest, not which
year the visible sheet shows, so the file read costs the same).

``python -m bench.bench_province [--pg-url URL [--only-pg]] [--files N] [--profile DIR]``:
``URL`` is a server account that may create a database (it makes and drops
``monev_bench_province``); ``N`` imports only the first N files, for a quick look;
``DIR`` receives a cProfile of each engine's import (``sqlite.prof``, ``postgresql.prof``).
``python -m bench.bench_province --board-only DB [--runs N]`` builds only the board over a
province database imported before (a SQLite path or a server URL).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import shutil
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from app.formats import keys
from app.formats.canonical_json import canonical_bytes
from app.formats.submission import copy_without_parts, sign_package
from app.formats.synthetic import synthetic_province
from app.models.db import Database, open_database
from app.models.schema import Opd
from app.services import catalog, importer
from app.services.completeness import build_board
from app.services.export import export_report
from app.services.sample import fill_sample
from app.services.seeding import load_plan_data
from app.services.submission_content import build_content
from bench.common import cache_dir, machine, workdir

VERSION = "province-v1"  # the cached files' recipe; change it when the recipe changes
YEARS = (2022, 2023, 2024)
PRINTED_YEAR = 2023
BOARD_RUNS = 7
EARLY = 500  # ms per file over the first EARLY files, against all files
PG_DATABASE = "monev_bench_province"


def _key(code: str) -> keys.SigningKey:
    """The OPD's signing key, derived from its code: the cache need not store secrets."""
    private = Ed25519PrivateKey.from_private_bytes(
        hashlib.sha256(f"{VERSION}/{code}".encode()).digest()
    )
    public = keys.public_bytes(private)
    return keys.SigningKey(private, public, keys.fingerprint(public))


def _build(folder: Path) -> None:
    """Make every OPD's three signed files, as their focal points would export them."""
    plan = synthetic_province()
    codes = [o["code"] for o in plan["opds"]]
    focal = open_database(folder / "focal.sqlite")
    load_plan_data(focal, plan)
    for year in YEARS:
        fill_sample(focal, year, full_opds=tuple(codes), others=0.0, arg_nodes=400, proposals=80)
    out = folder / "files"
    out.mkdir()
    printed = folder / "printed"
    printed.mkdir()
    index: list[dict[str, str]] = []
    t0 = time.perf_counter()
    for i, code in enumerate(codes):
        export_report(focal, PRINTED_YEAR, opd=code, xlsx=printed / f"{code}.xlsx")
        if i % 100 == 99:
            print(
                f"  {i + 1}/{len(codes)} buku kerja, {time.perf_counter() - t0:.0f} s", flush=True
            )
    _sign(focal, codes, printed, out, index, t0)
    focal.dispose()
    shutil.rmtree(printed)
    (folder / "focal.sqlite").unlink()
    (folder / "index.json").write_text(json.dumps(index), encoding="utf-8")


def _sign(
    focal: Database,
    codes: list[str],
    printed: Path,
    out: Path,
    index: list[dict[str, str]],
    t0: float,
) -> None:
    """Each OPD's printable workbook with its signed content, year by year."""
    for y, year in enumerate(YEARS):
        with focal.begin() as s:
            p = catalog.get_plan(s)
            # By code, not catalog.find_opd: that compares every OPD's names and loads
            # each one's aliases, about a second per call with 1,254 OPDs.
            for i, code in enumerate(codes):
                content = build_content(
                    s,
                    p,
                    s.scalars(select(Opd).where(Opd.code == code)).one(),
                    year,
                    submission_id=f"00000000-0000-4000-8000-{10 * i + y:012d}",
                    revision=1,
                    created_at=datetime(year + 1, 1, 10),
                    preparer=None,
                )
                name = f"{year}-{code}.xlsx"
                copy_without_parts(printed / f"{code}.xlsx", out / name)
                sign_package(out / name, canonical_bytes(content), _key(code))
                index.append({"file": name, "opd": code})
        print(f"  tahun {year} ditandatangani, {time.perf_counter() - t0:.0f} s", flush=True)


def cached_files() -> list[tuple[Path, str]]:
    """The signed files with their OPD, in import order (year by year), built if absent."""
    home = cache_dir() / "province" / VERSION
    if not (home / "index.json").exists():
        building = home.with_name(VERSION + ".building")
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        print(f"Membuat berkas kiriman sekali ke {home} …", flush=True)
        _build(building)
        shutil.rmtree(home, ignore_errors=True)
        building.replace(home)
    index = json.loads((home / "index.json").read_text(encoding="utf-8"))
    return [(home / "files" / e["file"], e["opd"]) for e in index]


@dataclass
class Figures:
    load_s: float = 0.0
    files: int = 0
    import_s: float = 0.0
    early_ms: float = 0.0
    late_ms: float = 0.0
    board_ms: list[float] = field(default_factory=list)


def measure(db: Database, files: list[tuple[Path, str]], profile: Path | None = None) -> Figures:
    """Load the province plan (not timed against the goal), import, build the board.

    With ``profile``, the import runs under cProfile (slower) and its statistics are
    written there (``python -m pstats``, or snakeviz)."""
    fig = Figures(files=len(files))
    t = time.perf_counter()
    load_plan_data(db, synthetic_province())
    fig.load_s = time.perf_counter() - t
    accepted = {(code, _key(code).key_id) for code in {c for _f, c in files}}
    marks: dict[int, float] = {}

    def progress(done: int, _total: int) -> None:
        marks[done] = time.perf_counter()

    profiler = cProfile.Profile() if profile else None
    t = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    outs = importer.import_files(
        db, [f for f, _c in files], accept_keys=accepted, user="bench", progress=progress
    )
    fig.import_s = time.perf_counter() - t
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(str(profile))
    bad = [o for o in outs if o.outcome != importer.ACCEPTED]
    assert not bad, (len(bad), bad[0].file.name, bad[0].reason)
    early = min(EARLY, len(files))
    fig.early_ms = 1000 * (marks[early] - t) / early
    late_from = max(0, len(files) - EARLY)
    fig.late_ms = 1000 * (marks[len(files)] - marks[late_from]) / (len(files) - late_from)
    fig.board_ms, received = measure_board(db)
    assert received == len(files), (received, len(files))
    return fig


def measure_board(db: Database, runs: int = BOARD_RUNS) -> tuple[list[float], int]:
    """Milliseconds of each of ``runs`` builds of the whole plan's completeness board (the
    service the board window and ``python -m app board`` call), and the current
    submissions it counted."""
    times: list[float] = []
    received = 0
    for _ in range(runs):
        t = time.perf_counter()
        with db.begin() as s:
            board = build_board(s, catalog.get_plan(s), beside=db.sessions)
        times.append(1000 * (time.perf_counter() - t))
        received = sum(board.received(y) for y in board.years)
    return times, received


def board_only(target: str, runs: int) -> None:
    """``--board-only DB``: the board alone over a province database imported before (a
    SQLite file or a server URL), so a change to the board is measured in seconds, not
    after a 3-minute import; the database is opened as the app opens it (migrated)."""
    print(f"Mesin: {machine()}")
    db = open_database(target)
    try:
        times, received = measure_board(db, runs)
    finally:
        db.dispose()
    print(
        f"Papan kelengkapan atas {received} kiriman terkini, {runs}×: "
        + ", ".join(f"{t:.0f}" for t in times)
        + " ms"
    )
    print(f"Median: {statistics.median(times):.0f} ms (target <= 200 ms)")


def on_sqlite(files: list[tuple[Path, str]], profile: Path | None = None) -> Figures:
    folder = workdir()
    db = open_database(folder / "province.sqlite")
    try:
        return measure(db, files, profile)
    finally:
        db.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def on_postgresql(
    admin_url: str, files: list[tuple[Path, str]], profile: Path | None = None
) -> Figures:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")

    def run(sql: str) -> None:
        with admin.connect() as con:
            con.execute(text(sql))

    run(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
    run(f'CREATE DATABASE "{PG_DATABASE}"')
    url = make_url(admin_url).set(database=PG_DATABASE).render_as_string(hide_password=False)
    db = open_database(url)
    try:
        return measure(db, files, profile)
    finally:
        db.dispose()
        run(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        admin.dispose()


def table(columns: dict[str, Figures]) -> list[str]:
    first = next(iter(columns.values()))
    early = min(EARLY, first.files)
    lines: list[tuple[str, Callable[[Figures], str]]] = [
        ("Muat rencana provinsi (persiapan, tidak dinilai)", lambda f: f"{f.load_s:.1f} s"),
        (f"Impor {first.files} berkas, total (target <= 90 s)", lambda f: f"{f.import_s:.1f} s"),
        (f"ms/berkas, {early} berkas pertama", lambda f: f"{f.early_ms:.1f} ms"),
        (
            f"ms/berkas, semua {first.files} berkas",
            lambda f: f"{1000 * f.import_s / f.files:.1f} ms",
        ),
        (f"ms/berkas, {early} berkas terakhir", lambda f: f"{f.late_ms:.1f} ms"),
        (
            f"Papan kelengkapan, median {BOARD_RUNS}× (target <= 200 ms)",
            lambda f: f"{statistics.median(f.board_ms):.0f} ms",
        ),
    ]
    width = max(len(label) for label, _ in lines)
    cols = list(columns)
    out = [f"{'':{width}}  " + "  ".join(f"{c:>12}" for c in cols)]
    for label, cell in lines:
        out.append(f"{label:{width}}  " + "  ".join(f"{cell(columns[c]):>12}" for c in cols))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_province")
    parser.add_argument("--pg-url", help="akun server yang boleh membuat basis data")
    parser.add_argument("--files", type=int, default=0, help="impor hanya N berkas pertama")
    parser.add_argument(
        "--board-only",
        metavar="DB",
        help="ukur papan saja atas basis data provinsi yang sudah diimpor (berkas atau URL)",
    )
    parser.add_argument(
        "--runs", type=int, default=BOARD_RUNS, help="ulangan papan (dengan --board-only)"
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="profil cProfile impor ke DIR/<mesin>.prof (angka waktu jadi lebih lambat)",
    )
    parser.add_argument("--only-pg", action="store_true", help="lewati SQLite (dengan --pg-url)")
    args = parser.parse_args(argv)
    if args.board_only:
        board_only(args.board_only, args.runs)
        return
    print(f"Mesin: {machine()}")
    files = cached_files()
    if args.files:
        files = files[: args.files]
    opds = len({c for _f, c in files})
    print(
        f"Provinsi: 38 kabupaten × 850 baris, {opds} OPD, {len(files)} kiriman bertanda tangan "
        f"({len(YEARS)} tahun)",
        flush=True,
    )
    profiles: dict[str, Path | None] = {"sqlite": None, "postgresql": None}
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
        profiles = {k: args.profile / f"{k}.prof" for k in profiles}
    columns: dict[str, Figures] = {}
    if not (args.only_pg and args.pg_url):
        columns["SQLite"] = on_sqlite(files, profiles["sqlite"])
    if args.pg_url:
        columns["PostgreSQL"] = on_postgresql(args.pg_url, files, profiles["postgresql"])
    for line in table(columns):
        print(line)
    if not args.pg_url:
        print("PostgreSQL: tidak diukur (tanpa --pg-url)")


if __name__ == "__main__":
    main()
