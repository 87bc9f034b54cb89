"""The plan import wizard (issue #12 item 1, the window half): a workbook with an
unreadable row and a misspelled OPD goes through the four steps into a new plan."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models.db import Database
from app.models.schema import Opd, Plan, PlanRow
from app.services.database import open_seeded
from app.ui.main_window import MainWindow
from app.ui.plan_wizard import PlanWizard

MISSPELLED = "Dinas Sosial Pemberdayaan Perempuan"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    d = open_seeded(tmp_path / "pokja.sqlite")
    yield d
    d.dispose()


def _workbook(path: Path, good_opd: str) -> Path:
    """Two target years, one row without OPD (left out, sheet row 3), one misspelled OPD."""
    wb = Workbook()
    ws = wb.active
    ws.append(["MATRIKS RENCANA AKSI"])
    ws.append(
        [
            "PROGRAM",
            "KEGIATAN",
            "SUB KEGIATAN",
            "AKTIVITAS",
            "INDIKATOR",
            "SATUAN",
            "2025",
            "2026",
            "PERANGKAT DAERAH",
            "CATATAN",
        ]
    )
    ws.append(["P", "K", "S", "A0", "I0", "orang", "1", "2", None, "x"])
    ws.append(["P", "K", "S", "A1", "I1", "orang", "3", "4", good_opd, "catatan satu"])
    ws.append(["P", "K", "S", "A2", "I2", "kasus", "5", "6", MISSPELLED, "catatan dua"])
    wb.save(path)
    return path


def _dinsos(db: Database) -> str:
    with db.begin() as s:
        return s.scalars(select(Opd.name).where(Opd.code == "DINSOS-PPPA")).one()


def _settled(qtbot: QtBot, wizard: PlanWizard) -> None:
    qtbot.waitUntil(lambda: wizard.task is None, timeout=20000)


def _choose(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def test_a_workbook_goes_through_the_four_steps_into_a_new_plan_and_the_alias_stays(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    path = _workbook(tmp_path / "rencana.xlsx", _dinsos(db))
    wizard = PlanWizard(db, folder=tmp_path)
    qtbot.addWidget(wizard)
    wizard.show()
    # Step 1: a typed path, read off the UI thread.
    wizard.file_page.path_edit.setText(str(path))
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    _settled(qtbot, wizard)
    assert wizard.step == 1
    # Step 2: the mapping found, with each column by letter and header text.
    combos = wizard.mapping_page.combos
    assert combos["opd"].currentData() == 9
    assert combos["opd"].currentText() == "I — PERANGKAT DAERAH"
    assert combos["keterangan"].currentData() == 0  # "(tidak ada)": CATATAN is not known
    assert "periode 2025–2026" in wizard.preview_page.summary.text()
    # Changing a column re-reads the workbook: without 2026 the period ends in 2025 …
    _choose(combos["2026"], 0)
    _settled(qtbot, wizard)
    assert wizard.preview is not None and wizard.preview.period == (2025, 2025)
    assert "periode 2025–2025" in wizard.preview_page.summary.text()
    # … and CATATAN can be taken as KETERANGAN.
    _choose(wizard.mapping_page.combos["keterangan"], 10)
    _settled(qtbot, wizard)
    assert [r["keterangan"] for r in wizard.preview.workbook.data["rows"]] == [
        "catatan satu",
        "catatan dua",
    ]
    _choose(wizard.mapping_page.combos["2026"], 8)
    _settled(qtbot, wizard)
    assert wizard.preview.period == (2025, 2026)
    # Step 3: the left-out row by its sheet row and reason; the OPDs matched or not.
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.step == 2
    problems = wizard.preview_page.problems
    assert problems.rowCount() == 1
    assert problems.item(0, 0).text() == "3"
    assert "tanpa Perangkat Daerah" in problems.item(0, 2).text()
    opds = wizard.preview_page.opds
    assert opds.rowCount() == 2
    shown = {opds.item(i, 0).text(): opds.item(i, 2) for i in range(2)}
    assert shown[_dinsos(db)].text() == f"✓ {_dinsos(db)}"
    assert shown[MISSPELLED] is None  # a combo box stands there instead
    choice = wizard.preview_page.opd_combos[MISSPELLED]
    # Only 0.7 alike the catalogue's name: suggested first, but Pokja must choose.
    assert choice.currentData() == "__undecided__"
    assert choice.itemData(1) == "DINSOS-PPPA"
    assert choice.findData("__new__") >= 0
    assert not wizard.next_button.isEnabled()
    assert "Tentukan 1 nama OPD" in wizard.preview_page.waiting.text()
    choice.setCurrentIndex(1)
    assert wizard.next_button.isEnabled() and not wizard.preview_page.waiting.text()
    # Step 4: an existing code is refused live; a new one imports.
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    page = wizard.finish_page
    assert page.title.text().endswith("2025–2026") and page.region.text()
    page.code.setText("RADPUG-LMJ-2022-2024")
    assert not wizard.import_button.isEnabled()
    assert "sudah ada" in page.code_message.text()
    page.code.setText("BARU-2025")
    assert wizard.import_button.isEnabled()
    qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    _settled(qtbot, wizard)
    assert wizard.outcome is not None, page.result.text()
    assert "Rencana BARU-2025 diimpor: 2 baris, periode 2025–2026" in page.result.text()
    assert page.show_button.isVisible()
    with db.begin() as s:
        plan = s.scalars(select(Plan).where(Plan.code == "BARU-2025")).one()
        rows = s.scalars(select(PlanRow).where(PlanRow.plan_id == plan.id)).all()
        assert sorted((r.aktivitas, r.opd.code, r.keterangan) for r in rows) == [
            ("A1", "DINSOS-PPPA", "catatan satu"),
            ("A2", "DINSOS-PPPA", "catatan dua"),
        ]
        dinsos = s.scalars(select(Opd).where(Opd.code == "DINSOS-PPPA")).one()
        assert MISSPELLED in {a.variant for a in dinsos.aliases}
    # The next wizard over the same file matches the spelling by itself.
    again = PlanWizard(db, folder=tmp_path)
    qtbot.addWidget(again)
    again.read(path)
    _settled(qtbot, again)
    assert again.preview is not None and again.preview.unknown == []
    assert again.preview_page.opd_combos == {}


def test_an_unreadable_file_is_refused_on_the_page_and_the_wizard_stays_usable(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    junk = tmp_path / "rusak.xlsx"
    junk.write_bytes(os.urandom(4096))
    wizard = PlanWizard(db, folder=tmp_path)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(junk))
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    _settled(qtbot, wizard)
    assert wizard.step == 0
    refusal = wizard.file_page.message.text()
    assert refusal and "Traceback" not in refusal
    assert wizard.next_button.isEnabled() and wizard.close_button.isEnabled()
    good = _workbook(tmp_path / "baik.xlsx", _dinsos(db))
    wizard.file_page.path_edit.setText(str(good))
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    _settled(qtbot, wizard)
    assert wizard.step == 1 and wizard.file_page.message.text() == ""


def test_the_pokja_menu_opens_the_wizard_and_the_new_plan_can_be_shown(
    qtbot: QtBot, db: Database, tmp_path: Path, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window(db)
    assert window.plan_import_action.isEnabled() and window.plan_export_action.isEnabled()
    wizard = window.open_plan_wizard()
    assert wizard is not None
    path = _workbook(tmp_path / "rencana.xlsx", _dinsos(db))
    wizard.read(path)
    _settled(qtbot, wizard)
    wizard.go(3)
    wizard.finish_page.code.setText("BARU-2025")
    # Impor with a name still undecided goes back to the OPD tab instead of importing.
    qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    assert wizard.step == 2 and wizard.task is None
    combo = wizard.preview_page.opd_combos[MISSPELLED]
    combo.setCurrentIndex(combo.findData("DINSOS-PPPA"))
    wizard.go(3)
    qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    _settled(qtbot, wizard)
    box = window.browser.plan_box
    assert "BARU-2025" in [box.itemData(i) for i in range(box.count())]
    qtbot.mouseClick(wizard.finish_page.show_button, Qt.MouseButton.LeftButton)
    assert window.browser.plan_code == "BARU-2025"
    # Export writes the plan shown back to a workbook the wizard reads.
    out = tmp_path / "keluar.xlsx"
    assert window.export_plan_workbook(out) == 2
    assert out.is_file()
