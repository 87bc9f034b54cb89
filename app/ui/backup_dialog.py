"""Berkas › Cadangkan data dan kunci…, and the preview of a one-file backup before restoring.

Making the backup runs off the UI thread (``run_with_progress``): the database copy uses
SQLite's backup API, so the window may stay open and keep its lock. Restoring one is
reached from *Pulihkan dari cadangan…* (``restore_dialog``): the preview here says what
the file holds and what it replaces on this PC, before anything changes; the restore
itself is done by ``app.ui.application.run_gui`` after the window closed, like every
restore (no widget may keep showing the old file).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.formats import keys
from app.formats.backup_file import SUFFIX, BackupFileError, BackupManifest
from app.models.db import DatabaseError
from app.services.backup import (
    BackupCancelled,
    BackupFilePreview,
    backup_file_preview,
    create_backup,
    default_backup_name,
)
from app.ui.background import BackgroundTask, run_with_progress
from app.ui.window_size import remember_size

FILE_FILTER = "Cadangan Monev RAD PUG (*" + SUFFIX + ")"


def tr(text: str) -> str:
    return QCoreApplication.translate("BackupDialog", text)


def documents_folder() -> Path:
    return Path(
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        or Path.home()
    )


def start_backup(
    parent: QWidget, db_path: Path | None, key_folder: Path | None = None
) -> BackgroundTask | None:
    """The menu action: ask where (Documents, a dated name), then copy in the background."""
    title = tr("Cadangkan data dan kunci")
    if db_path is None:
        QMessageBox.information(
            parent, title, tr("Basis data ini bukan berkas SQLite; tidak dapat dicadangkan.")
        )
        return None
    name, _ = QFileDialog.getSaveFileName(
        parent, title, str(documents_folder() / default_backup_name()), tr(FILE_FILTER)
    )
    if not name:
        return None
    out = Path(name)
    if out.suffix.lower() != SUFFIX:
        out = out.with_name(out.name + SUFFIX)
    task = run_with_progress(
        parent,
        title,
        tr("Menyalin basis data dan kunci tanda tangan…"),
        lambda progress, cancelled: create_backup(
            db_path, out, key_folder=key_folder, progress=progress, cancelled=cancelled
        ),
    )

    def done(result: object) -> None:
        assert isinstance(result, BackupManifest)
        key = (
            tr(
                "Kunci tanda tangan {id} ikut, tetap terkunci kata sandinya: ingat kata "
                "sandi itu untuk PC baru."
            ).replace("{id}", keys.grouped(result.key_id))
            if result.key_id
            else tr("PC ini belum punya kunci tanda tangan; hanya basis data yang dicadangkan.")
        )
        QMessageBox.information(
            parent,
            title,
            tr(
                "Cadangan dibuat:\n{path}\n\n{key}\n\nSimpan berkas ini di luar PC ini "
                "(flashdisk, drive kantor). Di PC baru: Berkas › Pulihkan dari cadangan…"
            )
            .replace("{path}", str(out))
            .replace("{key}", key),
        )

    def failed(exc: object) -> None:
        if isinstance(exc, BackupCancelled):
            return
        QMessageBox.critical(
            parent,
            title,
            tr("Cadangan tidak dibuat: {error}").replace("{error}", str(exc)),
        )

    task.succeeded.connect(done)
    task.failed.connect(failed)
    return task


class BackupFileDialog(QDialog):
    """What a backup file holds and what it replaces here; accepted = restore it."""

    def __init__(
        self,
        db_path: Path,
        file: Path,
        key_folder: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.file = file
        self.preview: BackupFilePreview | None = None
        self.refusal = ""
        self.setWindowTitle(tr("Pulihkan dari berkas cadangan"))
        remember_size(self, "backup", 720, 420)
        layout = QVBoxLayout(self)
        intro = QLabel(
            tr(
                "Memulihkan berkas cadangan mengganti basis data (dan kunci tanda tangan, "
                "jika ikut) di PC ini dengan isi berkas itu. Baca dulu isinya dan apa yang "
                "diganti."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.details = QPlainTextEdit()
        self.details.setObjectName("preview")
        self.details.setReadOnly(True)
        self.details.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.details, 1)
        self.understood = QCheckBox(
            tr("Saya mengerti bahwa basis data dan kunci di PC ini diganti oleh isi cadangan.")
        )
        layout.addWidget(self.understood)
        self.buttons = QDialogButtonBox()
        self.restore_button = QPushButton(tr("Pulihkan berkas ini"))
        self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton(tr("Batal"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setDefault(True)  # Enter never restores by accident
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        try:
            self.preview = backup_file_preview(db_path, file, key_folder=key_folder)
        except (BackupFileError, DatabaseError, OSError) as exc:
            self.refusal = str(exc)
            self.details.setPlainText(self.refusal)
        else:
            self.details.setPlainText(self.preview.text())
        replaces = self.preview is not None and (
            self.preview.current_exists or self.preview.replaces_key
        )
        self.understood.setVisible(replaces)
        self.understood.toggled.connect(self._update_button)
        self.needs_ack = replaces
        self._update_button()

    def _update_button(self) -> None:
        ok = self.preview is not None and (self.understood.isChecked() or not self.needs_ack)
        self.restore_button.setEnabled(ok)


def choose_backup_file(parent: QWidget) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(
        parent, tr("Pilih berkas cadangan"), str(documents_folder()), tr(FILE_FILTER)
    )
    return Path(name) if name else None
