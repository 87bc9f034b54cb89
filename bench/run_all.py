"""Run every benchmark in turn and print their figures (``python -m bench.run_all``).

Add ``--quick`` to skip the 100,000-row search database, which takes about a minute
to build, and the 500 MB cold start (its database is built once into a cache folder).
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
]


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    failed = 0
    for module in BENCHES:
        args = [sys.executable, "-m", module]
        if quick and module == "bench.bench_cold_large":
            continue
        if quick and module == "bench.bench_search":
            args.append("--skip-large")
        print(f"\n=== {module}", flush=True)
        failed += subprocess.run(args, check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
