"""Screenshot of Berkas → Basis data… over Pokja's window on a 1366×768 screen
(docs/deployment.md, "Sambungan dari jendela").

    python -m tools.shot_db_setting [--out docs/img]

Runs offscreen with a 1366×768 screen. Opens a fresh database with the shipped matrix
as a Pokja member, opens the database setting with a server filled in, and paints the
dialog over the window where Qt would centre it: ``db_setting.png``. The line under
"Uji sambungan" is the answer as it reads after a successful test (no server is
contacted here).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="monev-dbset-"))
_CONFIG = _TMP / "screen.json"
_CONFIG.write_text(
    json.dumps(
        {
            "screens": [
                {
                    "name": "laptop",
                    "x": 0,
                    "y": 0,
                    "width": 1366,
                    "height": 768,
                    "logicalDpi": 96,
                    "logicalBaseDpi": 96,
                    "dpr": 1,
                }
            ]
        }
    )
)
# Before Qt starts: an offscreen screen the size of the laptop's, and a data folder of
# our own, so the developer's remembered database choice is neither read nor written.
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_CONFIG}"
os.environ["MONEV_DATA_DIR"] = str(_TMP / "data")

from PySide6.QtCore import QPoint, QSettings  # noqa: E402
from PySide6.QtGui import QColor, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.services.database import open_seeded  # noqa: E402
from app.services.profile import ROLE_POKJA, Profile  # noqa: E402
from app.ui.db_setting import DatabaseSettingDialog  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402

POKJA = Profile(ROLE_POKJA, "Siti Aminah", "198001012005011001", None, 2023)
SERVER = "postgresql+psycopg://monev@10.20.1.5:5432/monev"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/img"))
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")  # as app.ui.application does
    db = open_seeded(_TMP / "monev-radpug.sqlite")
    try:
        settings = QSettings(str(_TMP / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(db, POKJA, settings=settings)
        window.resize(1366, 768)
        window.show()
        dialog = DatabaseSettingDialog(db, parent=window)
        dialog.server.setChecked(True)
        dialog.host.setText(SERVER)
        dialog.host.editingFinished.emit()  # a pasted URL fills the four fields
        dialog.outcome.setText("Tersambung: PostgreSQL 15.8.")
        dialog.show()
        dialog.adjustSize()
        app.processEvents()
        shot = window.grab()
        painter = QPainter(shot)
        corner = QPoint(
            (shot.width() - dialog.width()) // 2, (shot.height() - dialog.height()) // 2
        )
        painter.drawPixmap(corner, dialog.grab())
        # The window manager's frame is not drawn offscreen: a thin line stands in for it.
        painter.setPen(QColor("#505050"))
        painter.drawRect(corner.x() - 1, corner.y() - 1, dialog.width() + 1, dialog.height() + 1)
        painter.end()
        args.out.mkdir(parents=True, exist_ok=True)
        out = args.out / "db_setting.png"
        shot.save(str(out))
        print(out, shot.width(), "x", shot.height())
        dialog.close()
        window.close()
    finally:
        db.dispose()


if __name__ == "__main__":
    main()
