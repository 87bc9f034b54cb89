"""PAdES signatures on report PDFs with a PKCS#12 certificate (pyHanko), and their check.

A Kepala OPD who holds an electronic-signature certificate (a ``.p12``/``.pfx`` file) can
sign the exported report so that anyone can see who signed it and whether it was changed
afterwards. The signature is PAdES baseline B-B: SHA-256, CAdES signed attributes, no
timestamp authority and no revocation data, because the app never goes on the network.

Signing appends an incremental update (the report's own bytes stay as they were) and is
written beside the destination under a temporary name, then moved into place, so a failed
signing never leaves a half-written file. Verification reports what pyHanko finds: whether
the signed bytes are unchanged, whether the signature covers the whole file, how the file
was changed after signing (pyHanko's modification analysis) and whether the certificate
chains to one of the trust roots given; an unknown or self-signed issuer is "tidak dapat
dipastikan", which is a statement about trust, not an error.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from asn1crypto import pkcs12 as asn1_pkcs12
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

__all__ = [
    "MAX_PDF_BYTES",
    "PadesError",
    "PdfSignatureReport",
    "SignatureCheck",
    "SigningIdentity",
    "load_identity",
    "load_trust_roots",
    "sign_pdf",
    "verify_pdf",
]

# pyHanko logs every untrusted chain and every suspicious diff with a traceback; the
# report below says the same in Indonesian, so keep those records off the terminal
# unless the application configures logging itself.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

MAX_PDF_BYTES = 100 * 1024 * 1024  # a report is a few MB; anything far larger is not ours
MAX_P12_BYTES = 1024 * 1024

# An electronic-signature certificate carries digitalSignature and/or nonRepudiation
# (BSrE certificates carry both); either one is enough for a document signature.
_KEY_USAGE = KeyUsageConstraints(
    key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
)
# Changes pyHanko itself calls harmless for an approval signature: nothing semantic, a
# document security store or timestamp, or another signature / form field filled in.
_HARMLESS = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)


class PadesError(Exception):
    """Signing or checking could not be done; the message (Indonesian) says why."""


# --------------------------------------------------------------------------------------
# The certificate


@dataclass(frozen=True)
class SigningIdentity:
    """A PKCS#12 file opened with its passphrase: who signs, until when, and the signer."""

    name: str  # CN of the certificate, else its O
    organisation: str | None
    not_after: datetime
    signer: signers.SimpleSigner = field(repr=False)


def _names(subject: x509.Name) -> tuple[str, str | None]:
    def first(oid: x509.ObjectIdentifier) -> str | None:
        attrs = subject.get_attributes_for_oid(oid)
        return str(attrs[0].value) if attrs else None

    cn = first(x509.NameOID.COMMON_NAME)
    org = first(x509.NameOID.ORGANIZATION_NAME)
    return cn or org or subject.rfc4514_string(), org


def _is_pkcs12(data: bytes) -> bool:
    """True when the bytes parse as a PKCS#12 PFX structure (then a failure is the password)."""
    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        return bool(pfx["version"].native == "v3" and pfx["auth_safe"]["content_type"].native)
    except (ValueError, TypeError, KeyError):
        return False


def _date(moment: datetime) -> str:
    return moment.astimezone().strftime("%d-%m-%Y")


def load_identity(
    p12: Path, passphrase: bytes | None, *, now: datetime | None = None
) -> SigningIdentity:
    """Open a PKCS#12 file; raises :class:`PadesError` with a plain Indonesian reason.

    An expired or not-yet-valid certificate is refused rather than warned about: every
    validator would call such a signature invalid, so signing would only mislead.
    """
    p12 = Path(p12)
    try:
        if p12.stat().st_size > MAX_P12_BYTES:
            raise PadesError(f"{p12.name} terlalu besar untuk sebuah berkas sertifikat PKCS#12.")
        data = p12.read_bytes()
    except FileNotFoundError as exc:
        raise PadesError(f"Berkas sertifikat tidak ditemukan: {p12}") from exc
    except OSError as exc:
        raise PadesError(
            f"Berkas sertifikat tidak dapat dibaca: {p12} ({exc.strerror or exc})"
        ) from exc
    if not _is_pkcs12(data):
        raise PadesError(
            f"{p12.name} bukan berkas sertifikat PKCS#12 (.p12/.pfx). Pilih berkas sertifikat "
            "tanda tangan elektronik yang berisi kunci privat."
        )
    try:
        key, cert, _extra = pkcs12.load_key_and_certificates(data, passphrase or None)
    except ValueError as exc:
        raise PadesError(
            f"Kata sandi sertifikat {p12.name} salah. Periksa huruf besar/kecil, lalu coba lagi."
        ) from exc
    except Exception as exc:  # an unsupported algorithm inside an otherwise valid file
        raise PadesError(f"Sertifikat {p12.name} tidak dapat dibuka: {exc}") from exc
    if key is None:
        raise PadesError(
            f"{p12.name} hanya berisi sertifikat tanpa kunci privat, sehingga tidak dapat "
            "dipakai untuk menandatangani. Minta berkas .p12 lengkap dari penerbit sertifikat."
        )
    if cert is None:
        raise PadesError(f"{p12.name} tidak berisi sertifikat penanda tangan.")
    moment = now or datetime.now(UTC)
    name, org = _names(cert.subject)
    if moment < cert.not_valid_before_utc:
        raise PadesError(
            f"Sertifikat {name} baru berlaku mulai {_date(cert.not_valid_before_utc)}; "
            "dokumen belum dapat ditandatangani dengan sertifikat ini."
        )
    if moment > cert.not_valid_after_utc:
        raise PadesError(
            f"Sertifikat {name} sudah kedaluwarsa sejak {_date(cert.not_valid_after_utc)}. "
            "Tanda tangan dengan sertifikat kedaluwarsa tidak sah; perpanjang sertifikat "
            "pada penerbitnya."
        )
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(data, [], passphrase or None)
    except (ValueError, NotImplementedError) as exc:
        raise PadesError(f"Kunci di {p12.name} tidak didukung: {exc}") from exc
    return SigningIdentity(name, org, cert.not_valid_after_utc, signer)


# --------------------------------------------------------------------------------------
# Signing


def _temp(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.sign.tmp")


def _read_pdf(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_PDF_BYTES:
            raise PadesError(f"{path.name} terlalu besar ({size // 1_048_576} MB) untuk diperiksa.")
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise PadesError(f"Berkas PDF tidak ditemukan: {path}") from exc
    except OSError as exc:
        raise PadesError(f"Berkas PDF tidak dapat dibaca: {path} ({exc.strerror or exc})") from exc
    if not data.startswith(b"%PDF-"):
        raise PadesError(f"{path.name} bukan berkas PDF.")
    return data


def _free_field_name(reader: PdfFileReader, wanted: str) -> str:
    """``wanted``, or ``wanted2``, ``wanted3``… when a signature field of that name exists."""
    taken = {name for name, _value, _ref in fields.enumerate_sig_fields(reader)}
    name, n = wanted, 1
    while name in taken:
        n += 1
        name = f"{wanted}{n}"
    return name


def sign_pdf(
    src: Path,
    dst: Path,
    p12: Path | SigningIdentity,
    passphrase: bytes | None = None,
    *,
    reason: str = "Laporan Monev RAD PUG",
    location: str = "",
    field_name: str = "TandaTanganKepalaOPD",
) -> SigningIdentity:
    """Sign ``src`` into ``dst`` (PAdES B-B, SHA-256, incremental update); returns the signer.

    ``p12`` is a PKCS#12 path (opened with ``passphrase``) or an identity already opened
    by :func:`load_identity`. ``src`` and ``dst`` may be the same file. The result is
    written under a temporary name and moved into place; on any failure ``dst`` is left
    as it was. Raises :class:`PadesError` (Indonesian) or ``OSError`` when writing fails.
    """
    src, dst = Path(src), Path(dst)
    identity = p12 if isinstance(p12, SigningIdentity) else load_identity(Path(p12), passphrase)
    data = _read_pdf(src)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        if writer.prev.encrypt_dict is not None:
            raise PadesError(f"{src.name} terenkripsi; PDF terenkripsi tidak didukung.")
        meta = signers.PdfSignatureMetadata(
            field_name=_free_field_name(writer.prev, field_name),
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason,
            location=location,
            name=identity.name,
        )
        out = signers.sign_pdf(writer, meta, identity.signer)
    except PadesError:
        raise
    except (PdfError, SigningError) as exc:
        raise PadesError(f"{src.name} tidak dapat ditandatangani: {exc}") from exc
    tmp = _temp(dst)
    try:
        with open(tmp, "wb") as fh:
            fh.write(out.getbuffer())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, dst)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return identity


# --------------------------------------------------------------------------------------
# Verification


@dataclass(frozen=True)
class SignatureCheck:
    """One signature in a PDF, as pyHanko judged it."""

    field_name: str
    signer: str
    organisation: str | None
    signing_time: datetime | None  # as claimed by the signer (no timestamp authority)
    intact: bool  # the signed bytes are unchanged
    valid: bool  # the cryptographic signature over them is correct
    whole_file: bool  # nothing at all was appended after this signature
    modification: str | None  # pyHanko's ModificationLevel name, e.g. "NONE", "OTHER"
    modified: bool  # changed after signing in a way pyHanko does not call harmless
    trusted: bool  # the certificate chains to one of the given trust roots
    trust_checked: bool  # trust roots were given at all

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and not self.modified

    @property
    def summary(self) -> str:
        who = self.signer + (
            f" ({self.organisation})"
            if self.organisation and self.organisation != self.signer
            else ""
        )
        when = (
            f", {self.signing_time.astimezone().strftime('%d-%m-%Y %H:%M')}"
            if self.signing_time
            else ""
        )
        if not (self.intact and self.valid):
            return (
                f"TIDAK SAH: tanda tangan {who}{when} tidak cocok dengan isinya; bagian yang "
                "ditandatangani telah berubah atau tanda tangannya rusak."
            )
        if self.modified:
            state = (
                "DIUBAH SETELAH DITANDATANGANI: berkas ditambah perubahan yang tidak "
                f"diperbolehkan (analisis pyHanko: {self.modification or 'tidak jelas'})"
            )
        elif self.whole_file:
            state = "utuh, mencakup seluruh berkas"
        elif self.modification == ModificationLevel.NONE.name:
            state = (
                "utuh; ada data yang ditambahkan di belakang berkas setelah ditandatangani, "
                "tetapi isinya tidak berubah (analisis pyHanko)"
            )
        else:
            state = (
                "utuh; setelah ditandatangani hanya ditambah tanda tangan atau isian "
                "formulir yang diperbolehkan"
            )
        if self.trusted:
            trust = "sertifikat tepercaya"
        elif self.trust_checked:
            trust = "keaslian sertifikat tidak dapat dipastikan (penerbit tidak dikenal)"
        else:
            trust = "keaslian sertifikat tidak dapat dipastikan (tidak ada sertifikat akar)"
        if self.modified:
            return f"{state}. Penanda tangan {who}{when}; {trust}."
        return f"Tanda tangan {who}{when}: {state}; {trust}."


@dataclass(frozen=True)
class PdfSignatureReport:
    """Every signature in one PDF, or why the file could not be checked."""

    path: Path
    signatures: tuple[SignatureCheck, ...] = ()
    error: str | None = None

    @property
    def has_signatures(self) -> bool:
        return bool(self.signatures)

    @property
    def ok(self) -> bool:
        """Signed, every signature intact and valid, nothing changed that should not be."""
        return self.error is None and self.has_signatures and all(s.ok for s in self.signatures)

    @property
    def modified(self) -> bool:
        return any(s.modified for s in self.signatures)

    @property
    def summary(self) -> str:
        if self.error is not None:
            return self.error
        if not self.signatures:
            return "Tidak ada tanda tangan elektronik (PAdES) di berkas ini."
        if len(self.signatures) == 1:
            return self.signatures[0].summary
        return " | ".join(f"{i}. {s.summary}" for i, s in enumerate(self.signatures, 1))


def load_trust_roots(paths: list[Path]) -> list[asn1_x509.Certificate]:
    """Certificates from PEM (one or a bundle) or DER files; Indonesian error when unreadable."""
    roots: list[asn1_x509.Certificate] = []
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise PadesError(
                f"Sertifikat akar tidak dapat dibaca: {path} ({exc.strerror or exc})"
            ) from exc
        try:
            certs = (
                x509.load_pem_x509_certificates(data)
                if b"-----BEGIN" in data
                else [x509.load_der_x509_certificate(data)]
            )
        except ValueError as exc:
            raise PadesError(f"{Path(path).name} bukan sertifikat X.509 (PEM atau DER).") from exc
        for cert in certs:
            roots.append(asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER)))
    return roots


def _signer_names(cert: asn1_x509.Certificate) -> tuple[str, str | None]:
    subject = cert.subject.native
    cn, org = subject.get("common_name"), subject.get("organization_name")
    cn = cn[0] if isinstance(cn, list) else cn
    org = org[0] if isinstance(org, list) else org
    return str(cn or org or cert.subject.human_friendly), str(org) if org else None


def verify_pdf(path: Path, trust_roots: list[Path] | None = None) -> PdfSignatureReport:
    """Check every signature in ``path`` offline; never raises for a bad file, says why.

    Raises :class:`PadesError` only for an unreadable trust-root file (the caller's input).
    """
    path = Path(path)
    roots = load_trust_roots(list(trust_roots or []))
    try:
        data = _read_pdf(path)
    except PadesError as exc:
        return PdfSignatureReport(path, error=str(exc))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except (PdfError, ValueError, KeyError) as exc:
        return PdfSignatureReport(path, error=f"{path.name} tidak dapat dibaca sebagai PDF: {exc}")
    checks: list[SignatureCheck] = []
    for sig in embedded:
        # A fresh context per signature: explicit roots (possibly none) so pyHanko never
        # falls back to the system's TLS list, and no fetching of CRL/OCSP/certificates.
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        try:
            status = validate_pdf_signature(sig, context, key_usage_settings=_KEY_USAGE)
        except (PdfError, ValueError, KeyError) as exc:
            name, org = _signer_names(sig.signer_cert)
            checks.append(
                SignatureCheck(
                    str(sig.field_name),
                    name,
                    org,
                    None,
                    False,
                    False,
                    False,
                    None,
                    True,
                    False,
                    bool(roots),
                )
            )
            logging.getLogger(__name__).debug("signature check failed: %s", exc)
            continue
        name, org = _signer_names(status.signing_cert)
        level = status.modification_level
        whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        harmless = whole or (
            status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
            and level in _HARMLESS
            and status.docmdp_ok is not False
        )
        checks.append(
            SignatureCheck(
                field_name=str(sig.field_name),
                signer=name,
                organisation=org,
                signing_time=status.signer_reported_dt,
                intact=bool(status.intact),
                valid=bool(status.valid),
                whole_file=whole,
                modification=level.name if level is not None else None,
                modified=not harmless,
                trusted=bool(status.trusted),
                trust_checked=bool(roots),
            )
        )
    return PdfSignatureReport(path, tuple(checks))
