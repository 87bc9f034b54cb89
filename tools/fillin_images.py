"""Render the pictures of docs/fillin.md into docs/img/.

    python tools/fillin_images.py [--out docs/img] [--dpi 80]

* ``isian-kosong.png`` — the first page of the blank fill-in workbook's data sheet
  (Dinsos PPPA, 2023) as LibreOffice prints it (headless conversion to PDF, then
  pdftoppm);
* ``isian-formulir.png`` — the row form showing a row whose figures came from a
  filled-in workbook (the amber "TANPA tanda tangan" line), rendered offscreen.

Needs LibreOffice and poppler-utils. Uses a temporary seeded database, never the
user's own.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.formats.fillin import DATA_SHEET, FIRST_ROW  # noqa: E402
from app.services import catalog  # noqa: E402
from app.services.database import open_seeded  # noqa: E402
from app.services.fillin_export import export_fillin  # noqa: E402
from app.services.importer import import_file  # noqa: E402

YEAR = 2023
OPD = "DINSOS-PPPA"


def _page_of(pdf: Path, needle: str) -> int:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for i, page in enumerate(text.split("\f"), start=1):
        if needle in " ".join(page.split()):
            return i
    return 1


def workbook_image(xlsx: Path, work: Path, out: Path, dpi: int) -> None:
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(work / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = work / (xlsx.stem + ".pdf")
    page = _page_of(pdf, f"Tahun {YEAR} — Isian")  # the data sheet's footer
    stem = work / "page"
    subprocess.run(
        [
            *("pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page)),
            *("-singlefile", str(pdf), str(stem)),
        ],
        check=True,
    )
    shutil.move(str(stem.with_suffix(".png")), out)


def form_image(db_path: Path, filled: Path, out: Path) -> None:
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QApplication

    from app.ui.row_form import RowForm

    db = open_seeded(db_path)
    try:
        result = import_file(db, filled, user="Pokja PUG")
        if not result.ok:
            raise SystemExit(result.reason)
        with db.begin() as s:
            plan = catalog.get_plan(s)
            row_id = catalog.load_rows(s, plan.id, catalog.find_opd(s, OPD).id)[0].id
        app = QApplication.instance() or QApplication([])
        form = RowForm(db, "Pokja PUG")
        form.resize(760, 900)
        form.load(row_id, YEAR)
        form.show()
        app.processEvents()
        # The top of the form is what changes; the rest is the usual row form.
        top = form.real_box.geometry().bottom() + 8
        form.grab(QRect(0, 0, form.width(), top)).save(str(out))
        form.close()
    finally:
        db.dispose()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    ap.add_argument("--dpi", type=int, default=80)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db_path = work / "monev.sqlite"
        db = open_seeded(db_path)
        blank = work / "isian-kosong.xlsx"
        try:
            rows = export_fillin(db, None, OPD, YEAR, blank)
        finally:
            db.dispose()
        workbook_image(blank, work, args.out / "isian-kosong.png", args.dpi)
        print(f"isian-kosong.png: {rows} baris")
        from openpyxl import load_workbook

        wb = load_workbook(blank)
        ws = wb[DATA_SHEET]
        for ref, value in {
            "J": 25,
            "K": 10,
            "L": 14,
            "M": 1,
            "N": 15_000_000,
            "O": 14_250_000,
        }.items():
            ws[f"{ref}{FIRST_ROW}"] = value
        ws[f"P{FIRST_ROW}"] = "Daftar hadir dan laporan kegiatan"
        filled = work / "isian-terisi.xlsx"
        wb.save(filled)
        form_image(db_path, filled, args.out / "isian-formulir.png")
        print("isian-formulir.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
