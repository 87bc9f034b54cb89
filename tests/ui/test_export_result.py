"""After an export: the files, a button to their folder and the verification code."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.models.db import Database
from app.services import catalog
from app.services.export import ExportResult
from app.services.signatory import Signatory
from app.services.submission_export import SubmissionResult
from app.ui.export_dialog import ExportChoice, ExportDialog, ReportExporter
from app.ui.export_result import ExportResultDialog


def _submission(folder: Path) -> SubmissionResult:
    return SubmissionResult(
        opd_code="OPD-002",
        year=2023,
        submission_id="s-1",
        revision=2,
        content_hash="ab" * 32,
        code="K7QM-4XWA",
        key_id="k" * 16,
        rows=12,
        xlsx=folder / "Laporan.xlsx",
        pdf=folder / "Laporan.pdf",
    )


def test_the_code_is_shown_and_copied_and_the_folder_opened(qtbot: QtBot, tmp_path: Path) -> None:
    opened: list[QUrl] = []
    dialog = ExportResultDialog(_submission(tmp_path), opener=opened.append)
    qtbot.addWidget(dialog)
    assert dialog.code is not None and dialog.code.text() == "K7QM-4XWA"
    assert dialog.code.isReadOnly()
    texts = " ".join(label.text() for label in dialog.file_labels)
    assert "Laporan.pdf" in texts and "Laporan.xlsx" in texts and "revisi 2" in texts

    QGuiApplication.clipboard().clear()
    assert dialog.copy_button is not None
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == "K7QM-4XWA"

    dialog.open_folder.click()
    assert [url.toLocalFile() for url in opened] == [str(tmp_path)]


def test_an_ordinary_report_has_no_code(qtbot: QtBot, tmp_path: Path) -> None:
    result = ExportResult("opd", "OPD-002", 2023, 12, tmp_path / "a.pdf", 3, None)
    dialog = ExportResultDialog(result, "Dr. Rina", opener=lambda url: None)
    qtbot.addWidget(dialog)
    assert dialog.code is None and dialog.copy_button is None
    assert len(dialog.file_labels) == 1
    assert "3 halaman" in dialog.file_labels[0].text()
    assert "Dr. Rina" in dialog.file_labels[0].text()


def test_open_after_is_off_and_never_opens_the_signed_workbook(
    qtbot: QtBot,
    syn_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with syn_db.begin() as s:
        years = catalog.get_plan(s).years
    dialog = ExportDialog(syn_db, years, 2023, opd_code="OPD-002", is_pokja=False, folder=tmp_path)
    qtbot.addWidget(dialog)
    assert not dialog.open_after.isChecked()

    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    parent = QWidget()
    qtbot.addWidget(parent)
    exporter = ReportExporter(syn_db, parent)
    result = _submission(tmp_path)
    choice = ExportChoice(
        "OPD-002",
        2023,
        "a4",
        result.pdf,
        result.xlsx,
        Signatory("Dr. Rina", "", "Kepala"),
        open_after=True,
        submission_key=object(),  # type: ignore[arg-type]
    )
    shown: list[object] = []
    exporter.done.connect(shown.append)
    exporter._succeeded(result, choice)
    assert opened == [str(result.pdf)] and shown == [result]
