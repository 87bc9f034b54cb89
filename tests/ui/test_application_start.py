"""How ``python -m app`` starts the window: no cycle collection while its code is imported.

Each run is a new process, as a user's start is: the collector's state is the process's.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.services.database import open_seeded
from app.services.profile import ROLE_POKJA, Profile, save_profile
from app.ui.application import resume_collector

ROOT = Path(__file__).resolve().parents[2]

# The real entry point on ``argv[1]``, reporting the collector's state when the database
# is opened and when the window is shown (whether it runs, and whether what the imports
# made is frozen); then it leaves.
PROBE = r"""
import gc, os, sys
import app.__main__ as entry

def hooks():
    import app.ui.application as application
    import app.ui.main_window as mw
    open_interactive = application.open_interactive

    def opened(path):
        print("open", gc.isenabled(), gc.get_freeze_count() > 0, flush=True)
        return open_interactive(path)

    def shown(self):
        print("shown", gc.isenabled(), flush=True)
        os._exit(0)

    application.open_interactive = opened
    mw.MainWindow.show = shown

runner = entry._window_runner
def hooked():
    run = runner()
    hooks()
    return run
entry._window_runner = hooked
sys.exit(entry.main(["gui", "--db", sys.argv[1]]))
"""


def _run(script: str, *args: str, data: Path) -> list[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
        "MONEV_DATA_DIR": str(data),
        "XDG_CONFIG_HOME": str(data / "config"),
    }
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.sqlite_only  # a file opened by a new process
def test_the_collector_is_paused_only_while_the_windows_code_is_imported(
    tmp_path: Path,
) -> None:
    path = tmp_path / "monev.sqlite"
    db = open_seeded(path)
    with db.begin() as s:
        save_profile(s, Profile(ROLE_POKJA, "Uji", "198001012005011001", None, 2023))
    db.dispose()
    # Running again before the database is read: a first run's seeding leaves garbage.
    assert _run(PROBE, str(path), data=tmp_path) == ["open True True", "shown True"]


def test_a_start_that_ends_before_a_paint_resumes_the_collector(tmp_path: Path) -> None:
    script = (
        "import gc\n"
        "import app.__main__ as entry\n"
        "seen = []\n"
        "entry._window_runner = lambda: (lambda path: seen.append(gc.isenabled()) or 1)\n"
        "code = entry.main(['gui', '--db', 'x.sqlite'])\n"
        "print(code, seen, gc.isenabled())\n"
    )
    assert _run(script, data=tmp_path) == ["1 [False] True"]


def test_resuming_leaves_a_collector_that_was_never_paused_alone() -> None:
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    resume_collector()
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_resuming_a_paused_collector_freezes_what_the_imports_made() -> None:
    gc.disable()
    try:
        resume_collector()
        assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # this test process goes on collecting as before
        gc.enable()
