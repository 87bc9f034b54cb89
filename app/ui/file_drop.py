"""Taking dropped submission files and folders on any widget (the main window, Terima Berkas).

Kept apart from the Terima Berkas dialog so that the main window can accept drops
without loading the importer at start.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, Signal
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QWidget

REVIEW_SUFFIX = ".monevtelaah"  # app.formats.review_package.EXTENSION, without importing it


def is_review_name(path: Path) -> bool:
    """Pokja's signed PPRG review file, which an OPD drops on its window."""
    return path.suffix.lower() == REVIEW_SUFFIX


def dropped_paths(mime: QMimeData | None) -> list[Path]:
    """The local ``.xlsx`` and review files and folders among dropped URLs (others ignored)."""
    if mime is None or not mime.hasUrls():
        return []
    from app.services.intake import is_submission_name  # on the first drag, not at start

    out: list[Path] = []
    for url in mime.urls():
        if not url.isLocalFile():
            continue
        p = Path(url.toLocalFile())
        if p.is_dir() or is_submission_name(p) or is_review_name(p):
            out.append(p)
    return out


class FileDropFilter(QObject):
    """Lets any widget take dropped submission files: install it, listen to ``files_dropped``.

    The main window installs one and passes the paths to ``ImportDialog.add_files``;
    the dialog uses one on itself. Drags holding no ``.xlsx`` file or folder are left
    alone, so the cursor shows they will not be taken.
    """

    files_dropped = Signal(list)  # list[Path]

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # False once the database may no longer be written (damage found in the
        # background): drags are then refused, so the cursor says nothing will be taken.
        self.enabled = True

    def install(self, widget: QWidget) -> None:
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Drag enter and drag move events are drop events too (same mime data).
        if isinstance(event, QDropEvent) and event.type() in (
            QEvent.Type.DragEnter,
            QEvent.Type.DragMove,
            QEvent.Type.Drop,
        ):
            if not self.enabled:
                return False
            paths = dropped_paths(event.mimeData())
            if not paths:
                return False
            event.acceptProposedAction()
            if event.type() == QEvent.Type.Drop:
                self.files_dropped.emit(paths)
            return True
        return super().eventFilter(watched, event)
