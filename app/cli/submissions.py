"""Signed submissions and the keys behind them: ``keygen``, ``keys``, ``submit``,
``verify`` and ``import``.

An OPD makes its key once (``keygen``), signs its submission (``submit``); Pokja checks it
(``verify``), trusts the OPD's key (``keys pin`` or ``import --accept-key OPD=FINGERPRINT``,
one OPD and one key at a time; a key pinned for another OPD only with ``--reassign-key``)
and takes the data in (``import``; ``--replace-anyway`` with a ``--reason`` overrides the
ordering rules for a named file). See docs/submissions.md and docs/terima-berkas.md.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import (
    EXIT_FAIL,
    EXIT_OK,
    EXIT_USAGE,
    Handler,
    UsageError,
    db_path,
    db_target,
    open_db,
    passphrase,
    unlock_key,
)

if TYPE_CHECKING:  # the importer's stack is loaded only by the commands that need it
    from app.services.importer import ImportOutcome


def register(sub: Any) -> dict[str, Handler]:
    k = sub.add_parser("keygen", help="membuat kunci tanda tangan instalasi ini (Ed25519)")
    k.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="F",
        help="berkas berisi kata sandi kunci (bawaan: variabel MONEV_PASSPHRASE atau ditanya)",
    )
    k.add_argument("--replace", action="store_true", help="ganti kunci yang sudah ada")

    ks = sub.add_parser("keys", help="kunci: sidik jari sendiri, kunci OPD yang diterima")
    ks_sub = ks.add_subparsers(dest="keys_command", metavar="AKSI", required=True)
    ks_sub.add_parser("show", help="sidik jari kunci instalasi ini")
    kl = ks_sub.add_parser("list", help="kunci OPD yang sudah diterima Pokja")
    kl.add_argument("--db", type=db_target, dest="db_sub", metavar="PATH", help="berkas basis data")
    kp = ks_sub.add_parser(
        "pin",
        help="terima kunci penanda tangan sebuah berkas kiriman untuk Perangkat Daerah "
        "yang disebut berkas itu",
    )
    kp.add_argument("--db", type=db_target, dest="db_sub", metavar="PATH", help="berkas basis data")
    kp.add_argument("file", type=Path, metavar="BERKAS", help="berkas kiriman .xlsx")
    kp.add_argument(
        "--opd",
        metavar="KODE",
        help="kode Perangkat Daerah yang Anda maksud; ditolak bila berkas menyebut yang lain",
    )
    kp.add_argument(
        "--reassign",
        action="store_true",
        help="pindahkan kunci yang sudah diterima untuk Perangkat Daerah lain ke Perangkat "
        "Daerah berkas ini (kunci lama Perangkat Daerah lain itu dinonaktifkan, dicatat)",
    )

    sm = sub.add_parser("submit", help="kiriman bertanda tangan (Excel, PDF) untuk Pokja PUG")
    sm.add_argument("--db", type=db_target, dest="db_sub", metavar="PATH", help="berkas basis data")
    sm.add_argument("--year", type=int, help="tahun pelaporan (bawaan: tahun profil)")
    sm.add_argument("--xlsx", type=Path, required=True, metavar="OUT.xlsx", help="berkas kiriman")
    sm.add_argument("--pdf", type=Path, metavar="OUT.pdf", help="PDF untuk dicetak")
    sm.add_argument("--opd", help="kode OPD (bawaan: OPD profil)")
    sm.add_argument("--paper", choices=("a4", "f4"), default="a4", help="ukuran kertas")
    sm.add_argument("--passphrase-file", type=Path, metavar="F", help="berkas kata sandi kunci")

    v = sub.add_parser(
        "verify", help="memeriksa tanda tangan berkas kiriman (.xlsx) atau laporan PDF (PAdES)"
    )
    v.add_argument("files", type=Path, nargs="+", metavar="BERKAS")
    v.add_argument(
        "--db",
        type=db_target,
        dest="db_sub",
        metavar="PATH",
        help="periksa juga kunci yang diterima",
    )
    v.add_argument(
        "--trust",
        type=Path,
        action="append",
        default=[],
        metavar="CA.pem",
        help="sertifikat akar tepercaya untuk tanda tangan PDF (PAdES); boleh berulang",
    )

    im = sub.add_parser("import", help="menerima berkas kiriman OPD ke basis data Pokja")
    im.add_argument("--db", type=db_target, dest="db_sub", metavar="PATH", help="berkas basis data")
    im.add_argument("files", type=Path, nargs="+", metavar="BERKAS")
    im.add_argument(
        "--accept-key",
        action="append",
        default=[],
        metavar="OPD=SIDIKJARI",
        help="terima kunci baru atau pengganti hanya untuk Perangkat Daerah itu, setelah "
        "sidik jarinya dicocokkan (mis. OPD-001=B0ED810F3D446F11; spasi/tanda hubung "
        "boleh, huruf besar/kecil sama); boleh berulang",
    )
    im.add_argument(
        "--reassign-key",
        action="append",
        default=[],
        metavar="OPD=SIDIKJARI",
        help="pindahkan kunci yang sudah diterima untuk Perangkat Daerah lain ke OPD ini "
        "(kunci di Perangkat Daerah lain dinonaktifkan, dicatat); boleh berulang",
    )
    im.add_argument(
        "--replace-anyway",
        action="append",
        default=[],
        type=Path,
        metavar="BERKAS",
        help="ganti paksa: pakai berkas bertanda tangan ini walaupun revisinya sama/lebih "
        "lama, isinya sudah diterima, atau revisinya melompat; perlu --reason; boleh berulang",
    )
    im.add_argument(
        "--reason",
        metavar="ALASAN",
        help="alasan ganti paksa, dicatat di log impor dan jejak perubahan",
    )
    # Gone: it accepted every new key for every OPD of a batch (issue 11). Kept only to
    # say what replaced it.
    im.add_argument("--accept-new-key", action="store_true", help=argparse.SUPPRESS)
    im.add_argument(
        "--replace-signed",
        action="store_true",
        help="izinkan buku kerja isian (tanpa tanda tangan) menggantikan data kiriman "
        "bertanda tangan",
    )
    return {
        "keygen": _cmd_keygen,
        "keys": _cmd_keys,
        "submit": _cmd_submit,
        "verify": _cmd_verify,
        "import": _cmd_import,
    }


def option_hint(o: ImportOutcome) -> str:
    """The command-line option for what the reason asks of Pokja (the window has buttons)."""
    from app.formats import keys
    from app.services.import_keys import ACCEPT_KEY, REASSIGN_KEY
    from app.services.import_order import REPLACE_ANYWAY, REPLACE_SIGNED

    if o.action in (ACCEPT_KEY, REASSIGN_KEY) and o.opd_code and o.key_id:
        fingerprint = keys.grouped(o.key_id).replace(" ", "")
        return f"(Baris perintah: --{o.action} {o.opd_code}={fingerprint}.)"
    if o.action == REPLACE_ANYWAY:
        return "(Baris perintah: --replace-anyway BERKAS --reason ALASAN.)"
    if o.action == REPLACE_SIGNED:
        return "(Bila Pokja memang ingin menggantinya: impor ulang dengan --replace-signed.)"
    return ""


def _cmd_keygen(args: argparse.Namespace) -> int:
    from app.formats import keys

    secret = passphrase(args, confirm=True)
    if secret is None:
        return EXIT_USAGE
    try:
        key = keys.generate_key(secret, replace=args.replace)
    except keys.KeyStoreError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAIL
    print(f"Kunci tanda tangan dibuat. Sidik jari: {keys.grouped(key.key_id)}")
    print("Sampaikan sidik jari ini kepada Pokja PUG lewat jalur lain (telepon, surat).")
    return EXIT_OK


def _cmd_keys(args: argparse.Namespace) -> int:
    from app.formats import keys

    if args.keys_command == "show":
        from app.paths import default_data_dir

        pub = default_data_dir() / keys.PUBLIC_FILE
        if not pub.is_file():
            print("Kunci tanda tangan belum dibuat (python -m app keygen).", file=sys.stderr)
            return EXIT_FAIL
        print(f"Sidik jari: {keys.grouped(keys.fingerprint(bytes.fromhex(pub.read_text())))}")
        return EXIT_OK
    from app.domain.printable import shown_lines, shown_name
    from app.formats.canonical_json import SubmissionError
    from app.formats.submission import read_package
    from app.models.schema import PinnedKey

    db = open_db(args, write=args.keys_command == "pin")
    try:
        if args.keys_command == "list":
            from sqlalchemy import select

            with db.begin() as session:
                pins = list(session.scalars(select(PinnedKey).order_by(PinnedKey.opd_code)))
            if not pins:
                print("Belum ada kunci OPD yang diterima.")
            for pk in pins:
                state = "aktif" if pk.active else "diganti"
                print(
                    f"{pk.opd_code}\t{keys.grouped(pk.key_id)}\t{state}\t"
                    f"diterima {pk.pinned_at:%d-%m-%Y %H:%M}"
                )
            return EXIT_OK
        try:
            signed = read_package(args.file)
        except SubmissionError as exc:
            print(f"{shown_name(args.file.name)}: {shown_lines(str(exc))}", file=sys.stderr)
            return EXIT_FAIL
        return _pin(db, signed, args.opd, args.reassign)
    finally:
        db.dispose()


def _pin(db: Any, signed: Any, opd: str | None, reassign: bool) -> int:
    """``keys pin``: the file's key for the file's OPD, named by this database."""
    from app.formats import keys
    from app.services.import_keys import opd_label
    from app.services.trust import KeyState, opd_key_state, pin_opd_key

    shown = keys.grouped(signed.key_id)
    if opd is not None and opd != signed.opd_code:
        print(
            f"Berkas ini ditandatangani untuk {signed.opd_code}, bukan {opd}; kunci tidak "
            "diterima.",
            file=sys.stderr,
        )
        return EXIT_FAIL
    with db.begin() as session:
        who = opd_label(session, signed.opd_code)
        if who == signed.opd_code:
            print(
                f"Perangkat Daerah {signed.opd_code} tidak dikenal di basis data ini; kunci "
                "tidak diterima.",
                file=sys.stderr,
            )
            return EXIT_FAIL
        state, pinned = opd_key_state(session, signed.opd_code, signed.public_key)
        owner = opd_label(session, pinned.opd_code) if pinned is not None else ""
        if state == KeyState.OTHER_OPD and not reassign:
            print(
                f"Kunci {shown} sudah diterima untuk {owner}, bukan {who}. Satu kunci hanya "
                "untuk satu Perangkat Daerah. Bila kunci itu memang berpindah, ulangi dengan "
                "--reassign.",
                file=sys.stderr,
            )
            return EXIT_FAIL
        pin_opd_key(
            session,
            signed.opd_code,
            signed.public_key,
            reassign=state == KeyState.OTHER_OPD,
        )
    moved = f" (dipindahkan dari {owner})" if state == KeyState.OTHER_OPD else ""
    print(f"Kunci {who} diterima: {shown}{moved}")
    return EXIT_OK


_FINGERPRINT = re.compile(r"[0-9a-f]{16}")


def key_pairs(values: list[str], option: str) -> set[tuple[str, str]]:
    """``OPD=FINGERPRINT`` options as (OPD code, key id); spaces and dashes are ignored
    in the fingerprint, and its case."""
    out: set[tuple[str, str]] = set()
    for v in values:
        code, sep, fp = v.partition("=")
        key_id = re.sub(r"[\s\-]", "", fp).lower()
        if not sep or not code.strip() or not _FINGERPRINT.fullmatch(key_id):
            raise UsageError(
                f"{option} {v!r}: tulis KODE-OPD=SIDIKJARI, misalnya {option} "
                "OPD-001=B0ED810F3D446F11 (16 huruf/angka sidik jari seperti yang ditampilkan)."
            )
        out.add((code.strip(), key_id))
    return out


def _cmd_submit(args: argparse.Namespace) -> int:
    from app.formats import keys
    from app.reports.fonts import FontError
    from app.services.export_and_sign import ExportRequest, run_export
    from app.services.profile import load_profile
    from app.services.submission_export import SubmissionResult

    key = unlock_key(args)
    db = open_db(args, write=True)  # the revision counter
    try:
        year = args.year
        if year is None:
            with db.begin() as session:
                profile = load_profile(session)
            if profile is None or not profile.year:
                print("Sebutkan --year (profil belum berisi tahun).", file=sys.stderr)
                return EXIT_USAGE
            year = profile.year
        try:
            request = ExportRequest(
                year, args.opd, args.paper, args.pdf, args.xlsx, None, submission_key=key
            )
            r = run_export(db, request)
            assert isinstance(r, SubmissionResult)  # a key and an xlsx make a submission
        except ValueError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_USAGE
        except FontError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_FAIL
        except OSError as exc:
            print(f"Berkas kiriman tidak dapat ditulis: {exc}", file=sys.stderr)
            return EXIT_FAIL
    finally:
        db.dispose()
    print(
        f"Kiriman {r.opd_code} tahun {r.year}, revisi {r.revision}: {r.rows} baris. "
        f"Kode verifikasi {r.code}; kunci {keys.grouped(r.key_id)}."
    )
    print(f"Excel: {r.xlsx}" + (f"\nPDF: {r.pdf}" if r.pdf else ""))
    return EXIT_OK


def _cmd_verify(args: argparse.Namespace) -> int:
    from app.domain.printable import shown_lines, shown_name
    from app.formats import keys
    from app.formats.canonical_json import SubmissionError, verification_code
    from app.formats.submission import MissingSignedParts, read_package
    from app.services.importer import unexpected_reason
    from app.services.trust import key_owner, opd_key

    if args.trust:
        from app.reports.pades import PadesError, load_trust_roots

        try:
            load_trust_roots(args.trust)  # a bad root is the caller's mistake: say it once
        except PadesError as exc:
            raise UsageError(str(exc)) from exc
    db = open_db(args) if db_path(args) else None
    failed = 0
    try:
        for f in args.files:
            name = shown_name(f.name)  # a newline in a name must not start a "SAH" line
            if f.suffix.lower() == ".pdf":  # a PAdES-signed report PDF (docs/pades.md)
                from app.cli.pades import describe_pdf

                ok, line = describe_pdf(f, args.trust)
                print(line)
                failed += not ok
                continue
            try:
                signed = read_package(f)
            except MissingSignedParts as exc:
                # Never signed, so never a pass here, as for an unsigned PDF; the line
                # still says whether the workbook would import as unsigned data.
                print(_fillin_line(f, exc))
                failed += 1
                continue
            except SubmissionError as exc:
                print(f"GAGAL\t{name}\t{shown_lines(str(exc))}")
                failed += 1
                continue
            status, note = "SAH", ""
            if db is not None:
                try:
                    with db.begin() as session:
                        pin = opd_key(session, signed.opd_code)
                        owner = key_owner(session, signed.public_key, signed.opd_code)
                except Exception as exc:  # one file's trouble never ends the others' check
                    print(f"GAGAL\t{name}\t{unexpected_reason(exc)}")
                    failed += 1
                    continue
                if owner is not None:  # a key belongs to one OPD (issue 11)
                    status, note = (
                        "GAGAL",
                        f"; kunci ini sudah diterima untuk {owner.opd_code}, bukan "
                        "Perangkat Daerah berkas ini",
                    )
                elif pin is None:
                    status, note = "GAGAL", "; kunci OPD ini belum diterima Pokja"
                elif pin.public_key != signed.public_key.hex():
                    status, note = (
                        "GAGAL",
                        (f"; berbeda dari kunci yang diterima ({keys.grouped(pin.key_id)})"),
                    )
                else:
                    note = "; kunci cocok dengan kunci yang diterima"
            failed += status != "SAH"
            print(
                f"{status}\t{name}\t{signed.opd_code} tahun {signed.year}, revisi "
                f"{signed.revision}, kode {verification_code(signed.content_hash)}, "
                f"kunci {keys.grouped(signed.key_id)}{note}"
            )
    finally:
        if db is not None:
            db.dispose()
    return EXIT_FAIL if failed else EXIT_OK


def _fillin_line(f: Path, unsigned: Exception) -> str:
    """A workbook without signed parts: a fill-in workbook (checked cell by cell) or not."""
    from app.domain.printable import shown_lines, shown_name
    from app.formats.canonical_json import SubmissionError
    from app.formats.fillin import NotFillin, read_workbook

    name = shown_name(f.name)
    try:
        book = read_workbook(f)
    except NotFillin:
        return f"GAGAL\t{name}\t{unsigned}"
    except SubmissionError as exc:
        return f"GAGAL\t{name}\t{shown_lines(str(exc))}"
    filled = sum(1 for line in book.lines if line.breakdown.total is not None)
    return (
        f"TANPA TTD\t{name}\tbuku kerja isian {shown_name(book.opd_code)} tahun {book.year}: "
        f"{len(book.keys)} baris ({filled} terisi), isian sah tetapi tanpa tanda tangan "
        "elektronik"
    )


def _import_options(
    args: argparse.Namespace,
) -> tuple[set[tuple[str, str]], set[tuple[str, str]], dict[Path, str]]:
    """The key consents and forced files of ``import``, checked before anything is read."""
    if args.accept_new_key:
        raise UsageError(
            "--accept-new-key tidak dipakai lagi: opsi itu menerima kunci apa pun untuk semua "
            "Perangkat Daerah sekaligus. Sebutkan setiap kunci yang sudah dicocokkan: "
            "--accept-key KODE-OPD=SIDIKJARI (boleh berulang); kunci yang sudah diterima "
            "untuk Perangkat Daerah lain perlu --reassign-key KODE-OPD=SIDIKJARI."
        )
    accept = key_pairs(args.accept_key, "--accept-key")
    reassign = key_pairs(args.reassign_key, "--reassign-key")
    from app.services.import_keys import ambiguous_keys

    twice = ambiguous_keys(accept | reassign)
    if twice:
        raise UsageError(
            "Satu kunci hanya untuk satu Perangkat Daerah, tetapi kunci "
            + ", ".join(sorted(twice))
            + " disebut untuk lebih dari satu Perangkat Daerah. Pastikan dulu pemilik "
            "kunci itu, lalu sebutkan kunci itu untuk satu Perangkat Daerah saja."
        )
    forced: dict[Path, str] = {}
    if args.replace_anyway:
        reason = (args.reason or "").strip()
        if not reason:
            raise UsageError(
                "--replace-anyway perlu --reason ALASAN: ganti paksa selalu dicatat dengan "
                "alasannya."
            )
        given = {f.resolve() for f in args.files}
        for f in args.replace_anyway:
            if f.resolve() not in given:
                raise UsageError(
                    f"--replace-anyway {f}: berkas itu tidak ada di antara BERKAS yang diimpor."
                )
            forced[f] = reason
    elif args.reason:
        raise UsageError("--reason hanya dipakai bersama --replace-anyway BERKAS.")
    return accept, reassign, forced


def _cmd_import(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from app.domain.printable import shown_lines, shown_name
    from app.models.schema import Opd
    from app.services.importer import REFUSED, import_files
    from app.services.profile import load_profile

    accept, reassign, forced = _import_options(args)
    db = open_db(args, write=True)
    try:
        with db.begin() as session:
            profile = load_profile(session)
            known = set(session.scalars(select(Opd.code)))
        unknown = sorted({code for code, _ in accept | reassign} - known)
        if unknown:
            raise UsageError(
                f"Perangkat Daerah {', '.join(unknown)} tidak dikenal di basis data ini "
                "(--accept-key/--reassign-key)."
            )
        outcomes = import_files(
            db,
            args.files,
            accept_keys=accept,
            reassign_keys=reassign,
            replace_anyway=forced,
            replace_signed=args.replace_signed,
            user=profile.user_label if profile else "",
        )
    finally:
        db.dispose()
    for o in outcomes:
        hint = option_hint(o)
        reason = shown_lines(o.reason) + (f" {hint}" if hint else "")
        print(f"{o.outcome.upper()}\t{shown_name(o.file.name)}\t{reason}")
    return EXIT_FAIL if any(o.outcome == REFUSED for o in outcomes) else EXIT_OK
