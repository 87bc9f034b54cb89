"""``python -m app board``: Pokja's completeness board as a text table or JSON.

Listed in ``app.cli.main.GROUPS``.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from app.cli.common import EXIT_OK, Handler, UsageError, db_target, open_db, print_json

if TYPE_CHECKING:  # the service pulls in SQLAlchemy: not for ``--help``
    from app.services.completeness import Board, BoardRow


def register(sub: Any) -> dict[str, Handler]:
    b = sub.add_parser(
        "board",
        help="papan kelengkapan kiriman: status kiriman, baris terisi dan kelas ARG per OPD",
        description="Untuk Pokja PUG: per Perangkat Daerah dan tahun, revisi kiriman yang "
        "berlaku (bertanda tangan atau tidak), berkas yang ditolak, baris yang terisi dan "
        "jumlah kegiatan per klasifikasi ARG (Tabel 5.5), serta dokumen GAP/GBS yang diterima "
        "dan ditelaah.",
    )
    b.add_argument("--db", type=db_target, dest="db_sub", metavar="PATH", help="berkas basis data")
    b.add_argument("--year", type=int, help="satu tahun saja (bawaan: semua tahun rencana)")
    b.add_argument("--plan", help="kode rencana (bawaan: RAD PUG)")
    b.add_argument("--json", action="store_true", help="keluaran JSON")
    return {"board": _cmd_board}


def _cmd_board(args: argparse.Namespace) -> int:
    from app.services import catalog
    from app.services.completeness import board_json, build_board

    db = open_db(args)
    try:
        with db.begin() as session:
            plan = catalog.get_plan(session, args.plan)
            if args.year is not None and args.year not in plan.years:
                raise UsageError(
                    f"Tahun {args.year} di luar periode {plan.start_year}–{plan.end_year}."
                )
            years = None if args.year is None else [args.year]
            board = build_board(session, plan, years, beside=db.sessions)
    finally:
        db.dispose()
    if args.json:
        print_json(board_json(board))
    else:
        print(format_board(board))
    return EXIT_OK


def format_board(board: Board) -> str:
    """One block per year: OPD, state, rows filled, ARG classes (plain text)."""
    lines = [f"Papan kelengkapan kiriman — {board.plan_title}"]
    if not board.rows:
        lines.append("Rencana ini belum memuat Perangkat Daerah.")
        return "\n".join(lines)
    width = max(16, *(len(r.short_name) for r in board.rows))

    def state_width(y: int) -> int:
        return max(7, *(len(r.cells[y].state_text) for r in board.rows))

    for y in board.years:
        sw = state_width(y)
        lines.append("")
        lines.append(
            f"Tahun {y}: {board.received(y)} dari {len(board.rows)} Perangkat Daerah mengirim"
        )
        aw = max(9, *(len(r.cells[y].classes_text or "-") for r in board.rows))
        lines.append(
            f"{'Perangkat Daerah':<{width}}  {'Kiriman':<{sw}}  {'Terisi':>16}  "
            f"{'Kelas ARG':<{aw}}  Dokumen PPRG"
        )
        for r in board.rows:
            c = r.cells[y]
            lines.append(
                f"{r.short_name:<{width}}  {c.state_text:<{sw}}  {c.filled_text:>16}  "
                f"{c.classes_text or '-':<{aw}}  {c.pprg.text or '-'}".rstrip()
            )
        lines.append(f"Dokumen PPRG (GAP/GBS) yang ditelaah tahun {y}: {board.pprg_reviewed(y)}")
    if len(board.years) > 1:
        lines.append("")
        lines.append("Jumlah semua tahun:")
        for r in board.rows:
            lines.append(f"{r.short_name:<{width}}  {_total(r)}")
    lines.append("")
    lines.append(
        "Kelas ARG: RG responsif, KRG kurang responsif, TRG tidak responsif, BL belum lengkap."
    )
    return "\n".join(lines)


def _total(r: BoardRow) -> str:
    from app.services.completeness import share_text

    return f"{r.received} tahun terkirim, {share_text(r.filled, r.possible)} baris-tahun terisi"
