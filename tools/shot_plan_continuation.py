"""Screenshot of a 2025–2029 row continuing its 2022–2024 row (docs/plans.md).

Builds the seeded database plus a 2025–2029 plan from a workbook (the fixture of
tests/services/test_continuation.py), enters three years of figures on the old row,
links the new row to it and saves the 1366×768 Pokja window with the form scrolled to
"Tahun-tahun sebelumnya": ``docs/img/plan_continuation.png``.

Run: ``QT_QPA_PLATFORM=offscreen python -m tools.shot_plan_continuation``.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.domain.realisation import parse_realisation
from app.models.schema import PlanRow
from app.services import entry
from app.services.continuation import link_previous
from app.services.database import open_seeded
from app.ui.main_window import MainWindow
from tests.services.test_continuation import NEXT, build_periods
from tests.ui.conftest import POKJA

OUT = Path(__file__).resolve().parent.parent / "docs" / "img" / "plan_continuation.png"
FIGURES = {2022: ("15", "13", "1"), 2023: ("16", "15", "1"), 2024: ("14", "13", "0")}


def main() -> None:
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        db = open_seeded(tmp / "pokja.sqlite")
        periods = build_periods(db, tmp)
        with db.begin() as s:
            old = s.scalars(
                select(PlanRow.id).where(
                    PlanRow.aktivitas.like("Pertemuan Persiapan Bulan Intensifikasi Penimbangan%")
                )
            ).first()
        assert old is not None
        periods = replace(periods, old=old)
        for year, (male, female, disabled) in FIGURES.items():
            values = parse_realisation({"male": male, "female": female, "disabled": disabled})
            entry.save_realisation(db, old, year, values, "Siti")
        entry.save_realisation(
            db, periods.new, 2025, parse_realisation({"male": "9", "female": "8"}), "Ani"
        )
        link_previous(db, periods.new, old, "Siti Aminah")
        settings = QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat)
        window = MainWindow(db, replace(POKJA, year=2025), settings=settings)
        window.resize(1366, 768)
        window.show()
        window.set_plan(NEXT)
        window.set_year(2025)
        window.select_row(periods.new)
        for _ in range(5):
            app.processEvents()
        assert window.form is not None
        bar = window.form_area.verticalScrollBar()
        bar.setValue(window.form.earlier_box.y() - 360)
        app.processEvents()
        window.grab().save(str(OUT))
        window.close()
        db.dispose()
    print(f"saved {OUT.relative_to(OUT.parent.parent.parent)}")


if __name__ == "__main__":
    main()
