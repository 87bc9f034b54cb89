"""Pokja's catalogue of Perangkat Daerah (Pokja menu → Katalog Perangkat Daerah…).

A list of every OPD (code, name, short name, rows, variants) beside a form for the chosen
one: rename, edit the short name, edit the variants (one per line), or add a new OPD. The
code is shown but cannot be changed: submissions and keys name the OPD by it. The rules
and the audit are ``services.opd_catalogue``'s; ``catalogueChanged`` tells the main window
to show the new names.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.models.db import Database
from app.services.opd_catalogue import CatalogueError, OpdEntry, add_opd, list_opds, update_opd
from app.ui.window_size import remember_size


def tr(text: str) -> str:
    return QCoreApplication.translate("OpdCatalogueDialog", text)


RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
COLUMNS = ("Kode", "Nama", "Nama singkat", "Baris", "Varian")


class OpdCatalogueDialog(QDialog):
    """Lists and edits the OPD catalogue; each save is one audited transaction."""

    catalogueChanged = Signal()

    def __init__(self, db: Database, user: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.user = user
        self.entries: list[OpdEntry] = []
        self.adding = False
        self.setWindowTitle(tr("Katalog Perangkat Daerah"))
        remember_size(self, "opd_catalogue", 1100, 620)

        intro = QLabel(
            tr(
                "Nama, nama singkat dan varian ejaan setiap Perangkat Daerah. Varian adalah "
                "ejaan lain yang muncul di dokumen; impor rencana dan berkas mencocokkannya "
                "ke OPD ini. Kode tidak dapat diubah karena menjadi kunci kiriman dan kunci "
                "tanda tangan. Perubahan dikirim ke OPD bersama paket matriks berikutnya."
            )
        )
        intro.setWordWrap(True)
        self.filter = QLineEdit()
        self.filter.setObjectName("filter")
        self.filter.setPlaceholderText(tr("Cari kode, nama atau varian…"))
        self.filter.textChanged.connect(self._apply_filter)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("opds")
        self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 150), (2, 140), (3, 50), (4, 180)):
            self.table.setColumnWidth(col, width)
        self.table.itemSelectionChanged.connect(self._show_selected)

        self.code = QLineEdit()
        self.code.setObjectName("code")
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.short = QLineEdit()
        self.short.setObjectName("short")
        self.variants = QPlainTextEdit()
        self.variants.setObjectName("variants")
        self.variants.setPlaceholderText(tr("Satu ejaan per baris"))
        self.code_note = QLabel()
        self.code_note.setWordWrap(True)
        self.code_note.setStyleSheet("color: #5f6368;")
        form = QFormLayout()
        form.addRow(tr("Kode"), self.code)
        form.addRow("", self.code_note)
        form.addRow(tr("Nama"), self.name)
        form.addRow(tr("Nama singkat"), self.short)
        form.addRow(tr("Varian ejaan"), self.variants)
        self.save_button = QPushButton(tr("Simpan perubahan"))
        self.save_button.setObjectName("save")
        self.save_button.clicked.connect(self.save)
        self.new_button = QPushButton(tr("OPD baru…"))
        self.new_button.setObjectName("new")
        self.new_button.clicked.connect(self.start_new)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.new_button)
        buttons_row.addStretch(1)
        buttons_row.addWidget(self.save_button)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        editor = QVBoxLayout()
        self.editor_title = QLabel()
        self.editor_title.setStyleSheet("font-weight: bold;")
        self.editor_title.setWordWrap(True)
        editor.addWidget(self.editor_title)
        editor.addLayout(form)
        editor.addLayout(buttons_row)
        editor.addWidget(self.message)
        editor.addStretch(1)
        editor_box = QWidget()
        editor_box.setLayout(editor)
        editor_box.setFixedWidth(380)

        left = QVBoxLayout()
        left.addWidget(self.filter)
        left.addWidget(self.table)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(editor_box)
        close = QDialogButtonBox()
        close.addButton(tr("Tutup"), QDialogButtonBox.ButtonRole.RejectRole)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(body, 1)
        layout.addWidget(close)
        self.reload()

    # ------------------------------------------------------------------ list
    def reload(self, select_code: str | None = None) -> None:
        with self.db.begin() as s:
            self.entries = list_opds(s)
        self.table.setRowCount(len(self.entries))
        for i, e in enumerate(self.entries):
            values = (e.code, e.name, e.short_name, str(e.rows), "; ".join(e.variants))
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if col == 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(i, col, item)
        self._apply_filter(self.filter.text())
        codes = [e.code for e in self.entries]
        row = codes.index(select_code) if select_code in codes else 0
        if self.entries:
            self.table.selectRow(row)
            self._show_selected()  # the same row again emits no selection change

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for i, e in enumerate(self.entries):
            hay = " ".join((e.code, e.name, e.short_name, *e.variants)).casefold()
            self.table.setRowHidden(i, bool(needle) and needle not in hay)

    def selected(self) -> OpdEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows else None

    def _show_selected(self) -> None:
        e = self.selected()
        if e is None:
            return
        self.adding = False
        self.editor_title.setText(e.name)
        self.code.setText(e.code)
        self.code.setReadOnly(True)
        self.code_note.setText(
            tr("Kode tidak dapat diubah. {n} baris rencana memakai OPD ini.").replace(
                "{n}", str(e.rows)
            )
        )
        self.name.setText(e.name)
        self.short.setText(e.short_name)
        for w in (self.name, self.short):
            w.setCursorPosition(0)  # a long name shows its beginning
        self.variants.setPlainText("\n".join(e.variants))
        self.save_button.setText(tr("Simpan perubahan"))

    # ------------------------------------------------------------------ editing
    def start_new(self) -> None:
        self.adding = True
        self.table.clearSelection()
        self.editor_title.setText(tr("OPD baru"))
        for w in (self.code, self.name, self.short):
            w.clear()
        self.variants.clear()
        self.code.setReadOnly(False)
        self.code_note.setText(
            tr("Kosongkan kode agar dibuat dari nama singkat (misalnya DINAS-PARIWISATA).")
        )
        self.save_button.setText(tr("Tambahkan OPD"))
        self._say("", error=False)
        self.name.setFocus()

    def save(self) -> None:
        variants = self.variants.toPlainText().splitlines()
        try:
            if self.adding:
                entry = add_opd(
                    self.db,
                    name=self.name.text(),
                    short_name=self.short.text(),
                    code=self.code.text(),
                    variants=variants,
                    user=self.user,
                )
                code, done = entry.code, [tr("OPD {c} ditambahkan.").replace("{c}", entry.code)]
            else:
                current = self.selected()
                if current is None:
                    self._say(tr("Pilih dulu OPD di daftar, atau tekan \u201cOPD baru\u201d."))
                    return
                code = current.code
                done = update_opd(
                    self.db,
                    code,
                    name=self.name.text(),
                    short_name=self.short.text(),
                    variants=variants,
                    user=self.user,
                )
        except CatalogueError as exc:
            self._say(str(exc))  # the typed text stays, so the user can correct it
            return
        if not done:
            self._say(tr("Tidak ada yang berubah."), error=False)
            return
        self.reload(select_code=code)
        self._say(tr("Tersimpan: ") + "; ".join(done), error=False)
        self.catalogueChanged.emit()

    def _say(self, text: str, *, error: bool = True) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b3261e;" if error else "color: #1b5e20;")


__all__ = ["OpdCatalogueDialog"]
