"""Screenshots of the ARG checklist dialog and recap for docs/ (offscreen).

    python -m tools.arg_screenshots [--out docs/img]

Uses a temporary database seeded with the official matrix and a reproducible set of
answers, so the pictures in the documentation are what the app really shows.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from app.domain.arg import Answer
from app.formats.arg_questions import current_question_set, load_question_sets
from app.services import catalog
from app.services.arg_store import assessable_nodes, save_answer
from app.services.database import open_seeded
from app.ui.arg_dialog import ArgDialog
from app.ui.arg_recap import ArgRecapView


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=Path("docs/img"))
    out = ap.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    tmp = Path(tempfile.mkdtemp(prefix="monev-shots-"))
    db = open_seeded(tmp / "shots.sqlite")
    qset = current_question_set()
    rng = random.Random(3)
    with db.begin() as s:
        plan = catalog.get_plan(s)
        nodes = assessable_nodes(s, plan.id)
    for node in rng.sample(nodes, 14):
        ya = rng.randint(0, 20)
        n = 20 if rng.random() < 0.8 else rng.randint(3, 19)
        for i, q in enumerate(qset.questions[:n]):
            save_answer(
                db,
                node.id,
                2023,
                qset,
                q.id,
                Answer.YA if i < ya else Answer.TIDAK,
                "",
                "Siti Aminah",
            )
    node = next(n for n in nodes if n.opd_code == "DINKES-PPKB" and n.level == "sub_kegiatan")
    for i, q in enumerate(qset.questions[:10]):
        save_answer(
            db, node.id, 2023, qset, q.id, Answer.YA if i % 3 else Answer.TIDAK, "", "Siti Aminah"
        )
    save_answer(
        db, node.id, 2023, qset, "PR5", Answer.TIDAK_DAPAT, "Dokumen RKA belum final", "Siti Aminah"
    )
    dlg = ArgDialog(db, node, 2023, load_question_sets(), qset, "Siti Aminah")
    dlg.show()
    app.processEvents()
    dlg.rows["PR3"].setFocus()
    app.processEvents()
    dlg.grab().save(str(out / "arg-dialog.png"))
    view = ArgRecapView(db, plan.id, plan.years, 2023, load_question_sets())
    view.resize(1300, 700)
    view.show()
    app.processEvents()
    view.grab().save(str(out / "arg-recap.png"))
    dlg.close()
    view.close()
    db.dispose()
    print(f"wrote {out / 'arg-dialog.png'} and {out / 'arg-recap.png'}")


if __name__ == "__main__":
    main()
