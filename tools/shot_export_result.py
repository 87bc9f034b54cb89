"""Screenshot of what a focal point sees after exporting the signed submission.

A focal point's seeded database with a year of sample figures and a signing key exports
the real signed submission (Excel) and the PDF into a temporary folder; the result
dialog then shows both files, the folder with "Buka folder" and the verification code
with "Salin". Saved at its natural size: ``docs/img/export_result.png``.

Run: ``QT_QPA_PLATFORM=offscreen python -m tools.shot_export_result``.
"""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from app.formats import keys
from app.services.database import open_seeded
from app.services.sample import fill_sample
from app.services.signatory import Signatory
from app.services.submission_export import export_submission
from app.ui.export_result import ExportResultDialog

OUT = Path(__file__).resolve().parent.parent / "docs" / "img" / "export_result.png"
OPD = "DINSOS-PPPA"
YEAR = 2023


def main() -> None:
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        out = tmp / "Laporan"
        out.mkdir()
        db = open_seeded(tmp / "monev-radpug.sqlite")
        fill_sample(db, YEAR, full_opds=(OPD,), others=0.0)
        key = keys.generate_key("kata-sandi-dinas", tmp / "kunci")
        base = f"Laporan-RAD-PUG-{OPD}-{YEAR}"
        result = export_submission(
            db,
            YEAR,
            key,
            xlsx=out / f"{base}.xlsx",
            pdf=out / f"{base}.pdf",
            opd=OPD,
            signatory=Signatory("Dra. Rina Wati", "197001011990032005", "Kepala Dinas"),
            now=datetime(2024, 1, 8, 9, 0),
        )
        db.dispose()
        dialog = ExportResultDialog(result, opener=lambda url: None)
        dialog.show()
        app.processEvents()
        OUT.parent.mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(OUT))
        print(f"{dialog.width()}×{dialog.height()}, kode {result.code}")
        dialog.close()
    print(OUT)


if __name__ == "__main__":
    main()
