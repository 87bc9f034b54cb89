"""A Pokja correction made in the window shows in the tree and on the board (issue 11,
item 6). Set MONEV_SCREENSHOTS=DIR to also save the docs' screenshots there."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services import catalog, entry, importer
from app.ui.completeness_board import CompletenessBoard
from app.ui.main_window import MainWindow
from app.ui.plan_model import COL_REAL
from tests.services.submission_helpers import OPD, YEAR, Pair, make_pair, submit

Make = Callable[..., MainWindow]


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    path = submit(p, tmp_path / "kiriman-r1.xlsx")
    assert importer.import_file(p.pokja, path, accept_new_key=True).ok
    yield p
    p.dispose()


def _shot(widget: object, name: str) -> None:
    folder = os.environ.get("MONEV_SCREENSHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / name))  # type: ignore[attr-defined]


def _row_with_budget(pair: Pair) -> int:
    with pair.pokja.begin() as s:
        plan = catalog.get_plan(s)
        for r in catalog.load_rows(s, plan.id, catalog.find_opd(s, OPD).id):
            v = entry.get_realisation(s, r.id, YEAR)
            if v is not None and v.budget is not None and v.breakdown.female is not None:
                return r.id
    raise AssertionError("no filled row")


def test_correction_in_the_form_marks_the_tree_and_the_board(
    qtbot: QtBot, pair: Pair, make_window: Make
) -> None:
    window = make_window(pair.pokja)
    window.resize(1366, 768)
    rid = _row_with_budget(pair)
    assert window.select_row(rid)
    index = window.browser.model.index_of_row(rid).siblingAtColumn(COL_REAL)
    assert not str(window.browser.model.data(index)).startswith("✱")
    form = window.form
    assert form.signed_read_only and not form.real_box.edits["female"].isEnabled()

    form.begin_correction("salah ketik, dikonfirmasi Dinas lewat telepon")
    female = form.real_box.edits["female"]
    total = form.real_box.edits["total"]
    new_female = int(female.text().replace(".", "")) + 8
    if total.text():
        total.setText(str(int(total.text().replace(".", "")) + 8))
    female.setText(str(new_female))
    assert form.commit(), form.error_text()
    qtbot.wait(10)
    assert female.property("corrected") is True

    index = window.browser.model.index_of_row(rid).siblingAtColumn(COL_REAL)
    assert str(window.browser.model.data(index)).startswith("✱ ")
    tip = window.browser.model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "Dikoreksi Pokja: Perempuan " in tip and "salah ketik" in tip
    window.form_area.ensureWidgetVisible(form.correction_banner)
    _shot(window, "koreksi-pokja-formulir.png")

    with pair.pokja.begin() as s:
        code = catalog.get_plan(s).code
    board = CompletenessBoard(pair.pokja, code, YEAR)
    qtbot.addWidget(board)
    board.resize(1366, 520)
    board.show()
    texts = [
        board.proxy.index(r, c).data()
        for r in range(board.proxy.rowCount())
        for c in range(board.proxy.columnCount())
    ]
    corrected = [t for t in texts if isinstance(t, str) and "koreksi Pokja" in t]
    # Perempuan and the total (the sum of the parts) changed: two corrected values.
    assert len(corrected) == 1
    assert corrected[0].startswith("revisi 1 · ") and corrected[0].endswith(" + 2 koreksi Pokja")
    _shot(board, "koreksi-pokja-papan.png")
