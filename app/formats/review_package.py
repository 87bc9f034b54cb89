"""The signed review file Pokja sends back to an OPD (docs/pprg-review.md).

Built like the matrix package (``matrix_package.py``): a zip (``*.monevtelaah``) of

* ``telaah.json`` — canonical JSON: the OPD, the year and one verdict per GAP/GBS
  (``app.domain.pprg.Review.to_dict``: kind, kegiatan, the SHA-256 of the exact document
  version reviewed, status, remarks, reviewer and role, time);
* ``manifest.json`` — canonical JSON naming the file id, OPD, year, creation time,
  verdict count and ``sha256:`` + SHA-256 of the data bytes;
* ``tanda-tangan.sig`` — the detached Ed25519 signature over the manifest (the same
  signature part as submissions and matrix packages).

Pokja signs with the key that signs its matrix packages; the OPD accepts the file only
when that key is the Pokja key it already pinned from a matrix package
(``app/services/pprg_review.py``). Reading treats the file as hostile: caps, zip
directory, signature, then strict JSON, every verdict read by the domain's reader.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app import __version__
from app.domain.pprg import PprgError, Review
from app.formats import keys
from app.formats.canonical_json import SubmissionError, canonical_bytes, parse_canonical
from app.formats.container import (
    ZIP_CORRUPT,
    Limits,
    Schema,
    check_directory,
    parse_signature,
    read_entry,
    signature_part,
)
from app.formats.refusal import refusing

FORMAT = "monev-radpug-review"
DATA_FORMAT = "monev-radpug-review-data"
FORMAT_VERSION = 1
EXTENSION = ".monevtelaah"
MANIFEST_PART = "manifest.json"
DATA_PART = "telaah.json"
SIGNATURE_PART = "tanda-tangan.sig"
PARTS = (MANIFEST_PART, DATA_PART, SIGNATURE_PART)
MANIFEST_CAP = 16 * 1024
DATA_CAP = 16 * 1024 * 1024
MAX_REVIEWS = 4000  # a GAP and a GBS for each of an OPD's kegiatan and sub kegiatan
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_CODE = re.compile(r"[A-Za-z0-9._:\-]{1,64}")
_VERSION = re.compile(r"sha256:[0-9a-f]{64}")
_REVIEW_KEYS = {
    "kind", "node_key", "opd_code", "year", "content_hash", "status", "remarks",
    "reviewer", "reviewer_role", "reviewed_at",
}  # fmt: skip


class ReviewFileError(SubmissionError):
    """A refused review file; the message (Indonesian) says why and what to do."""


NOT_REVIEW = (
    "Berkas ini bukan berkas hasil telaah PPRG Monev RAD PUG yang utuh: mungkin terpotong "
    "saat dikirim, rusak, atau berkas lain. Minta Pokja PUG mengirim ulang berkas aslinya."
)
TAMPERED = (
    "Tanda tangan tidak cocok dengan isi berkas hasil telaah: berkas telah diubah atau rusak "
    "setelah ditandatangani. Berkas ditolak; minta Pokja PUG mengirim ulang berkas aslinya."
)


@dataclass(frozen=True)
class ReviewFile:
    """A review file whose signature checked out against its embedded key (not yet trusted)."""

    file_id: str
    opd_code: str
    year: int
    created_at: str
    reviews: tuple[Review, ...]
    public_key: bytes
    key_id: str


def data_version_of(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def write_review_file(
    out: Path,
    *,
    file_id: str,
    opd_code: str,
    year: int,
    reviews: list[Review],
    key: keys.SigningKey,
    created: datetime,
) -> None:
    """Write the verdicts as a file signed by ``key`` at ``out`` (replaced only when whole)."""
    data = {
        "format": DATA_FORMAT,
        "format_version": FORMAT_VERSION,
        "opd_code": opd_code,
        "year": year,
        "reviews": [r.to_dict() for r in reviews],
    }
    data_bytes = canonical_bytes(data)
    manifest = canonical_bytes(
        {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "file_id": file_id,
            "opd_code": opd_code,
            "year": year,
            "created_at": created.replace(microsecond=0).isoformat(),
            "app_version": __version__,
            "review_count": len(reviews),
            "data_version": data_version_of(data_bytes),
        }
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(MANIFEST_PART, manifest)
            zf.writestr(DATA_PART, data_bytes)
            zf.writestr(SIGNATURE_PART, signature_part(key, manifest))
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; the file is meant to be shared
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


@refusing(ReviewFileError)
def read_review_file(path: str | Path, limits: Limits | None = None) -> ReviewFile:
    """Open a review file as hostile input: caps, zip directory, signature, strict JSON."""
    limits = limits or Limits()
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReviewFileError(f"Berkas tidak dapat dibaca: {exc.strerror or exc}.") from None
    if size == 0:
        raise ReviewFileError("Berkas kosong.")
    if size > DATA_CAP:
        raise ReviewFileError(f"Berkas terlalu besar untuk berkas hasil telaah ({size:,} bita).")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            check_directory(infos, limits)
            by_name = {i.filename: i for i in infos}
            if set(by_name) != set(PARTS):
                if any(p not in by_name for p in PARTS):
                    raise ReviewFileError(NOT_REVIEW)
                raise ReviewFileError("Berkas memuat bagian yang tidak dikenal; berkas ditolak.")
            manifest_bytes = read_entry(zf, by_name[MANIFEST_PART], MANIFEST_CAP)
            data_bytes = read_entry(zf, by_name[DATA_PART], DATA_CAP)
            sig_bytes = read_entry(zf, by_name[SIGNATURE_PART], limits.signature)
    except ReviewFileError:
        raise
    except SubmissionError as exc:
        raise ReviewFileError(str(exc).replace("kiriman", "berkas hasil telaah")) from None
    except ZIP_CORRUPT:
        raise ReviewFileError(NOT_REVIEW) from None
    try:
        public, signature = parse_signature(sig_bytes)
    except SubmissionError:
        raise ReviewFileError(TAMPERED) from None
    if not keys.verify(public, signature, manifest_bytes):
        raise ReviewFileError(TAMPERED)
    try:
        manifest = parse_canonical(manifest_bytes)
        data = parse_canonical(data_bytes)
    except SubmissionError:
        raise ReviewFileError(NOT_REVIEW) from None
    _check_manifest(manifest)
    if data_version_of(data_bytes) != manifest["data_version"]:
        raise ReviewFileError(TAMPERED)
    reviews = _check_data(data, manifest)
    return ReviewFile(
        manifest["file_id"],
        manifest["opd_code"],
        manifest["year"],
        manifest["created_at"],
        reviews,
        public,
        keys.fingerprint(public),
    )


def _schema_run(check: Any) -> None:
    try:
        check()
    except ReviewFileError:
        raise
    except SubmissionError as exc:
        raise ReviewFileError(str(exc)) from None


def _check_manifest(m: Any) -> None:
    if not isinstance(m, dict) or m.get("format") != FORMAT:
        raise ReviewFileError("Berkas ini bukan berkas hasil telaah PPRG Monev RAD PUG.")
    if m.get("format_version") != FORMAT_VERSION:
        raise ReviewFileError(
            f"Versi format berkas hasil telaah {str(m.get('format_version'))[:20]!r} tidak "
            "dikenal oleh aplikasi ini; perbarui aplikasi Monev RAD PUG."
        )

    def check() -> None:
        s = Schema("Berkas hasil telaah", FORMAT_VERSION)
        s.obj(
            m,
            "manifes",
            {"format", "format_version", "file_id", "opd_code", "year", "created_at",
             "app_version", "review_count", "data_version"},
        )  # fmt: skip
        s.pattern(m["file_id"], "file_id", _UUID)
        s.pattern(m["opd_code"], "opd_code", _CODE)
        s.integer(m["year"], "year", 2000, 2100)
        s.stamp(m["created_at"], "created_at")
        s.text(m["app_version"], "app_version", maxlen=40)
        s.integer(m["review_count"], "review_count", 0, MAX_REVIEWS)
        s.pattern(m["data_version"], "data_version", _VERSION)

    _schema_run(check)


def _check_data(d: Any, m: dict[str, Any]) -> tuple[Review, ...]:
    def check() -> None:
        s = Schema("Berkas hasil telaah", FORMAT_VERSION)
        s.obj(d, "data", {"format", "format_version", "opd_code", "year", "reviews"})
        if d["format"] != DATA_FORMAT or d["format_version"] != FORMAT_VERSION:
            raise s.fail("data bukan daftar hasil telaah")
        if not isinstance(d["reviews"], list) or len(d["reviews"]) > MAX_REVIEWS:
            raise s.fail(f"reviews harus daftar (paling banyak {MAX_REVIEWS})")

    _schema_run(check)
    if (d["opd_code"], d["year"], len(d["reviews"])) != (
        m["opd_code"],
        m["year"],
        m["review_count"],
    ):
        raise ReviewFileError("Manifes berkas tidak sesuai dengan isinya; berkas ditolak.")
    out: list[Review] = []
    for i, item in enumerate(d["reviews"], start=1):
        if not isinstance(item, dict) or set(item) != _REVIEW_KEYS:
            raise ReviewFileError(f"Hasil telaah ke-{i} bentuknya tidak sah; berkas ditolak.")
        try:
            datetime.fromisoformat(item["reviewed_at"])
        except (TypeError, ValueError):
            raise ReviewFileError(
                f"Hasil telaah ke-{i}: waktu telaah tidak sah; berkas ditolak."
            ) from None
        try:
            review = Review.from_dict(item)
        except PprgError as exc:
            raise ReviewFileError(f"Hasil telaah ke-{i} tidak sah: {exc} Berkas ditolak.") from None
        if (review.opd_code, review.year) != (m["opd_code"], m["year"]):
            raise ReviewFileError(
                f"Hasil telaah ke-{i} untuk Perangkat Daerah atau tahun lain; berkas ditolak."
            )
        out.append(review)
    return tuple(out)


__all__ = [
    "EXTENSION",
    "FORMAT",
    "FORMAT_VERSION",
    "MAX_REVIEWS",
    "ReviewFile",
    "ReviewFileError",
    "read_review_file",
    "write_review_file",
]
