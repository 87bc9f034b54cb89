"""Pokja's public-key file (``*.monevkunci``) and this installation's own public key.

Pokja hands out its public key as a small canonical-JSON file so that a focal point can
pin it before the first matrix package arrives; the bare 64-hex ``.pub`` written beside
a private key is accepted too. A key can also be taken from a package, after its
signature checked out.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from app.formats import keys
from app.formats.canonical_json import SubmissionError, canonical_bytes, parse_canonical
from app.formats.matrix_package import MatrixError, read_matrix
from app.formats.refusal import refusing
from app.paths import default_data_dir

PUBLIC_KEY_FORMAT = "monev-radpug-public-key"
PUBLIC_KEY_EXTENSION = ".monevkunci"
PUBLIC_KEY_CAP = 4096


def public_key_file_bytes(public_key: bytes) -> bytes:
    return canonical_bytes(
        {
            "format": PUBLIC_KEY_FORMAT,
            "format_version": 1,
            "algorithm": "Ed25519",
            "owner": "Pokja PUG",
            "key_id": keys.fingerprint(public_key),
            "public_key": public_key.hex(),
        }
    )


class PublicKeyMissing(MatrixError):
    """No key made here yet; the CLI adds ``keys.KEYGEN_HINT``, the window a button."""


@refusing(MatrixError)
def own_public_key(folder: Path | None = None) -> bytes:
    """This installation's public key (from the ``.pub`` file beside the private key)."""
    pub = (folder or default_data_dir()) / keys.PUBLIC_FILE
    try:
        text = pub.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        raise PublicKeyMissing("Kunci tanda tangan instalasi ini belum dibuat.") from None
    if not re.fullmatch(r"[0-9a-f]{64}", text):
        raise MatrixError(f"Berkas kunci publik rusak: {pub}")
    return bytes.fromhex(text)


def write_public_key_file(public_key: bytes, out: Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(public_key_file_bytes(public_key) + b"\n")
    return out


@refusing(MatrixError)
def read_public_key_file(path: str | Path) -> bytes:
    """A public-key file from Pokja (ours, or the bare 64-hex ``.pub`` of a key)."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            raw = fh.read(PUBLIC_KEY_CAP + 1)
    except OSError as exc:
        raise MatrixError(f"Berkas kunci tidak dapat dibaca: {exc.strerror or exc}.") from None
    bad = MatrixError("Berkas ini bukan berkas kunci publik Pokja PUG.")
    if len(raw) > PUBLIC_KEY_CAP:
        raise bad
    text = raw.strip()
    if re.fullmatch(rb"[0-9a-f]{64}", text):
        return bytes.fromhex(text.decode("ascii"))
    try:
        v = parse_canonical(text)
    except SubmissionError:
        raise bad from None
    if (
        set(v) != {"format", "format_version", "algorithm", "owner", "key_id", "public_key"}
        or v["format"] != PUBLIC_KEY_FORMAT
        or v["format_version"] != 1
        or v["algorithm"] != "Ed25519"
        or not isinstance(v["public_key"], str)
        or not re.fullmatch(r"[0-9a-f]{64}", v["public_key"])
    ):
        raise bad
    public = bytes.fromhex(v["public_key"])
    if v["key_id"] != keys.fingerprint(public):
        raise MatrixError("Sidik jari di berkas kunci tidak cocok dengan kuncinya; ditolak.")
    return public


@refusing(MatrixError)
def key_from_file(path: str | Path) -> bytes:
    """The Pokja key from a public-key file or from a package (verified first)."""
    path = Path(path)
    if zipfile.is_zipfile(path):
        return read_matrix(path).public_key
    return read_public_key_file(path)


__all__ = [
    "PUBLIC_KEY_EXTENSION",
    "PUBLIC_KEY_FORMAT",
    "PublicKeyMissing",
    "key_from_file",
    "own_public_key",
    "public_key_file_bytes",
    "read_public_key_file",
    "write_public_key_file",
]
