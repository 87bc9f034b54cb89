"""The backup file is read as hostile input: caps, names, manifest, hashes (issue 13, item 2).

Each test builds a file by hand the way an attacker or a broken copy would, and checks
that the reader refuses it with a reason and writes nothing outside the folder it is
given.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from app.formats.backup_file import (
    DB_PART,
    MANIFEST,
    BackupFileError,
    BackupLimits,
    BackupManifest,
    read_backup_file,
    write_backup_file,
)


def _manifest(parts: dict[str, bytes], **extra: object) -> bytes:
    m = BackupManifest(
        app_version="0.1.0",
        revision="0009_row_continuation",
        made_at=datetime(2026, 12, 1, 9, 30),
        role="focal_point",
        opd_code="1.02",
        opd_name="Dinas Kesehatan",
        key_id=None,
        parts={n: (len(d), hashlib.sha256(d).hexdigest()) for n, d in parts.items()},
    ).to_json()
    m.update(extra)
    return json.dumps(m).encode()


def _zip(path: Path, entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


@pytest.fixture
def into(tmp_path: Path) -> Path:
    folder = tmp_path / "into"
    folder.mkdir()
    return folder


def test_a_written_file_reads_back_with_its_parts(tmp_path: Path, into: Path) -> None:
    db = tmp_path / "db.sqlite"
    db.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)
    parts = {DB_PART: db.read_bytes()}
    manifest = BackupManifest(
        "0.1.0",
        "0009_row_continuation",
        datetime(2026, 12, 1, 9, 30),
        "pokja",
        "",
        "",
        None,
        {DB_PART: (len(parts[DB_PART]), hashlib.sha256(parts[DB_PART]).hexdigest())},
    )
    out = tmp_path / "c.monevcadangan"
    write_backup_file(out, manifest, {DB_PART: db})
    read = read_backup_file(out, into)
    assert read.manifest == manifest
    assert read.database.read_bytes() == parts[DB_PART] and not read.has_key


def test_a_part_climbing_out_of_the_folder_is_refused(tmp_path: Path, into: Path) -> None:
    parts = {DB_PART: b"x"}
    bad = _zip(
        tmp_path / "t.monevcadangan",
        {MANIFEST: _manifest(parts), DB_PART: b"x", "../../kunci.pem": b"evil"},
    )
    with pytest.raises(BackupFileError, match="tidak sah"):
        read_backup_file(bad, into)
    assert not (tmp_path / "kunci.pem").exists() and not list(into.iterdir())


def test_a_part_not_in_the_manifest_is_refused(tmp_path: Path, into: Path) -> None:
    parts = {DB_PART: b"x"}
    bad = _zip(
        tmp_path / "t.monevcadangan",
        {MANIFEST: _manifest(parts), DB_PART: b"x", "kunci/kunci-tanda-tangan.pem": b"k"},
    )
    with pytest.raises(BackupFileError, match="manifes"):
        read_backup_file(bad, into)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path, into: Path) -> None:
    huge = b"\x00" * (8 * 1024 * 1024)
    parts = {DB_PART: huge}
    bad = _zip(tmp_path / "bomb.monevcadangan", {MANIFEST: _manifest(parts), DB_PART: huge})
    with pytest.raises(BackupFileError, match="bom zip"):
        read_backup_file(bad, into, BackupLimits(ratio=100))
    assert not list(into.iterdir())


def test_an_oversized_part_is_refused(tmp_path: Path, into: Path) -> None:
    data = bytes(range(256)) * 64
    parts = {DB_PART: data}
    bad = _zip(tmp_path / "big.monevcadangan", {MANIFEST: _manifest(parts), DB_PART: data})
    with pytest.raises(BackupFileError, match="besar"):
        read_backup_file(bad, into, BackupLimits(database=1000))


def test_a_manifest_with_duplicate_keys_is_refused(tmp_path: Path, into: Path) -> None:
    raw = _manifest({DB_PART: b"x"}).replace(b'"format"', b'"role": "pokja", "format"', 1)
    bad = _zip(tmp_path / "d.monevcadangan", {MANIFEST: raw, DB_PART: b"x"})
    with pytest.raises(BackupFileError, match="ganda"):
        read_backup_file(bad, into)


def test_a_newer_format_is_refused(tmp_path: Path, into: Path) -> None:
    parts = {DB_PART: b"x"}
    bad = _zip(tmp_path / "v.monevcadangan", {MANIFEST: _manifest(parts, version=2), DB_PART: b"x"})
    with pytest.raises(BackupFileError, match="lebih baru"):
        read_backup_file(bad, into)


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path, into: Path) -> None:
    bad = tmp_path / "x.monevcadangan"
    bad.write_bytes(b"bukan zip")
    with pytest.raises(BackupFileError, match="bukan berkas cadangan"):
        read_backup_file(bad, into)
