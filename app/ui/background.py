"""Long work off the UI thread, with progress and a cancel button.

``BackgroundTask`` runs a plain function in a ``QThread``; the function receives
``progress(done, total)`` and ``cancelled()`` callables, and its result or exception
comes back through signals, delivered on the UI thread (queued connections), so the
window never freezes and never touches widgets from the worker.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.domain.progress import Cancelled, Progress

Work = Callable[[Progress, Cancelled], Any]


def tr(text: str) -> str:
    return QCoreApplication.translate("Background", text)


class _Worker(QObject):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Work, cancel: threading.Event) -> None:
        super().__init__()
        self.work = work
        self.cancel = cancel

    @Slot()
    def run(self) -> None:
        try:
            result = self.work(self.progressed.emit, self.cancel.is_set)
        except Exception as exc:  # every failure goes back to the UI thread
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)


class BackgroundTask(QObject):
    """One run of ``work`` in its own thread; emits ``finished`` last, in every case."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dialog: QProgressDialog | None = None  # set by run_with_progress
        self._cancel = threading.Event()
        self._thread = QThread()
        self._worker = _Worker(work, self._cancel)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        queued = Qt.ConnectionType.QueuedConnection
        self._worker.progressed.connect(self.progressed, queued)
        self._worker.succeeded.connect(self._done_ok, queued)
        self._worker.failed.connect(self._done_error, queued)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _stop_thread(self) -> None:
        self._thread.quit()
        self._thread.wait()

    def _done_ok(self, result: object) -> None:
        self._stop_thread()
        self.succeeded.emit(result)
        self.finished.emit()

    def _done_error(self, exc: object) -> None:
        self._stop_thread()
        self.failed.emit(exc)
        self.finished.emit()


def run_with_progress(parent: QWidget, title: str, label: str, work: Work) -> BackgroundTask:
    """Start ``work`` with a window-modal progress dialog whose *Batal* cancels it.

    The caller connects to ``succeeded``/``failed`` of the returned task; the dialog
    closes itself when the task finishes.
    """
    dialog = QProgressDialog(label, tr("Batal"), 0, 100, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setValue(0)
    task = BackgroundTask(work, parent)

    def show_progress(done: int, total: int) -> None:
        if total > 0:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))

    def cancelled() -> None:
        dialog.setLabelText(tr("Membatalkan…"))
        task.cancel()

    task.progressed.connect(show_progress)
    dialog.canceled.connect(cancelled)
    task.finished.connect(dialog.close)
    task.finished.connect(dialog.deleteLater)
    task.finished.connect(task.deleteLater)
    dialog.show()
    task.start()
    task.dialog = dialog
    return task
