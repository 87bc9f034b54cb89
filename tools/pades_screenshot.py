"""Screenshot of the export dialog with the PAdES group filled in, for docs/ (offscreen).

    python -m tools.pades_screenshot [--out docs/img]

Uses a temporary database seeded with the official matrix and temporary settings, so
the picture is what the app shows and the developer's own settings are not touched.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from app.services import catalog
from app.services.database import open_seeded
from app.ui.export_dialog import ExportDialog

OPD = "DINSOS-PPPA"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=Path("docs/img"))
    out = ap.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    tmp = Path(tempfile.mkdtemp(prefix="monev-pades-shot-"))
    db = open_seeded(tmp / "shots.sqlite")
    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    with db.begin() as s:
        years = catalog.get_plan(s).years
    folder = tmp / "Laporan"
    folder.mkdir()
    dialog = ExportDialog(
        db, years, 2023, opd_code=OPD, is_pokja=False, folder=folder, settings=settings
    )
    dialog.folder.setText("/home/rina/Dokumen/Laporan")
    dialog.signer_name.setText("Dra. Hj. Rina Wulandari, M.Si.")
    dialog.signer_nip.setText("197001011990032005")
    dialog.pades.setChecked(True)
    dialog.p12_path.setText("/home/rina/Dokumen/Sertifikat/rina-wulandari-bsre.p12")
    dialog.p12_password.setText("sandi-contoh")
    dialog.show()
    app.processEvents()
    dialog.resize(dialog.sizeHint().expandedTo(dialog.minimumSize()))
    dialog.p12_password.setFocus()
    app.processEvents()
    target = out / "ekspor-pades.png"
    dialog.grab().save(str(target))
    dialog.close()
    db.dispose()
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
