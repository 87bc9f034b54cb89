"""``python -m app db copy``: preview, copy with one line per table, refusals (issue 14/3)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.__main__ import main
from app.cli import db as db_cli
from app.cli.common import EXIT_FAIL, EXIT_NOT_CONFIRMED, EXIT_OK
from app.domain.realisation import parse_realisation
from app.formats.synthetic import synthetic_plan
from app.models.db import open_database
from app.models.lock import InstanceLock
from app.models.schema import Base
from app.services import catalog, db_copy, entry
from app.services.seeding import load_plan_data
from tests.cli.test_locks import snapshot

# Copying is from and to SQLite files here, even on the suite's PostgreSQL run.
pytestmark = pytest.mark.usefixtures("real_sqlite_files")


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("sumber")
    path = folder / "monev.sqlite"
    db = open_database(path)
    load_plan_data(db, synthetic_plan(40, opds=2))
    with db.begin() as s:
        row_id = catalog.load_rows(s, catalog.get_plan(s).id)[0].id
    entry.save_realisation(db, row_id, 2023, parse_realisation({"total": "9"}), "Rina Wati")
    db.dispose()
    yield path


@pytest.fixture
def source(made: Path, tmp_path: Path) -> Path:
    path = tmp_path / "sumber.sqlite"
    shutil.copyfile(made, path)
    return path


def _copy(source: Path, target: Path, *more: str) -> int:
    return main(["db", "copy", "--from", str(source), "--to", str(target), *more])


def test_without_yes_only_what_would_be_copied_is_shown(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "server.sqlite"
    assert _copy(source, target) == EXIT_NOT_CONFIRMED
    out = capsys.readouterr().out
    assert "plan_row: 40 baris" in out and "realisation: 1 baris" in out
    assert "Belum ada yang disalin" in out and "--yes" in out
    assert not target.exists()


def test_with_yes_every_table_is_copied_and_said_to_match(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "server.sqlite"
    assert _copy(source, target, "--yes") == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[: len(Base.metadata.sorted_tables)] == [
        f"{t.name}: {n} baris, cocok"
        for t, n in zip(Base.metadata.sorted_tables, _counts(source).values(), strict=True)
    ]
    assert "plan_row: 40 baris, cocok" in lines
    assert lines[-1].startswith("Selesai: ") and "cocok semuanya" in lines[-1]
    assert sorted(snapshot(target).splitlines()) == sorted(snapshot(source).splitlines())


def _counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        return {
            t.name: con.execute(f'SELECT COUNT(*) FROM "{t.name}"').fetchone()[0]
            for t in Base.metadata.sorted_tables
        }
    finally:
        con.close()


def test_json_report_names_each_table_and_its_digest(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _copy(source, tmp_path / "t.sqlite", "--yes", "--json") == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    tables = {t["table"]: t for t in data["tables"]}
    assert tables["plan_row"]["rows"] == tables["plan_row"]["target_rows"] == 40
    assert all(t["matches"] and len(t["sha256"]) == 64 for t in data["tables"])
    assert data["rows"] == sum(_counts(source).values())


def test_progress_of_a_big_table_goes_to_stderr(
    source: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(db_cli, "PROGRESS_FROM", 100)  # the 120 targets count as big
    assert _copy(source, tmp_path / "t.sqlite", "--yes") == EXIT_OK
    captured = capsys.readouterr()
    assert "target: 120/120 baris disalin" in captured.err
    assert "target: 100% dicocokkan" in captured.err
    assert "plan_row: 40/40" not in captured.err  # small tables say nothing
    assert "baris disalin" not in captured.out


def test_a_target_with_rows_is_refused_unchanged(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "berisi.sqlite"
    shutil.copyfile(source, target)
    before = snapshot(target)
    assert _copy(source, target, "--yes") == EXIT_FAIL
    assert _copy(source, target) == EXIT_FAIL  # the preview says so too
    err = capsys.readouterr().err
    assert err.count("sudah berisi data (") == 2 and "Tidak ada yang disalin" in err
    assert snapshot(target) == before


def test_a_source_from_a_newer_app_is_refused(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    con = sqlite3.connect(source)
    with con:
        con.execute("UPDATE alembic_version SET version_num = '0042_nanti'")
    con.close()
    assert _copy(source, tmp_path / "t.sqlite", "--yes") == EXIT_FAIL
    assert "'0042_nanti', lebih baru" in capsys.readouterr().err
    assert not (tmp_path / "t.sqlite").exists()


def test_a_mismatch_prints_the_tables_and_leaves_no_copy(
    source: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = db_copy._insert_batch

    def spoiled(conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
        if table.name == "plan_row":
            rows[-1]["indikator"] += " (diubah)"
        real(conn, table, rows)

    monkeypatch.setattr(db_copy, "_insert_batch", spoiled)
    assert _copy(source, tmp_path / "t.sqlite", "--yes") == EXIT_FAIL
    err = capsys.readouterr().err
    assert "plan_row: sumber 40 baris, tujuan 40 baris, TIDAK COCOK" in err
    assert "target: 120 baris, cocok" in err
    assert "dibatalkan" in err
    assert not (tmp_path / "t.sqlite").exists()


def test_a_database_open_in_a_window_is_not_copied(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = InstanceLock(source.resolve()).acquire()
    try:
        assert _copy(source, tmp_path / "t.sqlite", "--yes") == EXIT_FAIL
    finally:
        lock.release()
    assert "sumber.sqlite sedang dibuka oleh Monev RAD PUG lain (jendela" in capsys.readouterr().err
    assert not (tmp_path / "t.sqlite").exists()


def test_a_target_that_cannot_be_opened_is_said_without_a_traceback(
    source: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = "mysql+tidakada://monev@server/monev"
    assert main(["db", "copy", "--from", str(source), "--to", target]) == EXIT_FAIL
    err = capsys.readouterr().err
    assert err.startswith("Basis data mysql+tidakada://monev@server/monev tidak dapat dibuka")
    assert "Traceback" not in err
