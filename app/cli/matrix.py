"""``python -m app matrix …``: Pokja sends a signed matrix, focal points check and apply it.

export (Pokja) · show (verify a package, optionally against a database) · import (focal
point, one transaction) · pokja-key export|pin|show (the Pokja key a focal point trusts).
See docs/matrix-distribution.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.common import (
    EXIT_FAIL,
    EXIT_OK,
    Handler,
    UsageError,
    db_path,
    db_target,
    open_db,
    unlock_key,
)

KIND_LABELS = {
    "baru": "BARU",
    "berubah": "BERUBAH",
    "dipensiunkan": "DIPENSIUNKAN",
    "dihapus": "DIHAPUS",
    "dipulihkan": "DIPULIHKAN",
}


def register(sub: Any) -> dict[str, Handler]:
    m = sub.add_parser(
        "matrix",
        help="paket matriks bertanda tangan: Pokja mengirim, Focal Point menerima",
        description="Pokja PUG mengirim matriks (koreksi atau periode baru) sebagai paket "
        "bertanda tangan; Focal Point memeriksa dan menerapkannya. Realisasi tetap melekat "
        "menurut kunci baris.",
    )
    m_sub = m.add_subparsers(dest="matrix_command", metavar="AKSI", required=True)

    e = m_sub.add_parser("export", help="membuat paket matriks bertanda tangan (Pokja)")
    e.add_argument("--db", type=db_target, dest="db_sub", metavar="PATH", help="berkas basis data")
    e.add_argument("--plan", required=True, metavar="KODE", help="kode rencana")
    e.add_argument("--out", type=Path, required=True, metavar="F", help="berkas paket keluaran")
    e.add_argument("--note", default="", metavar="T", help="catatan untuk penerima")
    e.add_argument("--passphrase-file", type=Path, metavar="F", help="berkas kata sandi kunci")

    s = m_sub.add_parser("show", help="memeriksa tanda tangan dan isi sebuah paket matriks")
    s.add_argument("file", type=Path, metavar="BERKAS")
    s.add_argument(
        "--db",
        type=db_target,
        dest="db_sub",
        metavar="PATH",
        help="tampilkan juga perubahan terhadap basis data ini",
    )

    i = m_sub.add_parser("import", help="menerapkan paket matriks ke basis data (Focal Point)")
    i.add_argument("--db", type=db_target, dest="db_sub", metavar="PATH", help="berkas basis data")
    i.add_argument("file", type=Path, metavar="BERKAS")
    i.add_argument(
        "--accept-key",
        action="store_true",
        help="terima kunci penanda tangan sebagai kunci Pokja (cocokkan sidik jarinya dulu)",
    )

    k = m_sub.add_parser("pokja-key", help="kunci publik Pokja PUG yang dipercaya")
    k_sub = k.add_subparsers(dest="key_command", metavar="AKSI", required=True)
    ke = k_sub.add_parser("export", help="menyimpan kunci publik instalasi ini (Pokja)")
    ke.add_argument("--out", type=Path, required=True, metavar="F", help="berkas kunci publik")
    kp = k_sub.add_parser(
        "pin", help="menyematkan kunci Pokja dari berkas kunci publik atau paket matriks"
    )
    kp.add_argument("--db", type=db_target, dest="db_sub", metavar="PATH", help="berkas basis data")
    kp.add_argument("file", type=Path, metavar="BERKAS")
    ks = k_sub.add_parser("show", help="kunci Pokja yang disematkan di basis data")
    ks.add_argument("--db", type=db_target, dest="db_sub", metavar="PATH", help="berkas basis data")
    return {"matrix": _cmd_matrix}


def _cmd_matrix(args: argparse.Namespace) -> int:
    from app.domain.printable import shown_lines
    from app.formats.matrix_package import MatrixError

    handlers: dict[str, Handler] = {
        "export": _export,
        "show": _show,
        "import": _import,
        "pokja-key": _pokja_key,
    }
    try:
        return handlers[args.matrix_command](args)
    except MatrixError as exc:  # every reader and use case here refuses with this only
        from app.formats.keys import KEYGEN_HINT
        from app.formats.public_key_file import PublicKeyMissing

        hint = f" {KEYGEN_HINT}" if isinstance(exc, PublicKeyMissing) else ""
        print(shown_lines(str(exc)) + hint, file=sys.stderr)
        return EXIT_FAIL


def _user(db: Any) -> str:
    from app.services.profile import load_profile

    with db.begin() as session:
        profile = load_profile(session)
    return profile.user_label if profile else ""


def _export(args: argparse.Namespace) -> int:
    from app.formats import keys
    from app.services.matrix_export import export_matrix

    key = unlock_key(args)
    db = open_db(args, write=True)  # records the data version
    try:
        try:
            result = export_matrix(db, args.plan, key, args.out, args.note, user=_user(db))
        except OSError as exc:
            print(f"Paket tidak dapat ditulis: {exc}", file=sys.stderr)
            return EXIT_FAIL
    finally:
        db.dispose()
    print(
        f"Paket matriks {result.plan_code}: {result.rows} baris, versi data "
        f"{result.data_version[:19]}…, dibuat {result.created_at}."
    )
    print(f"Ditandatangani kunci {keys.grouped(result.key_id)}.")
    print(f"Berkas: {result.path}")
    return EXIT_OK


def _print_preview(preview: Any, *, details: bool) -> None:
    from app.domain.printable import shown_name as esc
    from app.formats import keys
    from app.services.trust import KeyState

    state = {
        KeyState.KNOWN: "cocok dengan kunci Pokja yang disematkan",
        KeyState.CHANGED: "BERBEDA dari kunci Pokja yang disematkan "
        f"({keys.grouped(preview.pinned_key_id or '')})",
    }.get(preview.key_state, "kunci Pokja belum disematkan di basis data ini")
    print(f"Penanda tangan: {keys.grouped(preview.signer_key_id)} — {state}")
    print(preview.message)
    if preview.applicable:
        print(preview.summary())
    if not details:
        return
    # Texts from the package are escaped: a newline in a title must not fake a line.
    for f in preview.plan_changes:
        print(f"RENCANA\t{f.field}: {esc(f.old)} → {esc(f.new)}")
    for f in preview.region_changes:
        print(f"WILAYAH\t{f.field}: {esc(f.old)} → {esc(f.new)}")
    for f in preview.catalogue_changes:
        print(f"OPD\t{f.field}: {esc(f.old)} → {esc(f.new)}")
    for c in preview.rows:
        if c.kind == "baru" and preview.status == "rencana-baru":
            continue  # a whole new plan: the count says it, a list of 800 rows does not
        extra = f" ({c.realisations} realisasi tetap)" if c.realisations else ""
        print(f"{KIND_LABELS[c.kind]}\t{c.key}\t{c.opd_code}\t{esc(c.title)}{extra}")
        for f in c.fields:
            print(f"\t{f.field}: {esc(f.old)} → {esc(f.new)}")


def _show(args: argparse.Namespace) -> int:
    from app.domain.printable import shown_name
    from app.formats import keys
    from app.formats.matrix_package import read_matrix
    from app.services.matrix_preview import preview_matrix

    pkg = read_matrix(args.file)
    print(
        f"SAH\t{shown_name(args.file.name)}\t{pkg.plan_code} {pkg.start_year}–{pkg.end_year}, "
        f"{pkg.row_count} baris, dibuat {pkg.created_at}, kunci {keys.grouped(pkg.key_id)}"
    )
    print(f"Judul: {shown_name(pkg.title)}")
    if pkg.note:
        print(f"Catatan: {shown_name(pkg.note)}")
    print(f"Versi data: {pkg.data_version}")
    if db_path(args) is None:
        return EXIT_OK
    db = open_db(args)
    try:
        preview = preview_matrix(db, pkg)
    finally:
        db.dispose()
    _print_preview(preview, details=True)
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from app.domain.printable import shown_name
    from app.formats.matrix_package import read_matrix
    from app.services.matrix_apply import apply_matrix
    from app.services.matrix_preview import preview_matrix

    pkg = read_matrix(args.file)
    db = open_db(args, write=True)
    try:
        preview = preview_matrix(db, pkg)
        _print_preview(preview, details=True)
        outcome = apply_matrix(db, pkg, accept_key=args.accept_key, user=_user(db))
    finally:
        db.dispose()
    print(f"{outcome.status.upper()}\t{shown_name(args.file.name)}\t{outcome.message}")
    return EXIT_OK


def _pokja_key(args: argparse.Namespace) -> int:
    from app.domain.printable import shown_name
    from app.formats import keys
    from app.formats.public_key_file import key_from_file, own_public_key, write_public_key_file
    from app.services.trust import pin_pokja_key, pokja_key

    if args.key_command == "export":
        public = own_public_key()
        out = write_public_key_file(public, args.out)
        print(f"Kunci publik tersimpan: {out}")
        print(
            f"Sidik jari: {keys.grouped(keys.fingerprint(public))} — bacakan sidik jari ini "
            "kepada Focal Point lewat jalur lain (telepon, surat) saat menyerahkan berkasnya."
        )
        return EXIT_OK
    db = open_db(args, write=args.key_command == "pin")
    try:
        if args.key_command == "show":
            with db.begin() as session:
                pinned = pokja_key(session)
            if pinned is None:
                print("Kunci Pokja PUG belum disematkan di basis data ini.")
                return EXIT_OK
            print(
                f"Kunci Pokja: {keys.grouped(pinned.key_id)}, disematkan {pinned.pinned_at}"
                + (f" oleh {pinned.pinned_by}" if pinned.pinned_by else "")
            )
            for old in pinned.previous:
                print(f"Sebelumnya: {keys.grouped(old)} (tidak dipakai lagi)")
            return EXIT_OK
        if not args.file.exists():
            raise UsageError(f"Berkas tidak ditemukan: {shown_name(str(args.file))}")
        public = key_from_file(args.file)
        user = _user(db)
        with db.begin() as session:
            pinned = pin_pokja_key(session, public, user)
    finally:
        db.dispose()
    print(f"Kunci Pokja PUG disematkan: {keys.grouped(pinned.key_id)}")
    return EXIT_OK
