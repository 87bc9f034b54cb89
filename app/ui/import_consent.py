"""What Pokja explicitly allows in the "Terima Berkas" window: keys and "ganti paksa".

A :class:`KeyRow` is one (OPD, key) question. A new or changed key is accepted by a
tick after comparing the fingerprint with the OPD. A key already pinned for another
OPD is shouted in red and can only be *moved* to this OPD, by a separate tick that
asks for confirmation (:func:`confirm_reassign`): one key signs for one OPD.
:func:`ask_force_reason` asks the reason for replacing held data anyway with a file the
ordering rules leave out; the reason goes to the import log and the audit trail.
Both modals are module functions so tests can replace them.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.printable import shown_name
from app.services.intake import FileCheck, KeyQuestion
from app.services.trust import KeyState
from app.ui.import_tables import ERROR_COLOUR, KEY_COLOURS


def tr(text: str) -> str:
    return QCoreApplication.translate("ImportDialog", text)


class KeyRow(QFrame):
    """One (OPD, key) question: who, the fingerprint to read aloud, and the tick box.

    ``box`` accepts a new or changed key; for a key of another OPD it is the separate
    "move the key" tick (object name ``reassign``), confirmed by the dialog.
    """

    def __init__(self, q: KeyQuestion, checked: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = q
        self.setObjectName(f"key-{q.opd_code}-{q.key_id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        other = q.state == KeyState.OTHER_OPD
        if other or q.also_claimed_by:
            self.setStyleSheet(f"#{self.objectName()} {{ border: 2px solid {ERROR_COLOUR}; }}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        text = QVBoxLayout()
        files = tr("{n} berkas").replace("{n}", str(q.files))
        who = QLabel(f"<b>{q.opd_code}</b> {q.opd_name} — {files}")
        who.setObjectName("who")
        who.setWordWrap(True)
        text.addWidget(who)
        fp = QLabel(q.fingerprint)
        fp.setObjectName("fingerprint")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(mono.pointSizeF() * 1.35)
        mono.setBold(True)
        fp.setFont(mono)
        fp.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        state = QLabel(tr(q.state_label))
        state.setObjectName("state")
        colour = KEY_COLOURS.get(q.state, ERROR_COLOUR)
        state.setStyleSheet(f"color: {colour}; font-weight: bold;")
        line = QHBoxLayout()
        line.addWidget(fp)
        line.addSpacing(12)
        line.addWidget(state)
        line.addStretch(1)
        text.addLayout(line)
        warning = ""
        if q.state == KeyState.CHANGED:
            warning = tr(
                "Perangkat Daerah ini sebelumnya memakai kunci {old}. Terima kunci baru "
                "hanya bila mereka memang memasang ulang aplikasi atau membuat kunci baru."
            ).replace("{old}", q.pinned_fingerprint)
        elif other:
            warning = (
                tr(
                    "Kunci ini sudah diterima untuk {owner}, tetapi berkas mengaku dari "
                    "{opd}. Satu kunci hanya untuk satu Perangkat Daerah: berkasnya tidak "
                    "diimpor. Pindahkan kunci hanya bila kunci itu memang sudah berpindah "
                    "(dipastikan lewat telepon atau surat); {owner} lalu tidak dapat lagi "
                    "mengirim dengan kunci ini."
                )
                .replace("{owner}", q.owner or "")
                .replace("{opd}", q.opd_code)
            )
        if q.also_claimed_by:
            shared = tr(
                "Kunci yang sama juga menandatangani berkas {others} dalam daftar ini. Satu "
                "kunci hanya untuk satu Perangkat Daerah: pastikan dulu pemiliknya dan terima "
                "kunci ini untuk satu Perangkat Daerah saja; bila dicentang untuk lebih dari "
                "satu, kunci ini tidak diterima untuk siapa pun."
            ).replace("{others}", ", ".join(q.also_claimed_by))
            warning = f"{warning} {shared}".strip()
        if warning:
            warn = QLabel(warning)
            warn.setObjectName("warning")
            warn.setWordWrap(True)
            warn.setStyleSheet(f"color: {ERROR_COLOUR};")
            text.addWidget(warn)
        layout.addLayout(text, 1)
        if other:
            self.box = QCheckBox(tr("&Pindahkan kunci ke\nPerangkat Daerah ini"))
            self.box.setObjectName("reassign")
        else:
            self.box = QCheckBox(tr("Te&rima kunci ini"))
            self.box.setObjectName("accept")
        self.box.setChecked(checked)
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignVCenter)


def confirm_reassign(parent: QWidget, q: KeyQuestion) -> bool:
    """Pokja's separate confirmation before a key is taken from another OPD."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(tr("Pindahkan kunci"))
    box.setText(
        tr("Pindahkan kunci {fp} dari {owner} ke {opd}?")
        .replace("{fp}", q.fingerprint)
        .replace("{owner}", q.owner or "")
        .replace("{opd}", f"{q.opd_code} {q.opd_name}".strip())
    )
    box.setInformativeText(
        tr(
            "Kunci itu tidak akan berlaku lagi untuk {owner}. Lakukan ini hanya setelah "
            "memastikan lewat telepon atau surat bahwa kedua Perangkat Daerah memang "
            "menghendakinya. Pemindahan dicatat di jejak perubahan."
        ).replace("{owner}", q.owner or "")
    )
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def ask_force_reason(parent: QWidget, check: FileCheck, why: str) -> str | None:
    """The reason to replace anyway (None when cancelled or left empty)."""
    text, ok = QInputDialog.getText(
        parent,
        tr("Ganti paksa"),
        tr(
            "{file}: {why}\n\nGanti paksa memakai isi bertanda tangan berkas ini untuk "
            "{opd} tahun {year}, menggantikan data yang sekarang berlaku. Tuliskan "
            "alasannya; alasan dicatat di log impor dan jejak perubahan."
        )
        .replace("{file}", shown_name(check.file.name))
        .replace("{why}", why)
        .replace("{opd}", check.opd_code or "")
        .replace("{year}", str(check.year or "")),
        QLineEdit.EchoMode.Normal,
        "",
    )
    reason = text.strip()
    return reason if ok and reason else None


__all__ = ["KeyRow", "ask_force_reason", "confirm_reassign"]
