"""The set-up the Terima Berkas screenshot tools share (offscreen).

A focal-point and a Pokja database over one synthetic plan, the focal point's figures
filled, one signing key per OPD, an inbox folder, and a way to wait for the dialog's
background work. Each tool then builds its own batch and picture.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from app.formats import keys
from app.formats.synthetic import synthetic_plan
from app.models.db import Database, open_database
from app.services.sample import fill_sample
from app.services.seeding import load_plan_data
from app.services.submission_export import export_submission
from app.ui.import_dialog import ImportDialog

YEAR = 2023
PASSPHRASE = "kata-sandi-gambar"


def wait_idle(app: QApplication, dlg: ImportDialog) -> None:
    """Let the dialog's checks or import finish (two minutes at most)."""
    deadline = time.monotonic() + 120
    while dlg.busy and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()


@dataclass
class Scene:
    app: QApplication
    out: Path
    tmp: Path
    opds: list[str]
    focal: Database
    pokja: Database
    key: dict[str, keys.SigningKey]

    @property
    def inbox(self) -> Path:
        return self.tmp / "kiriman"

    def send(self, code: str, name: str, signer: keys.SigningKey | None = None) -> Path:
        """The OPD's signed export, written into the inbox as ``name``."""
        path = self.inbox / name
        export_submission(self.focal, YEAR, signer or self.key[code], xlsx=path, opd=code)
        return path

    def wait(self, dlg: ImportDialog) -> None:
        wait_idle(self.app, dlg)

    def close(self) -> None:
        self.focal.dispose()
        self.pokja.dispose()


def start(doc: str, prefix: str, rows: int, opds: int) -> Scene:
    """Parse ``--out``, then build the two databases and one key per OPD."""
    ap = argparse.ArgumentParser(description=doc)
    ap.add_argument("--out", type=Path, default=Path("docs/img"))
    out = ap.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["MONEV_DATA_DIR"] = str(tmp / "data")
    plan = synthetic_plan(rows, opds=opds)
    codes = [o["code"] for o in plan["opds"]]
    focal = open_database(tmp / "focal.sqlite")
    load_plan_data(focal, plan)
    fill_sample(focal, YEAR, full_opds=tuple(codes), others=0.5, arg_nodes=3, proposals=2)
    pokja = open_database(tmp / "pokja.sqlite")
    load_plan_data(pokja, plan)
    key = {code: keys.generate_key(PASSPHRASE, tmp / "kunci" / code) for code in codes}
    (tmp / "kiriman").mkdir()
    return Scene(app, out, tmp, codes, focal, pokja, key)
