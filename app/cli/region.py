"""``python -m app region show|set``: the region profile reports and the window print.

Listed in ``app.cli.main.GROUPS``. ``set`` changes only the options given and takes the
single-writer lock, so it cannot race an open window.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import Any

from app.cli.common import (
    EXIT_OK,
    CommandFailed,
    Handler,
    UsageError,
    db_target,
    open_db,
    print_json,
)


def register(sub: Any) -> dict[str, Handler]:
    r = sub.add_parser(
        "region",
        help="profil wilayah (nama, kop surat, logo, tempat tanda tangan): lihat atau ubah",
        description="Untuk Pokja PUG: wilayah yang dilayani basis data ini. Nama dan kop "
        "suratnya tercetak di setiap laporan, tempatnya menjadi tempat tanda tangan bawaan.",
    )
    r.add_argument("--db", type=db_target, dest="db_sub", metavar="PATH", help="berkas basis data")
    actions = r.add_subparsers(dest="region_action", metavar="AKSI", required=True)
    show = actions.add_parser("show", help="menampilkan profil wilayah")
    show.add_argument(
        "--db", type=db_target, dest="db_sub2", metavar="PATH", help="berkas basis data"
    )
    show.add_argument("--json", action="store_true", help="keluaran JSON")
    s = actions.add_parser(
        "set",
        help="mengubah profil wilayah (hanya pilihan yang diberikan)",
        description="Contoh: region set --kind Kota --name Contoh --letterhead-line "
        "'PEMERINTAH KOTA CONTOH' --letterhead-line 'Jl. Merdeka 1' --place Contoh",
    )
    s.add_argument("--db", type=db_target, dest="db_sub2", metavar="PATH", help="berkas basis data")
    s.add_argument("--name", help="nama wilayah tanpa jenisnya, misalnya 'Contoh'")
    s.add_argument("--kind", help="Kabupaten, Kota atau Provinsi")
    s.add_argument(
        "--letterhead-line",
        action="append",
        dest="letterhead",
        metavar="TEKS",
        help="satu baris kop surat (boleh diulang; menggantikan semua baris kop)",
    )
    s.add_argument("--logo", metavar="GAMBAR", help="logo PNG/JPEG; '' menghapusnya")
    s.add_argument("--place", help="tempat penandatanganan bawaan")
    s.add_argument("--address", help="alamat kantor")
    s.add_argument("--pokja-position", help="jabatan penanda tangan laporan konsolidasi")
    return {"region": _cmd_region}


def _db_args(args: argparse.Namespace) -> argparse.Namespace:
    # ``--db`` may come before the command, after ``region`` or after the action.
    if getattr(args, "db_sub2", None) is not None:
        args.db_sub = args.db_sub2
    return args


def _cmd_region(args: argparse.Namespace) -> int:
    args = _db_args(args)
    if args.region_action == "set":
        return _cmd_set(args)
    return _cmd_show(args)


def _describe(region: Any) -> list[str]:
    lines = [
        f"Wilayah: {region.full_name}",
        "Kop surat:",
        *(f"  {line}" for line in region.letterhead_lines),
        f"Alamat: {region.address or '-'}",
        f"Tempat tanda tangan: {region.signature_place}",
        f"Jabatan Ketua Pokja: {region.pokja_title}",
        f"Logo: {f'{region.logo_kind.upper()}, {len(region.logo)} bita' if region.logo else '-'}",
    ]
    return lines


def _cmd_show(args: argparse.Namespace) -> int:
    from app.services.region import load_region, region_to_json

    db = open_db(args)
    try:
        with db.begin() as session:
            region = load_region(session)
    finally:
        db.dispose()
    if args.json:
        data = region_to_json(region)
        data["full_name"] = region.full_name
        print_json(data)
    else:
        print("\n".join(_describe(region)))
    return EXIT_OK


def _cmd_set(args: argparse.Namespace) -> int:
    from app.domain.region import RegionError
    from app.services.region import load_region, save_region

    given: dict[str, Any] = {
        k: getattr(args, k)
        for k in ("name", "kind", "place", "address", "pokja_position")
        if getattr(args, k) is not None
    }
    if args.letterhead is not None:
        given["letterhead"] = tuple(args.letterhead)
    if args.logo is not None:
        if args.logo == "":
            given["logo"] = b""
        else:
            try:
                given["logo"] = Path(args.logo).read_bytes()
            except OSError as exc:
                raise CommandFailed(
                    f"Logo tidak dapat dibaca ({args.logo}): {exc.strerror}"
                ) from exc
    if not given:
        raise UsageError("Tidak ada yang diubah: beri sedikitnya satu pilihan (lihat --help).")
    db = open_db(args, write=True)
    try:
        with db.begin() as session:
            try:
                region = save_region(session, replace(load_region(session), **given))
            except RegionError as exc:
                raise CommandFailed(f"Profil wilayah tidak disimpan: {exc}") from exc
    finally:
        db.dispose()
    print("Profil wilayah disimpan.")
    print("\n".join(_describe(region)))
    return EXIT_OK
