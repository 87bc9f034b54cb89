"""One window, two plans: a Bagian of the Sekretariat reports its Renstra rows too."""

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from app.services import entry
from app.services.database import open_seeded
from app.services.links import candidates
from app.services.profile import ROLE_FOCAL, Profile
from app.ui.export_dialog import ExportDialog
from app.ui.link_dialog import LinkDialog
from app.ui.main_window import MainWindow

PBJ = Profile(ROLE_FOCAL, "Rahmat Hidayat", "198203142006041003", "SETDA-BAG-PBJ", 2023)
RENSTRA = "RENSTRA-SETDA-LMJ-2024-2026"


def test_switching_to_the_renstra_shows_its_rows_years_and_lower_is_better(
    qtbot: QtBot,
    tmp_path: Path,
    make_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = open_seeded(tmp_path / "both.sqlite")
    window = make_window(db, PBJ)
    radpug_rows = len(window.browser.rows)
    window.set_plan(RENSTRA)
    # The profile's 2023 is outside 2024–2026: the current year, clamped, is shown.
    assert window.browser.years == [2024, 2025, 2026] and window.year in window.browser.years
    year = window.year
    assert window.browser.rows and len(window.browser.rows) != radpug_rows
    assert {r.opd_code for r in window.browser.rows} == {"SETDA-BAG-PBJ"}
    inflation = next(r for r in window.browser.rows if "Inflasi" in r.indikator)
    assert window.select_row(inflation.id)
    assert window.form is not None
    total = window.findChild(QLineEdit, "real-total")
    assert total is not None
    total.setFocus()
    qtbot.keyClicks(total, "4,2")
    qtbot.keyClick(total, Qt.Key.Key_Return)
    with db.begin() as s:
        saved = entry.get_realisation(s, inflation.id, year)
    assert saved is not None and str(saved.breakdown.total.normalize()) == "4.2"
    # Target 5,51 % (every year): an inflation of 4,2 % is better than planned (lower is better).
    assert window.browser.model.figures(inflation.id).achievement > 100
    # Export offers the Renstra tables for the plan shown (the dialog, cancelled here).
    seen: list[bool] = []
    monkeypatch.setattr(ExportDialog, "exec", lambda self: seen.append(self.renstra) or 0)
    assert window.export_report() is None and seen == [True]
    window.close()
    db.dispose()


def test_a_link_lets_one_entry_serve_both_plans(
    qtbot: QtBot,
    tmp_path: Path,
    make_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = open_seeded(tmp_path / "both.sqlite")
    window = make_window(db, PBJ)
    window.set_year(2024)
    radpug_row = window.browser.rows[0]
    assert window.select_row(radpug_row.id)
    form = window.form
    assert form is not None
    with db.begin() as s:
        options = candidates(s, radpug_row.id)
    assert options and all(o.plan_code == RENSTRA for o in options)
    target = options[0]
    # The chooser, answered as a user would: pick the first (most similar) candidate.
    monkeypatch.setattr(
        LinkDialog,
        "exec",
        lambda self: (self.list.setCurrentRow(0), self._accept(), self.result())[-1],
    )
    form.choose_link()
    assert target.title in form.links_box.label.text()
    total = window.findChild(QLineEdit, "real-total")
    assert total is not None
    total.setFocus()
    qtbot.keyClicks(total, "12")
    qtbot.keyClick(total, Qt.Key.Key_Return)
    window.set_plan(RENSTRA)
    window.set_year(2024)
    assert window.browser.model.figures(target.row_id).realised == 12
    assert window.select_row(target.row_id)
    shown = radpug_row.aktivitas or radpug_row.indikator
    assert shown in window.form.links_box.label.text()  # type: ignore[union-attr]
    window.close()
    db.dispose()


def test_renstra_table_exported_from_the_window(
    qtbot: QtBot, tmp_path: Path, make_window: Callable[..., MainWindow]
) -> None:
    from app.services.signatory import Signatory
    from app.ui.export_dialog import ExportChoice, ExportDialog

    db = open_seeded(tmp_path / "both.sqlite")
    window = make_window(db, PBJ)
    window.set_plan(RENSTRA)
    dialog = ExportDialog(
        db,
        window.browser.years,
        window.year,
        opd_code="SETDA-BAG-PBJ",
        is_pokja=False,
        folder=tmp_path,
        plan_code=RENSTRA,
    )
    qtbot.addWidget(dialog)
    dialog.table.setCurrentIndex(dialog.table.findData("tc24"))
    choice = dialog.choice()
    assert choice.table == "tc24" and choice.plan_code == RENSTRA
    assert choice.pdf is not None and choice.pdf.name.startswith("Renstra-TC24-SETDA-BAG-PBJ")
    choice = ExportChoice(
        **{
            **choice.__dict__,
            "open_after": False,
            "signatory": Signatory("Ir. Hadi", "", "Kepala Bagian PBJ"),
        }
    )
    exporter = window.start_export(choice)
    with qtbot.waitSignal(exporter.done, timeout=60_000) as blocker:
        pass
    result = blocker.args[0]
    assert result.table == "tc24" and result.pdf.read_bytes().startswith(b"%PDF")
    window.close()
    db.dispose()
