"""``pdf-sign`` and ``pdf-verify``: PAdES signatures on report PDFs from the command line.

Listed in ``app.cli.main.GROUPS``. The certificate's passphrase comes from
``--passphrase-file``, the ``MONEV_P12_PASSPHRASE`` environment variable (scripts, tests)
or a no-echo prompt, and is never printed. Nothing here touches the network.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from app.cli.common import EXIT_FAIL, EXIT_OK, CommandFailed, Handler, UsageError

P12_PASSPHRASE_ENV = "MONEV_P12_PASSPHRASE"


def register(sub: Any) -> dict[str, Handler]:
    s = sub.add_parser(
        "pdf-sign",
        help="menandatangani PDF laporan secara elektronik (PAdES) dengan sertifikat PKCS#12",
        description="Tanda tangan PAdES B-B (SHA-256) ditambahkan sebagai pembaruan "
        "inkremental; isi laporan tidak berubah. Tanpa akses jaringan (tanpa TSA/OCSP/CRL).",
    )
    s.add_argument("--pdf", type=Path, required=True, metavar="IN.pdf", help="PDF laporan")
    s.add_argument("--out", type=Path, required=True, metavar="OUT.pdf", help="PDF bertanda tangan")
    s.add_argument(
        "--p12", type=Path, required=True, metavar="CERT.p12", help="sertifikat .p12/.pfx"
    )
    s.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="F",
        help=f"berkas berisi kata sandi sertifikat (bawaan: variabel {P12_PASSPHRASE_ENV} "
        "atau ditanya)",
    )
    s.add_argument("--reason", default="Laporan Monev RAD PUG", help="alasan penandatanganan")
    s.add_argument(
        "--location", help="tempat penandatanganan (bawaan: tempat dari profil wilayah bawaan)"
    )

    v = sub.add_parser(
        "pdf-verify",
        help="memeriksa tanda tangan elektronik (PAdES) PDF: utuh, diubah, tepercaya",
        description="Satu baris per berkas. Keluar dengan kode 1 bila ada berkas tanpa tanda "
        "tangan, tidak sah, atau diubah setelah ditandatangani. Sertifikat yang penerbitnya "
        "tidak dikenal dilaporkan 'tidak dapat dipastikan', bukan sebagai kegagalan.",
    )
    v.add_argument("files", type=Path, nargs="+", metavar="BERKAS")
    v.add_argument(
        "--trust",
        type=Path,
        action="append",
        default=[],
        metavar="CA.pem",
        help="sertifikat akar yang dipercaya (PEM/DER; boleh diulang)",
    )
    return {"pdf-sign": _cmd_pdf_sign, "pdf-verify": _cmd_pdf_verify}


def _p12_passphrase(args: argparse.Namespace) -> bytes | None:
    """The certificate passphrase; raises ``UsageError`` when it cannot be had."""
    import getpass

    if args.passphrase_file is not None:
        try:
            text = args.passphrase_file.read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise UsageError(f"Berkas kata sandi tidak dapat dibaca: {exc.strerror}") from exc
    elif os.environ.get(P12_PASSPHRASE_ENV) is not None:
        text = os.environ[P12_PASSPHRASE_ENV]
    elif sys.stdin.isatty():
        text = getpass.getpass("Kata sandi sertifikat: ")
    else:
        raise UsageError(
            "Kata sandi sertifikat diperlukan: --passphrase-file atau variabel "
            f"{P12_PASSPHRASE_ENV}."
        )
    return text.encode("utf-8") if text else None


def _cmd_pdf_sign(args: argparse.Namespace) -> int:
    from app.reports.pades import PadesError, sign_pdf
    from app.services.export import explain_failure
    from app.services.region import default_region

    secret = _p12_passphrase(args)
    # No database here: the shipped region profile names the place unless told.
    location = args.location if args.location is not None else default_region().signature_place
    try:
        identity = sign_pdf(
            args.pdf, args.out, args.p12, secret, reason=args.reason, location=location
        )
    except PadesError as exc:
        raise CommandFailed(str(exc)) from exc
    except OSError as exc:
        raise CommandFailed(explain_failure(exc)) from exc
    until = identity.not_after.astimezone().strftime("%d-%m-%Y")
    print(f"PDF ditandatangani: {args.out}")
    print(f"Penanda tangan: {identity.name}; sertifikat berlaku s.d. {until}.")
    return EXIT_OK


def describe_pdf(path: Path, trust: list[Path] | None = None) -> tuple[bool, str]:
    """(ok, one tab-separated line) for a PDF: the same line ``pdf-verify`` and ``verify``
    print. The status word is SAH (intact, trusted), UTUH (intact, issuer not confirmed),
    DIUBAH, TIDAK SAH, TANPA TTD or GAGAL; only the first two are ``ok``.
    Raises ``PadesError`` only for an unreadable trust-root file."""
    from app.domain.printable import shown_name
    from app.reports.pades import PadesError, verify_pdf
    from app.services.importer import unexpected_reason

    name = shown_name(Path(path).name)  # a newline in a name must not start a "SAH" line
    try:
        report = verify_pdf(path, trust)
    except PadesError:
        raise
    except Exception as exc:  # a hostile PDF fails alone; the next file is still checked
        return False, f"GAGAL\t{name}\t{unexpected_reason(exc)}"
    if report.error is not None:
        status = "GAGAL"
    elif not report.has_signatures:
        status = "TANPA TTD"
    elif report.modified:
        status = "DIUBAH"
    elif not report.ok:
        status = "TIDAK SAH"
    elif all(s.trusted for s in report.signatures):
        status = "SAH"
    else:
        status = "UTUH"  # intact and unchanged, but who signed cannot be confirmed
    return report.ok, f"{status}\t{name}\t{shown_name(report.summary)}"


def _cmd_pdf_verify(args: argparse.Namespace) -> int:
    from app.reports.pades import PadesError, load_trust_roots

    try:
        load_trust_roots(args.trust)  # a bad root is the caller's mistake: say it once
    except PadesError as exc:
        raise UsageError(str(exc)) from exc
    failed = 0
    for f in args.files:
        ok, line = describe_pdf(f, args.trust)
        print(line)
        failed += not ok
    return EXIT_FAIL if failed else EXIT_OK
