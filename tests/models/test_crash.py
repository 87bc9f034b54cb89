"""Kill the writer during a burst of edits; every acknowledged edit must be there."""

import os
import signal
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from app.formats.synthetic import synthetic_plan
from app.models import db as dbmod
from app.services import entry
from app.services.seeding import load_plan_data

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.sqlite_only  # what a power cut leaves in the file (WAL, synchronous=FULL)
@pytest.mark.parametrize("kill_after", [40, 400])
def test_kill_during_burst_keeps_every_acknowledged_edit(tmp_path: Path, kill_after: int) -> None:
    path = tmp_path / "crash.sqlite"
    db = dbmod.open_database(path)
    load_plan_data(db, synthetic_plan(60, opds=3))
    db.dispose()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "models" / "crash_writer.py"), str(path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    acked: dict[int, int] = {}
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            _, i, row = line.split()
            acked[int(row)] = int(i)  # the newest acknowledged value per row
            if int(i) + 1 >= kill_after:
                proc.send_signal(signal.SIGKILL)
                break
    finally:
        proc.kill()
        proc.wait(timeout=30)
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert len(acked) > 0
    # The writer may have committed one more edit after the last ACK we read;
    # such an edit is newer, never older, than what was acknowledged.
    assert dbmod.integrity_problem(path) is None
    db = dbmod.open_database(path)
    with db.begin() as s:
        for row, i in acked.items():
            got = entry.get_realisation(s, row, 2023)
            assert got is not None, f"acknowledged edit of row {row} lost"
            assert got.breakdown.total is not None
            assert got.breakdown.total >= Decimal(i + 1)
    db.dispose()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
