"""The one-file backup (``.monevcadangan``): a PC's database and signing key, to move them.

A zip holding a manifest and a fixed set of parts: the database (a consistent copy made
with SQLite's backup API) and, when this PC has one, the signing key exactly as it is
stored (still encrypted with its passphrase: the backup never decrypts it) with its
public half. Pinned keys and the profile live in the database, so they travel with it.

The manifest names every part with its size and SHA-256, and says which app version and
migration revision made the file, for which role/OPD, and when. Reading treats the file
as hostile, like every received file: the file size and the zip directory are checked
before anything is decompressed (``container.check_directory``), only the known part
names are accepted (no path from the file is ever used to write: each part is written
under a name chosen here), each part is read to its cap while hashed, and a part whose
hash differs from the manifest refuses the whole file.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.formats.canonical_json import SubmissionError
from app.formats.container import ZIP_CORRUPT, Limits, check_directory, part_name
from app.formats.refusal import refusing

__all__ = [
    "DB_PART",
    "FORMAT",
    "KEY_PART",
    "MANIFEST",
    "PUBLIC_PART",
    "SUFFIX",
    "BackupFileError",
    "BackupLimits",
    "BackupManifest",
    "ReadBackup",
    "read_backup_file",
    "sha256_file",
    "write_backup_file",
]

FORMAT = "monev-radpug-cadangan"
VERSION = 1
SUFFIX = ".monevcadangan"
MANIFEST = "manifest.json"
DB_PART = "basis-data.sqlite"
KEY_PART = "kunci/kunci-tanda-tangan.pem"
PUBLIC_PART = "kunci/kunci-tanda-tangan.pub"
PARTS = (DB_PART, KEY_PART, PUBLIC_PART)


class BackupFileError(SubmissionError):
    """A backup file refused; the message (Indonesian) says why and that nothing changed."""


@dataclass(frozen=True)
class BackupLimits:
    """Caps for a backup file. A database of a whole regency stays far below them; a
    SQLite file compresses well (empty pages), hence the looser ratio than a submission's."""

    file_size: int = 1024 * 1024 * 1024
    database: int = 2 * 1024 * 1024 * 1024
    key: int = 16 * 1024
    manifest: int = 64 * 1024
    ratio: int = 2000

    def zip_limits(self) -> Limits:
        return Limits(
            file_size=self.file_size,
            entries=len(PARTS) + 1,
            total_uncompressed=self.database + 3 * self.key + self.manifest,
            entry_uncompressed=self.database,
            ratio=self.ratio,
        )

    def cap(self, name: str) -> int:
        return self.database if name == DB_PART else self.key


@dataclass(frozen=True)
class BackupManifest:
    app_version: str
    revision: str
    made_at: datetime
    role: str
    opd_code: str
    opd_name: str
    key_id: str | None
    parts: dict[str, tuple[int, str]]  # name -> (size, sha256 hex)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "app_version": self.app_version,
            "revision": self.revision,
            "made_at": self.made_at.isoformat(timespec="seconds"),
            "role": self.role,
            "opd_code": self.opd_code,
            "opd_name": self.opd_name,
            "key_id": self.key_id,
            "parts": {n: {"size": s, "sha256": h} for n, (s, h) in sorted(self.parts.items())},
        }


@dataclass(frozen=True)
class ReadBackup:
    """A verified backup: its manifest and each part written to a file of ours."""

    manifest: BackupManifest
    files: dict[str, Path]

    @property
    def database(self) -> Path:
        return self.files[DB_PART]

    @property
    def has_key(self) -> bool:
        return KEY_PART in self.files


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def write_backup_file(out: Path, manifest: BackupManifest, files: dict[str, Path]) -> None:
    """Write the zip to ``out`` (the caller writes to a temporary name and renames)."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        body = json.dumps(manifest.to_json(), ensure_ascii=False, indent=1, sort_keys=True)
        zf.writestr(MANIFEST, body.encode("utf-8"))
        for name in PARTS:
            if name in files:
                zf.write(files[name], name)


NOT_BACKUP = (
    "Berkas ini bukan berkas cadangan Monev RAD PUG ({why}); tidak ada yang diubah. "
    "Pilih berkas .monevcadangan yang dibuat dengan Berkas › Cadangkan data dan kunci."
)


def _refuse(why: str) -> BackupFileError:
    return BackupFileError(NOT_BACKUP.replace("{why}", why))


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys_seen = [k for k, _ in pairs]
    if len(set(keys_seen)) != len(keys_seen):
        raise _refuse("manifesnya memuat kunci ganda")
    return dict(pairs)


def _text(data: dict[str, Any], key: str, *, optional: bool = False) -> str:
    value = data.get(key)
    if value is None and optional:
        return ""
    if not isinstance(value, str) or len(value) > 200:
        raise _refuse(f"isian {key} di manifes tidak sah")
    return value


def _parse_manifest(raw: bytes) -> BackupManifest:
    try:
        data = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise _refuse("manifesnya bukan JSON yang sah") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _refuse("manifesnya tidak dikenal")
    if data.get("version") != VERSION:
        raise BackupFileError(
            f"Berkas cadangan ini berformat versi {data.get('version')!r}, lebih baru dari "
            "yang dikenal aplikasi ini; tidak ada yang diubah. Perbarui aplikasi Monev RAD PUG "
            "di PC ini ke versi yang membuat cadangan itu, lalu pulihkan lagi."
        )
    try:
        made_at = datetime.fromisoformat(_text(data, "made_at"))
    except ValueError:
        raise _refuse("waktu pembuatannya tidak sah") from None
    raw_parts = data.get("parts")
    if not isinstance(raw_parts, dict):
        raise _refuse("daftar bagiannya tidak ada")
    parts: dict[str, tuple[int, str]] = {}
    for name, info in raw_parts.items():
        if name not in PARTS:
            raise _refuse(f"bagian {part_name(name)!r} tidak dikenal")
        if not isinstance(info, dict):
            raise _refuse(f"bagian {part_name(name)} tidak sah")
        size, digest = info.get("size"), info.get("sha256")
        if (
            not isinstance(size, int)
            or isinstance(size, bool)
            or size < 0
            or not isinstance(digest, str)
            or len(digest) != 64
            or any(ch not in "0123456789abcdef" for ch in digest)
        ):
            raise _refuse(f"ukuran atau sidik bagian {part_name(name)} tidak sah")
        parts[name] = (size, digest)
    if DB_PART not in parts:
        raise _refuse("tidak memuat basis data")
    if (KEY_PART in parts) != (PUBLIC_PART in parts):
        raise _refuse("kunci tanda tangannya tidak lengkap")
    key_id = data.get("key_id")
    if key_id is not None and not isinstance(key_id, str):
        raise _refuse("sidik kuncinya tidak sah")
    return BackupManifest(
        app_version=_text(data, "app_version"),
        revision=_text(data, "revision"),
        made_at=made_at,
        role=_text(data, "role", optional=True),
        opd_code=_text(data, "opd_code", optional=True),
        opd_name=_text(data, "opd_name", optional=True),
        key_id=key_id,
        parts=parts,
    )


def _extract(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, target: Path) -> tuple[int, str]:
    """Copy one part to ``target`` (a name of ours), never more than ``cap`` bytes."""
    digest, size = hashlib.sha256(), 0
    with zf.open(info) as src, open(target, "wb") as dst:
        while chunk := src.read(1 << 20):
            size += len(chunk)
            if size > cap:
                raise BackupFileError(
                    f"Bagian {part_name(info.filename)} berkas cadangan terlalu besar "
                    "(kemungkinan bom zip); berkas ditolak dan tidak ada yang diubah."
                )
            digest.update(chunk)
            dst.write(chunk)
    return size, digest.hexdigest()


LOCAL_NAMES = {DB_PART: "basis-data.sqlite", KEY_PART: "kunci.pem", PUBLIC_PART: "kunci.pub"}


@refusing(BackupFileError)
def read_backup_file(path: Path, into: Path, limits: BackupLimits | None = None) -> ReadBackup:
    """Verify ``path`` and write its parts into the folder ``into``; raises BackupFileError."""
    limits = limits or BackupLimits()
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BackupFileError(
            f"Berkas cadangan tidak dapat dibaca: {exc.strerror or exc}."
        ) from None
    if size > limits.file_size:
        raise BackupFileError(
            f"Berkas cadangan terlalu besar ({size:,} bita); ditolak, tidak ada yang diubah."
        )
    try:
        zf = zipfile.ZipFile(path)
    except ZIP_CORRUPT:
        raise _refuse("bukan zip yang utuh: mungkin terpotong atau rusak") from None
    with zf:
        infos = zf.infolist()
        try:
            check_directory(infos, limits.zip_limits())
        except SubmissionError as exc:
            raise BackupFileError(f"{exc} Tidak ada yang diubah.") from None
        by_name = {i.filename: i for i in infos}
        if MANIFEST not in by_name:
            raise _refuse("tidak ada manifes")
        manifest_info = by_name.pop(MANIFEST)
        if manifest_info.file_size > limits.manifest:
            raise _refuse("manifesnya terlalu besar")
        with zf.open(manifest_info) as fh:
            raw = fh.read(limits.manifest + 1)
        if len(raw) > limits.manifest:
            raise _refuse("manifesnya terlalu besar")
        manifest = _parse_manifest(raw)
        if set(by_name) != set(manifest.parts):
            extra = sorted(set(by_name) ^ set(manifest.parts))
            raise _refuse(
                "isinya tidak sama dengan daftar di manifesnya ("
                + ", ".join(part_name(n) for n in extra)
                + ")"
            )
        files: dict[str, Path] = {}
        for name in PARTS:
            if name not in by_name:
                continue
            target = into / LOCAL_NAMES[name]
            try:
                got = _extract(zf, by_name[name], limits.cap(name), target)
            except ZIP_CORRUPT:
                raise _refuse(f"bagian {name} rusak") from None
            if got != manifest.parts[name]:
                raise BackupFileError(
                    f"Bagian {name} di berkas cadangan tidak sama dengan yang dicatat di "
                    "manifesnya (sidik SHA-256 berbeda): berkas telah diubah atau rusak. "
                    "Berkas ditolak dan tidak ada yang diubah; pakai salinan cadangan lain."
                )
            files[name] = target
    return ReadBackup(manifest, files)
