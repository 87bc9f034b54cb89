"""Build the one-folder desktop bundle with PyInstaller, and smoke-test it.

    python build_installer.py            # build into dist/monev-radpug/
    python build_installer.py --smoke    # build, then run the bundle's --help and summary

The smoke test runs the frozen program the way a user would, on a new database in a
temporary folder, so it proves that migrations and the seeded matrix are found when
frozen (they are data files, not imports, and PyInstaller would silently drop them).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
NAME = "monev-radpug"
# Qt modules the app does not use; leaving them out keeps the bundle smaller.
EXCLUDES = [
    "PySide6.QtNetwork",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtWebEngineCore",
    "PySide6.Qt3DCore",
    "PySide6.QtMultimedia",
    "PySide6.QtOpenGL",
    "PySide6.QtSql",
    "tkinter",
    "matplotlib",
    "numpy",
    "pandas",
    "IPython",
    "pytest",
    "hypothesis",
]


def build(dist: Path, work: Path) -> Path:
    sep = os.pathsep
    args = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--onedir",
        "--name",
        NAME,
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        "--specpath",
        str(work),
        "--add-data",
        f"{ROOT / 'resources'}{sep}resources",
        "--add-data",
        f"{ROOT / 'app' / 'migrations'}{sep}app/migrations",
        "--collect-submodules",
        "app",
        "--hidden-import",
        "alembic.runtime.migration",
        "--hidden-import",
        "alembic.ddl.sqlite",
        "--hidden-import",
        "logging.config",
    ]
    if sys.platform == "win32":
        args.append("--windowed")
    for mod in EXCLUDES:
        args += ["--exclude-module", mod]
    args.append(str(ROOT / "app" / "__main__.py"))
    subprocess.run(args, check=True, cwd=ROOT)
    exe = dist / NAME / (NAME + (".exe" if sys.platform == "win32" else ""))
    if not exe.exists():
        raise SystemExit(f"bundle not found at {exe}")
    return exe


def smoke(exe: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [str(exe), "--help"], check=True, capture_output=True, text=True, env=env, timeout=120
    )
    assert "Monev RAD PUG" in out.stdout, out.stdout
    with tempfile.TemporaryDirectory() as tmp:
        env["MONEV_DATA_DIR"] = tmp
        db = Path(tmp) / "bundle.sqlite"
        t0 = time.perf_counter()
        res = subprocess.run(
            [str(exe), "summary", "--db", str(db), "--json"],
            check=True,
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        data = json.loads(res.stdout)
        print(
            f"frozen summary on a new database: {data['rows']} rows, "
            f"{data['opd_count']} OPDs, {time.perf_counter() - t0:.2f} s"
        )
        if data["rows"] == 0:
            raise SystemExit("the bundle created a database without the official matrix")
        _smoke_window(exe, db, env)
    print(f"smoke test passed: {exe}")


def _smoke_window(exe: Path, db: Path, env: dict[str, str]) -> None:
    """The frozen window starts and stays up: Qt plugins, fonts and the UI are bundled."""
    con = sqlite3.connect(db)
    with con:
        for key, value in (
            ("role", "pokja"),
            ("name", "Uji Bundel"),
            ("nip", "198001012005011001"),
            ("opd", ""),
            ("year", "2023"),
        ):
            con.execute(
                "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)",
                (f"profile.{key}", value),
            )
    con.close()
    proc = subprocess.Popen(
        [str(exe), "gui", "--db", str(db)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        proc.wait(timeout=8)
    except subprocess.TimeoutExpired:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
        if "Traceback" in err:
            raise SystemExit(f"the frozen window raised an error:\n{err}") from None
        print("frozen window ran 8 s without error")
        return
    out, err = proc.communicate()
    raise SystemExit(f"the frozen window exited early ({proc.returncode}):\n{out}\n{err}")


def main() -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--smoke", action="store_true", help="run the bundle after building")
    p.add_argument("--dist", type=Path, default=ROOT / "dist")
    p.add_argument("--work", type=Path, default=ROOT / "build")
    args = p.parse_args()
    t0 = time.perf_counter()
    exe = build(args.dist, args.work)
    print(f"built {exe} in {time.perf_counter() - t0:.0f} s")
    if args.smoke:
        smoke(exe)
    return 0


if __name__ == "__main__":
    sys.exit(main())
