"""Comparing two stored revisions of an OPD's submission (from the completeness board):
every value that differs, then the values of the newer revision that Pokja corrected,
signed value beside corrected value (``app.services.revisions``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models.db import Database
from app.services.revisions import (
    Change,
    RevisionError,
    compare_revisions,
    corrected_changes,
    list_revisions,
)
from app.ui.window_size import remember_size

_Index = QModelIndex | QPersistentModelIndex


def tr(text: str) -> str:
    return QCoreApplication.translate("CompletenessBoard", text)


class ChangesModel(QAbstractTableModel):
    """The differences between two revisions: baris, kolom, lama, baru."""

    HEADERS = ("Baris", "Kolom", "Lama", "Baru")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.changes: list[Change] = []

    def set_changes(self, changes: list[Change]) -> None:
        self.beginResetModel()
        self.changes = changes
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.changes)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return tr(self.HEADERS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.changes):
            return None
        c = self.changes[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (c.label, c.field, c.old_text, c.new_text)[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            what = tr("Kegiatan") if c.kind == "arg" else tr("Baris")
            return f"{what} {c.key}\n{c.label}\n{c.field}: {c.old_text} → {c.new_text}"
        if role == Qt.ItemDataRole.BackgroundRole and c.kind == "koreksi" and col >= 1:
            return QColor("#fff4d6")  # Pokja's correction: the amber of the row form
        if role == Qt.ItemDataRole.BackgroundRole and col == 2:
            return QColor("#fbe3e1")
        if role == Qt.ItemDataRole.BackgroundRole and col == 3:
            return QColor("#e0f2e6")
        return None


class RevisionCompareDialog(QDialog):
    """Choose two stored revisions of one OPD and year and list what changed."""

    def __init__(
        self,
        db: Database,
        plan_code: str,
        opd_code: str,
        opd_name: str,
        year: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(tr("Bandingkan Revisi Kiriman"))
        remember_size(self, "revision", 1000, 560)
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{opd_name}</b> — " + tr("tahun {y}").replace("{y}", str(year)))
        layout.addWidget(title)
        with db.begin() as s:
            self.revisions = list_revisions(s, plan_code, opd_code, year)
        form = QFormLayout()
        self.old_box, self.new_box = QComboBox(), QComboBox()
        for box in (self.old_box, self.new_box):
            for r in self.revisions:
                box.addItem(r.label, r.id)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        form.addRow(tr("Revisi lama:"), self.old_box)
        form.addRow(tr("Revisi baru:"), self.new_box)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.model = ChangesModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Tutup"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if len(self.revisions) >= 2:
            self.old_box.setCurrentIndex(len(self.revisions) - 2)
            self.new_box.setCurrentIndex(len(self.revisions) - 1)
        self.old_box.currentIndexChanged.connect(self.compare)
        self.new_box.currentIndexChanged.connect(self.compare)
        self.compare()

    def compare(self) -> None:
        if len(self.revisions) < 2:
            self.old_box.setEnabled(False)
            self.new_box.setEnabled(False)
            self.model.set_changes([])
            self.message.setText(
                tr("Belum ada revisi tersimpan untuk dibandingkan.")
                if not self.revisions
                else tr("Baru ada satu revisi tersimpan; belum ada yang dapat dibandingkan.")
            )
            return
        old_id, new_id = int(self.old_box.currentData()), int(self.new_box.currentData())
        try:
            with self.db.begin() as s:
                changes = compare_revisions(s, old_id, new_id)
                fixed = corrected_changes(s, new_id)
        except RevisionError as exc:
            self.model.set_changes([])
            self.message.setText(str(exc))
            return
        self.model.set_changes(changes + fixed)
        old = self.old_box.currentText().split(" — ")[0]
        new = self.new_box.currentText().split(" — ")[0]
        if not changes:
            self.message.setText(
                tr("Tidak ada perbedaan antara {a} dan {b}.")
                .replace("{a}", old.lower())
                .replace("{b}", new.lower())
            )
        else:
            self.message.setText(
                tr("{n} nilai berbeda dari {a} ke {b}.")
                .replace("{n}", str(len(changes)))
                .replace("{a}", old.lower())
                .replace("{b}", new.lower())
            )
        if fixed:
            self.message.setText(
                self.message.text()
                + " "
                + tr("Di bawahnya {n} nilai {b} yang dikoreksi Pokja (lama: ditandatangani OPD).")
                .replace("{n}", str(len(fixed)))
                .replace("{b}", new.lower())
            )
        self.table.resizeColumnsToContents()
        for col, cap in ((0, 420), (2, 320)):
            if self.table.columnWidth(col) > cap:
                self.table.setColumnWidth(col, cap)
