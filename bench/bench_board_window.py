"""The board window over a province database: open to first paint, then a sort by column.

``python -m bench.bench_board_window DB [--runs N]``: ``DB`` is a database imported before
(``python -m bench.bench_province`` keeps none; ``--board-only`` takes the same kind of
path or server URL). The window is built offscreen as Pokja opens it (all years), shown at
1366×700, and sorted by the first Kiriman column, as a click on its header does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from bench.common import machine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", help="a province database (SQLite path or server URL)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from app.models.db import open_database
    from app.services import catalog
    from app.ui.completeness_board import CompletenessBoard

    app = QApplication([])
    db = open_database(args.db)
    with db.begin() as s:
        code = catalog.get_plan(s).code
    opened: list[float] = []
    sorted_: list[float] = []
    rows = 0
    for _ in range(args.runs):
        t0 = time.perf_counter()
        board = CompletenessBoard(db, code, None)
        board.resize(1366, 700)
        board.show()
        app.processEvents()
        t1 = time.perf_counter()
        board.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        app.processEvents()
        t2 = time.perf_counter()
        opened.append(1000 * (t1 - t0))
        sorted_.append(1000 * (t2 - t1))
        rows = board.proxy.rowCount()
        board.close()
        board.deleteLater()
        app.processEvents()
    db.dispose()
    print(machine())
    print(f"Papan kelengkapan, {rows} OPD, semua tahun, {args.runs} kali:")
    print(
        f"  buka sampai tampil: median {statistics.median(opened):.0f} ms"
        f" (min {min(opened):.0f}, maks {max(opened):.0f})"
    )
    print(
        f"  urutkan satu kolom: median {statistics.median(sorted_):.0f} ms"
        f" (min {min(sorted_):.0f}, maks {max(sorted_):.0f})"
    )


if __name__ == "__main__":
    main()
