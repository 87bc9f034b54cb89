"""The search index waits for the tree's first paint, and never makes a search wait."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.models.db import Database
from app.ui.main_window import MainWindow
from tests.ui.conftest import POKJA


def test_the_index_is_built_after_the_first_paint(
    syn_db: Database, qtbot: QtBot, settings: object
) -> None:
    window = MainWindow(syn_db, POKJA, settings=settings)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    index = window.browser.search_index
    assert not index.built  # the window is built without it
    window.show()
    qtbot.waitUntil(lambda: index.built, timeout=5000)


def test_a_search_before_the_paint_builds_the_index_at_once(
    syn_db: Database, qtbot: QtBot, settings: object
) -> None:
    window = MainWindow(syn_db, POKJA, settings=settings)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    browser = window.browser
    word = browser.rows[0].opd_code
    assert browser.search_index.match(word)  # not shown yet: built on demand
    assert browser.search_index.built
    assert all(browser.row_by_id[i].opd_code == word for i in browser.search_index.match(word))
