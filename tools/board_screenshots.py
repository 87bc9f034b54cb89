"""Screenshots of the completeness board and the revision comparison for docs/ (offscreen).

    python -m tools.board_screenshots [--out docs/img]

Builds, in a temporary folder, a focal-point database and a Pokja database on the
official matrix, exports real signed submission files for several OPDs and imports
them the way Pokja does: one OPD sends a corrected revision 2, one file is refused
(signed by a key Pokja never accepted), some OPDs send nothing. One unsigned fill-in
workbook is recorded directly in ``submission`` (as the fill-in import records it), so
the amber state shows too.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.domain.arg import Answer
from app.domain.breakdown import Breakdown
from app.domain.realisation import RealisationValues
from app.formats import keys
from app.formats.arg_questions import current_question_set
from app.models.schema import Opd, PlanRow, Realisation, Submission
from app.services import catalog, entry, importer
from app.services.arg_store import assessable_nodes, save_answer
from app.services.database import open_seeded
from app.services.sample import fill_sample
from app.services.submission_export import export_submission
from app.ui.completeness_board import CompletenessBoard

SIGNED_2023 = ("DINSOS-PPPA", "DINKES-PPKB", "DISDIKBUD", "BAPPEDA", "DPMD", "DISNAKER", "BKD")
SIGNED_2022 = ("DINSOS-PPPA", "DINKES-PPKB", "BAPPEDA", "DISNAKER")
REVISED = "DINSOS-PPPA"
REFUSED = "DISPORA"
UNSIGNED = "KEC-PASIRIAN"


def _prepare(tmp: Path) -> Path:
    focal = open_seeded(tmp / "focal.sqlite")
    pokja = open_seeded(tmp / "pokja.sqlite")
    # One call per OPD, so that every OPD gets a few assessed kegiatan of its own.
    plan: tuple[tuple[int, tuple[str, ...]], ...] = (
        (2022, SIGNED_2022),
        (2023, (*SIGNED_2023, REFUSED)),
    )
    for year, opds in plan:
        for i, code in enumerate(opds):
            fill_sample(
                focal, year, full_opds=(code,), others=0.0, arg_nodes=3 + i % 3, seed=year + i
            )
    signers: dict[str, keys.SigningKey] = {}  # one key per OPD: a key belongs to one OPD

    def signer(code: str) -> keys.SigningKey:
        if code not in signers:
            signers[code] = keys.generate_key("sandi-gambar-1", tmp / "kunci" / code)
        return signers[code]

    stranger = keys.generate_key("sandi-gambar-2", tmp / "kunci-lain")
    when = datetime(2024, 1, 8, 9, 0)
    for year, opds in ((2022, SIGNED_2022), (2023, SIGNED_2023)):
        for code in opds:
            path = tmp / f"{code}-{year}.xlsx"
            export_submission(focal, year, signer(code), xlsx=path, opd=code, now=when)
            out = importer.import_file(pokja, path, accept_new_key=True)
            assert out.ok, out.reason
    # The refused file: DISPORA signs with a key Pokja has not accepted.
    path = tmp / f"{REFUSED}-2023.xlsx"
    export_submission(focal, 2023, stranger, xlsx=path, opd=REFUSED, now=when)
    assert importer.import_file(pokja, path).outcome == importer.REFUSED
    # DINSOS-PPPA corrects a few figures and an ARG answer, and sends revision 2.
    with focal.begin() as s:
        rows = s.execute(
            select(PlanRow.id, PlanRow.key)
            .join(Opd, Opd.id == PlanRow.opd_id)
            .where(Opd.code == REVISED)
            .order_by(PlanRow.seq)
        ).all()
    with focal.begin() as s:
        before = {
            r.row_id: r
            for r in s.scalars(
                select(Realisation).where(
                    Realisation.row_id.in_([rid for rid, _ in rows[:8]]),
                    Realisation.year == 2023,
                    Realisation.semester == 0,
                )
            )
        }
        s.expunge_all()
    a, b, c = (before[rows[i][0]] for i in (1, 4, 7))
    plus = Decimal(10)
    corrections = (
        (a, a.breakdown, a.spending, a.evidence, "SPJ triwulan IV sudah masuk"),
        (
            b,
            Breakdown(
                (b.total or 0) + plus,
                None if b.male is None else b.male + 4,
                None if b.female is None else b.female + 6,
                b.disabled,
            ),
            b.spending,
            b.evidence,
            b.note,
        ),
        (
            c,
            c.breakdown,
            (c.spending or Decimal(0)) + 12_500_000,
            "Laporan kegiatan dan daftar hadir",
            c.note,
        ),
    )
    for r, breakdown, spending, evidence, note in corrections:
        entry.save_realisation(
            focal,
            r.row_id,
            2023,
            RealisationValues(breakdown, r.budget, spending, evidence, note),
            "Budi Santoso",
        )
    qset = current_question_set()
    with focal.begin() as s:
        node = next(n for n in assessable_nodes(s, catalog.get_plan(s).id) if n.opd_code == REVISED)
    save_answer(focal, node.id, 2023, qset, qset.questions[2].id, Answer.TIDAK, "", "Budi")
    save_answer(
        focal,
        node.id,
        2023,
        qset,
        qset.questions[5].id,
        Answer.TIDAK_DAPAT,
        "Menunggu DPA perubahan",
        "Budi",
    )
    path = tmp / f"{REVISED}-2023-r2.xlsx"
    export_submission(
        focal, 2023, signer(REVISED), xlsx=path, opd=REVISED, now=datetime(2024, 1, 22, 14, 5)
    )
    out = importer.import_file(pokja, path)
    assert out.outcome == importer.SUPERSEDED, out.reason
    with pokja.begin() as s:
        s.add(
            Submission(
                submission_id="8c0e2a4e-6a1f-4d0e-9d3c-3f1b5b2a7c11",
                opd_code=UNSIGNED,
                plan_code=catalog.get_plan(s).code,
                year=2023,
                revision=1,
                content_hash="e3" * 32,
                created_at="2024-01-15T10:00:00",
                received_at=datetime.now(),  # the importer stamps the moment of import
                signature_state="unsigned",
                key_id=None,
                file_name="isian-kec-pasirian.xlsx",
                current=True,
                content=None,
            )
        )
    focal.dispose()
    pokja.dispose()
    return tmp / "pokja.sqlite"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=Path("docs/img"))
    out = ap.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    tmp = Path(tempfile.mkdtemp(prefix="monev-board-"))
    db = open_seeded(_prepare(tmp))
    with db.begin() as s:
        code = catalog.get_plan(s).code
    board = CompletenessBoard(db, code, None)
    board.resize(1720, 640)
    board.show()
    board.table.sortByColumn(1 + 3 * 1, Qt.SortOrder.DescendingOrder)  # Kiriman 2023
    app.processEvents()
    board.table.setCurrentIndex(board.proxy.index(0, 0))  # 2023: the latest year sent
    app.processEvents()
    board.grab().save(str(out / "papan-kelengkapan.png"))
    # The comparison of DINSOS-PPPA's two revisions.
    for r in range(board.proxy.rowCount()):
        if board.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 2)[0] == REVISED:
            board.table.setCurrentIndex(board.proxy.index(r, 4))
    dlg = board.compare_dialog()
    assert dlg is not None
    dlg.resize(1250, 470)
    dlg.show()
    app.processEvents()
    dlg.grab().save(str(out / "bandingkan-revisi.png"))
    dlg.close()
    board.close()
    db.dispose()
    print(f"wrote {out / 'papan-kelengkapan.png'} and {out / 'bandingkan-revisi.png'}")


if __name__ == "__main__":
    main()
