"""The full damage check and the session's backup, after the window has painted.

Both read the whole database file, so on a file of several hundred megabytes they
would hold the first paint for seconds. ``open_database(defer_check=True)`` runs only
the cheap part before the window; :func:`start_open_check` then runs SQLite's
``integrity_check`` and, only when it passed, the rotating ``buka`` backup in a thread.
Damage found there makes the window stop writing (SQLite refuses writes on every
connection, and the form and the writing menus are disabled) and offers the restore
flow the menu already has.
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from app.models.db import DatabaseDamaged, integrity_problem, list_backups, make_backup
from app.ui import messages

if TYPE_CHECKING:
    from pathlib import Path

    from app.ui.main_window import MainWindow

# How long the quiet "checked" note stays in the status bar.
NOTE_MS = 8000


def tr(text: str) -> str:
    return QCoreApplication.translate("OpenCheck", text)


def request_restore(window: QMainWindow, path: Path) -> None:
    """The restore flow (app.ui.restore_dialog, loaded only when damage was found: it
    brings the backup file format, with its signing keys, onto the start path)."""
    from app.ui.restore_dialog import request_restore as flow

    flow(window, path)


class OpenCheck(QObject):
    """Runs the deferred check for ``window`` and acts on its answer (on the UI thread).

    The work runs in a plain Python thread; its answer comes back through a queued
    signal of this object, which lives on the UI thread. (No polling timer: with
    PySide6 6.12 on Python 3.11 every call into Qt that returns nothing drops a
    reference to ``None``, so a timer ticking for nothing shortens the session.)
    """

    finished = Signal(str)  # the problem found, "" when the file is whole
    _reported = Signal(str, str)  # problem, backup error: emitted by the worker thread

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        path = window.db.path
        assert path is not None
        self.path = path
        self._reported.connect(self._on_reported, Qt.ConnectionType.QueuedConnection)
        # Not a daemon: the interpreter waits for it, so a backup is never cut short.
        self.worker = threading.Thread(target=self._run, name="open-check")
        # Closing the window while the check runs waits for it.
        window.installEventFilter(self)

    @property
    def window(self) -> MainWindow:
        # Asked of Qt each time rather than kept: no reference cycle child → parent.
        return self.parent()  # type: ignore[return-value]

    def start(self) -> None:
        self.window.statusBar().showMessage(tr("Memeriksa keutuhan basis data di latar…"))
        self.worker.start()

    def _run(self) -> None:  # in the worker thread: no widget is touched here
        problem = integrity_problem(self.path) or ""
        error = ""
        if not problem:  # never back up a damaged file: it would rotate out a good backup
            try:
                make_backup(self.path, "buka")
            except OSError as exc:  # a full disk must not stop the work of the day
                error = str(exc)
        # RuntimeError: the window was deleted meanwhile, nobody is left to tell.
        with contextlib.suppress(RuntimeError):
            self._reported.emit(problem, error)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self._join()
        return False

    def _join(self) -> None:
        if self.worker.is_alive():
            self.worker.join()

    def _on_reported(self, problem: str, backup_error: str) -> None:
        self._join()
        bar = self.window.statusBar()
        if problem:
            self._damaged(problem)
        elif backup_error:
            self.window.db.checked = True
            bar.showMessage(
                tr("Basis data utuh, tetapi cadangan saat membuka gagal dibuat: {e}").replace(
                    "{e}", backup_error
                )
            )
        else:
            self.window.db.checked = True
            bar.showMessage(tr("Basis data utuh; cadangan hari ini sudah dibuat."), NOTE_MS)
        self.finished.emit(problem)

    def _damaged(self, problem: str) -> None:
        window = self.window
        window.db.block_writes()
        # What was typed but not saved cannot be saved any more: drop it, so closing the
        # window does not try to write it.
        if window.form is not None:
            window.form.load(None, window.year)
        window.form_area.setEnabled(False)
        # Every way in to a write: the menus, their toolbar buttons and shortcuts (an
        # action disabled in a disabled menu would still fire from the toolbar), files
        # dropped on the window, and a Terima Berkas window already open.
        for action in (
            window.undo_action,
            window.redo_action,
            window.arg_action,
            window.matrix_import_action,
            window.import_action,
            window.profile_action,
        ):
            action.setEnabled(False)
        window.pokja_menu.setEnabled(False)
        window.drops.enabled = False
        if window._import_dialog is not None:
            window._import_dialog.setEnabled(False)
        window.statusBar().showMessage(
            tr("Basis data rusak: perubahan tidak lagi disimpan. Pulihkan dari cadangan.")
        )
        damage = DatabaseDamaged(self.path, problem, list_backups(self.path))
        choice = messages.ask(
            window,
            tr("Basis data rusak"),
            tr(
                "{problem}\n\nPemeriksaan di latar menemukan kerusakan. Mulai sekarang tidak "
                "ada perubahan yang disimpan ke berkas ini.\n\nPulihkan dari cadangan?"
            ).replace("{problem}", str(damage)),
            [tr("Pilih cadangan…"), tr("Nanti")],
            icon=QMessageBox.Icon.Critical,
            default=0,
        )
        if choice == 0:
            request_restore(window, self.path)


class _AfterFirstPaint(QObject):
    """Starts the check once the window's first paint pass is over, so the thread's disk
    reads and CPU do not compete with building and painting the window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.started = False
        QCoreApplication.instance().installEventFilter(self)  # type: ignore[union-attr]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            not self.started
            and event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.window() is self.window
        ):
            self.started = True
            QCoreApplication.instance().removeEventFilter(self)  # type: ignore[union-attr]
            QTimer.singleShot(0, self._start)
        return False

    def _start(self) -> None:
        start_open_check(self.window)


def check_after_first_paint(window: MainWindow) -> None:
    """Call before ``window.show()``: the deferred check starts when the window painted."""
    if not window.db.checked and window.db.path is not None:
        _AfterFirstPaint(window)


def start_open_check(window: MainWindow) -> OpenCheck | None:
    """Start the deferred check when ``open_database`` left it to the window."""
    db = window.db
    if db.checked or db.path is None:
        return None
    check = OpenCheck(window)
    check.start()
    return check
