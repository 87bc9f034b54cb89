"""Screenshot of the preview before restoring a one-file backup (docs/backup.md).

A focal point's seeded database with a year of sample figures and a signing key is
backed up (``.monevcadangan``); a "new PC" with its own fresh database and another key
then opens the preview: what the file holds and what it replaces. Saved at 720×420
(fits 1366×768): ``docs/img/backup_restore.png``.

Run: ``QT_QPA_PLATFORM=offscreen python -m tools.shot_backup_restore``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.formats import keys
from app.services.backup import create_backup, default_backup_name
from app.services.database import open_seeded
from app.services.profile import Profile, save_profile
from app.services.sample import fill_sample
from app.ui.backup_dialog import BackupFileDialog

OUT = Path(__file__).resolve().parent.parent / "docs" / "img" / "backup_restore.png"
OPD = "DINSOS-PPPA"
YEAR = 2024


def main() -> None:
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        old_pc, new_pc = tmp / "lama", tmp / "baru"
        db = open_seeded(old_pc / "monev-radpug.sqlite")
        fill_sample(db, YEAR, full_opds=(OPD,), others=0.0)
        with db.begin() as s:
            save_profile(s, Profile("focal_point", "Rina Wati", "198501012010012001", OPD, YEAR))
        db.dispose()
        keys.generate_key("kata-sandi-lama", old_pc)
        file = tmp / default_backup_name()
        create_backup(old_pc / "monev-radpug.sqlite", file, key_folder=old_pc)

        open_seeded(new_pc / "monev-radpug.sqlite").dispose()
        keys.generate_key("kata-sandi-baru", new_pc)
        dialog = BackupFileDialog(new_pc / "monev-radpug.sqlite", file, key_folder=new_pc)
        dialog.resize(720, 420)
        dialog.show()
        app.processEvents()
        OUT.parent.mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(OUT))
        dialog.close()
    print(OUT)


if __name__ == "__main__":
    main()
