"""The list of what a matrix package changes, in the "Terima Pembaruan Matriks" window.

Plan fields first, then the region profile and the OPD catalogue (format version 2),
then each row with its changed fields as children; a new plan's rows
are listed up to a limit, so a whole new period does not fill the window.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from app.services.matrix_preview import NEW_PLAN, ROW_ADDED, MatrixPreview


def tr(text: str) -> str:
    return QCoreApplication.translate("MatrixDialog", text)


KIND_LABELS = {
    "baru": "Baru",
    "berubah": "Berubah",
    "dipensiunkan": "Dipensiunkan",
    "dihapus": "Dihapus",
    "dipulihkan": "Dipulihkan",
}
KIND_COLOURS = {
    "baru": "#1b5e20",
    "berubah": "#0b3d91",
    "dipensiunkan": "#8a4b00",
    "dihapus": "#b3261e",
    "dipulihkan": "#1b5e20",
}
MAX_NEW_ROWS_LISTED = 300


class MatrixChangesTree(QTreeWidget):
    """Every change of a package: Perubahan, Semula, Menjadi."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changes")
        self.setHeaderLabels([tr("Perubahan"), tr("Semula"), tr("Menjadi")])
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        header = self.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.setColumnWidth(0, 200)
        self.setColumnWidth(1, 300)

    def show_preview(self, preview: MatrixPreview) -> None:
        """Add the package's changes: plan fields first, then row by row."""
        items: list[QTreeWidgetItem] = []
        groups = (tr("Profil wilayah"), tr("Katalog Perangkat Daerah"))  # always expanded
        for f in preview.plan_changes:
            items.append(
                QTreeWidgetItem([tr("Rencana: {f}").replace("{f}", f.field), f.old, f.new])
            )
        for heading, changes in (
            (tr("Profil wilayah"), preview.region_changes),
            (tr("Katalog Perangkat Daerah"), preview.catalogue_changes),
        ):
            if not changes:
                continue
            group = QTreeWidgetItem([f"{heading} ({len(changes)})"])
            for f in changes:
                child = QTreeWidgetItem([f.field, f.old, f.new])
                for col, text in ((0, f.field), (1, f.old), (2, f.new)):
                    child.setToolTip(col, text)
                group.addChild(child)
            items.append(group)
        listed = 0
        for c in preview.rows:
            if preview.status == NEW_PLAN and c.kind == ROW_ADDED:
                listed += 1
                if listed > MAX_NEW_ROWS_LISTED:
                    continue
            label = f"[{tr(KIND_LABELS[c.kind])}] {c.opd_code} — {c.title}"
            if c.realisations:
                label += tr(" · {n} realisasi tetap tersimpan").replace("{n}", str(c.realisations))
            item = QTreeWidgetItem([label])
            item.setToolTip(0, f"{c.key}\n{c.title}")
            item.setForeground(0, QBrush(QColor(KIND_COLOURS.get(c.kind, "#1f1f1f"))))
            for f in c.fields:
                child = QTreeWidgetItem([f.field, f.old, f.new])
                for col, text in ((1, f.old), (2, f.new)):
                    child.setToolTip(col, text)
                item.addChild(child)
            items.append(item)
        if listed > MAX_NEW_ROWS_LISTED:
            items.append(
                QTreeWidgetItem(
                    [
                        tr("… dan {n} baris lainnya").replace(
                            "{n}", str(listed - MAX_NEW_ROWS_LISTED)
                        ),
                        "",
                        "",
                    ]
                )
            )
        self.addTopLevelItems(items)
        for item in items:
            if item.text(2):
                continue  # a plan field's own line: Semula and Menjadi stay in columns
            # A row's own line is long (OPD and indicator): give it the whole width.
            item.setFirstColumnSpanned(True)
            if item.childCount() and (item.childCount() <= 6 or item.text(0).startswith(groups)):
                item.setExpanded(True)
