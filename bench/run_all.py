"""Run every benchmark in turn and print their figures (``python -m bench.run_all``).

Add ``--quick`` to skip the 100,000-row search database, which takes about a minute
to build, the 500 MB cold start and the province import (their databases and files are
built once into a cache folder). ``--pg-url URL`` is passed to the benches that also
measure on a PostgreSQL server (``bench.bench_province``).
"""

from __future__ import annotations

import subprocess
import sys

BENCHES = [
    "bench.bench_startup",
    "bench.bench_cold_large",
    "bench.bench_save",
    "bench.bench_search",
    "bench.bench_reports",
    "bench.bench_import",
    "bench.bench_board",
    "bench.bench_plan_import",
    "bench.bench_province",
]
SLOW = {"bench.bench_cold_large", "bench.bench_province"}  # left out by --quick
ON_SERVER = {"bench.bench_province"}  # take --pg-url


def main() -> int:
    argv = sys.argv[1:]
    quick = "--quick" in argv
    pg_url = argv[argv.index("--pg-url") + 1] if "--pg-url" in argv[:-1] else None
    failed = 0
    for module in BENCHES:
        args = [sys.executable, "-m", module]
        if quick and module in SLOW:
            continue
        if pg_url and module in ON_SERVER:
            args += ["--pg-url", pg_url]
        if quick and module == "bench.bench_search":
            args.append("--skip-large")
        print(f"\n=== {module}", flush=True)
        failed += subprocess.run(args, check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
