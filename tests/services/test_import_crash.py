"""A Pokja import killed mid-way leaves every file either fully in or fully out."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.formats import keys
from app.formats.submission import read_package
from app.models import db as dbmod
from app.models.schema import Opd, PlanRow, Realisation
from tests.services.submission_helpers import (
    PASSPHRASE,
    YEAR,
    content_of,
    forge,
    make_pair,
    submit,
)

# A killed child process writing a SQLite file (no server in the child).
pytestmark = pytest.mark.sqlite_only

ROOT = Path(__file__).resolve().parents[2]


def test_kill_during_import_keeps_files_whole(tmp_path: Path) -> None:
    pair = make_pair(tmp_path, rows=400, opds=40, full=tuple(f"OPD-{i:03d}" for i in range(1, 41)))
    base = submit(pair, tmp_path / "dasar.xlsx")
    # One key per OPD: a key belongs to one OPD (issue 11).
    files = [base] + [
        forge(
            base,
            tmp_path / f"k{i:03d}.xlsx",
            content_of(pair.focal, f"OPD-{i:03d}"),
            keys.generate_key(PASSPHRASE, tmp_path / f"kunci{i:03d}"),
        )
        for i in range(2, 41)
    ]
    expected = {}
    for f in files:
        s = read_package(f)
        expected[s.opd_code] = sum(len(r["realisations"]) for r in s.content["rows"])
    path = Path(pair.pokja.url.removeprefix("sqlite:///"))
    pair.dispose()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "services" / "crash_importer.py"), str(path)]
        + [str(f) for f in files],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    acked = 0
    assert proc.stdout is not None
    try:
        for _line in proc.stdout:
            acked += 1
            if acked >= 12:
                proc.send_signal(signal.SIGKILL)
                break
    finally:
        proc.kill()
        proc.wait(timeout=30)
        proc.stdout.close()
    assert dbmod.integrity_problem(path) is None
    db = dbmod.open_database(path)
    try:
        with db.begin() as s:
            counts = dict(
                s.execute(
                    select(Opd.code, func.count(Realisation.id))
                    .join(PlanRow, PlanRow.opd_id == Opd.id)
                    .join(Realisation, Realisation.row_id == PlanRow.id)
                    .where(Realisation.year == YEAR)
                    .group_by(Opd.code)
                ).all()
            )
    finally:
        db.dispose()
    full = [code for code, n in expected.items() if counts.get(code, 0) == n and n]
    for code, n in expected.items():
        assert counts.get(code, 0) in (0, n), code
    assert len(full) >= 12
