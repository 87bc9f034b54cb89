"""One edit saved: the time from the form's values to a durable commit (goal ≤ 20 ms p95).

    python -m bench.bench_save [--edits 300]

Goes through ``entry.save_realisation``, the path the window uses: validation, the
row-ownership check, the write, the audit rows, and a commit with synchronous=FULL.
"""

from __future__ import annotations

import argparse
import time

from app.domain.realisation import parse_realisation
from app.services import catalog, entry
from bench.common import describe, machine, p95, seeded_db, workdir

GOAL_MS = 20.0


def run(edits: int) -> float:
    db = seeded_db(workdir())
    with db.begin() as s:
        plan = catalog.get_plan(s)
        rows = catalog.load_rows(s, plan.id)
        year = plan.start_year
    samples = []
    for i in range(edits):
        row = rows[(i * 7) % len(rows)]
        texts = {
            "male": str(i % 50),
            "female": str((i * 3) % 50),
            "disabled": "1",
            "budget": "12.500.000",
            "spending": f"{(i % 100) * 100_000}",
            "evidence": f"Daftar hadir kegiatan {i}",
        }
        t0 = time.perf_counter()
        values = parse_realisation(texts)
        entry.save_realisation(db, row.id, year, values, "bench", opd_id=row.opd_id)
        samples.append((time.perf_counter() - t0) * 1000)
    db.dispose()
    print(f"machine: {machine()}")
    print(f"rows in database: {len(rows)}")
    print(f"edit saved (parse + validate + write + audit + durable commit): {describe(samples)}")
    result = p95(samples)
    print(f"goal p95 ≤ {GOAL_MS:.0f} ms: {'met' if result <= GOAL_MS else 'NOT met'}")
    return result


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--edits", type=int, default=300)
    run(ap.parse_args().edits)
