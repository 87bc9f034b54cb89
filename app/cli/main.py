"""Command line: ``python -m app [command]``; without a command, the window opens.

Every command works without a display and without Qt, so Pokja can script batch work
and tests can drive the app. Messages are Indonesian; JSON output is for machines.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import __version__

if TYPE_CHECKING:
    from datetime import date

    from sqlalchemy.orm import Session

    from app.formats.keys import SigningKey
    from app.models.schema import Opd, Plan
    from app.services.signatory import Signatory

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="monev-radpug" if getattr(sys, "frozen", False) else "python -m app",
        description="Monev RAD PUG — monitoring dan evaluasi Rencana Aksi Daerah "
        "Pengarusutamaan Gender Kabupaten Lumajang. Tanpa perintah: membuka jendela.",
    )
    p.add_argument("--version", action="version", version=f"Monev RAD PUG {__version__}")
    p.add_argument(
        "--db", type=Path, help="berkas basis data SQLite (bawaan: folder data pengguna)"
    )
    sub = p.add_subparsers(dest="command", metavar="PERINTAH")

    s = sub.add_parser("summary", help="jumlah baris dan kelengkapan realisasi per OPD")
    s.add_argument("--db", type=Path, dest="db_sub", metavar="PATH", help="berkas basis data")
    s.add_argument(
        "--year", type=int, help="tahun pelaporan (bawaan: tahun profil atau tahun awal)"
    )
    s.add_argument("--plan", help="kode rencana (bawaan: RAD PUG)")
    s.add_argument("--json", action="store_true", help="keluaran JSON")

    d = sub.add_parser("dump", help="semua baris dengan hierarki, target dan realisasi (JSON)")
    d.add_argument("--db", type=Path, dest="db_sub", metavar="PATH", help="berkas basis data")
    d.add_argument("--opd", help="kode, nama, atau ejaan lain nama OPD")
    d.add_argument("--plan", help="kode rencana (bawaan: RAD PUG)")

    a = sub.add_parser("arg", help="rekap instrumen ARG (Tabel 5.4/5.5) per kegiatan")
    a.add_argument("--db", type=Path, dest="db_sub", metavar="PATH", help="berkas basis data")
    a.add_argument("--opd", help="kode, nama, atau ejaan lain nama OPD (bawaan: semua)")
    a.add_argument("--year", type=int, help="tahun (bawaan: tahun profil atau tahun awal)")
    a.add_argument("--json", action="store_true", help="keluaran JSON")

    r = sub.add_parser(
        "report",
        help="laporan PDF/Excel siap cetak untuk satu OPD, atau konsolidasi kabupaten",
        description="Tanpa --opd: laporan konsolidasi kabupaten untuk Pokja PUG. Penanda "
        "tangan yang diberikan disimpan per OPD untuk laporan berikutnya.",
    )
    r.add_argument("--db", type=Path, dest="db_sub", metavar="PATH", help="berkas basis data")
    r.add_argument("--opd", help="kode, nama, atau ejaan lain nama OPD (bawaan: kabupaten)")
    r.add_argument("--year", type=int, help="tahun pelaporan (bawaan: tahun profil atau awal)")
    r.add_argument("--pdf", type=Path, metavar="OUT.pdf", help="tulis laporan PDF")
    r.add_argument("--xlsx", type=Path, metavar="OUT.xlsx", help="tulis buku kerja Excel")
    r.add_argument("--paper", choices=("a4", "f4"), default="a4", help="ukuran kertas (bawaan a4)")
    r.add_argument("--signer-name", help="nama penanda tangan (Kepala OPD)")
    r.add_argument("--signer-nip", help="NIP penanda tangan (18 digit)")
    r.add_argument("--signer-position", help="jabatan penanda tangan (bawaan: Kepala <OPD>)")
    r.add_argument("--place", help="tempat penandatanganan (bawaan: Lumajang)")
    r.add_argument("--date", help="tanggal laporan TTTT-BB-HH (bawaan: hari ini)")
    r.add_argument(
        "--plan", help="kode rencana, mis. RENSTRA-SETDA-LMJ-2024-2026 (bawaan: RAD PUG)"
    )
    r.add_argument(
        "--table",
        choices=("tc23", "tc24", "tc27"),
        help="tabel Renstra: tc23 capaian kinerja, tc24 anggaran, tc27 rencana program",
    )

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
    kl.add_argument("--db", type=Path, dest="db_sub", metavar="PATH", help="berkas basis data")
    kp = ks_sub.add_parser("pin", help="terima kunci penanda tangan sebuah berkas kiriman")
    kp.add_argument("--db", type=Path, dest="db_sub", metavar="PATH", help="berkas basis data")
    kp.add_argument("file", type=Path, metavar="BERKAS", help="berkas kiriman .xlsx")

    sm = sub.add_parser("submit", help="kiriman bertanda tangan (Excel, PDF) untuk Pokja PUG")
    sm.add_argument("--db", type=Path, dest="db_sub", metavar="PATH", help="berkas basis data")
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
        "--db", type=Path, dest="db_sub", metavar="PATH", help="periksa juga kunci yang diterima"
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
    im.add_argument("--db", type=Path, dest="db_sub", metavar="PATH", help="berkas basis data")
    im.add_argument("files", type=Path, nargs="+", metavar="BERKAS")
    im.add_argument(
        "--accept-new-key",
        action="store_true",
        help="terima kunci OPD yang belum dikenal atau berganti (cocokkan sidik jarinya dulu)",
    )
    im.add_argument(
        "--replace-signed",
        action="store_true",
        help="izinkan buku kerja isian (tanpa tanda tangan) menggantikan data kiriman "
        "bertanda tangan",
    )

    g = sub.add_parser("gui", help="membuka jendela (sama dengan tanpa perintah)")
    g.add_argument("--db", type=Path, dest="db_sub", metavar="PATH", help="berkas basis data")

    for name in COMMAND_MODULES:
        if importlib.util.find_spec(name) is not None:
            COMMANDS.update(importlib.import_module(name).register(sub))
    return p


# Commands kept in their own modules, so that this file does not grow without end: each
# module has ``register(sub) -> {command: handler}`` and may use this module's helpers.
COMMAND_MODULES = ("app.cli.board", "app.cli.fillin", "app.cli.matrix", "app.cli.pades")


def _db_path(args: argparse.Namespace) -> Path | None:
    return getattr(args, "db_sub", None) or args.db


def _open(args: argparse.Namespace):
    from app.services.database import open_seeded

    return open_seeded(_db_path(args))


class UsageError(Exception):
    """A wrong argument; the message (Indonesian) is printed and the exit code is 2."""


class CommandFailed(Exception):
    """The command could not do its work; the message is printed and the exit code is 1."""


def _year(session: Session, plan: Plan, given: int | None) -> int:
    """The year asked for, else the profile's, else the plan's first; within the period."""
    from app.services.profile import load_profile

    profile = load_profile(session)
    year = given or (profile.year if profile and profile.year else plan.start_year)
    if year not in plan.years:
        raise UsageError(f"Tahun {year} di luar periode {plan.start_year}–{plan.end_year}.")
    return year


def _find_opd(session: Session, text: str | None) -> Opd | None:
    from app.services import catalog

    if not text:
        return None
    try:
        return catalog.find_opd(session, text)
    except LookupError as exc:
        raise UsageError(str(exc)) from exc


def _cmd_summary(args: argparse.Namespace) -> int:
    from app.services import catalog

    db = _open(args)
    try:
        with db.begin() as session:
            plan = catalog.get_plan(session, args.plan)
            year = _year(session, plan, args.year)
            data = catalog.summary(session, plan, year)
    finally:
        db.dispose()
    if args.json:
        _print_json(data)
        return EXIT_OK
    print(f"{data['plan']['title']} — tahun {year}")
    width = max((len(o["short_name"]) for o in data["opds"]), default=10)
    print(f"{'Perangkat Daerah':<{width}}  {'Baris':>6}  {'Terisi':>6}  {'%':>6}")
    for o in data["opds"]:
        pct = 100 * o["filled"] / o["rows"] if o["rows"] else 0
        pct_text = f"{pct:>5.1f}%".replace(".", ",")
        print(f"{o['short_name']:<{width}}  {o['rows']:>6}  {o['filled']:>6}  {pct_text}")
    print(
        f"Jumlah: {data['rows']} baris di {data['opd_count']} Perangkat Daerah, "
        f"{data['filled']} terisi."
    )
    return EXIT_OK


def _cmd_dump(args: argparse.Namespace) -> int:
    from app.services import catalog

    db = _open(args)
    try:
        with db.begin() as session:
            plan = catalog.get_plan(session, args.plan)
            opd = _find_opd(session, args.opd)
            data = catalog.dump(session, plan, opd)
    finally:
        db.dispose()
    _print_json(data)
    return EXIT_OK


def _cmd_arg(args: argparse.Namespace) -> int:
    from app.formats.arg_questions import load_question_sets
    from app.services import arg_store, catalog

    qsets = load_question_sets()
    db = _open(args)
    try:
        with db.begin() as session:
            plan = catalog.get_plan(session)
            year = _year(session, plan, args.year)
            opd = _find_opd(session, args.opd)
            rows = arg_store.recap(session, plan.id, year, qsets, opd.id if opd else None)
    finally:
        db.dispose()
    counts = arg_store.class_counts(rows, qsets)
    if args.json:
        _print_json(
            {
                "year": year,
                "opd": opd.code if opd else None,
                "rows": arg_store.recap_json(rows),
                "class_counts": {k: dict(v) for k, v in sorted(counts.items())},
            }
        )
        return EXIT_OK
    print(f"Rekap evaluasi ARG tahun {year}" + (f" — {opd.short_name}" if opd else ""))
    if not rows:
        print("Belum ada kegiatan/sub kegiatan yang dinilai.")
        return EXIT_OK
    print(
        f"{'Perangkat Daerah':<22} {'Kegiatan/Sub Kegiatan':<50} {'Renc':>4} {'Pel':>4} "
        f"{'Ptj':>4} {'Ya':>3}  Klasifikasi"
    )
    for r in rows:
        ya = [st.ya for st in r.score.stages]
        print(
            f"{r.node.opd_name[:22]:<22} {r.node.name[:50]:<50} "
            + " ".join(f"{v:>4}" for v in ya)
            + f" {r.score.total_ya:>3}  {r.score.status_text}"
        )
    print()
    for opd_name, c in sorted(counts.items()):
        print(f"{opd_name}: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())))
    return EXIT_OK


def _report_options(args: argparse.Namespace) -> tuple[date | None, dict[str, str | None]]:
    """What every report command checks first: an output, the date, the signer options."""
    from datetime import date

    if args.pdf is None and args.xlsx is None:
        raise UsageError("Sebutkan --pdf BERKAS.pdf dan/atau --xlsx BERKAS.xlsx.")
    try:
        report_date = date.fromisoformat(args.date) if args.date else None
    except ValueError as exc:
        raise UsageError(f"Tanggal tidak dikenali: {args.date} (gunakan TTTT-BB-HH).") from exc
    given = {
        "name": args.signer_name,
        "nip": args.signer_nip,
        "position": args.signer_position,
        "place": args.place,
    }
    return report_date, given


def _signer(
    session: Session,
    scope: str,
    opd_name: str | None,
    given: dict[str, str | None],
    default_position: str | None = None,
) -> Signatory:
    """The stored signer with the given options on top; the options are stored for next time."""
    from dataclasses import replace

    from app.services.signatory import (
        SignatoryError,
        load_signatory,
        resolve_signatory,
        save_signatory,
    )

    try:
        stored = load_signatory(session, scope)
        signer = resolve_signatory(session, scope, opd_name, **given)
        if default_position and not (given["position"] or (stored and stored.position)):
            signer = replace(signer, position=default_position)
        if any(v is not None for v in given.values()):
            save_signatory(session, scope, (stored or signer).merged(**given))
    except SignatoryError as exc:
        raise UsageError(str(exc)) from exc
    return signer


def _write_report(write: Callable[[], Any]) -> Any:
    """Run an export; a missing font or an unwritable file is said plainly (exit 1)."""
    from app.reports.fonts import FontError

    try:
        return write()
    except FontError as exc:
        raise CommandFailed(str(exc)) from exc
    except OSError as exc:
        from app.services.export import explain_failure

        raise CommandFailed(explain_failure(exc)) from exc


def _print_written(result: Any, paper: str) -> None:
    if result.pdf:
        print(f"PDF: {result.pdf} ({result.pdf_pages} halaman, {paper.upper()})")
    if result.xlsx:
        print(f"Excel: {result.xlsx}")


def _cmd_report(args: argparse.Namespace) -> int:
    if args.plan or args.table:
        return _cmd_report_renstra(args)
    from app.services import catalog
    from app.services.export import export_report
    from app.services.signatory import POKJA_SCOPE

    report_date, given = _report_options(args)
    db = _open(args)
    try:
        with db.begin() as session:
            plan = catalog.get_plan(session)
            year = _year(session, plan, args.year)
            opd = _find_opd(session, args.opd)
            scope = opd.code if opd else POKJA_SCOPE
            signer = _signer(session, scope, opd.name if opd else None, given)
        result = _write_report(
            lambda: export_report(
                db,
                year,
                opd=opd.code if opd else None,
                pdf=args.pdf,
                xlsx=args.xlsx,
                paper=args.paper,
                signatory=signer,
                report_date=report_date,
            )
        )
    finally:
        db.dispose()
    what = opd.short_name if opd else "Kabupaten Lumajang (konsolidasi)"
    print(f"Laporan {what} tahun {year}: {result.rows} baris.")
    _print_written(result, args.paper)
    return EXIT_OK


def _passphrase(args: argparse.Namespace, *, confirm: bool = False) -> str | None:
    """From --passphrase-file, MONEV_PASSPHRASE, or asked on a terminal; never echoed."""
    import getpass
    import os

    from app.formats.keys import PASSPHRASE_ENV

    if getattr(args, "passphrase_file", None) is not None:
        try:
            return args.passphrase_file.read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            print(f"Berkas kata sandi tidak dapat dibaca: {exc.strerror}", file=sys.stderr)
            return None
    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    if not sys.stdin.isatty():
        print(
            f"Kata sandi kunci diperlukan: --passphrase-file atau variabel {PASSPHRASE_ENV}.",
            file=sys.stderr,
        )
        return None
    first = getpass.getpass("Kata sandi kunci: ")
    if confirm and getpass.getpass("Ulangi kata sandi: ") != first:
        print("Kata sandi tidak sama.", file=sys.stderr)
        return None
    return first


def _cmd_report_renstra(args: argparse.Namespace) -> int:
    """``report --plan RENSTRA-… --table tc23|tc24|tc27``: a Renstra table as PDF/Excel."""
    from app.services.renstra_export import export_renstra
    from app.services.renstra_report import SETDA_CODE, renstra_plan, resolve_unit, setda_position

    if args.table is None:
        raise UsageError("Sebutkan --table tc23, tc24 atau tc27 untuk laporan Renstra.")
    report_date, given = _report_options(args)
    db = _open(args)
    try:
        with db.begin() as session:
            try:
                plan = renstra_plan(session, args.plan)
                unit = resolve_unit(session, plan, args.opd)
            except LookupError as exc:
                raise UsageError(str(exc)) from exc
            if args.year is not None and args.year not in plan.years:
                raise UsageError(
                    f"Tahun {args.year} di luar periode {plan.start_year}–{plan.end_year}."
                )
            scope = unit.code if unit else SETDA_CODE
            signer = _signer(
                session,
                scope,
                unit.name if unit else None,
                given,
                None if unit else setda_position(),
            )
            plan_code, years = plan.code, (plan.start_year, plan.end_year)
        result = _write_report(
            lambda: export_renstra(
                db,
                args.year,
                table=args.table,
                opd=unit.code if unit else None,
                plan=plan_code,
                pdf=args.pdf,
                xlsx=args.xlsx,
                paper=args.paper,
                signatory=signer,
                report_date=report_date,
            )
        )
    finally:
        db.dispose()
    what = unit.short_name if unit else "Sekretariat Daerah (seluruh Bagian)"
    span = f"s.d. tahun {args.year}" if args.year else f"{years[0]}–{years[1]}"
    print(f"Renstra {args.table.upper()} {what}, realisasi {span}: {result.rows} baris.")
    _print_written(result, args.paper)
    return EXIT_OK


def _cmd_keygen(args: argparse.Namespace) -> int:
    from app.formats import keys

    secret = _passphrase(args, confirm=True)
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
    from app.formats.submission import SubmissionError, read_package
    from app.models.schema import PinnedKey
    from app.services import importer

    db = _open(args)
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
            print(f"{args.file.name}: {exc}", file=sys.stderr)
            return EXIT_FAIL
        with db.begin() as session:
            importer.pin_key(session, signed.opd_code, signed.public_key)
        print(f"Kunci {signed.opd_code} diterima: {keys.grouped(signed.key_id)}")
        return EXIT_OK
    finally:
        db.dispose()


def unlock_key(args: argparse.Namespace) -> SigningKey:
    """This installation's key, unlocked with the passphrase from the file, env or prompt."""
    from app.formats import keys

    secret = _passphrase(args)
    if secret is None:
        raise UsageError("")  # _passphrase has said why
    try:
        return keys.load_key(secret)
    except keys.KeyStoreError as exc:
        raise CommandFailed(str(exc)) from exc


def _cmd_submit(args: argparse.Namespace) -> int:
    from app.formats import keys
    from app.reports.fonts import FontError
    from app.services.profile import load_profile
    from app.services.submission_export import export_submission

    key = unlock_key(args)
    db = _open(args)
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
            r = export_submission(
                db, year, key, xlsx=args.xlsx, pdf=args.pdf, opd=args.opd, paper=args.paper
            )
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
    from app.formats import keys
    from app.formats.submission import (
        MissingSignedParts,
        SubmissionError,
        read_package,
        verification_code,
    )
    from app.services.importer import pinned_key

    if args.trust:
        from app.reports.pades import PadesError, load_trust_roots

        try:
            load_trust_roots(args.trust)  # a bad root is the caller's mistake: say it once
        except PadesError as exc:
            raise UsageError(str(exc)) from exc
    db = _open(args) if _db_path(args) else None
    failed = 0
    try:
        for f in args.files:
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
                print(f"GAGAL\t{f.name}\t{exc}")
                failed += 1
                continue
            status, note = "SAH", ""
            if db is not None:
                with db.begin() as session:
                    pin = pinned_key(session, signed.opd_code)
                    if pin is None:
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
                f"{status}\t{f.name}\t{signed.opd_code} tahun {signed.year}, revisi "
                f"{signed.revision}, kode {verification_code(signed.content_hash)}, "
                f"kunci {keys.grouped(signed.key_id)}{note}"
            )
    finally:
        if db is not None:
            db.dispose()
    return EXIT_FAIL if failed else EXIT_OK


def _fillin_line(f: Path, unsigned: Exception) -> str:
    """A workbook without signed parts: a fill-in workbook (checked cell by cell) or not."""
    from app.formats.fillin import NotFillin, read_workbook
    from app.formats.submission import SubmissionError

    try:
        book = read_workbook(f)
    except NotFillin:
        return f"GAGAL\t{f.name}\t{unsigned}"
    except SubmissionError as exc:
        return f"GAGAL\t{f.name}\t{exc}"
    filled = sum(1 for line in book.lines if line.breakdown.total is not None)
    return (
        f"TANPA TTD\t{f.name}\tbuku kerja isian {book.opd_code} tahun {book.year}: "
        f"{len(book.keys)} baris ({filled} terisi), isian sah tetapi tanpa tanda tangan "
        "elektronik"
    )


def _cmd_import(args: argparse.Namespace) -> int:
    from app.services.importer import REFUSED, import_files
    from app.services.profile import load_profile

    db = _open(args)
    try:
        with db.begin() as session:
            profile = load_profile(session)
        outcomes = import_files(
            db,
            args.files,
            accept_new_key=args.accept_new_key,
            replace_signed=args.replace_signed,
            user=profile.user_label if profile else "",
        )
    finally:
        db.dispose()
    for o in outcomes:
        print(f"{o.outcome.upper()}\t{o.file.name}\t{o.reason}")
    return EXIT_FAIL if any(o.outcome == REFUSED for o in outcomes) else EXIT_OK


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
    sys.stdout.write("\n")


def _cmd_gui(args: argparse.Namespace) -> int:
    from app.ui.application import run_gui

    return run_gui(_db_path(args))


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    "summary": _cmd_summary,
    "dump": _cmd_dump,
    "arg": _cmd_arg,
    "report": _cmd_report,
    "keygen": _cmd_keygen,
    "keys": _cmd_keys,
    "submit": _cmd_submit,
    "verify": _cmd_verify,
    "import": _cmd_import,
    "gui": _cmd_gui,
    None: _cmd_gui,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from app.models.db import DatabaseError

    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        if str(exc):
            print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    except CommandFailed as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAIL
    except DatabaseError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAIL
    except LookupError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAIL
