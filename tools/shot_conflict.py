"""Screenshots of a save that lost to another Pokja member's (docs/deployment.md).

Two row forms on one database: Budi saves the realisation first; Ani, who opened the row
before, types her figures and leaves the field: her form names Budi and the time and
keeps her text (``docs/img/konflik_simpan.png``); after "Muat ulang" it shows Budi's
values and lists what she typed (``docs/img/konflik_muat_ulang.png``). The top of the
720-wide form (title, banner, realisation) is kept: 720×445, fits 1366×768.

Run: ``QT_QPA_PLATFORM=offscreen python -m tools.shot_conflict``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication

from app.services import catalog
from app.services.database import open_seeded
from app.ui.row_form import RowForm

IMG = Path(__file__).resolve().parent.parent / "docs" / "img"
TOP = QRect(0, 0, 720, 445)  # down to the realisation's capaian line
YEAR = 2024


def main() -> None:
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        db = open_seeded(Path(folder) / "pokja.sqlite")
        with db.begin() as s:
            row = next(
                r
                for r in catalog.load_rows(s, catalog.get_plan(s).id)
                if r.satuan == "orang" and r.aktivitas
            )
        budi, ani = RowForm(db, "Budi (Bappeda)"), RowForm(db, "Ani (DP3AP2KB)")
        for form in (budi, ani):
            form.resize(720, 720)
            form.load(row.id, YEAR)
        budi.real_box.edits["total"].setText("48")
        budi.commit()
        ani.show()
        ani.real_box.edits["total"].setText("52")
        ani.real_box.note.setText("angka dari laporan triwulan IV")
        ani.commit()
        app.processEvents()
        IMG.mkdir(parents=True, exist_ok=True)
        ani.grab(TOP).save(str(IMG / "konflik_simpan.png"))
        ani.conflict.reload_button.click()
        app.processEvents()
        ani.grab(TOP).save(str(IMG / "konflik_muat_ulang.png"))
        for form in (budi, ani):
            form.close()
        db.dispose()
    print(IMG / "konflik_simpan.png", IMG / "konflik_muat_ulang.png")


if __name__ == "__main__":
    main()
