"""The plan's search index, built after the tree has painted rather than before.

Reading 100,000 rows and building their haystacks costs seconds of pure Python; the
window does not need them to show the plan, only to answer the first keystroke. So the index
is built on the first idle moment after the tree's first paint, or at once if a search
comes earlier (a keystroke then waits for it, as it would have at start).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from app.domain.search import RowSearch
from app.services.catalog import RowSummary


class LazySearch(QObject):
    """A :class:`RowSearch` of the rows ``rows`` gives, made when first needed or after
    ``view`` painted (``rows`` is called then: the browser reads every row only then)."""

    def __init__(self, rows: Callable[[], Sequence[RowSummary]], view: QWidget) -> None:
        # No parent: the browser's reference is its only owner, so the index of a plan
        # no longer shown goes with it (and its event filter with it).
        super().__init__()
        self._rows: Callable[[], Sequence[RowSummary]] | None = rows
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
            assert self._rows is not None
            self._search = RowSearch(self._rows())
            self._rows = None  # the index holds what it needs
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
