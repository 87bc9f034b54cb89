"""Asking for a server's password: the last step after PGPASSWORD, .pgpass and the keyring.

The answer stays in memory (the connection URL of this session). The box offers to keep
it in the OS keyring only when a keyring works on this PC, and says plainly when none
does, so nobody looks for a saved password that was never saved.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import make_url

from app.services import connection


def tr(text: str) -> str:
    return QCoreApplication.translate("DbPassword", text)


@dataclass(frozen=True)
class PasswordAnswer:
    password: str
    keep: bool  # put it in the keyring once the server accepted it


class PasswordDialog(QDialog):
    def __init__(self, url: str, error: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Kata sandi basis data"))
        self.setMinimumWidth(420)  # the notes read as sentences
        parsed = make_url(url)
        layout = QVBoxLayout(self)
        intro = QLabel(
            tr("Server {server} meminta kata sandi untuk pengguna <b>{user}</b>.")
            .replace("{server}", connection.server_label(url))
            .replace("{user}", parsed.username or "")
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.error = QLabel(error)
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.setVisible(bool(error))
        layout.addWidget(self.error)
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName(tr("Kata sandi"))
        self.field.setPlaceholderText(tr("Kata sandi"))
        layout.addWidget(self.field)
        self.keep = QCheckBox(tr("Simpan di &keyring sistem"))
        self.keyring_works = connection.keyring_available()
        self.keep.setVisible(self.keyring_works)
        layout.addWidget(self.keep)
        if not self.keyring_works:
            note = QLabel(
                tr(
                    "Keyring sistem tidak tersedia di komputer ini: kata sandi hanya dipakai "
                    "selama aplikasi terbuka. Agar tidak ditanya lagi, isikan di ~/.pgpass "
                    "(pgpass.conf di Windows)."
                )
            )
            note.setObjectName("no-keyring")
            note.setWordWrap(True)
            layout.addWidget(note)
        buttons = QDialogButtonBox()
        buttons.addButton(tr("Sambungkan"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(tr("Batal"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.field.setFocus()

    def answer(self) -> PasswordAnswer:
        return PasswordAnswer(self.field.text(), self.keyring_works and self.keep.isChecked())


def ask_password(url: str, error: str = "", parent: QWidget | None = None) -> PasswordAnswer | None:
    """The password typed for ``url``'s user, or ``None`` when the user cancelled."""
    dialog = PasswordDialog(url, error, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.answer()
