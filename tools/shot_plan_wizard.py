"""Screenshots of the plan import wizard for docs/plans.md (offscreen).

    python -m tools.shot_plan_wizard [--out docs/img]

A temporary database is seeded with the official plan; a matrix workbook in another
layout than the app writes (OPD first, a KET column, a row without OPD, a figure that
does not read, one misspelled OPD name and one agency not in the catalogue) goes through the wizard,
and steps 2 and 3 (problem rows, then OPD matching) are saved: what Pokja really sees.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from openpyxl import Workbook
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.models.db import Database
from app.models.schema import Opd
from app.services.database import open_seeded
from app.ui.plan_wizard import PlanWizard

SIZE = (1000, 620)  # within 1366×768 with the window frame


def _workbook(db: Database, path: Path) -> Path:
    with db.begin() as s:
        names = list(s.scalars(select(Opd.name).order_by(Opd.code).limit(4)))
    wb = Workbook()
    ws = wb.active
    ws.title = "Matriks 2025-2027"
    ws.append(["MATRIKS RENCANA AKSI DAERAH PUG 2025–2027"])
    ws.append([])
    ws.append(
        [
            "NO",
            "OPD",
            "PROGRAM",
            "KEGIATAN",
            "SUB KEGIATAN",
            "AKTIVITAS",
            "INDIKATOR",
            "SATUAN",
            "TARGET",
            None,
            None,
            "KET",
        ]
    )
    ws.append([None] * 8 + ["2025", "2026", "2027"])
    rows = [
        [None, "Program penguatan PUG", "Koordinasi", "Rapat Pokja"],
        [names[0], None, None, None],
        [names[1], None, None, None],
        [names[1].upper().replace(" ", "  "), None, None, None],
        ["Dinas Sosial Pemberdayaan Perempuan", "Program perlindungan", "Layanan", "Pendampingan"],
        ["Komisi Penanggulangan AIDS", "Program kesehatan", "Penyuluhan", "Kelompok sebaya"],
    ]
    n = 0
    for opd, prog, keg, sub in rows:
        for k in range(3):
            n += 1
            target = "1.2.3" if (n == 5) else str(10 * k + n)
            ws.append(
                [
                    n,
                    opd if k == 0 else None,
                    prog if k == 0 else None,
                    keg if k == 0 else None,
                    sub if k == 0 else None,
                    f"Aktivitas {n}",
                    f"Indikator {n}",
                    "orang",
                    target,
                    str(int(target.split(".")[0]) + 1),
                    str(int(target.split(".")[0]) + 2),
                    "",
                ]
            )
    wb.save(path)
    return path


def _settle(app: QApplication, wizard: PlanWizard) -> None:
    while wizard.task is not None:
        loop = QEventLoop()
        QTimer.singleShot(50, loop.quit)
        loop.exec()
    app.processEvents()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=Path("docs/img"))
    args = ap.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_seeded(Path(tmp) / "pokja.sqlite")
        try:
            path = _workbook(db, Path(tmp) / "matriks-2025-2027.xlsx")
            wizard = PlanWizard(db, folder=Path(tmp))
            wizard.resize(*SIZE)
            wizard.show()
            wizard.file_page.path_edit.setText(str(path))
            wizard.read(path)
            _settle(app, wizard)
            wizard.grab().save(str(out / "plan_wizard_mapping.png"))
            wizard.go(2)
            wizard.preview_page.tabs.setCurrentIndex(0)
            app.processEvents()
            wizard.grab().save(str(out / "plan_wizard_problems.png"))
            wizard.preview_page.tabs.setCurrentIndex(1)
            app.processEvents()
            wizard.grab().save(str(out / "plan_wizard_opds.png"))
            wizard.close()
        finally:
            db.dispose()
    for name in ("plan_wizard_mapping", "plan_wizard_problems", "plan_wizard_opds"):
        print(out / f"{name}.png")


if __name__ == "__main__":
    main()
