"""The window's ARG and export actions: from the tree to the checklist, and reports."""

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.domain.arg import Answer
from app.formats.arg_questions import current_question_set
from app.models.db import Database
from app.services import arg_store, catalog
from app.services.signatory import Signatory
from app.ui.arg_dialog import ArgDialog
from app.ui.export_dialog import ExportChoice, ExportDialog
from app.ui.main_window import MainWindow
from tests.ui.conftest import FOCAL, POKJA

Make = Callable[..., MainWindow]


def _group_index(window: MainWindow, level: str) -> QModelIndex:
    model = window.browser.model
    stack = [QModelIndex()]
    while stack:
        parent = stack.pop()
        for r in range(model.rowCount(parent)):
            idx = model.index(r, 0, parent)
            ref = model.node_ref(idx)
            if ref and ref[0] == level:
                return idx
            stack.append(idx)
    raise AssertionError(f"no {level} group")


def test_checklist_opens_for_the_selected_sub_kegiatan_and_for_a_row(
    qtbot: QtBot, syn_db: Database, make_window: Make
) -> None:
    window = make_window(syn_db, POKJA)
    window.browser.tree.expandAll()
    group = _group_index(window, "sub_kegiatan")
    window.browser.tree.setCurrentIndex(group)
    dialog = window.open_arg(window.browser.arg_target())  # type: ignore[arg-type]
    assert isinstance(dialog, ArgDialog)
    qtbot.addWidget(dialog)
    assert dialog.node.level == "sub_kegiatan"
    assert dialog.node.name == group.data()
    # From an indicator row, the checklist is its sub kegiatan's.
    row_id = window.current_row_id or window.browser.model.row_id(
        window.browser.model.first_row_index()
    )
    assert row_id is not None
    window.select_row(row_id)
    node_id = window.browser.arg_target()
    assert node_id == window.browser.model.row(row_id).path_nodes["sub_kegiatan"]


def test_focal_point_checklist_saves_against_their_own_opd(
    qtbot: QtBot, syn_db: Database, make_window: Make
) -> None:
    window = make_window(syn_db, FOCAL)
    window.browser.tree.expandAll()
    group = _group_index(window, "kegiatan")
    window.browser.tree.setCurrentIndex(group)
    dialog = window.open_arg(window.browser.arg_target())  # type: ignore[arg-type]
    assert dialog is not None
    qtbot.addWidget(dialog)
    row = dialog.rows["PR1"]
    row.setFocus()
    qtbot.keyClick(row, "y")
    with syn_db.begin() as s:
        answers = arg_store.load_answers(
            s, dialog.node.id, window.year, current_question_set().version
        )
        assert arg_store.node_info(s, dialog.node.id).opd_code == "OPD-002"
    assert answers["PR1"].answer is Answer.YA
    recap = window.open_arg_recap()
    qtbot.addWidget(recap)
    assert [r.node.id for r in recap.model.rows] == [dialog.node.id]


def _choice(tmp_path: Path, opd: str | None, **kw: object) -> ExportChoice:
    base = {
        "opd_code": opd,
        "year": 2023,
        "paper": "a4",
        "pdf": tmp_path / "lap.pdf",
        "xlsx": tmp_path / "lap.xlsx",
        "signatory": Signatory("Dr. Rina", "197001011990032005", "Kepala Dinas Uji", "Lumajang"),
        "open_after": False,
    }
    base.update(kw)
    return ExportChoice(**base)  # type: ignore[arg-type]


def test_export_runs_off_the_ui_thread_and_reports_the_files(
    qtbot: QtBot, syn_db: Database, make_window: Make, tmp_path: Path
) -> None:
    window = make_window(syn_db, FOCAL)
    exporter = window.start_export(_choice(tmp_path, "OPD-002"))
    task = exporter.task
    assert task is not None
    progress: list[tuple[int, int]] = []
    task.progressed.connect(lambda d, t: progress.append((d, t)))
    with qtbot.waitSignal(exporter.done, timeout=60_000) as blocker:
        pass
    result = blocker.args[0]
    assert result.pdf.read_bytes().startswith(b"%PDF")
    assert (tmp_path / "lap.xlsx").stat().st_size > 0
    assert progress and progress[-1][0] == progress[-1][1]
    # The result stays on screen in its own dialog instead of a status line that fades.
    assert exporter.result_dialog is not None and exporter.result_dialog.isVisible()
    assert exporter.result_dialog.folder == tmp_path


def test_cancelled_export_leaves_no_file(
    qtbot: QtBot, syn_db: Database, make_window: Make, tmp_path: Path
) -> None:
    window = make_window(syn_db, POKJA)
    exporter = window.start_export(_choice(tmp_path, None))
    assert exporter.task is not None
    exporter.task.cancel()
    with qtbot.waitSignal(exporter.cancelled, timeout=60_000) as blocker:
        pass
    assert "dibatalkan" in blocker.args[0]
    assert "dibatalkan" in window.statusBar().currentMessage()
    assert list(tmp_path.glob("lap*")) == [] and list(tmp_path.glob(".lap*")) == []


def test_export_into_an_unwritable_place_is_explained(
    qtbot: QtBot,
    syn_db: Database,
    make_window: Make,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    window = make_window(syn_db, FOCAL)
    # A folder where the report file should be: the move into place fails like a file
    # held open by another program does on Windows.
    (tmp_path / "lap.pdf").mkdir()
    exporter = window.start_export(_choice(tmp_path, "OPD-002", xlsx=None))
    with qtbot.waitSignal(exporter.error, timeout=60_000):
        pass
    assert shown and "Data Anda tetap aman" in shown[0]
    assert (tmp_path / "lap.pdf").is_dir()


def test_export_dialog_keeps_typed_values_on_a_bad_nip(
    qtbot: QtBot, syn_db: Database, tmp_path: Path
) -> None:
    with syn_db.begin() as s:
        plan = catalog.get_plan(s)
    dialog = ExportDialog(
        syn_db, plan.years, 2023, opd_code="OPD-002", is_pokja=False, folder=tmp_path
    )
    qtbot.addWidget(dialog)
    dialog.signer_name.setText("Dr. Rina")
    dialog.signer_nip.setText("12345")
    dialog._accept()
    assert "18 digit" in dialog.message.text()
    assert dialog.signer_nip.text() == "12345" and dialog.result() == 0
    dialog.signer_nip.setText("197001011990032005")
    dialog._accept()
    assert dialog.result() == ExportDialog.DialogCode.Accepted
    with syn_db.begin() as s:
        from app.services.signatory import load_signatory

        stored = load_signatory(s, "OPD-002")
    assert stored is not None and stored.name == "Dr. Rina"
