"""Work that waits until a widget has first painted (and the paint pass has ended).

The window of a 100,000-row plan should be on screen before anything it does not need
for its first frame is counted; such work is queued here and run on the first idle
moment after that paint, or at once once the widget has painted.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class AfterPaint(QObject):
    """Runs callbacks after ``view``'s first paint; :attr:`painted` says if it came."""

    def __init__(self, view: QWidget) -> None:
        super().__init__(view)
        self._view = view
        self._due: list[Callable[[], None]] = []
        self.painted = False
        view.installEventFilter(self)

    def call(self, work: Callable[[], None]) -> None:
        """``work()`` now when the view has painted, else after its first paint."""
        if self.painted:
            work()
        else:
            self._due.append(work)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view and event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            self._view.removeEventFilter(self)
            # Zero timers run in the order started: after the rest of this paint pass.
            QTimer.singleShot(0, self._run)
        return False

    def _run(self) -> None:
        due, self._due = self._due, []
        for work in due:
            work()
