"""Screenshots of the main window and the first-run dialog for docs/ (offscreen).

    python -m tools.screenshots [--out docs/img]

Uses a temporary database seeded with the official matrix when
``resources/plans/radpug_lumajang_2022_2024.json`` is present (a synthetic plan
otherwise) and a reproducible set of realisations, so the pictures in the
documentation are what the app really shows.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from app.domain.breakdown import Breakdown
from app.domain.realisation import RealisationValues
from app.formats.synthetic import synthetic_plan
from app.models.db import Database, open_database
from app.resources import resource
from app.services import catalog, entry
from app.services.database import open_seeded
from app.services.profile import ROLE_FOCAL, Profile
from app.services.seeding import load_plan_data
from app.ui.first_run import ProfileDialog, opd_choices
from app.ui.main_window import MainWindow

PLAN = resource("plans", "radpug_lumajang_2022_2024.json")
YEAR = 2023
SIZE = (1400, 850)


def _database(folder: Path) -> Database:
    if PLAN.exists():
        return open_seeded(folder / "screens.sqlite")
    db = open_database(folder / "screens.sqlite")
    load_plan_data(db, synthetic_plan(870, opds=30))
    return db


def _busiest_opd(db: Database) -> str:
    """The OPD with the most rows: the focal point whose screen shows the most."""
    with db.begin() as s:
        rows = catalog.load_rows(s, catalog.get_plan(s).id)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.opd_code] = counts.get(r.opd_code, 0) + 1
    return max(counts, key=lambda c: counts[c])


def _fill(db: Database, opd_code: str) -> int:
    """Realisations on about a third of the OPD's rows, spread over the bands."""
    rng = random.Random(2023)
    with db.begin() as s:
        plan = catalog.get_plan(s)
        rows = [r for r in catalog.load_rows(s, plan.id) if r.opd_code == opd_code]
        details = {r.id: catalog.row_detail(s, r.id) for r in rows}
    filled: list[tuple[int, bool]] = []  # row id, has an L/P breakdown
    for r in rows:
        t = details[r.id].targets.get(YEAR)
        target = t.effective.effective_total if t else None
        if target is None or target == 0 or rng.random() > 0.35:
            continue
        ratio = rng.choice([0.5, 0.85, 1.0, 1.1])
        total = max(type(target)(1), (target * type(target)(str(ratio))).quantize(type(target)(1)))
        b = t.official if t else Breakdown()
        if b.male is not None and b.female is not None and b.total:
            male = (b.male * total / b.total).quantize(type(total)(1))
            female = total - male
            bd = Breakdown(total, male, female)
        else:
            bd = Breakdown(total)
        budget = type(total)(rng.choice([15_000_000, 42_500_000, 120_000_000]))
        spending = (budget * type(total)(str(rng.choice([0.62, 0.9, 0.98])))).quantize(
            type(total)(1)
        )
        values = RealisationValues(bd, budget, spending, "Daftar hadir dan laporan kegiatan", "")
        entry.save_realisation(db, r.id, YEAR, values, "Contoh")
        filled.append((r.id, bd.male is not None))
    # Show a row of the sub kegiatan with the most filled rows, so the capaian colours of
    # its neighbours are in the picture; prefer one broken down by sex, as most should be.
    by_id = {r.id: r for r in rows}

    def group(rid: int) -> tuple[int | None, ...]:
        p = by_id[rid].path_nodes
        return (p.get("kegiatan"), p.get("sub_kegiatan"))

    sizes: dict[tuple[int | None, ...], int] = {}
    for rid, _split in filled:
        sizes[group(rid)] = sizes.get(group(rid), 0) + 1
    if not filled:
        return rows[0].id
    best = max(filled, key=lambda f: (sizes[group(f[0])], f[1]))[0]
    # One proposed change beside it, to show how the tree and the form mark it.
    filled_ids = {rid for rid, _split in filled}
    sibling = next(
        (
            r.id
            for r in rows
            if group(r.id) == group(best) and r.id not in filled_ids and r.aktivitas
        ),
        None,
    )
    if sibling is not None:
        entry.propose_target(
            db, sibling, YEAR, "Usulan: 45 orang", Breakdown(Decimal(45)), "Contoh"
        )
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=Path("docs/img"))
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    app.setStyle("Fusion")
    with tempfile.TemporaryDirectory(prefix="monev-screens-") as tmp:
        folder = Path(tmp)
        db = _database(folder)
        try:
            opd_code = _busiest_opd(db)
            row_id = _fill(db, opd_code)
            profile = Profile(ROLE_FOCAL, "Siti Aminah", "198001012005011001", opd_code, YEAR)
            settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
            window = MainWindow(db, profile, settings=settings)
            window.resize(*SIZE)
            window.show()
            window.select_row(row_id)
            app.processEvents()
            window.browser.tree.setFocus(Qt.FocusReason.OtherFocusReason)
            app.processEvents()
            target = args.out / "main-window.png"
            window.grab().save(str(target))
            print(target)

            opds, years = opd_choices(db)
            dialog = ProfileDialog(opds, years, None, first_run=True)
            dialog.name.setText("Siti Aminah")
            dialog.nip.setText("19800101200501100")  # one digit short: shows the message
            dialog.opd.setCurrentIndex(max(0, dialog.opd.findData(opd_code)))
            dialog.show()
            dialog.accept()
            dialog.adjustSize()
            app.processEvents()
            target = args.out / "first-run.png"
            dialog.grab().save(str(target))
            print(target)
            dialog.close()
            window.close()
        finally:
            db.dispose()


if __name__ == "__main__":
    main()
