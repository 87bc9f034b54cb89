"""The window's ways to PPRG review: an OPD drops Pokja's review file; the board's undo."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot
from sqlalchemy import select

import app.ui.board_pprg as board_pprg
from app.domain.pprg import Kind, ReviewStatus
from app.formats import keys
from app.models.schema import Opd, PlanRow
from app.services import entry, importer
from app.services.pprg_review import export_review_file, review_received
from app.services.trust import pin_pokja_key
from app.ui.main_window import MainWindow
from app.ui.pprg_review_dialog import PprgReviewDialog
from tests.services.pprg_helpers import write_documents
from tests.services.submission_helpers import OPD, PASSPHRASE, YEAR, Pair, make_pair, submit
from tests.ui.conftest import FOCAL, POKJA
from tests.ui.test_import_dialog import _drag_drop


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    nodes = write_documents(p.focal, 1)
    assert importer.import_file(p.pokja, submit(p, tmp_path / "k.xlsx"), accept_new_key=True).ok
    review_received(p.pokja, Kind.GBS, nodes[0], YEAR, ReviewStatus.DITERIMA, "", reviewer="S")
    yield p
    p.dispose()


def test_the_opd_drops_the_review_file_on_its_window(
    qtbot: QtBot, make_window: Callable[..., MainWindow], pair: Pair, tmp_path: Path
) -> None:
    key = keys.generate_key(PASSPHRASE, tmp_path / "kunci-pokja")
    out = tmp_path / "telaah.monevtelaah"
    export_review_file(pair.pokja, OPD, YEAR, key, out)
    with pair.focal.begin() as s:
        pin_pokja_key(s, key.public)
    focal = type(FOCAL)(FOCAL.role, FOCAL.name, FOCAL.nip, OPD, YEAR)
    window = make_window(pair.focal, focal)
    assert _drag_drop(window, [QUrl.fromLocalFile(str(out))]) == (True, True)
    dialogs = window.findChildren(PprgReviewDialog)
    assert len(dialogs) == 1 and not dialogs[0].received
    qtbot.addWidget(dialogs[0])
    assert "diterima: 1 dokumen" in dialogs[0].message.text()
    statuses = [dialogs[0].table.item(r, 4).text() for r in range(dialogs[0].table.rowCount())]
    assert statuses == ["belum ditelaah", "diterima"]
    # The status bar says it too, what needs work first.
    assert window.completeness.text().endswith("PPRG: GAP belum ditelaah 1 · GBS diterima 1")


def test_board_realisation_is_undone_from_the_window(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    pair: Pair,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pair.pokja.begin() as s:
        row = s.scalars(select(PlanRow).join(Opd).where(Opd.code == "OPD-003")).first()
        assert row is not None
        row.indikator = "Reviu dokumen PPRG (GAP, GBS, KAK)"
        row_id = row.id
    monkeypatch.setattr(board_pprg, "choose_row", lambda parent, c: c[0])
    monkeypatch.setattr(board_pprg, "ask", lambda *a, **k: 0)
    window = make_window(pair.pokja, POKJA)
    board = window.open_board()
    assert board is not None
    board.year_box.setCurrentIndex(board.year_box.findData(YEAR))
    assert board.fill_inspektorat()
    with pair.pokja.begin() as s:
        got = entry.get_realisation(s, row_id, YEAR)
    assert got is not None and got.breakdown.total == 1
    assert window.undo_stack.canUndo()
    window.undo_stack.undo()
    with pair.pokja.begin() as s:
        assert entry.get_realisation(s, row_id, YEAR) is None
