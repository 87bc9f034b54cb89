"""Screenshot of the "Terima Berkas" preview with a key that belongs to another OPD.

    python -m tools.import_key_screenshot [--out docs/img]

Builds, in a temporary folder, a focal-point and a Pokja database over the same
synthetic plan with one key per OPD, pins OPD-001's key, then checks a batch in which
OPD-001's key signed a file claiming to be OPD-002 (with a made-up OPD name inside),
next to ordinary files. Saves ``terima-kunci-opd-lain.png`` at a size that fits a
1366x768 screen.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from app.formats import keys
from app.formats.canonical_json import canonical_bytes
from app.formats.submission import copy_without_parts, read_package, sign_package
from app.formats.synthetic import synthetic_plan
from app.models.db import open_database
from app.services import importer, trust
from app.services.sample import fill_sample
from app.services.seeding import load_plan_data
from app.services.submission_export import export_submission
from app.ui.import_dialog import ImportDialog

YEAR = 2023
PASSPHRASE = "kata-sandi-gambar"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=Path("docs/img"))
    out = ap.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    tmp = Path(tempfile.mkdtemp(prefix="monev-kunci-lain-"))
    os.environ["MONEV_DATA_DIR"] = str(tmp / "data")

    plan = synthetic_plan(240, opds=6)
    opds = [o["code"] for o in plan["opds"]]
    focal = open_database(tmp / "focal.sqlite")
    load_plan_data(focal, plan)
    fill_sample(focal, YEAR, full_opds=tuple(opds), others=0.5, arg_nodes=3, proposals=2)
    pokja = open_database(tmp / "pokja.sqlite")
    load_plan_data(pokja, plan)
    key = {code: keys.generate_key(PASSPHRASE, tmp / "kunci" / code) for code in opds}
    inbox = tmp / "kiriman"
    inbox.mkdir()

    def send(code: str, name: str) -> Path:
        path = inbox / name
        export_submission(focal, YEAR, key[code], xlsx=path, opd=code)
        return path

    first = send(opds[0], f"Kiriman-{opds[0]}-{YEAR}-rev1.xlsx")
    importer.import_file(pokja, first, accept_new_key=True, user="Siti Aminah")
    with pokja.begin() as s:
        for code in opds[2:4]:
            trust.pin_opd_key(s, code, key[code].public, "Siti Aminah")
    send(opds[2], f"Kiriman-{opds[2]}-{YEAR}.xlsx")
    send(opds[3], f"Kiriman-{opds[3]}-{YEAR}.xlsx")
    # OPD-001's key signs a file that claims OPD-002 and names itself "Dinas Kesehatan".
    claim = send(opds[1], "tmp.xlsx")
    content = read_package(claim).content
    content["opd"]["name"] = "Dinas Kesehatan"
    forged = inbox / f"Kiriman-{opds[1]}-{YEAR}.xlsx"
    copy_without_parts(claim, forged)
    data = canonical_bytes(content)
    sign_package(forged, data, key[opds[0]])
    claim.unlink()

    dlg = ImportDialog(pokja, "Siti Aminah")
    dlg.resize(1180, 680)
    dlg.show()
    dlg.add_files([inbox, first])  # revision 1 again: "Ganti paksa…" is offered for it
    deadline = time.monotonic() + 120
    while dlg.busy and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()
    for i in range(dlg.preview.topLevelItemCount()):
        item = dlg.preview.topLevelItem(i)
        if item is not None and item.text(0) == forged.name:
            dlg.preview.setCurrentItem(item)
    app.processEvents()
    dlg.grab().save(str(out / "terima-kunci-opd-lain.png"))
    print(f"saved {out / 'terima-kunci-opd-lain.png'}")
    dlg.close()
    focal.dispose()
    pokja.dispose()


if __name__ == "__main__":
    main()
