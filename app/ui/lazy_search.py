"""The plan's search index, built after the tree has painted rather than before.

Building the haystacks of 100,000 rows costs over a second of pure Python; the window
does not need them to show the plan, only to answer the first keystroke. So the index
is built on the first idle moment after the tree's first paint, or at once if a search
comes earlier (a keystroke then waits for it, as it would have at start).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from app.domain.search import RowSearch
from app.services.catalog import RowSummary


class LazySearch(QObject):
    """A :class:`RowSearch` of ``rows``, made when first needed or after ``view`` painted."""

    def __init__(self, rows: Sequence[RowSummary], view: QWidget) -> None:
        # No parent: the browser's reference is its only owner, so the index of a plan
        # no longer shown goes with it (and its event filter with it).
        super().__init__()
        self._rows = rows
        self._search: RowSearch | None = None
        self._view = view
        view.installEventFilter(self)

    @property
    def built(self) -> bool:
        return self._search is not None

    @property
    def index(self) -> RowSearch:
        if self._search is None:
            self._view.removeEventFilter(self)
            self._search = RowSearch(self._rows)
            self._rows = ()  # the index holds what it needs
        return self._search

    def match(self, query: str) -> list[int]:
        return self.index.match(query)

    def update(self, row: RowSummary) -> None:
        self.index.update(row)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view and event.type() == QEvent.Type.Paint:
            self._view.removeEventFilter(self)
            # After this paint pass: the first frame is on screen before the build.
            QTimer.singleShot(0, self._warm)
        return False

    def _warm(self) -> None:
        if self._search is None:
            self.index  # noqa: B018 (built for its side effect)
