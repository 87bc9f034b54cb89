"""The plan tree at the commonest laptop width: names first, figures narrow."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QApplication

from app.models.db import Database
from app.ui.main_window import MainWindow
from app.ui.plan_model import COL_ACH, COL_REAL, COL_TARGET, COL_TITLE, COL_UNIT
from tests.ui.conftest import FOCAL

Make = Callable[..., MainWindow]


def test_uraian_takes_the_room_at_1366_pixels(syn_db: Database, make_window: Make) -> None:
    window = make_window(syn_db, FOCAL)
    window.resize(1366, 768)
    QApplication.processEvents()
    header = window.browser.tree.header()
    title = header.sectionSize(COL_TITLE)
    figures = [header.sectionSize(c) for c in (COL_UNIT, COL_TARGET, COL_REAL, COL_ACH)]
    assert title >= 400, (title, figures)
    assert max(figures) <= 120 and title > sum(figures), (title, figures)
    # The figure columns still show their headers whole ("Realisasi 2023", "Capaian %").
    metrics = window.browser.tree.fontMetrics()
    model = window.browser.model
    assert model is not None
    for col in (COL_REAL, COL_ACH):
        text = str(model.headerData(col, header.orientation()))
        assert metrics.horizontalAdvance(text) + 12 <= header.sectionSize(col), text
