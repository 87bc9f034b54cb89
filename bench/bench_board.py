"""Pokja's completeness board on the seeded 848-row matrix with a full year filled.

Also on a synthetic 40-OPD plan of 880 rows (the real matrix has 33 OPDs).
Every OPD has a current signed submission for 2023 (with its content stored, as the
importer keeps it) plus an older revision, and a refused file for 2024, so the board
reads what a busy Pokja database holds. ``python -m bench.bench_board``
"""

from __future__ import annotations

import time
from datetime import datetime

from sqlalchemy import func, select

from app.formats.canonical_json import canonical_bytes, content_hash
from app.models.db import Database
from app.models.schema import ImportLog, Opd, PlanRow, Submission
from app.services import catalog
from app.services.completeness import build_board
from app.services.sample import fill_sample
from app.services.submission_content import build_content
from bench.common import describe, machine, seeded_db, synthetic_db, workdir

YEAR = 2023
RUNS = 20


def run(db: Database, name: str) -> None:
    with db.begin() as s:
        plan = catalog.get_plan(s)
        codes = [
            c
            for (c,) in s.execute(
                select(Opd.code)
                .join(PlanRow, PlanRow.opd_id == Opd.id)
                .where(PlanRow.plan_id == plan.id)
                .distinct()
            )
        ]
        rows = s.scalar(select(func.count()).where(PlanRow.plan_id == plan.id))
    stats = fill_sample(db, YEAR, full_opds=tuple(codes), others=0.0, arg_nodes=120, proposals=20)
    now = datetime(2024, 1, 15, 9, 0)
    with db.begin() as s:
        plan = catalog.get_plan(s)
        for i, code in enumerate(codes):
            sid = f"00000000-0000-4000-8000-{i:012d}"
            for rev in (1, 2):
                data = canonical_bytes(
                    build_content(
                        s,
                        plan,
                        catalog.find_opd(s, code),
                        YEAR,
                        submission_id=sid,
                        revision=rev,
                        created_at=now,
                        preparer=None,
                    )
                )
                s.add(
                    Submission(
                        submission_id=sid,
                        opd_code=code,
                        plan_code=plan.code,
                        year=YEAR,
                        revision=rev,
                        content_hash=content_hash(data),
                        created_at=now.isoformat(),
                        received_at=now.replace(hour=9 + rev),
                        signature_state="signed",
                        key_id="0123456789abcdef",
                        file_name=f"{code}-r{rev}.xlsx",
                        current=rev == 2,
                        content=data.decode("utf-8"),
                    )
                )
            s.add(
                ImportLog(
                    at=now,
                    file_name=f"{code}-2024.xlsx",
                    opd_code=code,
                    year=YEAR + 1,
                    outcome="ditolak",
                    reason="Tanda tangan tidak cocok dengan isi berkas.",
                )
            )
    print(
        f"{name}: {rows} baris, {len(codes)} OPD, {stats.realisations} realisasi {YEAR}, "
        f"{stats.instruments} instrumen ARG, {2 * len(codes)} kiriman tersimpan"
    )
    samples: list[float] = []
    board = None
    for _ in range(RUNS):
        t = time.perf_counter()
        with db.begin() as s:
            board = build_board(s, catalog.get_plan(s), beside=db.sessions)
        samples.append(1000 * (time.perf_counter() - t))
    assert board is not None
    filled = sum(r.cells[YEAR].filled for r in board.rows)
    assert filled == rows and board.received(YEAR) == len(codes), (filled, board.received(YEAR))
    print(
        f"  papan kelengkapan {len(board.rows)} OPD × {len(board.years)} tahun: {describe(samples)}"
    )
    db.dispose()


def main() -> None:
    folder = workdir()
    print(f"Mesin: {machine()}")
    run(seeded_db(folder), "Matriks resmi")
    run(synthetic_db(folder, 880), "Rencana sintetis 40 OPD")


if __name__ == "__main__":
    main()
