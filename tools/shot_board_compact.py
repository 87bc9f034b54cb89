"""Screenshot of the compact completeness board: every OPD of the plan on a 1366×768 screen.

A Pokja database on the official matrix: a few OPDs have sent signed submissions for
2023 (their rows filled), one an unsigned fill-in workbook, Dinkes PP & KB has filled
only one row of its several hundred (the board says "<1%", not "0%"), the rest nothing
yet. The board is grabbed at 1366×698 (a 1366×768 screen less the taskbar and title
bar) with 2023 chosen, and the tool checks that the last OPD's row is fully visible:
``docs/img/board_compact.png``.

Run: ``QT_QPA_PLATFORM=offscreen python -m tools.shot_board_compact``.
"""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.domain.breakdown import Breakdown
from app.domain.realisation import RealisationValues
from app.models.schema import Opd, PlanRow, Submission
from app.services import catalog, entry
from app.services.database import open_seeded
from app.services.sample import fill_sample
from app.ui.completeness_board import CompletenessBoard

OUT = Path(__file__).resolve().parent.parent / "docs" / "img" / "board_compact.png"
YEAR = 2023
SIGNED = ("DINSOS-PPPA", "BAPPEDA", "DISDIKBUD", "DPMD", "DISNAKER", "BKD")
UNSIGNED = "KEC-PASIRIAN"
ONE_ROW = "DINKES-PPKB"
SIZE = (1366, 698)


def _prepare(db_path: Path) -> None:
    db = open_seeded(db_path)
    for i, code in enumerate((*SIGNED, UNSIGNED)):
        fill_sample(db, YEAR, full_opds=(code,), others=0.0, arg_nodes=2 + i % 3, seed=i)
    with db.begin() as s:
        row_id = s.scalars(
            select(PlanRow.id)
            .join(Opd, Opd.id == PlanRow.opd_id)
            .where(Opd.code == ONE_ROW)
            .order_by(PlanRow.seq)
        ).first()
        plan_code = catalog.get_plan(s).code
    assert row_id is not None
    values = RealisationValues(
        Breakdown(Decimal(12), Decimal(5), Decimal(7), None), None, None, "", ""
    )
    entry.save_realisation(db, row_id, YEAR, values, "Pokja")
    # Submission records as the importer leaves them (the content is not needed here).
    with db.begin() as s:
        for i, code in enumerate((*SIGNED, UNSIGNED)):
            s.add(
                Submission(
                    submission_id=f"00000000-0000-4000-8000-{i:012d}",
                    opd_code=code,
                    plan_code=plan_code,
                    year=YEAR,
                    revision=1 + i % 2,
                    content_hash=f"{i:02d}" * 32,
                    created_at=f"2024-01-{8 + i:02d}T09:00:00",
                    received_at=datetime(2024, 1, 9 + i, 10, 30),
                    signature_state="unsigned" if code == UNSIGNED else "signed",
                    key_id=None if code == UNSIGNED else f"{i:02d}" * 8,
                    file_name=f"{code}-{YEAR}.xlsx",
                    current=True,
                    content=None,
                )
            )
    db.dispose()


def main() -> None:
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pokja.sqlite"
        _prepare(path)
        db = open_seeded(path)
        with db.begin() as s:
            code = catalog.get_plan(s).code
        board = CompletenessBoard(db, code, YEAR)
        board.resize(*SIZE)
        board.show()
        app.processEvents()
        table = board.table
        last = board.proxy.rowCount() - 1
        bottom = table.rowViewportPosition(last) + table.rowHeight(last)
        fits = bottom <= table.viewport().height()
        print(f"{board.proxy.rowCount()} OPD, row {table.rowHeight(0)} px, all visible: {fits}")
        OUT.parent.mkdir(parents=True, exist_ok=True)
        board.grab().save(str(OUT))
        board.close()
        db.dispose()
    print(OUT)


if __name__ == "__main__":
    main()
