"""Pokja's plan workbook: write the 848-row Lumajang matrix, check it, preview, import.

Goal: checking (container, XML scan, reading every row), previewing (with the OPD
catalogue) and writing the workbook take at most 2 s each on the reference machine.
``python -m bench.bench_plan_import``
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from app.formats.plan_workbook import read_plan_workbook
from app.services.plan_import import export_plan, import_plan, preview_plan
from bench.common import machine, seeded_db, workdir

PLAN = "RADPUG-LMJ-2022-2024"
GOAL_S = 2.0


def _timed(label: str, fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    took = time.perf_counter() - t0
    mark = "OK" if took <= GOAL_S else "LAMBAT"
    print(f"{label:<40} {took:6.3f} s  {mark} (sasaran ≤ {GOAL_S:.0f} s)")
    return took


def main() -> None:
    folder = workdir()
    print(f"Mesin: {machine()}")
    db = seeded_db(folder)
    path: Path = folder / "matriks.xlsx"
    try:
        with db.begin() as s:
            _timed("tulis buku kerja (848 baris)", lambda: export_plan(s, PLAN, path))
        print(f"  berkas {path.stat().st_size:,} bita")
        _timed("periksa dan baca buku kerja", lambda: read_plan_workbook(path))
        with db.begin() as s:
            _timed("pratinjau (baca + cocokkan OPD)", lambda: preview_plan(s, path))
        _timed(
            "impor sebagai rencana baru",
            lambda: import_plan(db, path, code="BENCH-LMJ", region="Kabupaten Lumajang"),
        )
    finally:
        db.dispose()


if __name__ == "__main__":
    main()
