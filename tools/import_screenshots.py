"""Screenshots of the "Terima Berkas" dialog for docs/ (offscreen).

    python -m tools.import_screenshots [--out docs/img]

Builds, in a temporary folder, a focal-point database and a Pokja database over the
same synthetic plan, one signing key per OPD, and a realistic batch of signed files:
known keys, a superseding revision, a file already received, a new key, a changed key
and a damaged file. The dialog then checks them (preview with the key question) and
imports them (results), exactly as the app does.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QTreeWidget, QTreeWidgetItem

from app.formats import keys
from app.formats.synthetic import synthetic_plan
from app.models.db import open_database
from app.services import importer, trust
from app.services.profile import Profile, save_profile
from app.services.sample import fill_sample
from app.services.seeding import load_plan_data
from app.services.submission_export import export_submission
from app.ui.import_dialog import ImportDialog

YEAR = 2023
PASSPHRASE = "kata-sandi-gambar"


def _wait(app: QApplication, dlg: ImportDialog) -> None:
    deadline = time.monotonic() + 120
    while dlg.busy and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()


def _row(tree: QTreeWidget, i: int) -> QTreeWidgetItem:
    item = tree.topLevelItem(i)
    assert item is not None
    return item


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=Path("docs/img"))
    out = ap.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    tmp = Path(tempfile.mkdtemp(prefix="monev-terima-"))
    os.environ["MONEV_DATA_DIR"] = str(tmp / "data")

    plan = synthetic_plan(240, opds=8)
    opds = [o["code"] for o in plan["opds"]]
    focal = open_database(tmp / "focal.sqlite")
    load_plan_data(focal, plan)
    fill_sample(focal, YEAR, full_opds=tuple(opds), others=0.5, arg_nodes=3, proposals=2)
    with focal.begin() as s:
        save_profile(s, Profile("focal_point", "Budi Santoso", "198001012005011001", opds[0], YEAR))
    pokja = open_database(tmp / "pokja.sqlite")
    load_plan_data(pokja, plan)
    key = {code: keys.generate_key(PASSPHRASE, tmp / "kunci" / code) for code in opds}

    inbox = tmp / "kiriman"
    inbox.mkdir()

    def send(code: str, name: str, signer: keys.SigningKey | None = None) -> Path:
        path = inbox / name
        export_submission(focal, YEAR, signer or key[code], xlsx=path, opd=code)
        return path

    # Earlier rounds: OPD-001 sent revision 1; keys of OPD-002..004 were pinned by phone.
    first = send(opds[0], f"Kiriman-{opds[0]}-{YEAR}-rev1.xlsx")
    importer.import_file(pokja, first, accept_new_key=True, user="Siti Aminah")
    with pokja.begin() as s:
        for code in opds[1:4]:
            trust.pin_opd_key(s, code, key[code].public, "Siti Aminah")

    # The batch that arrives today.
    send(opds[0], f"Kiriman-{opds[0]}-{YEAR}-rev2.xlsx")  # supersedes revision 1
    send(opds[1], f"Kiriman-{opds[1]}-{YEAR}.xlsx")
    send(opds[2], f"Kiriman-{opds[2]}-{YEAR}.xlsx")
    reinstalled = keys.generate_key(PASSPHRASE, tmp / "kunci" / "baru")
    send(opds[3], f"Kiriman-{opds[3]}-{YEAR}.xlsx", reinstalled)  # KUNCI BERGANTI
    send(opds[4], f"Kiriman-{opds[4]}-{YEAR}.xlsx")  # kunci baru
    good = send(opds[5], "tmp.xlsx")
    damaged = inbox / f"Kiriman-{opds[5]}-{YEAR}.xlsx"
    damaged.write_bytes(good.read_bytes()[: good.stat().st_size * 2 // 3])  # cut off in e-mail
    good.unlink()

    dlg = ImportDialog(pokja, "Siti Aminah")
    dlg.resize(1180, 680)
    dlg.show()
    dlg.add_files([inbox, first])  # the old revision 1 again, by mistake
    _wait(app, dlg)
    # The new key of OPD-005 was confirmed by phone; the changed key of OPD-004 not yet.
    dlg.key_rows[(opds[4], key[opds[4]].key_id)].box.setChecked(True)
    dlg.preview.setCurrentItem(_row(dlg.preview, 4))  # the changed key, in full
    app.processEvents()
    dlg.grab().save(str(out / "terima-berkas-pratinjau.png"))

    dlg.start_import()
    _wait(app, dlg)
    dlg.results.setCurrentItem(_row(dlg.results, 4))  # a refusal, its reason in full
    app.processEvents()
    dlg.grab().save(str(out / "terima-berkas-hasil.png"))
    print(dlg.summary_label.text())
    print(f"saved {out / 'terima-berkas-pratinjau.png'} and {out / 'terima-berkas-hasil.png'}")
    dlg.close()
    focal.dispose()
    pokja.dispose()


if __name__ == "__main__":
    main()
