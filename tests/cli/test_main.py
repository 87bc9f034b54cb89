"""The entry point: the parser, the window without a command, commands without Qt."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.__main__ import main

ROOT = Path(__file__).resolve().parents[2]


def test_help_runs_without_a_display() -> None:
    res = subprocess.run(
        [sys.executable, "-m", "app", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": ""},
        timeout=60,
    )
    assert res.returncode == 0
    for word in ("summary", "dump", "arg", "Monev RAD PUG"):
        assert word in res.stdout


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], None),
        (["--db", "a.sqlite"], Path("a.sqlite")),
        (["gui"], None),
        (["gui", "--db", "b.sqlite"], Path("b.sqlite")),
        (["--db", "a.sqlite", "gui"], Path("a.sqlite")),
    ],
)
def test_no_command_or_gui_opens_the_window(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], expected: Path | None
) -> None:
    import app.ui.application

    opened: list[Path | None] = []

    def run_gui(path: Path | None) -> int:
        opened.append(path)
        return 7

    monkeypatch.setattr(app.ui.application, "run_gui", run_gui)
    assert main(argv) == 7
    assert opened == [expected]


def test_the_window_is_given_a_server_url_as_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    import app.ui.application

    url = "postgresql+psycopg://monev@127.0.0.1:5432/monev"
    opened: list[object] = []
    monkeypatch.setattr(app.ui.application, "run_gui", lambda path: opened.append(path) or 0)
    assert main(["gui", "--db", url]) == 0
    assert main(["--db", url]) == 0
    # A URL stays a string (a Path would fold "//" and make it a file name).
    assert opened == [url, url]


def test_a_command_runs_without_qt(tmp_path: Path) -> None:
    """Commands start fast and work on machines without a display: no Qt, no app.ui."""
    script = (
        "import sys\n"
        "from app.__main__ import main\n"
        "code = main(['summary', '--db', sys.argv[1], '--json'])\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('PySide6', 'app.ui')))\n"
        "print(code, loaded)\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "t.sqlite")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "MONEV_DATA_DIR": str(tmp_path)},
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines()[-1] == "0 []"


def _run_probe(script: str, tmp_path: Path) -> str:
    res = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "MONEV_DATA_DIR": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    return res.stdout.splitlines()[-1]


def test_a_window_start_does_not_load_the_command_groups(tmp_path: Path) -> None:
    """Reading ``gui --db X`` needs no command's parser (part of the cold start)."""
    script = (
        "import sys\n"
        "import app.__main__ as entry\n"
        "entry._window_runner = lambda: (lambda path: 0)\n"
        "code = entry.main(['gui', '--db', 'x.sqlite'])\n"
        "print(code, sorted(m for m in sys.modules if m.startswith('app.cli.')))\n"
    )
    assert _run_probe(script, tmp_path) == "0 ['app.cli.common', 'app.cli.window']"


def test_the_window_imports_the_database_layer_before_qt(tmp_path: Path) -> None:
    """PySide6 reads the source of each module imported after it: the models come first."""
    script = (
        "import sys\n"
        "import app.__main__ as entry\n"
        "entry._window_runner()\n"
        "order = list(sys.modules)\n"
        "qt = order.index('PySide6')\n"
        "print([m for m in ('sqlalchemy.orm', 'app.models.schema') if order.index(m) > qt])\n"
    )
    assert _run_probe(script, tmp_path) == "[]"


def test_an_error_out_of_the_window_is_told_as_a_commands_is(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import app.ui.application
    from app.models.db import DatabaseError

    def run_gui(path: Path | None) -> int:
        raise DatabaseError("Berkas tidak dapat dibaca.")

    monkeypatch.setattr(app.ui.application, "run_gui", run_gui)
    assert main(["--db", "a.sqlite"]) == 1
    assert "Berkas tidak dapat dibaca." in capsys.readouterr().err
