"""Every command that writes takes the window's single-writer lock (issue 11, item 9).

With the lock held (by a window, i.e. an ``InstanceLock`` here or in another process),
each writing command must refuse with the window's message, exit non-zero, and leave
the database exactly as it was; with the lock free the same command writes, which shows
the comparison would have seen a write.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.__main__ import main
from app.formats.synthetic import synthetic_plan
from app.models.db import open_database
from app.models.lock import InstanceLock
from app.services.profile import Profile, save_profile
from app.services.sample import fill_sample
from app.services.seeding import load_plan_data

# The single-writer lock guards a SQLite file; a server has its own concurrency.
pytestmark = pytest.mark.sqlite_only

SECRET = "sandi-cli-uji"
PLAN = "SYN-2022-2024"
REFUSAL = "sedang dibuka oleh Monev RAD PUG lain"


def _db(path: Path, focal: bool) -> Path:
    db = open_database(path)
    load_plan_data(db, synthetic_plan(40, opds=2))
    if focal:
        fill_sample(db, 2023, full_opds=("OPD-001",), others=0.0, arg_nodes=1, proposals=1)
        with db.begin() as s:
            save_profile(
                s, Profile("focal_point", "Siti Aminah", "198001012005012002", "OPD-001", 2023)
            )
    db.dispose()
    return path


def snapshot(path: Path) -> str:
    """Every row of every table: what "the database is unchanged" means here."""
    con = sqlite3.connect(path)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Databases (already seeded by a first command), a submission, a matrix package and
    the Pokja key file, made once for the module."""
    folder = tmp_path_factory.mktemp("kunci")
    patch = pytest.MonkeyPatch()
    patch.setenv("MONEV_DATA_DIR", str(folder / "data"))
    patch.setenv("MONEV_PASSPHRASE", SECRET)
    try:
        focal, pokja = _db(folder / "f.sqlite", True), _db(folder / "p.sqlite", False)
        for db in (focal, pokja):
            assert main(["summary", "--db", str(db)]) == 0  # loads the shipped plans now
        assert main(["keygen"]) == 0
        assert main(["submit", "--db", str(focal), "--xlsx", str(folder / "kiriman.xlsx")]) == 0
        pkg = folder / "matriks.monevmatriks"
        assert (
            main(["matrix", "export", "--db", str(pokja), "--plan", PLAN, "--out", str(pkg)]) == 0
        )
        assert (
            main(["matrix", "pokja-key", "export", "--out", str(folder / "pokja.monevkunci")]) == 0
        )
        yield folder
    finally:
        patch.undo()


@pytest.fixture
def work(made: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Fresh copies of the module's files for one test, with its key and passphrase."""
    for f in made.iterdir():
        if f.is_file() and not f.name.endswith(".lock"):
            shutil.copy(f, tmp_path / f.name)
    shutil.copytree(made / "data", tmp_path / "data", dirs_exist_ok=True)
    monkeypatch.setenv("MONEV_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MONEV_PASSPHRASE", SECRET)
    return tmp_path


# (name, database the command writes, argv with {d} for the folder)
WRITERS = [
    ("import", "p.sqlite", ["import", "--db", "{d}/p.sqlite", "{d}/kiriman.xlsx"]),
    ("keys pin", "p.sqlite", ["keys", "pin", "--db", "{d}/p.sqlite", "{d}/kiriman.xlsx"]),
    ("submit", "f.sqlite", ["submit", "--db", "{d}/f.sqlite", "--xlsx", "{d}/r2.xlsx"]),
    (
        "matrix export",
        "p.sqlite",
        [
            "matrix",
            "export",
            "--db",
            "{d}/p.sqlite",
            "--plan",
            PLAN,
            "--out",
            "{d}/m2.monevmatriks",
        ],
    ),
    (
        "matrix import",
        "f.sqlite",
        ["matrix", "import", "--db", "{d}/f.sqlite", "{d}/matriks.monevmatriks", "--accept-key"],
    ),
    (
        "matrix pokja-key pin",
        "f.sqlite",
        ["matrix", "pokja-key", "pin", "--db", "{d}/f.sqlite", "{d}/pokja.monevkunci"],
    ),
    (
        "report storing the signer",
        "p.sqlite",
        ["report", "--db", "{d}/p.sqlite", "--xlsx", "{d}/lap.xlsx", "--signer-name", "Dr. Uji"],
    ),
    ("restore", "p.sqlite", ["restore", "--db", "{d}/p.sqlite", "--yes"]),
]


def _argv(argv: list[str], folder: Path) -> list[str]:
    return [a.replace("{d}", str(folder)) for a in argv]


@pytest.mark.parametrize(("name", "target", "argv"), WRITERS, ids=[w[0] for w in WRITERS])
def test_a_writing_command_refuses_while_a_window_holds_the_database(
    work: Path, name: str, target: str, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = work / target
    if name == "restore":  # something to restore from, made like the window makes it
        from app.models.db import make_backup

        make_backup(path, "buka")
        db = open_database(path)
        with db.begin() as s:
            save_profile(s, Profile("pokja", "Siti Aminah", "198001012005011001", None, 2023))
        db.dispose()
    before = snapshot(path)
    capsys.readouterr()
    window = InstanceLock(path).acquire()
    try:
        assert main(_argv(argv, work)) == 1
        err = capsys.readouterr().err
        assert REFUSAL in err and "jendela" in err
        assert snapshot(path) == before
    finally:
        window.release()
    # The lock released, the same command writes: the snapshot would have shown it.
    main(_argv(argv, work))
    assert snapshot(path) != before, capsys.readouterr()


FILLIN = ["fillin", "--opd", "OPD-001", "--year", "2023", "--xlsx", "{d}/i.xlsx"]
# (argv, exit code): verify fails only because Pokja has not accepted the key yet.
READERS = [
    (["summary", "--db", "{d}/p.sqlite"], 0),
    (["dump", "--db", "{d}/p.sqlite", "--plan", PLAN], 0),
    (["board", "--db", "{d}/p.sqlite", "--plan", PLAN], 0),
    (["verify", "--db", "{d}/p.sqlite", "{d}/kiriman.xlsx"], 1),
    (["keys", "list", "--db", "{d}/p.sqlite"], 0),
    (["matrix", "show", "--db", "{d}/p.sqlite", "{d}/matriks.monevmatriks"], 0),
    (["matrix", "pokja-key", "show", "--db", "{d}/p.sqlite"], 0),
    ([*FILLIN, "--db", "{d}/p.sqlite"], 0),
    (["restore", "--db", "{d}/p.sqlite", "--list"], 0),
]


@pytest.mark.parametrize(("argv", "code"), READERS, ids=[" ".join(r[0][:2]) for r in READERS])
def test_a_reading_command_works_beside_an_open_window(
    work: Path, argv: list[str], code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    path = work / "p.sqlite"
    before = snapshot(path)
    window = InstanceLock(path).acquire()
    try:
        assert main(_argv(argv, work)) == code
        assert REFUSAL not in capsys.readouterr().err
        assert snapshot(path) == before
    finally:
        window.release()


def test_the_lock_of_another_process_refuses_an_import(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = work / "p.sqlite"
    before = snapshot(path)
    ready = work / "siap"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from app.models.lock import InstanceLock;"
            "lock = InstanceLock(Path(sys.argv[1])).acquire(); Path(sys.argv[2]).touch();"
            "time.sleep(60)",
            str(path),
            str(ready),
        ],
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert holder.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        assert main(["import", "--db", str(path), str(work / "kiriman.xlsx")]) == 1
        err = capsys.readouterr().err
        assert REFUSAL in err and f"pid {holder.pid}" in err
        assert snapshot(path) == before
    finally:
        holder.kill()
        holder.wait()


def test_a_writing_command_releases_the_lock_when_it_is_done(work: Path) -> None:
    path = work / "p.sqlite"
    assert main(["keys", "pin", "--db", str(path), str(work / "kiriman.xlsx")]) == 0
    InstanceLock(path).acquire().release()  # free again: a window can open the file now
