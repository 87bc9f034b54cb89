"""``python -m app restore``: list, preview without --yes, restore with it (issue 11, item 9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.__main__ import main
from app.cli.common import EXIT_NOT_CONFIRMED
from app.domain.realisation import parse_realisation
from app.formats.synthetic import synthetic_plan
from app.models.db import make_backup, open_database
from app.services import catalog, entry
from app.services.seeding import load_plan_data
from tests.cli.test_locks import snapshot

# Restoring replaces the SQLite file by one of its backup copies.
pytestmark = pytest.mark.sqlite_only


def _edited_after_backup(path: Path) -> Path:
    """A database, its backup, and one realisation typed after the backup."""
    db = open_database(path)
    load_plan_data(db, synthetic_plan(40, opds=2))
    db.dispose()
    backup = make_backup(path, "buka")
    db = open_database(path)
    with db.begin() as s:
        row_id = catalog.load_rows(s, catalog.get_plan(s).id)[0].id
    entry.save_realisation(db, row_id, 2023, parse_realisation({"total": "9"}), "Rina Wati")
    db.dispose()
    return backup


def test_without_yes_the_loss_is_shown_and_nothing_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "monev.sqlite"
    backup = _edited_after_backup(path)
    before = snapshot(path)
    assert main(["restore", "--db", str(path)]) == EXIT_NOT_CONFIRMED
    out = capsys.readouterr().out
    assert backup.name in out
    assert "1 perubahan isian oleh Rina Wati" in out
    assert "Belum ada yang diubah" in out and "--yes" in out
    assert snapshot(path) == before
    assert not list(tmp_path.glob("monev-sebelum-pulih-*"))


def test_with_yes_the_backup_is_restored_and_the_old_file_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "monev.sqlite"
    _edited_after_backup(path)
    before = snapshot(path)
    assert main(["restore", "--db", str(path), "1", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Basis data dipulihkan" in out
    (kept,) = tmp_path.glob("monev-sebelum-pulih-*.sqlite")
    assert str(kept) in out
    assert snapshot(kept) == before  # the replaced database, whole
    assert "Rina Wati" not in snapshot(path)  # the edit after the backup is gone


def test_list_shows_time_and_size_newest_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "monev.sqlite"
    first = _edited_after_backup(path)
    second = make_backup(path, "sebelum-migrasi")
    assert main(["restore", "--db", str(path), "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("1\t") and lines[0].endswith(second.name)
    assert lines[1].startswith("2\t") and lines[1].endswith(first.name)
    assert "KB" in lines[0] and "sebelum pembaruan struktur" in lines[0]
    assert main(["restore", "--db", str(path), "--list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["file"] for d in data] == [str(second), str(first)]


def test_an_unknown_backup_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "monev.sqlite"
    _edited_after_backup(path)
    assert main(["restore", "--db", str(path), "tidak-ada.sqlite"]) == 2
    assert "restore --db" in capsys.readouterr().err


def test_a_damaged_database_names_the_restore_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "monev.sqlite"
    _edited_after_backup(path)
    with open(path, "r+b") as fh:
        fh.write(b"\x00" * 100)
    assert main(["summary", "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert "rusak" in err
    assert f"restore --db {path} --list" in err and f"restore --db {path} --yes" in err
    # Following the advice: the preview says the current file cannot be read at all.
    assert main(["restore", "--db", str(path)]) == EXIT_NOT_CONFIRMED
    assert "tidak dapat dibaca" in capsys.readouterr().out
    assert main(["restore", "--db", str(path), "--yes"]) == 0
    capsys.readouterr()
    assert main(["summary", "--db", str(path)]) == 0
    assert list(tmp_path.glob("monev-rusak-*.sqlite"))
