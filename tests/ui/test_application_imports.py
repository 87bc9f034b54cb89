"""The window's start imports only what its first paint needs.

Report and export libraries (PDF, Excel, charts) cost over half a second to import on
the reference PC, a cold start's whole margin (issue 14: first paint ≤ 1.0 s): a module
on the start path that needs one imports it in the function that writes the file. The
dialogs, with the signing keys (cryptography), the backup format (defusedxml), the
key store and the server driver they bring, load when first opened.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Imported by printing, exporting, signing, backing up or a server, never by showing the plan.
HEAVY = (
    "reportlab",
    "openpyxl",
    "numpy",
    "matplotlib",
    "PIL",
    "lxml",
    "alembic",
    "cryptography",
    "defusedxml",
    "keyring",
    "psycopg",
)
# The menus' dialogs and what only they use: loaded when the user opens one.
DIALOGS = (
    "app.ui.arg_dialog",
    "app.ui.arg_recap",
    "app.ui.backup_dialog",
    "app.ui.export_dialog",
    "app.ui.pprg_dialog",
    "app.ui.pprg_review_dialog",
    "app.ui.restore_dialog",
    "app.services.restore",
    "app.formats.backup_file",
    "app.formats.keys",
    # The first-run dialog (a profile already set up skips it) and the tree's context
    # menu with the ARG checklist's rules (a right click): neither is on the first frame.
    "app.ui.first_run",
    "app.ui.plan_menu",
    "app.services.arg_store",
    "app.domain.arg",
)


def _start_path_imports(names: tuple[str, ...], top_level: bool) -> str:
    """Which of ``names`` the modules of the window's start import (printed as a list)."""
    loaded = "{m.split('.')[0] for m in sys.modules}" if top_level else "set(sys.modules)"
    probe = (
        "import sys\n"
        "import app.__main__, app.ui.application, app.ui.main_window, app.ui.open_check\n"
        f"print(sorted({loaded} & set({names!r})))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_start_path_imports_no_report_library() -> None:
    found = _start_path_imports(HEAVY, top_level=True)
    assert found == "[]", "imported on the way to the first paint: " + found


def test_the_start_path_imports_no_dialog() -> None:
    found = _start_path_imports(DIALOGS, top_level=False)
    assert found == "[]", "imported on the way to the first paint: " + found
