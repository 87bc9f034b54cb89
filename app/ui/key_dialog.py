"""This installation's signing key: create it (first run or later) and show its fingerprint.

The key signs the submissions an OPD sends (and the matrix packages Pokja sends). It is
kept in the user's data folder, encrypted with a passphrase the user sets here and
never stored. Pokja compares the fingerprint shown here with the one on the printed
report, by phone or letter, before it accepts the key.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.formats import keys
from app.ui import messages


def tr(text: str) -> str:
    return QCoreApplication.translate("KeyDialog", text)


class KeyDialog(QDialog):
    """Create the key (passphrase twice) or show the existing one's fingerprint."""

    def __init__(
        self, folder: Path | None = None, *, first_run: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.folder = folder
        self.key_id: str | None = keys.stored_key_id(folder)
        self.setWindowTitle(tr("Kunci tanda tangan"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)

        self.fingerprint = QLabel()
        self.fingerprint.setObjectName("fingerprint")
        font = QFont("DejaVu Sans Mono")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(16)
        font.setBold(True)
        self.fingerprint.setFont(font)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.fingerprint)

        self.form_box = QWidget()
        form = QFormLayout(self.form_box)
        form.setContentsMargins(0, 0, 0, 0)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(
            tr("minimal {n} karakter").replace("{n}", str(keys.MIN_PASSPHRASE))
        )
        self.again = QLineEdit()
        self.again.setObjectName("again")
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        label = QLabel(tr("&Kata sandi kunci:"))
        label.setBuddy(self.passphrase)
        form.addRow(label, self.passphrase)
        label2 = QLabel(tr("&Ulangi kata sandi:"))
        label2.setBuddy(self.again)
        form.addRow(label2, self.again)
        layout.addWidget(self.form_box)

        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.error.hide()
        layout.addWidget(self.error)

        self.buttons = QDialogButtonBox()
        self.create_button = self.buttons.addButton(
            tr("&Buat kunci"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.create_button.clicked.connect(self.create_key)
        self.copy_button = QPushButton(tr("&Salin sidik jari"))
        self.copy_button.clicked.connect(self._copy)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.replace_button = QPushButton(tr("Ganti &kunci…"))
        self.replace_button.clicked.connect(self._ask_replace)
        self.buttons.addButton(self.replace_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton(
            tr("Nanti saja") if first_run else tr("&Tutup"),
            QDialogButtonBox.ButtonRole.RejectRole,
        )
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)
        self._replacing = False
        self._show_state()

    def _show_state(self) -> None:
        creating = self.key_id is None or self._replacing
        self.form_box.setVisible(creating)
        self.create_button.setVisible(creating)
        self.copy_button.setVisible(not creating)
        self.replace_button.setVisible(not creating)
        if creating:
            self.fingerprint.hide()
            self.intro.setText(
                tr(
                    "Instalasi ini memerlukan kunci tanda tangan untuk menandatangani berkas "
                    "kiriman. Kunci disimpan di komputer ini, dikunci dengan kata sandi yang "
                    "Anda tentukan. Kata sandi tidak disimpan dan tidak dapat dipulihkan: "
                    "catat di tempat aman."
                )
            )
            if self._replacing:
                self.intro.setText(
                    self.intro.text()
                    + "\n\n"
                    + tr(
                        "Kunci lama akan diganti. Pokja PUG harus menerima kunci baru sebelum "
                        "menerima kiriman Anda lagi."
                    )
                )
            self.passphrase.setFocus()
        else:
            assert self.key_id is not None
            self.fingerprint.setText(keys.grouped(self.key_id))
            self.fingerprint.show()
            self.intro.setText(
                tr(
                    "Sidik jari kunci tanda tangan instalasi ini. Sidik jari yang sama tercetak "
                    "pada laporan PDF. Bila Pokja PUG bertanya, bacakan keempat kelompok huruf "
                    "dan angka ini."
                )
            )

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def create_key(self) -> str | None:
        """Create (or replace) the key from the typed passphrase; its id, or ``None``."""
        secret = self.passphrase.text()
        if secret != self.again.text():
            self._say(tr("Kedua kata sandi tidak sama. Ketik ulang pada kolom kedua."))
            self.again.setFocus()
            self.again.selectAll()
            return None
        try:
            key = keys.generate_key(secret, self.folder, replace=self._replacing)
        except keys.KeyStoreError as exc:
            self._say(str(exc))
            self.passphrase.setFocus()
            return None
        except OSError as exc:
            self._say(
                tr("Kunci tidak dapat disimpan: {e}").replace("{e}", exc.strerror or str(exc))
            )
            return None
        self.passphrase.clear()
        self.again.clear()
        self.error.hide()
        self.key_id = key.key_id
        self._replacing = False
        self._show_state()
        self.close_button.setText(tr("&Selesai"))
        return key.key_id

    def _copy(self) -> None:
        if self.key_id:
            QGuiApplication.clipboard().setText(keys.grouped(self.key_id))

    def _ask_replace(self) -> None:
        choice = messages.ask(
            self,
            tr("Ganti kunci"),
            tr(
                "Mengganti kunci berarti Pokja PUG menolak kiriman Anda sampai kunci baru "
                "diterima. Ganti hanya bila kata sandi lupa atau kunci mungkin bocor."
            ),
            [tr("Ganti kunci"), tr("Batal")],
            default=1,
        )
        if choice == 0:
            self._replacing = True
            self._show_state()
