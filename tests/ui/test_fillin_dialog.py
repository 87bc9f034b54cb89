"""Pokja exports fill-in workbooks from the window: one OPD or all, off the UI thread."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from app.formats.fillin import read_workbook
from app.services import importer
from app.ui.fillin_dialog import FillinExportDialog
from app.ui.main_window import MainWindow
from tests.formats.test_fillin import fill
from tests.services.submission_helpers import OPD, YEAR, Pair, make_pair
from tests.ui.conftest import POKJA


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


def test_all_opds_get_a_workbook_and_one_comes_back_unsigned(
    qtbot: QtBot, make_window: Callable[..., MainWindow], pair: Pair, tmp_path: Path
) -> None:
    window = make_window(pair.pokja, POKJA)
    dialog = window.open_fillin_export()
    assert dialog is not None
    out = tmp_path / "isian"
    out.mkdir()
    dialog.folder.setText(str(out))
    assert dialog.opd_box.currentData() == ""  # all OPDs by default
    dialog.year_box.setCurrentIndex(dialog.year_box.findData(YEAR))
    with qtbot.waitSignal(dialog.exported, timeout=30_000) as blocker:
        dialog.export_button.click()
    written = blocker.args[0]
    assert [p.name for p in written] == [
        f"Isian-SYN-2022-2024-OPD-00{i}-{YEAR}.xlsx" for i in (1, 2, 3)
    ]
    assert sorted(out.iterdir()) == sorted(written)  # no temporary file left behind
    assert "3 buku kerja isian ditulis" in dialog.error.text()
    book = read_workbook(written[0])
    assert (book.opd_code, book.year) == (OPD, YEAR)
    filled = fill(written[0], tmp_path / "kembali.xlsx", {"J5": 7})
    assert importer.import_file(pair.pokja, filled).outcome == importer.ACCEPTED


def test_a_missing_folder_is_refused_and_nothing_written(
    qtbot: QtBot, pair: Pair, tmp_path: Path, settings: QSettings
) -> None:
    dialog = FillinExportDialog(pair.pokja, None, YEAR, settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.opd_box.setCurrentIndex(dialog.opd_box.findData(OPD))
    assert dialog.opd_codes() == [OPD]
    dialog.folder.setText(str(tmp_path / "tidak-ada"))
    assert dialog.start() is None
    assert dialog.error.isVisible() and "tidak ada" in dialog.error.text()
    assert dialog.folder.text() == str(tmp_path / "tidak-ada")  # the typed text is kept
    assert not (tmp_path / "tidak-ada").exists()


def test_the_folder_starts_in_documents_like_the_export_dialog(
    qtbot: QtBot, pair: Pair, tmp_path: Path, settings: QSettings
) -> None:
    from PySide6.QtCore import QStandardPaths

    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    dialog = FillinExportDialog(pair.pokja, None, YEAR, settings=settings)
    qtbot.addWidget(dialog)
    assert documents and dialog.folder.text() == documents
    assert dialog.folder.text() != str(Path.home())
    # A folder chosen once is where the next export starts.
    settings.setValue("fillin/folder", str(tmp_path))
    again = FillinExportDialog(pair.pokja, None, YEAR, settings=settings)
    qtbot.addWidget(again)
    assert again.folder.text() == str(tmp_path)
