"""Restoring from a backup says what it loses and keeps the replaced file (issue 11, item 9).

Real SQLite files throughout: a Pokja database is backed up, then a signed file is
imported and a realisation typed after the backup; the preview must name both, and the
restore must keep the file it replaces beside the database.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.realisation import parse_realisation
from app.models.db import DatabaseError, make_backup, open_database
from app.models.schema import ImportLog
from app.services import catalog, entry, trust
from app.services.importer import import_file
from app.services.restore import backups, restore, restore_preview
from tests.services.submission_helpers import OPD, make_pair, submit

# Restoring replaces the SQLite file by one of its backup copies.
pytestmark = pytest.mark.sqlite_only


def _import_count(path: Path) -> int:
    db = open_database(path)
    try:
        with db.begin() as s:
            return s.scalar(select(func.count()).select_from(ImportLog)) or 0
    finally:
        db.dispose()


@pytest.fixture
def after_backup(tmp_path: Path) -> tuple[Path, Path]:
    """A Pokja database, its backup, then one import and one typed edit after the backup."""
    pair = make_pair(tmp_path)
    try:
        xlsx = submit(pair, tmp_path / "kiriman.xlsx")
        assert pair.pokja.path is not None
        path = pair.pokja.path
        backup = make_backup(path, "buka")
        with pair.pokja.begin() as s:
            from app.formats.submission import read_package

            signed = read_package(xlsx)
            trust.pin_opd_key(s, signed.opd_code, signed.public_key)
        outcome = import_file(pair.pokja, xlsx, user="Siti Aminah")
        assert outcome.outcome == "diterima", outcome.reason
        with pair.pokja.begin() as s:
            other = next(
                r for r in catalog.load_rows(s, catalog.get_plan(s).id) if r.opd_code != OPD
            )
        entry.save_realisation(
            pair.pokja, other.id, 2023, parse_realisation({"total": "12"}), "Budi Santoso"
        )
    finally:
        pair.dispose()
    return path, backup


def test_the_preview_names_the_import_and_the_edit_made_after_the_backup(
    after_backup: tuple[Path, Path],
) -> None:
    path, backup = after_backup
    before = path.read_bytes()
    preview = restore_preview(path, backup)
    assert preview.can_restore and preview.current_readable
    assert [i.file_name for i in preview.imports] == ["kiriman.xlsx"]
    assert preview.submissions == 1
    assert preview.edits == 1 and preview.edit_users == ("Budi Santoso",)
    text = preview.text()
    assert "1 impor berkas setelah cadangan ini" in text
    assert "r1" in text and "1 kiriman diterima" in text
    assert "1 perubahan isian oleh Budi Santoso" in text
    assert preview.backup.made_at.strftime("%d-%m-%Y %H:%M") in text
    assert "tidak dihapus" in text
    assert path.read_bytes() == before  # a preview writes nothing


def test_restore_drops_the_later_import_and_keeps_the_replaced_file(
    after_backup: tuple[Path, Path],
) -> None:
    path, backup = after_backup
    assert _import_count(path) == 1
    aside = restore(path, backup)
    assert aside is not None and aside.parent == path.parent
    assert "sebelum-pulih" in aside.name  # the replaced file was healthy, not damaged
    assert _import_count(path) == 0  # the database is the backup again
    assert _import_count(aside) == 1  # and nothing is lost irrecoverably
    again = restore_preview(path, backup)
    assert again.loses_nothing_known
    assert "tidak ada impor atau perubahan isian" in again.text()


def test_a_backup_right_before_restoring_loses_nothing(tmp_path: Path) -> None:
    pair = make_pair(tmp_path)
    assert pair.pokja.path is not None
    path = pair.pokja.path
    pair.dispose()
    preview = restore_preview(path, make_backup(path))
    assert preview.loses_nothing_known and not preview.imports and not preview.edits


def test_an_unreadable_current_file_is_said_plainly_and_kept(
    after_backup: tuple[Path, Path],
) -> None:
    path, backup = after_backup
    with open(path, "r+b") as fh:  # the SQLite header gone: nothing can be read
        fh.write(b"\x00" * 100)
    preview = restore_preview(path, backup)
    assert not preview.current_readable
    assert "isi basis data saat ini tidak dapat dibaca" in preview.text().lower()
    assert "semua perubahan setelah" in preview.text()
    damaged = path.read_bytes()
    aside = restore(path, backup)
    assert aside is not None and "rusak" in aside.name
    assert aside.read_bytes() == damaged
    assert _import_count(path) == 0


def test_a_partly_damaged_file_still_lists_what_it_can(
    after_backup: tuple[Path, Path],
) -> None:
    path, backup = after_backup
    con = sqlite3.connect(path)
    con.execute("PRAGMA writable_schema=ON")
    # A table the preview reads is gone from the schema: the rest is still listed.
    con.execute("DELETE FROM sqlite_master WHERE tbl_name = 'audit_entry'")
    con.commit()
    con.close()
    preview = restore_preview(path, backup)
    assert preview.current_readable and preview.current_problem is not None
    assert "audit_entry" in preview.unread
    assert [i.file_name for i in preview.imports] == ["kiriman.xlsx"]
    assert "rusak sebagian" in preview.text()


def test_the_write_ahead_log_moves_aside_with_the_file(after_backup: tuple[Path, Path]) -> None:
    path, backup = after_backup
    # A window killed mid-session leaves committed edits only in the -wal file.
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA wal_autocheckpoint=0")
    con.execute("UPDATE import_log SET file_name = 'hanya-di-wal.xlsx'")
    con.commit()
    wal = Path(str(path) + "-wal")
    copy_dir = path.parent / "salinan"
    copy_dir.mkdir()
    # Copied while the connection is open: the main file and its log as a crash leaves them.
    (copy_dir / path.name).write_bytes(path.read_bytes())
    (copy_dir / wal.name).write_bytes(wal.read_bytes())
    con.close()
    crashed = copy_dir / path.name
    aside = restore(crashed, backup)
    assert aside is not None
    con = sqlite3.connect(aside)
    try:
        names = [r[0] for r in con.execute("SELECT file_name FROM import_log")]
    finally:
        con.close()
    assert names == ["hanya-di-wal.xlsx"]


def test_a_damaged_backup_is_refused_and_the_database_left_alone(
    after_backup: tuple[Path, Path],
) -> None:
    path, backup = after_backup
    with open(backup, "r+b") as fh:
        fh.write(b"\x00" * 100)
    preview = restore_preview(path, backup)
    assert not preview.can_restore and "pilih cadangan lain" in preview.text()
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="juga rusak"):
        restore(path, backup)
    assert path.read_bytes() == before
    assert not list(path.parent.glob("*-sebelum-pulih-*"))


def test_backups_are_listed_newest_first_with_time_and_size(tmp_path: Path) -> None:
    pair = make_pair(tmp_path)
    assert pair.pokja.path is not None
    path = pair.pokja.path
    pair.dispose()
    first = make_backup(path, "buka")
    second = make_backup(path, "sebelum-migrasi")
    found = backups(path)
    assert [b.path for b in found] == [second, first]
    assert found[0].made_at >= found[1].made_at
    assert "sebelum pembaruan struktur" in found[0].label and "KB" in found[0].label
