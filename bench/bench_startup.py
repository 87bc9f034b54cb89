"""Cold start: from launching the program to the first painted main window.

    python -m bench.bench_startup [--runs 5]

Each run is a new process doing what ``python -m app --db PATH`` does (interpreter
start, imports, integrity check, the backup made on open, the profile, loading the
seeded matrix, building the window) until the window's first paint pass has finished;
the time is taken by this parent process from spawning to the child's mark. Goal ≤ 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from app.services.profile import ROLE_FOCAL, ROLE_POKJA, Profile, save_profile
from bench.common import machine, seeded_db, workdir

GOAL_S = 1.5
ROOT = Path(__file__).resolve().parent.parent

# Runs in the child: the real entry point, with a hook that reports the first paint.
CHILD = r"""
import sys

import app.__main__ as entry


def install_hook():
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    import app.ui.main_window as mw

    class FirstPaint(QObject):
        done = False
        def eventFilter(self, obj, event):
            if not self.done and event.type() == QEvent.Type.Paint and obj.window() is self.win:
                self.done = True
                # Let the rest of this paint pass finish, then mark and leave.
                QTimer.singleShot(0, self.mark)
            return False
        def mark(self):
            print("PAINTED", flush=True)
            QApplication.instance().exit(0)

    _show = mw.MainWindow.show
    def show(self):
        hook = FirstPaint(self)
        hook.win = self
        QApplication.instance().installEventFilter(hook)
        _show(self)
    mw.MainWindow.show = show


# The hook imports Qt: after the app's own imports where the entry point has the seam,
# so the child imports modules in the order ``python -m app`` does (bench_cold_large).
if hasattr(entry, "_window_runner"):
    _runner = entry._window_runner
    def runner():
        run_gui = _runner()
        install_hook()
        return run_gui
    entry._window_runner = runner
else:
    install_hook()

sys.exit(entry.main(["gui", "--db", sys.argv[1]]))
"""


def one_run(db_path: Path, env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db_path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - t0
    proc.wait(timeout=60)
    proc.stdout.close()
    if line.strip() != "PAINTED":
        raise SystemExit(f"the window did not paint (exit {proc.returncode})")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    runs = ap.parse_args().runs
    print(f"machine: {machine()}")
    for label, profile in (
        (
            "focal point of Dinkes PP & KB (456 rows)",
            Profile(ROLE_FOCAL, "Bench", "198001012005011001", "DINKES-PPKB", 2023),
        ),
        (
            "Pokja PUG (all 848 rows)",
            Profile(ROLE_POKJA, "Bench", "198001012005011001", None, 2023),
        ),
    ):
        folder = workdir()
        db = seeded_db(folder)
        with db.begin() as s:
            save_profile(s, profile)
        path = db.path
        db.dispose()
        assert path is not None
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "MONEV_DATA_DIR": str(folder),
            "XDG_CONFIG_HOME": str(folder / "config"),
            "PYTHONPATH": str(ROOT),
        }
        one_run(path, env)  # warm the OS file cache, as any second start of the day would be
        samples = [one_run(path, env) for _ in range(runs)]
        median = statistics.median(samples)
        print(
            f"cold start to first painted window, {label}: "
            + ", ".join(f"{x:.2f}" for x in samples)
            + f" s; median {median:.2f} s — goal ≤ {GOAL_S} s "
            + ("met" if median <= GOAL_S else "NOT met")
        )


if __name__ == "__main__":
    main()
