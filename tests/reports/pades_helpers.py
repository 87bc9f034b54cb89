"""Test certificates made on the fly: a CA, a signer certificate and its PKCS#12 file.

Nothing here is a real credential; keys are generated per test session (EC P-256 keeps
that fast) and written to temporary folders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PASSPHRASE = b"rahasia-uji-123"
SIGNER_CN = "Dra. Hj. Rina Wulandari"
ORG = "Pemerintah Kabupaten Lumajang"


@dataclass(frozen=True)
class Pki:
    ca_pem: Path
    p12: Path
    p12_without_key: Path
    expired_p12: Path
    other_ca_pem: Path


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORG),
        ]
    )


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _ca(cn: str, now: datetime) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(_name(cn))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=30))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_usage(ca=True), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _leaf(
    ca_key: ec.EllipticCurvePrivateKey,
    ca: x509.Certificate,
    start: datetime,
    end: datetime,
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(SIGNER_CN))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(ca=False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


def make_pki(folder: Path) -> Pki:
    """A CA, a valid signer p12 (with the CA inside), an expired one, one without key."""
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    ca_key, ca = _ca("CA Uji Monev", now)
    _other_key, other = _ca("CA Lain", now)
    key, cert = _leaf(ca_key, ca, now - timedelta(days=1), now + timedelta(days=365))
    old_key, old = _leaf(ca_key, ca, now - timedelta(days=400), now - timedelta(days=35))
    enc = serialization.BestAvailableEncryption(PASSPHRASE)
    out = Pki(
        folder / "ca.pem",
        folder / "kepala-opd.p12",
        folder / "tanpa-kunci.p12",
        folder / "kedaluwarsa.p12",
        folder / "ca-lain.pem",
    )
    out.ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    out.other_ca_pem.write_bytes(other.public_bytes(serialization.Encoding.PEM))
    out.p12.write_bytes(pkcs12.serialize_key_and_certificates(b"ttd", key, cert, [ca], enc))
    out.expired_p12.write_bytes(
        pkcs12.serialize_key_and_certificates(b"lama", old_key, old, [ca], enc)
    )
    out.p12_without_key.write_bytes(
        pkcs12.serialize_key_and_certificates(None, None, None, [cert, ca], enc)
    )
    return out
