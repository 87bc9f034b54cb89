"""Screenshot of the "Terima Berkas" preview with broken and hostile files.

    python -m tools.hostile_screenshot [--out docs/img]

Builds, in a temporary folder, the batch of ``tests/services/test_fails_alone.py``: an
encrypted zip entry, a signed integer far beyond the int-string limit, fill-in number
cells holding ``NaN`` and ``1E+308``, a file whose name holds a newline and a tab, and
two good submissions. Two more files claim OPD-002 and OPD-003 with one new key, so the
preview shows the key questions' warning. Saves ``terima-berkas-berkas-rusak.png``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from app.formats import keys
from app.services.submission_export import export_submission
from app.ui.import_dialog import ImportDialog
from tests.formats.hostile import build_originals
from tests.services.submission_helpers import YEAR
from tests.services.test_fails_alone import hostile_batch
from tools.import_scene import wait_idle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/img"))
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        o = build_originals(Path(tmp) / "asli")
        files = hostile_batch(o, Path(tmp) / "kiriman")
        shared = keys.generate_key("kunci-bersama", Path(tmp) / "bersama")
        for opd in ("OPD-002", "OPD-003"):
            path = Path(tmp) / "kiriman" / f"Kiriman-{opd}-kunci-bersama.xlsx"
            export_submission(o.pair.focal, YEAR, shared, xlsx=path, opd=opd)
            files[opd] = path
        dlg = ImportDialog(o.pair.pokja, "Siti Aminah")
        dlg.resize(1180, 760)
        dlg.show()
        dlg.add_files(list(files.values()))
        wait_idle(app, dlg)
        dlg.grab().save(str(out / "terima-berkas-berkas-rusak.png"))
        print(f"saved {out / 'terima-berkas-berkas-rusak.png'}")
        dlg.close()
        o.pair.dispose()


if __name__ == "__main__":
    main()
