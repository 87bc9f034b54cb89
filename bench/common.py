"""Shared set-up for the benchmarks: databases in a temporary folder, machine info."""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import tempfile
from pathlib import Path

from app.formats.synthetic import synthetic_plan
from app.models.db import Database, open_database
from app.services.database import open_seeded
from app.services.seeding import load_plan_data


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}, "
        f"Python {platform.python_version()}"
    )


def workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="monev-bench-"))


def seeded_db(folder: Path) -> Database:
    """A new database with the official matrix, as a user's first start makes it."""
    return open_seeded(folder / "seeded.sqlite")


def synthetic_db(folder: Path, rows: int) -> Database:
    db = open_database(folder / f"syn-{rows}.sqlite")
    load_plan_data(db, synthetic_plan(rows, opds=40))
    return db


def cache_dir() -> Path:
    """Where large benchmark databases are built once, outside the repository."""
    return Path(os.environ.get("MONEV_BENCH_CACHE", Path.home() / ".cache" / "monev-bench"))


def cached_synthetic_db(folder: Path, rows: int) -> Database:
    """``synthetic_db`` built once into :func:`cache_dir` and copied into ``folder``:
    100,000 rows take minutes to load, and every run measures the same file."""
    cached = cache_dir() / f"syn-{rows}.sqlite"
    if not cached.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        building = cache_dir() / "building"
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir()
        db = synthetic_db(building, rows)
        db.dispose()  # the last close checkpoints the write-ahead log into the file
        (building / f"syn-{rows}.sqlite").replace(cached)
        shutil.rmtree(building, ignore_errors=True)
    target = folder / cached.name
    shutil.copyfile(cached, target)
    return open_database(target)


def describe(samples_ms: list[float]) -> str:
    s = sorted(samples_ms)
    p95 = s[min(len(s) - 1, round(0.95 * (len(s) - 1)))]
    return f"n={len(s)} median={statistics.median(s):.2f} ms p95={p95:.2f} ms max={s[-1]:.2f} ms"


def p95(samples_ms: list[float]) -> float:
    s = sorted(samples_ms)
    return s[min(len(s) - 1, round(0.95 * (len(s) - 1)))]
