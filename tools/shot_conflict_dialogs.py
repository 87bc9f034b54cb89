"""Screenshots of the Koreksi matriks and Profil wilayah dialogs after a save that lost to
another Pokja member's (the companions of ``tools.shot_conflict``'s row form).

On the official matrix, Budi corrects a row's indicator through his own connection while
Ani has the row open in "Ubah isi baris"; her save shows the banner with who and when
(``konflik_koreksi_matriks.png``), and "Muat ulang" shows Budi's text with hers offered
back (``konflik_koreksi_matriks_muat_ulang.png``). The same for the region profile: Budi
changes the address, Ani's place of signing is refused (``konflik_profil_wilayah.png``)
and then offered back (``konflik_profil_wilayah_muat_ulang.png``). And the user profile
("Profil pengguna"), which Pokja members on one server share: Budi saves his name while
Ani's is refused (``konflik_profil_pengguna.png``) and offered back after "Muat ulang"
(``konflik_profil_pengguna_muat_ulang.png``). Each dialog is grabbed at its own size,
within 1366×768.

Run: ``QT_QPA_PLATFORM=offscreen python -m tools.shot_conflict_dialogs [--out FOLDER]``
(default: a new temporary folder, printed).
"""

from __future__ import annotations

import argparse
import tempfile
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog

from app.models.db import open_database
from app.services import catalog, plan_edit
from app.services.database import open_seeded
from app.services.profile import ROLE_POKJA, Profile
from app.services.region import load_region, store_region
from app.services.settings_store import store_profile
from app.ui.first_run import ProfileDialog, profile_dialog
from app.ui.plan_edit_dialog import RowEditDialog
from app.ui.region_dialog import RegionDialog

REASON = "salah ketik di Perbup, dikonfirmasi Bappeda"
MAX_W, MAX_H = 1366, 768


def _grab(app: QApplication, dialog: QDialog, path: Path) -> None:
    app.processEvents()
    dialog.adjustSize()
    dialog.resize(min(dialog.width(), MAX_W), min(dialog.height(), MAX_H))
    app.processEvents()
    dialog.grab().save(str(path))
    print(path, f"{dialog.width()}×{dialog.height()}")


def _refused_then_reloaded(
    app: QApplication, dialog: RowEditDialog | RegionDialog | ProfileDialog, out: Path, name: str
) -> None:
    """Save (refused: another member saved first), grab; "Muat ulang", grab; close."""
    dialog.accept()
    _grab(app, dialog, out / f"{name}.png")
    dialog.conflict.reload_button.click()
    _grab(app, dialog, out / f"{name}_muat_ulang.png")
    dialog.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.shot_conflict_dialogs")
    parser.add_argument("--out", type=Path, help="folder for the PNG files")
    args = parser.parse_args(argv)
    out: Path = args.out or Path(tempfile.mkdtemp(prefix="shot-conflict-"))
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pokja.sqlite"
        db = open_seeded(path)
        budi = open_database(path)  # Budi's own app on the same database
        with db.begin() as s:
            row = next(
                r
                for r in catalog.load_rows(s, catalog.get_plan(s).id)
                if r.satuan == "orang" and r.aktivitas and len(r.indikator) < 70
            )
        ani = RowEditDialog(db, row.id, "Ani (DP3AP2KB)")
        ani.show()
        plan_edit.edit_field(
            budi, row.id, "indikator", row.indikator + " (terverifikasi)", REASON, "Budi (Bappeda)"
        )
        ani.fields["indikator"].setText(row.indikator + " yang mendapat layanan")
        ani.reason.setText("disesuaikan dengan DPA 2024")
        _refused_then_reloaded(app, ani, out, "konflik_koreksi_matriks")

        region = RegionDialog(db, user="Ani (DP3AP2KB)")
        region.show()
        with budi.begin() as s:
            stored = load_region(s)
        store_region(
            budi,
            replace(stored, address="Jl. Alun-alun Utara No. 3, Lumajang"),
            user="Budi (Bappeda)",
        )
        region.place.setText("Lumajang Kota")
        _refused_then_reloaded(app, region, out, "konflik_profil_wilayah")

        nip = "198001012005011001"
        store_profile(db, Profile(ROLE_POKJA, "Siti Aminah", nip, None, 2024))
        profile = profile_dialog(db)
        profile.show()
        store_profile(budi, Profile(ROLE_POKJA, "Budi Hartono", nip, None, 2023))
        profile.name.setText("Ani Lestari")
        _refused_then_reloaded(app, profile, out, "konflik_profil_pengguna")
        budi.dispose()
        db.dispose()


if __name__ == "__main__":
    main()
