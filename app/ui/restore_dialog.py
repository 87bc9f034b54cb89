"""Berkas › Pulihkan dari cadangan…: choose a backup, read what will be lost, confirm.

The dialog lists the backups of the open database (time, size, why it was made) and,
for the one selected, the preview of ``app.services.restore``: the imports and edits
made after it, and where the current file will be kept. When something would be lost,
the restore button stays disabled until the user ticks that they understand.

Restoring swaps the database file under every open widget, so it is not done in place:
``request_restore`` closes the window (which saves or asks about the form as on any
close) and leaves the chosen backup on it; ``app.ui.application.run_gui`` then disposes
the database, restores, and opens a new window on the restored file, still under the
same single-writer lock. Nothing of the old window survives to show stale figures.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.restore import BackupInfo, RestorePreview, backups, restore_preview
from app.ui.backup_dialog import BackupFileDialog, choose_backup_file
from app.ui.window_size import remember_size

# The Qt property a window carries when it was closed to restore a backup.
RESTORE_PROPERTY = "restoreBackup"


def tr(text: str) -> str:
    return QCoreApplication.translate("RestoreDialog", text)


class RestoreDialog(QDialog):
    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path = db_path
        self.preview: RestorePreview | None = None
        self.needs_ack = False  # something would be lost: the tick is required
        self.setWindowTitle(tr("Pulihkan dari cadangan"))
        remember_size(self, "restore", 760, 560)
        layout = QVBoxLayout(self)
        intro = QLabel(
            tr(
                "Cadangan dibuat otomatis setiap kali aplikasi dibuka dan sebelum struktur "
                "basis data diperbarui. Memulihkan cadangan mengembalikan basis data ke "
                "saat cadangan itu dibuat: semua yang dikerjakan sesudahnya hilang dari "
                "basis data. Pilih cadangan, lalu baca apa yang akan hilang."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setObjectName("backups")
        self.list.setAlternatingRowColors(True)  # two lines per backup: keep them apart
        layout.addWidget(self.list, 1)
        self.details = QPlainTextEdit()
        self.details.setObjectName("preview")
        self.details.setReadOnly(True)
        self.details.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.details, 2)
        self.understood = QCheckBox(
            tr("Saya mengerti bahwa yang tercantum di atas akan hilang dari basis data.")
        )
        layout.addWidget(self.understood)
        self.buttons = QDialogButtonBox()
        # A one-file backup from another PC (Berkas › Cadangkan data dan kunci…).
        self.chosen_file: Path | None = None
        self.from_file = QPushButton(tr("Dari berkas cadangan (PC lain)…"))
        self.from_file.setObjectName("fromFile")
        self.from_file.clicked.connect(self._from_file)
        self.buttons.addButton(self.from_file, QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button = QPushButton(tr("Pulihkan cadangan ini"))
        self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton(tr("Batal"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setDefault(True)  # Enter never restores by accident
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.found: list[BackupInfo] = backups(db_path)
        for info in self.found:
            item = QListWidgetItem(f"{info.label}\n{info.path.name}")
            item.setData(Qt.ItemDataRole.UserRole, str(info.path))
            self.list.addItem(item)
        self.list.currentRowChanged.connect(self._show_preview)
        self.understood.toggled.connect(self._update_button)
        if self.found:
            self.list.setCurrentRow(0)
        else:
            self.details.setPlainText(
                tr(
                    "Belum ada cadangan otomatis untuk basis data ini ({name}). Untuk "
                    "memulihkan berkas cadangan dari PC lain (.monevcadangan), pilih "
                    "tombol Dari berkas cadangan (PC lain)…"
                ).replace("{name}", db_path.name)
            )
            self._update_button()

    @property
    def chosen(self) -> Path | None:
        """The selected backup, when it can be restored."""
        if self.chosen_file is not None:
            return self.chosen_file
        if self.preview is None or not self.preview.can_restore:
            return None
        return self.preview.backup.path

    def select(self, backup: Path) -> None:
        for row, info in enumerate(self.found):
            if info.path == backup:
                self.list.setCurrentRow(row)

    def _from_file(self) -> None:
        """Choose a ``.monevcadangan`` file, show what it holds and replaces, confirm."""
        file = choose_backup_file(self)
        if file is None:
            return
        dialog = BackupFileDialog(self.db_path, file, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.preview is not None:
            self.chosen_file = file
            self.accept()

    def _show_preview(self, row: int) -> None:
        self.preview = restore_preview(self.db_path, self.found[row].path) if row >= 0 else None
        self.details.setPlainText(self.preview.text() if self.preview else "")
        self.needs_ack = self.preview is not None and not self.preview.loses_nothing_known
        self.understood.setVisible(self.needs_ack)
        self.understood.setChecked(False)
        self._update_button()

    def _update_button(self) -> None:
        ok = self.chosen is not None and (self.understood.isChecked() or not self.needs_ack)
        self.restore_button.setEnabled(ok)
        self.restore_button.setToolTip(
            "" if ok else tr("Centang pernyataan di atas untuk memulihkan cadangan ini.")
        )


def request_restore(window: QMainWindow, db_path: Path | None) -> Path | None:
    """The menu action: choose a backup; on confirmation close ``window`` to restore it.

    Returns the chosen backup when the window closed for it, else ``None``.
    """
    if db_path is None:
        QMessageBox.information(
            window,
            tr("Pulihkan dari cadangan"),
            tr("Basis data ini bukan berkas SQLite; cadangan tidak dibuat untuknya."),
        )
        return None
    dialog = RestoreDialog(db_path, window)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen is None:
        return None
    backup = dialog.chosen
    window.setProperty(RESTORE_PROPERTY, str(backup))
    if not window.close():  # the form kept an unsaved value: nothing is restored
        window.setProperty(RESTORE_PROPERTY, None)
        return None
    return backup


def requested_restore(window: QMainWindow) -> Path | None:
    """The backup ``window`` was closed to restore, if any."""
    value = window.property(RESTORE_PROPERTY)
    return Path(value) if value else None
