"""Pokja's dialog for the region profile (Pokja menu → Profil wilayah…).

The same service as ``python -m app region set`` stores it; a refused value keeps the
dialog open with the user's text, the field in question focused and the reason shown. A
profile another Pokja member saved after the dialog opened is refused with the shared
:class:`ConflictBanner`: "Muat ulang" shows the stored profile and offers back what was
typed.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.region import KINDS, LOGO_MAX_BYTES, Region, RegionError, check_logo
from app.models.db import Database
from app.services.concurrency import ConcurrentEditError
from app.services.region import load_region, region_seen, store_region
from app.ui.row_conflict import CONFLICT_STYLE, ConflictBanner, Typed, typed_values


def tr(text: str) -> str:
    return QCoreApplication.translate("RegionDialog", text)


class RegionDialog(QDialog):
    """Edits one :class:`Region`; ``region`` holds what was stored after ``accept``."""

    def __init__(self, db: Database, parent: QWidget | None = None, *, user: str = "") -> None:
        super().__init__(parent)
        self.db, self.user = db, user
        with db.begin() as s:
            current = load_region(s)
            self.seen = region_seen(s)  # another Pokja member's save since is refused
        self.region: Region | None = None
        self._logo = current.logo
        self.setWindowTitle(tr("Profil wilayah"))
        self.setMinimumWidth(560)

        intro = QLabel(
            tr(
                "Nama dan kop surat ini tercetak di setiap laporan, buku kerja isian dan "
                "judul jendela. Kosongkan kop surat, tempat atau jabatan untuk memakai "
                "isian bawaan yang ditunjukkan samar."
            )
        )
        intro.setWordWrap(True)
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        self.kind.addItems(list(KINDS))
        self.kind.setCurrentText(current.kind)
        self.name = QLineEdit(current.name)
        self.name.setObjectName("name")
        self.letterhead = QPlainTextEdit("\n".join(current.letterhead))
        self.letterhead.setObjectName("letterhead")
        self.letterhead.setFixedHeight(70)
        self.address = QLineEdit(current.address)
        self.address.setObjectName("address")
        self.place = QLineEdit(current.place)
        self.place.setObjectName("place")
        self.pokja_position = QLineEdit(current.pokja_position)
        self.pokja_position.setObjectName("pokja_position")
        self.logo_view = QLabel()
        self.logo_view.setFixedSize(64, 64)
        self.logo_view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_view.setStyleSheet("border: 1px solid #bbb;")
        choose = QPushButton(tr("Pilih &logo…"))
        choose.clicked.connect(self._choose_logo)
        clear = QPushButton(tr("Hapus logo"))
        clear.clicked.connect(lambda: self._set_logo(b""))
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_view)
        logo_row.addWidget(choose)
        logo_row.addWidget(clear)
        logo_row.addStretch(1)

        form = QFormLayout()
        form.addRow(tr("&Jenis:"), self.kind)
        form.addRow(tr("&Nama (tanpa jenis):"), self.name)
        form.addRow(tr("&Kop surat (satu baris per baris):"), self.letterhead)
        form.addRow(tr("&Alamat:"), self.address)
        form.addRow(tr("&Tempat tanda tangan:"), self.place)
        form.addRow(tr("Jabatan &Ketua Pokja:"), self.pokja_position)
        form.addRow(tr("Logo (PNG/JPEG):"), logo_row)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.conflict = ConflictBanner()
        self.conflict.setStyleSheet(CONFLICT_STYLE)
        self.conflict.reloadRequested.connect(self.reload_after_conflict)
        self.conflict.restoreRequested.connect(self.restore_typed)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("&Simpan"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Batal"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.conflict)
        layout.addWidget(buttons)
        for w in (self.name, self.place, self.pokja_position):
            w.textChanged.connect(self._update_hints)
        self.kind.currentTextChanged.connect(self._update_hints)
        self._set_logo(current.logo)
        self._update_hints()
        self._shown = typed_values(self._fields())  # as stored

    def _typed(self) -> Region:
        return Region(
            name=self.name.text(),
            kind=self.kind.currentText(),
            letterhead=tuple(self.letterhead.toPlainText().splitlines()),
            address=self.address.text(),
            place=self.place.text(),
            pokja_position=self.pokja_position.text(),
            logo=self._logo,
        )

    def _show(self, region: Region) -> None:
        self.kind.setCurrentText(region.kind)
        self.name.setText(region.name)
        self.letterhead.setPlainText("\n".join(region.letterhead))
        self.address.setText(region.address)
        self.place.setText(region.place)
        self.pokja_position.setText(region.pokja_position)
        self._set_logo(region.logo)

    def _fields(self) -> dict[str, Typed]:
        def line(text: str) -> str:
            return " / ".join(text.splitlines()) or "–"

        out: dict[str, Typed] = {
            tr("Logo"): (self._logo, tr("logo yang Anda pilih"), self._set_logo),
            tr("Kop surat"): (
                self.letterhead.toPlainText(),
                line(self.letterhead.toPlainText()),
                self.letterhead.setPlainText,
            ),
            tr("Jenis"): (
                self.kind.currentText(),
                self.kind.currentText(),
                self.kind.setCurrentText,
            ),
        }
        for label, edit in (
            (tr("Nama"), self.name),
            (tr("Alamat"), self.address),
            (tr("Tempat tanda tangan"), self.place),
            (tr("Jabatan Ketua Pokja"), self.pokja_position),
        ):
            out[label] = (edit.text(), line(edit.text()), edit.setText)
        return out

    def reload_after_conflict(self) -> None:
        """Show the profile as stored now; list what the user typed and did not save."""
        before = self._fields()
        with self.db.begin() as s:
            self._show(load_region(s))
            self.seen = region_seen(s)
        shown, self._shown = self._shown, typed_values(self._fields())
        self.conflict.offer_unsaved(before, shown, self._shown)

    def restore_typed(self) -> None:
        """Put the kept typed values back into the fields, to check and save again."""
        self.conflict.put_back()

    def _update_hints(self) -> None:
        # The derived defaults, shown where the field is left empty.
        r = replace(self._typed(), name=self.name.text().strip() or "…")
        self.letterhead.setPlaceholderText(r.government)
        self.place.setPlaceholderText(r.signature_place)
        self.pokja_position.setPlaceholderText(r.pokja_title)

    def _set_logo(self, data: bytes) -> None:
        self._logo = data
        pix = QPixmap()
        if data and pix.loadFromData(data):
            self.logo_view.setPixmap(
                pix.scaled(
                    60,
                    60,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.logo_view.setPixmap(QPixmap())
            self.logo_view.setText(tr("(tanpa)"))

    def _choose_logo(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, tr("Pilih logo"), "", tr("Gambar PNG/JPEG (*.png *.jpg *.jpeg)")
        )
        if name:
            self.load_logo(Path(name))

    def load_logo(self, path: Path) -> bool:
        """Take the logo from ``path``; says why not (size, type, unreadable)."""
        try:
            if path.stat().st_size > LOGO_MAX_BYTES:
                raise RegionError(
                    tr("Logo terlalu besar; batasnya {n} KiB.").replace(
                        "{n}", str(LOGO_MAX_BYTES // 1024)
                    ),
                    "logo",
                )
            data = check_logo(path.read_bytes())
        except OSError as exc:
            self.error.setText(tr("Logo tidak dapat dibaca: ") + str(exc.strerror))
            return False
        except RegionError as exc:
            self.error.setText(str(exc))
            return False
        self.error.clear()
        self._set_logo(data)
        return True

    def accept(self) -> None:
        try:
            self.region = store_region(self.db, self._typed(), user=self.user, seen=self.seen)
        except ConcurrentEditError as exc:
            self.error.clear()
            self.conflict.show_conflict(str(exc))  # what was typed stays in the fields
            return
        except RegionError as exc:
            self.error.setText(str(exc) + " " + tr("Perbaiki lalu simpan lagi."))
            field = {
                "name": self.name,
                "letterhead": self.letterhead,
                "address": self.address,
                "place": self.place,
                "pokja_position": self.pokja_position,
                "kind": self.kind,
            }.get(exc.field)
            if field is not None:
                field.setFocus()
            return
        super().accept()


def edit_region(db: Database, parent: QWidget | None = None, user: str = "") -> Region | None:
    """Show the dialog; the stored :class:`Region`, or ``None`` on cancel."""
    dialog = RegionDialog(db, parent, user=user)
    return dialog.region if dialog.exec() == QDialog.DialogCode.Accepted else None


__all__ = ["RegionDialog", "edit_region"]
