"""Screenshot of a Pokja correction of the official matrix, as the form shows it.

    python -m tools.shot_plan_edit [--out docs/img]

Opens a fresh database with the shipped RAD PUG matrix as Pokja, corrects the 2023
official target of a row through ``plan_edit`` (the service the dialog calls), and saves
the main window (1366×768) with the row's form scrolled to the corrected value and the
history entry with its reason: ``docs/img/plan_correction.png``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from app.services import catalog, plan_edit
from app.services.database import open_seeded
from app.services.profile import ROLE_POKJA, Profile
from app.ui.main_window import MainWindow

REASON = "Perbup tertulis 35; dikonfirmasi Bappeda lewat surat 12 November"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/img"))
    out = parser.parse_args().out
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="monev-koreksi-") as tmp:
        db = open_seeded(Path(tmp) / "pokja.sqlite")
        profile = Profile(ROLE_POKJA, "Siti Aminah", "198001012005011001", None, 2023)
        with db.begin() as s:
            plan = catalog.get_plan(s)
            rows = catalog.load_rows(s, plan.id)
            row = next(
                r
                for r in rows
                # A row counted in people, so the corrected text reads as a real one.
                if catalog.row_detail(s, r.id).satuan == "orang"
                and catalog.row_detail(s, r.id).targets.get(2023) is not None
                and catalog.row_detail(s, r.id).targets[2023].text.strip()[:1].isdigit()
            )
            old = catalog.row_detail(s, row.id).targets[2023].text
        new = "35 orang terdiri dari 20 laki-laki, 15 perempuan"
        if old == new:
            new = "36 orang terdiri dari 20 laki-laki, 16 perempuan"
        plan_edit.edit_target(db, row.id, 2023, new, REASON, profile.user_label)
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(db, profile, settings=settings)
        window.resize(1366, 768)
        window.show()
        window.matrix_changed(row.id)
        window.browser.splitter.setSizes([430, 936])  # room for the history's reason
        app.processEvents()
        form = window.form
        assert form is not None
        window.form_area.ensureWidgetVisible(form.history_box, 0, 0)
        window.form_area.ensureWidgetVisible(form.official_box.marks, 0, 10)
        app.processEvents()
        out.mkdir(parents=True, exist_ok=True)
        target = out / "plan_correction.png"
        window.grab().save(str(target))
        print(f"{old!r} → {new!r}")
        print(f"saved {target}")
        window.close()
        db.dispose()


if __name__ == "__main__":
    main()
