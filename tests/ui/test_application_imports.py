"""The window's start imports only what its first paint needs.

Report and export libraries (PDF, Excel, charts) cost over half a second to import on
the reference PC, a cold start's whole margin (issue 14: first paint ≤ 1.0 s): a module
on the start path that needs one imports it in the function that writes the file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Imported by printing and exporting, never by showing the plan.
HEAVY = ("reportlab", "openpyxl", "numpy", "matplotlib", "PIL", "lxml", "alembic")


def test_the_start_path_imports_no_report_library() -> None:
    probe = (
        "import sys\n"
        "import app.__main__, app.ui.application, app.ui.main_window, app.ui.open_check\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", "imported on the way to the first paint: " + done.stdout
