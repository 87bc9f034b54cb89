"""Pokja's correction of figures an OPD signed: the banner of the row form that says whose
word the figures are, the "Koreksi Pokja…" button, and the dialog asking why.

The rules live in ``app.services.corrections``; this module only shows them and asks.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.corrections import MIN_REASON, Correction

# A corrected field: amber frame, so it stands out from plain and from refused (red) fields.
CORRECTED_STYLE = (
    'QLineEdit[corrected="true"], QPlainTextEdit[corrected="true"]'
    " { border: 2px solid #b26a00; background: #fff8e6; border-radius: 3px; }"
)


def tr(text: str) -> str:
    return QCoreApplication.translate("Correction", text)


class CorrectionBanner(QWidget):
    """Says the figures are an OPD's signed word, lists Pokja's corrections, offers one."""

    correctionRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("correction")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(
            "QWidget#correction { background: #fff4d6; border: 1px solid #b26a00;"
            " border-radius: 3px; } QLabel { color: #5c3800; }"
        )
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        self.label = QLabel()
        self.label.setObjectName("correction-text")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.label, 1)
        self.button = QPushButton(tr("&Koreksi Pokja…"))
        self.button.setObjectName("correct")
        self.button.setToolTip(
            tr("Ubah angka yang ditandatangani OPD, dengan alasan yang tercatat di riwayat.")
        )
        self.button.clicked.connect(lambda _checked=False: self.correctionRequested.emit())
        lay.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_state(
        self, source: str, fixes: list[Correction], *, editing: bool, reason: str = ""
    ) -> None:
        """``source``: "Kiriman bertanda tangan Dinkes, revisi 2 (diterima …)"."""
        lines = [source]
        if editing:
            lines.append(tr("Mode koreksi Pokja: alasan \u201c{r}\u201d.").replace("{r}", reason))
        else:
            lines.append(tr("Angka ini hanya dapat diubah lewat Koreksi Pokja, dengan alasan."))
        lines += [f"• {c.text}" for c in fixes]
        self.label.setText("\n".join(lines))
        self.button.setEnabled(not editing)
        self.show()


class CorrectionDialog(QDialog):
    """Asks why Pokja changes figures an OPD signed; the reason is required."""

    def __init__(self, row_title: str, source: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Koreksi Pokja"))
        self.setMinimumWidth(480)
        lay = QVBoxLayout(self)
        intro = QLabel(
            tr(
                "Angka baris \u201c{t}\u201d berasal dari {s}. Koreksi Pokja mengubahnya di "
                "basis data Pokja; nilai yang ditandatangani OPD tetap tersimpan dan setiap "
                "koreksi ditandai di formulir, pohon, papan kelengkapan, laporan dan "
                "perbandingan revisi."
            )
            .replace("{t}", row_title)
            .replace("{s}", source)
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        label = QLabel(tr("&Alasan koreksi (wajib):"))
        lay.addWidget(label)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setObjectName("reason")
        self.reason_edit.setPlaceholderText(
            tr("Misalnya: salah ketik, dikonfirmasi dengan OPD lewat telepon 1 Desember")
        )
        self.reason_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.reason_edit.setTabChangesFocus(True)
        label.setBuddy(self.reason_edit)
        lay.addWidget(self.reason_edit)
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        lay.addWidget(self.hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(tr("Mulai koreksi"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Batal"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.reason_edit.textChanged.connect(self._check)
        self._check()

    @property
    def reason(self) -> str:
        return " ".join(self.reason_edit.toPlainText().split())

    def _check(self) -> None:
        ok = len(self.reason) >= MIN_REASON
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        self.hint.setText(
            ""
            if ok
            else tr("Tulis alasannya (minimal {n} huruf) agar tombol aktif.").replace(
                "{n}", str(MIN_REASON)
            )
        )
