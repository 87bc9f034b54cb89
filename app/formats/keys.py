"""This installation's signing key (Ed25519) and the fingerprints people compare.

The private key lives in the user's data folder, encrypted with a passphrase the user
sets (PKCS#8 with cryptography's best available encryption), so a copied data folder
alone cannot sign in the OPD's name. A key is named by its fingerprint: the first 16 hex
digits of SHA-256 over the raw 32-byte public key, shown in groups of four so that a
focal point can read it to Pokja over the phone.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from app.paths import default_data_dir

KEY_FILE = "kunci-tanda-tangan.pem"
PUBLIC_FILE = "kunci-tanda-tangan.pub"
MIN_PASSPHRASE = 8
PASSPHRASE_ENV = "MONEV_PASSPHRASE"

__all__ = [
    "KEYGEN_HINT",
    "KeyMissing",
    "KeyStoreError",
    "SigningKey",
    "fingerprint",
    "generate_key",
    "grouped",
    "key_exists",
    "load_key",
    "public_bytes",
    "verify",
]


class KeyStoreError(RuntimeError):
    """A key problem whose message (Indonesian) can be shown to users as is."""


class KeyMissing(KeyStoreError):
    """No key on this computer yet: the window offers "Buat kunci…", the CLI names
    :data:`KEYGEN_HINT` (a command line means nothing in a dialog)."""


KEYGEN_HINT = "Buat dulu dengan: python -m app keygen"


@dataclass(frozen=True)
class SigningKey:
    """The unlocked private key with its public half and fingerprint."""

    private: Ed25519PrivateKey
    public: bytes
    key_id: str

    def sign(self, data: bytes) -> bytes:
        return self.private.sign(data)


def public_bytes(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    pub = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(public: bytes) -> str:
    """Key id: first 16 hex digits of SHA-256 of the raw public key."""
    return hashlib.sha256(public).hexdigest()[:16]


def grouped(hex_text: str, size: int = 4) -> str:
    """``1a2b3c4d…`` → ``1A2B 3C4D …`` for reading aloud and comparing by eye."""
    text = hex_text.upper()
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


def verify(public: bytes, signature: bytes, data: bytes) -> bool:
    """Whether ``signature`` is a valid Ed25519 signature of ``data`` by ``public``."""
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def _folder(folder: Path | None) -> Path:
    return folder if folder is not None else default_data_dir()


def key_exists(folder: Path | None = None) -> bool:
    return (_folder(folder) / KEY_FILE).is_file()


def stored_key_id(folder: Path | None = None) -> str | None:
    """The stored key's id, read from its public half (no passphrase), or ``None``."""
    if not key_exists(folder):
        return None
    try:
        text = (_folder(folder) / PUBLIC_FILE).read_text(encoding="ascii").strip()
        return fingerprint(bytes.fromhex(text))
    except (OSError, ValueError):
        return None


def _check_passphrase(passphrase: str) -> bytes:
    if len(passphrase) < MIN_PASSPHRASE:
        raise KeyStoreError(f"Kata sandi kunci minimal {MIN_PASSPHRASE} karakter.")
    return passphrase.encode("utf-8")


def generate_key(
    passphrase: str, folder: Path | None = None, *, replace: bool = False
) -> SigningKey:
    """Create and store this installation's key; refuses to overwrite unless asked.

    Replacing a key means Pokja must accept the new one before it takes files again,
    so it is never done silently.
    """
    secret = _check_passphrase(passphrase)
    where = _folder(folder)
    path = where / KEY_FILE
    if path.exists() and not replace:
        raise KeyStoreError(
            f"Kunci tanda tangan sudah ada ({path}). Kunci lama tetap dipakai; "
            "kunci baru harus diterima ulang oleh Pokja PUG."
        )
    where.mkdir(parents=True, exist_ok=True)
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(secret),
    )
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    public = public_bytes(private)
    (where / PUBLIC_FILE).write_text(public.hex() + "\n", encoding="ascii")
    return SigningKey(private, public, fingerprint(public))


def load_key(passphrase: str, folder: Path | None = None) -> SigningKey:
    """Unlock the stored key; a wrong passphrase or a missing key says so plainly."""
    path = _folder(folder) / KEY_FILE
    try:
        pem = path.read_bytes()
    except FileNotFoundError:
        raise KeyMissing("Kunci tanda tangan belum dibuat di komputer ini.") from None
    try:
        private = serialization.load_pem_private_key(pem, passphrase.encode("utf-8"))
    except (ValueError, TypeError):
        raise KeyStoreError("Kata sandi kunci salah, atau berkas kunci rusak.") from None
    if not isinstance(private, Ed25519PrivateKey):
        raise KeyStoreError("Berkas kunci bukan kunci Ed25519.")
    public = public_bytes(private)
    return SigningKey(private, public, fingerprint(public))
