"""Runs two race_worker children against one server database at the same moment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
WORKER = ROOT / "tests" / "services" / "race_worker.py"


def race(url: str, barrier: Path, jobs: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    """Start one child per name with its arguments, release them together, collect results."""
    barrier.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = {
        name: subprocess.Popen(
            [sys.executable, str(WORKER), url, str(barrier), name, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        for name, args in jobs.items()
    }
    try:
        deadline = time.monotonic() + 120
        while not all((barrier / f"{n}.ready").exists() for n in procs):
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs.values()):
                raise AssertionError({n: p.communicate()[1] for n, p in procs.items()})
            time.sleep(0.01)
        (barrier / "go").touch()
        out = {}
        for name, p in procs.items():
            stdout, stderr = p.communicate(timeout=120)
            assert p.returncode == 0, stderr
            out[name] = json.loads(stdout.strip().splitlines()[-1])
        return out
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.kill()
                p.wait(timeout=30)
