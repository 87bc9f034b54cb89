"""Screenshot of the Terima Berkas preview with a file whose visible cells were changed.

    python -m tools.signed_cells_screenshot [--out docs/img]

Exports genuine signed files of two OPDs, then a copy of one in which the "Matriks"
sheet was edited after signing (a realisation raised to 9,999,999, the unit and the
spending changed; the zip re-written with valid CRCs, as a careful forger would). The
dialog checks the batch: the forged file is refused, naming each changed cell.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
import zipfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from app.formats import keys
from app.formats.synthetic import synthetic_plan
from app.models.db import open_database
from app.services import trust
from app.services.sample import fill_sample
from app.services.seeding import load_plan_data
from app.services.submission_export import export_submission
from app.ui.import_dialog import ImportDialog

YEAR = 2023
PASSPHRASE = "kata-sandi-gambar"
SHEET = "xl/worksheets/sheet1.xml"


def _forge(src: Path, out: Path) -> None:
    """``src`` with three Matriks cells changed, re-zipped soundly."""
    with zipfile.ZipFile(src) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    xml = parts[SHEET].decode()
    edits = {
        "G11": '<c r="G11" s="11" t="n"><v>9999999</v></c>',
        "D11": '<c r="D11" s="10" t="inlineStr"><is><t>ton</t></is></c>',
        "M11": '<c r="M11" s="11" t="n"><v>750000000</v></c>',
    }
    for ref, cell in edits.items():
        xml = re.sub(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', cell, xml, count=1, flags=re.DOTALL)
    parts[SHEET] = xml.encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=Path("docs/img"))
    out = ap.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    tmp = Path(tempfile.mkdtemp(prefix="monev-sel-"))
    os.environ["MONEV_DATA_DIR"] = str(tmp / "data")

    plan = synthetic_plan(120, opds=4)
    opds = [o["code"] for o in plan["opds"]]
    focal = open_database(tmp / "focal.sqlite")
    load_plan_data(focal, plan)
    fill_sample(focal, YEAR, full_opds=tuple(opds), others=0.5, arg_nodes=3, proposals=2)
    pokja = open_database(tmp / "pokja.sqlite")
    load_plan_data(pokja, plan)
    key = {code: keys.generate_key(PASSPHRASE, tmp / "kunci" / code) for code in opds[:2]}
    with pokja.begin() as s:
        for code in opds[:2]:
            trust.pin_opd_key(s, code, key[code].public, "Siti Aminah")

    inbox = tmp / "kiriman"
    inbox.mkdir()
    for code in opds[:2]:
        export_submission(
            focal, YEAR, key[code], xlsx=inbox / f"Kiriman-{code}-{YEAR}.xlsx", opd=code
        )
    genuine = tmp / "asli.xlsx"
    export_submission(focal, YEAR, key[opds[0]], xlsx=genuine, opd=opds[0])
    _forge(genuine, inbox / f"Kiriman-{opds[0]}-{YEAR}-perbaikan.xlsx")

    dlg = ImportDialog(pokja, "Siti Aminah")
    dlg.resize(1180, 560)
    dlg.show()
    dlg.add_files([inbox])
    deadline = time.monotonic() + 120
    while dlg.busy and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    forged = next(
        dlg.preview.topLevelItem(i)
        for i in range(dlg.preview.topLevelItemCount())
        if "perbaikan" in (dlg.preview.topLevelItem(i) or dlg.preview.invisibleRootItem()).text(0)
    )
    dlg.preview.setCurrentItem(forged)
    app.processEvents()
    target = out / "terima-sel-berbeda.png"
    dlg.grab().save(str(target))
    print(forged.text(6) if forged else "")
    print(f"saved {target}")
    dlg.close()
    focal.dispose()
    pokja.dispose()


if __name__ == "__main__":
    main()
