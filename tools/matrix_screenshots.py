"""Screenshots of the matrix distribution dialogs for docs/ (offscreen).

    python -m tools.matrix_screenshots [--out docs/img]

Pokja's and a focal point's temporary databases are seeded with the official RAD PUG
matrix; Pokja corrects a few rows (an indicator, a target, a new row, two removed rows,
one of which the focal point has filled), signs the package, and the focal point's
"Terima Pembaruan Matriks" dialog previews it: what users really see.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication
from sqlalchemy import delete, select

from app.formats import keys
from app.models.db import Database
from app.models.schema import Opd, PlanRow, Realisation, Target
from app.services.database import open_seeded
from app.services.matrix_export import export_matrix
from app.services.sample import fill_sample
from app.services.trust import pin_pokja_key
from app.ui.matrix_dialog import MatrixExportDialog, MatrixImportDialog

PLAN = "RADPUG-LMJ-2022-2024"
SECRET = "contoh-kata-sandi"


def _correct(pokja: Database, focal: Database) -> None:
    with focal.begin() as s:
        filled = list(
            s.scalars(
                select(PlanRow.key)
                .join(Realisation, Realisation.row_id == PlanRow.id)
                .join(Opd, Opd.id == PlanRow.opd_id)
                .join(Target, Target.row_id == PlanRow.id)
                .where(Opd.code == "DINSOS-PPPA", Target.year == 2024, Target.total.is_not(None))
                .order_by(PlanRow.seq)
                .distinct()
            )
        )
        busy = set(filled)
        empty = [k for k in s.scalars(select(PlanRow.key).order_by(PlanRow.seq)) if k not in busy]
    with pokja.begin() as s:
        rows = {r.key: r for r in s.scalars(select(PlanRow).where(PlanRow.key.in_(filled[:4])))}
        first = rows[filled[0]]
        first.indikator = first.indikator.rstrip(".") + " (termasuk penyandang disabilitas)"
        t = next(t for t in rows[filled[1]].targets if t.year == 2024)
        t.text, t.total, t.male, t.female, t.disabled = (
            "60 orang terdiri dari 25 laki-laki, 30 perempuan, 5 disabilitas",
            Decimal(60),
            Decimal(25),
            Decimal(30),
            Decimal(5),
        )
        rows[filled[2]].satuan = "kelompok"
        new = PlanRow(
            plan_id=first.plan_id,
            key="rp-koreksi-0001",
            node_id=first.node_id,
            opd_id=first.opd_id,
            seq=first.seq,
            aktivitas="Pendampingan kelompok perempuan penyintas kekerasan",
            indikator="Jumlah kelompok penyintas yang didampingi",
            satuan="kelompok",
        )
        for y in (2022, 2023, 2024):
            new.targets.append(Target(year=y, text="" if y == 2022 else "12 kelompok"))
            if y > 2022:
                new.targets[-1].total = Decimal(12)
        s.add(new)
        s.execute(delete(PlanRow).where(PlanRow.key.in_([filled[3], empty[-1]])))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=Path("docs/img"))
    out = ap.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    tmp = Path(tempfile.mkdtemp(prefix="monev-matriks-"))
    key = keys.generate_key(SECRET, tmp / "kunci")
    pokja = open_seeded(tmp / "pokja.sqlite")
    focal = open_seeded(tmp / "focal.sqlite")
    fill_sample(focal, 2023, full_opds=("DINSOS-PPPA",), others=0.2, arg_nodes=2, proposals=2)
    with focal.begin() as s:
        pin_pokja_key(s, key.public, "Budi Santoso")
    _correct(pokja, focal)
    package = export_matrix(
        pokja,
        PLAN,
        key,
        tmp / "Matriks-RADPUG-LMJ-2022-2024-koreksi.monevmatriks",
        "Koreksi Pokja PUG Desember 2026: indikator dan target Dinsos PPPA.",
    ).path

    dlg = MatrixImportDialog(focal, user="Budi Santoso", path=package)
    dlg.resize(980, 620)
    dlg.show()
    app.processEvents()
    dlg.grab().save(str(out / "pembaruan-matriks.png"))
    dlg.close()

    exp = MatrixExportDialog(
        pokja, key_folder=tmp / "kunci", folder=Path("C:/Users/Pokja/Documents")
    )
    exp.note.setPlainText("Koreksi Pokja PUG Desember 2026: indikator dan target Dinsos PPPA.")
    exp.passphrase.setText(SECRET)
    exp.resize(exp.sizeHint())
    exp.show()
    app.processEvents()
    exp.grab().save(str(out / "kirim-matriks.png"))
    exp.close()
    pokja.dispose()
    focal.dispose()
    print(f"Tersimpan: {out / 'pembaruan-matriks.png'}, {out / 'kirim-matriks.png'}")


if __name__ == "__main__":
    main()
