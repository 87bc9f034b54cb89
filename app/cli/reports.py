"""``report``: print-ready PDF/Excel reports, for one OPD, the whole regency, or a Renstra
table (``--plan RENSTRA-… --table tc23|tc24|tc27``).

The signer options given here are stored per OPD (or for Pokja, or for the Setda) so the
next report signs the same way without repeating them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import (
    EXIT_OK,
    CommandFailed,
    Handler,
    UsageError,
    db_target,
    find_opd,
    open_db,
    plan_year,
)

if TYPE_CHECKING:
    from datetime import date

    from sqlalchemy.orm import Session

    from app.services.signatory import Signatory


def register(sub: Any) -> dict[str, Handler]:
    r = sub.add_parser(
        "report",
        help="laporan PDF/Excel siap cetak untuk satu OPD, atau konsolidasi kabupaten",
        description="Tanpa --opd: laporan konsolidasi kabupaten untuk Pokja PUG. Penanda "
        "tangan yang diberikan disimpan per OPD untuk laporan berikutnya.",
    )
    r.add_argument("--db", type=db_target, dest="db_sub", metavar="PATH", help="berkas basis data")
    r.add_argument("--opd", help="kode, nama, atau ejaan lain nama OPD (bawaan: kabupaten)")
    r.add_argument("--year", type=int, help="tahun pelaporan (bawaan: tahun profil atau awal)")
    r.add_argument("--pdf", type=Path, metavar="OUT.pdf", help="tulis laporan PDF")
    r.add_argument("--xlsx", type=Path, metavar="OUT.xlsx", help="tulis buku kerja Excel")
    r.add_argument("--paper", choices=("a4", "f4"), default="a4", help="ukuran kertas (bawaan a4)")
    r.add_argument("--signer-name", help="nama penanda tangan (Kepala OPD)")
    r.add_argument("--signer-nip", help="NIP penanda tangan (18 digit)")
    r.add_argument("--signer-position", help="jabatan penanda tangan (bawaan: Kepala <OPD>)")
    r.add_argument("--place", help="tempat penandatanganan (bawaan: dari profil wilayah)")
    r.add_argument("--date", help="tanggal laporan TTTT-BB-HH (bawaan: hari ini)")
    r.add_argument(
        "--plan", help="kode rencana, mis. RENSTRA-SETDA-LMJ-2024-2026 (bawaan: RAD PUG)"
    )
    r.add_argument(
        "--table",
        choices=("tc23", "tc24", "tc27"),
        help="tabel Renstra: tc23 capaian kinerja, tc24 anggaran, tc27 rencana program",
    )
    return {"report": _cmd_report}


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


def _stores_signer(given: dict[str, str | None]) -> bool:
    """Signer options are stored for next time: the report then writes to the database."""
    return any(v is not None for v in given.values())


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
        if _stores_signer(given):
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
    from app.services.export_and_sign import ExportRequest, run_export
    from app.services.region import load_region
    from app.services.signatory import POKJA_SCOPE

    report_date, given = _report_options(args)
    db = open_db(args, write=_stores_signer(given))
    try:
        with db.begin() as session:
            plan = catalog.get_plan(session)
            year = plan_year(session, plan, args.year)
            opd = find_opd(session, args.opd)
            scope = opd.code if opd else POKJA_SCOPE
            signer = _signer(session, scope, opd.name if opd else None, given)
            region_name = load_region(session).full_name
        request = ExportRequest(
            year,
            opd.code if opd else None,
            args.paper,
            args.pdf,
            args.xlsx,
            signer,
            report_date=report_date,
        )
        result = _write_report(lambda: run_export(db, request))
    finally:
        db.dispose()
    what = opd.short_name if opd else f"{region_name} (konsolidasi)"
    print(f"Laporan {what} tahun {year}: {result.rows} baris.")
    _print_written(result, args.paper)
    return EXIT_OK


def _cmd_report_renstra(args: argparse.Namespace) -> int:
    """``report --plan RENSTRA-… --table tc23|tc24|tc27``: a Renstra table as PDF/Excel."""
    from app.services.export_and_sign import ExportRequest, run_export
    from app.services.renstra_report import SETDA_CODE, renstra_plan, resolve_unit, setda_position

    if args.table is None:
        raise UsageError("Sebutkan --table tc23, tc24 atau tc27 untuk laporan Renstra.")
    report_date, given = _report_options(args)
    db = open_db(args, write=_stores_signer(given))
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
                None if unit else setda_position(session),
            )
            plan_code, years = plan.code, (plan.start_year, plan.end_year)
        request = ExportRequest(
            args.year,
            unit.code if unit else None,
            args.paper,
            args.pdf,
            args.xlsx,
            signer,
            report_date=report_date,
            plan_code=plan_code,
            table=args.table,
        )
        result = _write_report(lambda: run_export(db, request))
    finally:
        db.dispose()
    what = unit.short_name if unit else "Sekretariat Daerah (seluruh Bagian)"
    span = f"s.d. tahun {args.year}" if args.year else f"{years[0]}–{years[1]}"
    print(f"Renstra {args.table.upper()} {what}, realisasi {span}: {result.rows} baris.")
    _print_written(result, args.paper)
    return EXIT_OK
