"""Screenshots of the main window on the commonest office laptop screen (1366×768).

    python -m tools.shot_main_1366 [--out docs/img]

Runs offscreen with a 1366×768 screen, so every window is fitted as it would be on
that laptop. Opens a fresh database with the shipped RAD PUG matrix, fills some 2023
figures of Dinkes PP & KB (one of them unlikely: a capaian far above 200 %) and one
ARG checklist, then saves:

- ``main_1366.png``: the focal point's window, the "Langkah berikutnya" toolbar and the
  what-is-left line above the tree;
- ``form_warning_1366.png``: the same window, the form scrolled to the warning;
- ``main_1366_pokja.png``: Pokja's window, with its two extra steps;
- ``board_1366.png``: the completeness board, fitted to the screen.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

_CONFIG = Path(tempfile.mkdtemp(prefix="monev-1366-")) / "screen.json"
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
# Before Qt starts: an offscreen screen the size of the laptop's.
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_CONFIG}"

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app.domain.arg import Answer  # noqa: E402
from app.domain.breakdown import Breakdown  # noqa: E402
from app.domain.realisation import RealisationValues  # noqa: E402
from app.formats.arg_questions import current_question_set  # noqa: E402
from app.models.db import Database  # noqa: E402
from app.services import catalog, entry  # noqa: E402
from app.services.arg_store import save_answer  # noqa: E402
from app.services.database import open_seeded  # noqa: E402
from app.services.profile import ROLE_FOCAL, ROLE_POKJA, Profile  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402

OPD = "DINKES-PPKB"
YEAR = 2023
FOCAL = Profile(ROLE_FOCAL, "Budi Santoso", "197905152003121002", OPD, YEAR)
POKJA = Profile(ROLE_POKJA, "Siti Aminah", "198001012005011001", None, YEAR)


def fill(db: Database) -> int:
    """Realisations for the first rows with a numeric target; the id of the unlikely one."""
    with db.begin() as s:
        plan = catalog.get_plan(s)
        rows = [r for r in catalog.load_rows(s, plan.id) if r.opd_code == OPD]
        targeted = []
        for r in rows:
            t = catalog.row_detail(s, r.id).targets.get(YEAR)
            total = t.effective.total if t is not None and not t.is_percent else None
            if total is not None and total > 10 and total == total.to_integral_value():
                targeted.append((r, total))
    for r, total in targeted[:9]:
        entry.save_realisation(db, r.id, YEAR, RealisationValues(Breakdown(total)), "Budi")
    unlikely, total = targeted[9]
    # A target typed in the wrong unit would look like this: far above 200 %.
    entry.save_realisation(db, unlikely.id, YEAR, RealisationValues(Breakdown(total * 40)), "Budi")
    save_answer(
        db,
        targeted[0][0].path_nodes["kegiatan"],
        YEAR,
        current_question_set(),
        "PR1",
        Answer.YA,
        "",
        "Budi",
    )
    return unlikely.id


def shoot(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()
    widget.grab().save(str(path))
    print(f"saved {path} ({widget.width()}×{widget.height()})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/img"))
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")  # as make_application does
    with tempfile.TemporaryDirectory(prefix="monev-1366-") as tmp:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, tmp)
        db = open_seeded(Path(tmp) / "monev.sqlite")
        unlikely = fill(db)
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)

        window = MainWindow(db, FOCAL, settings=settings)
        window.resize(1366, 768)
        window.show()
        shoot(window, out / "main_1366.png")
        assert window.select_row(unlikely)
        form = window.form
        assert form is not None
        QApplication.processEvents()
        window.form_area.ensureWidgetVisible(form.real_box.warning, 0, 10)
        shoot(window, out / "form_warning_1366.png")
        window.close()

        window = MainWindow(db, POKJA, settings=settings)
        window.resize(1366, 768)
        window.show()
        shoot(window, out / "main_1366_pokja.png")
        board = window.open_board()
        assert board is not None
        shoot(board, out / "board_1366.png")
        board.close()
        window.close()
        db.dispose()


if __name__ == "__main__":
    main()
