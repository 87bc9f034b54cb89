"""Moving to a new PC: one backup file with the database and the key (issue 13, item 2).

Real SQLite files and a real passphrase-protected key: a focal point's database with
realisations and a pinned Pokja key is backed up with its key, the data folder is wiped,
and the restore must bring back the same rows, the same pins and a key that unlocks.
Each refusal must leave the database and the key exactly as they were.
"""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest
from alembic import command

from app.formats import keys
from app.formats.backup_file import DB_PART, MANIFEST, BackupFileError
from app.models import db as dbmod
from app.models.db import open_database
from app.models.schema import Setting
from app.services import trust
from app.services.backup import (
    backup_file_preview,
    create_backup,
    default_backup_name,
    restore_backup_file,
)
from app.services.database import open_seeded
from tests.services.submission_helpers import PASSPHRASE, make_pair

# The backup file carries the SQLite database file itself.
pytestmark = pytest.mark.sqlite_only

POKJA_PUBLIC = bytes(range(32))


def _rows(path: Path) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(
            "SELECT row_id, year, semester, total, spending FROM realisation ORDER BY 1, 2, 3"
        ).fetchall()
    finally:
        con.close()


def _pins(path: Path) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(
            "SELECT key, value FROM setting WHERE key LIKE 'matrix.%' OR key LIKE 'profile.%' "
            "ORDER BY key"
        ).fetchall()
    finally:
        con.close()


@pytest.fixture
def focal(tmp_path: Path) -> tuple[Path, Path]:
    """A focal point's data folder (database + key), with a pinned Pokja key."""
    folder = tmp_path / "data"
    pair = make_pair(tmp_path)
    try:
        with pair.focal.begin() as s:
            s.merge(Setting(key=trust.POKJA_KEY_SETTING, value=POKJA_PUBLIC.hex()))
    finally:
        pair.dispose()
    folder.mkdir(exist_ok=True)
    db = folder / "monev-radpug.sqlite"
    (tmp_path / "focal.sqlite").replace(db)
    for name in (keys.KEY_FILE, keys.PUBLIC_FILE):
        (tmp_path / "kunci" / name).replace(folder / name)
    return db, folder


def _state(db: Path, folder: Path) -> tuple[bytes, bytes | None]:
    key = folder / keys.KEY_FILE
    return db.read_bytes(), key.read_bytes() if key.exists() else None


def test_round_trip_after_the_data_folder_is_wiped(
    focal: tuple[Path, Path], tmp_path: Path
) -> None:
    db, folder = focal
    rows, pins = _rows(db), _pins(db)
    key_id = keys.stored_key_id(folder)
    assert rows and key_id
    out = tmp_path / "Documents" / default_backup_name()
    steps: list[tuple[int, int]] = []
    manifest = create_backup(db, out, key_folder=folder, progress=lambda d, t: steps.append((d, t)))
    assert steps and steps[-1][0] == steps[-1][1]  # progress reached the end
    assert manifest.key_id == key_id and manifest.revision == dbmod.HEAD_REVISION
    assert manifest.role == "focal_point" and manifest.opd_code

    # The PC is reinstalled: the whole data folder is gone.
    for p in folder.iterdir():
        p.unlink()
    preview = backup_file_preview(db, out, key_folder=folder)
    assert preview.facts.realised_rows == len({r[0] for r in rows})
    assert not preview.current_exists and preview.current_key_id is None
    restore_backup_file(db, out, key_folder=folder)

    assert _rows(db) == rows
    assert _pins(db) == pins
    assert keys.load_key(PASSPHRASE, folder).key_id == key_id  # still the passphrase
    open_seeded(db).dispose()  # the app's normal open takes it


def test_the_key_in_the_file_is_still_encrypted(focal: tuple[Path, Path], tmp_path: Path) -> None:
    db, folder = focal
    out = tmp_path / "c.monevcadangan"
    create_backup(db, out, key_folder=folder)
    with zipfile.ZipFile(out) as zf:
        pem = zf.read("kunci/kunci-tanda-tangan.pem")
    assert pem == (folder / keys.KEY_FILE).read_bytes()
    assert b"ENCRYPTED" in pem


def test_restore_over_an_existing_pc_keeps_the_replaced_files(
    focal: tuple[Path, Path], tmp_path: Path
) -> None:
    db, folder = focal
    out = tmp_path / "c.monevcadangan"
    create_backup(db, out, key_folder=folder)
    old_key_id = keys.stored_key_id(folder)
    # Meanwhile this PC got another key and other data.
    keys.generate_key("kata-sandi-lain", folder, replace=True)
    new_key_id = keys.stored_key_id(folder)
    con = sqlite3.connect(db)
    con.execute("DELETE FROM realisation")
    con.commit()
    con.close()

    preview = backup_file_preview(db, out, key_folder=folder)
    assert preview.replaces_key
    text = preview.text()
    assert "diganti oleh kunci" in text and keys.grouped(new_key_id or "") in text
    result = restore_backup_file(db, out, key_folder=folder)

    assert keys.stored_key_id(folder) == old_key_id
    assert result.key_aside is not None and result.database_aside is not None
    assert _rows(result.database_aside) == []  # the replaced database, kept
    kept = serialization_key_id(result.key_aside)
    assert kept == new_key_id


def serialization_key_id(pem_path: Path) -> str:
    from cryptography.hazmat.primitives import serialization

    private = serialization.load_pem_private_key(pem_path.read_bytes(), b"kata-sandi-lain")
    return keys.fingerprint(keys.public_bytes(private))  # type: ignore[arg-type]


def _rewrite(src: Path, out: Path, change) -> Path:
    """Copy the zip ``src`` to ``out`` with ``change(name, data) -> data``."""
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zi.infolist():
            zo.writestr(info.filename, change(info.filename, zi.read(info)))
    return out


def _refused(db: Path, folder: Path, file: Path, words: str) -> None:
    before = _state(db, folder)
    with pytest.raises(BackupFileError, match=words):
        backup_file_preview(db, file, key_folder=folder)
    with pytest.raises(BackupFileError, match=words):
        restore_backup_file(db, file, key_folder=folder)
    assert _state(db, folder) == before
    assert not [p for p in db.parent.iterdir() if "pulih" in p.name]


def test_a_tampered_part_is_refused_and_nothing_changes(
    focal: tuple[Path, Path], tmp_path: Path
) -> None:
    db, folder = focal
    good = create_backup(db, tmp_path / "c.monevcadangan", key_folder=folder) and (
        tmp_path / "c.monevcadangan"
    )

    def flip(name: str, data: bytes) -> bytes:
        return data.replace(b"kata", b"KATA") + b"x" if name == DB_PART else data

    bad = _rewrite(good, tmp_path / "bad.monevcadangan", flip)
    _refused(db, folder, bad, "SHA-256")


def test_a_newer_app_version_is_refused(focal: tuple[Path, Path], tmp_path: Path) -> None:
    db, folder = focal
    good = tmp_path / "c.monevcadangan"
    create_backup(db, good, key_folder=folder)

    def newer(name: str, data: bytes) -> bytes:
        return data.replace(b'"app_version": "', b'"app_version": "9') if name == MANIFEST else data

    _refused(db, folder, _rewrite(good, tmp_path / "n.monevcadangan", newer), "lebih baru")


def test_a_newer_database_structure_is_refused(focal: tuple[Path, Path], tmp_path: Path) -> None:
    db, folder = focal
    src = tmp_path / "copy.sqlite"
    con = sqlite3.connect(db)
    con.execute("VACUUM INTO ?", (str(src),))
    con.close()
    con = sqlite3.connect(src)
    con.execute("UPDATE alembic_version SET version_num = '0999_from_the_future'")
    con.commit()
    con.close()
    good = tmp_path / "c.monevcadangan"
    create_backup(src, good, key_folder=folder)
    _refused(db, folder, good, "0999_from_the_future")


def test_a_database_failing_the_integrity_check_is_refused(
    focal: tuple[Path, Path], tmp_path: Path
) -> None:
    db, folder = focal
    good = tmp_path / "c.monevcadangan"
    create_backup(db, good, key_folder=folder)
    with zipfile.ZipFile(good) as zf:
        data = bytearray(zf.read(DB_PART))
    data[4096 * 3 : 4096 * 3 + 512] = b"\xff" * 512  # scribble over a b-tree page
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(bytes(data))
    assert dbmod.integrity_problem(broken) is not None
    bad = tmp_path / "b.monevcadangan"
    create_backup(broken, bad, key_folder=folder)
    _refused(db, folder, bad, "rusak")


def test_an_older_structure_is_upgraded_by_the_normal_open(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite"
    engine = dbmod.make_engine(f"sqlite:///{old}")
    command.upgrade(dbmod._alembic_config(engine), "0008_pokja_corrections")
    engine.dispose()
    out = tmp_path / "c.monevcadangan"
    assert create_backup(old, out).revision == "0008_pokja_corrections"
    target = tmp_path / "new" / "monev-radpug.sqlite"
    restore_backup_file(target, out)
    open_database(target).dispose()
    assert _revision(target) == dbmod.HEAD_REVISION


def _revision(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()
