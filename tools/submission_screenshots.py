"""Screenshots of the signing key dialog and the focal point's signed export, for docs/.

    python -m tools.submission_screenshots [--out docs/img]

Everything lives in a temporary folder (database, settings, the key), so the pictures
show what a new installation shows and the developer's own key is never touched.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from app.formats import keys
from app.services import catalog
from app.services.database import open_seeded
from app.ui.export_dialog import ExportDialog
from app.ui.key_dialog import KeyDialog

OPD = "DINSOS-PPPA"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=Path("docs/img"))
    out = ap.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    tmp = Path(tempfile.mkdtemp(prefix="monev-kiriman-shot-"))
    key_folder = tmp / "data"
    keys.generate_key("kata-sandi-contoh", key_folder)
    shown = KeyDialog(key_folder)
    shown.show()
    app.processEvents()
    shown.grab().save(str(out / "kunci-tanda-tangan.png"))

    db = open_seeded(tmp / "shots.sqlite")
    with db.begin() as s:
        years = catalog.get_plan(s).years
    folder = tmp / "Laporan"
    folder.mkdir()
    dialog = ExportDialog(
        db,
        years,
        2023,
        opd_code=OPD,
        is_pokja=False,
        folder=folder,
        settings=QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat),
        key_folder=key_folder,
    )
    dialog.folder.setText("C:/Users/rina/Documents/Laporan RAD PUG")
    dialog.signer_name.setText("Dra. Hj. Rina Wulandari, M.Si.")
    dialog.signer_nip.setText("197001011990032005")
    dialog.key_password.setText("kata-sandi-contoh")
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(out / "ekspor-kiriman.png"))
    db.dispose()
    print(f"{out / 'kunci-tanda-tangan.png'}\n{out / 'ekspor-kiriman.png'}")


if __name__ == "__main__":
    main()
