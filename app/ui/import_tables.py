"""The tables of the "Terima Berkas" window: the columns of the preview, result and log
lists and their colours (the key questions are in ``import_consent``).

Kept apart from ``import_dialog`` (the window's flow: check, confirm, import) so each
stays readable; texts are translated in the ``ImportDialog`` context like the window's.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
)

from app.services.importer import ACCEPTED, DUPLICATE, OUTDATED, REFUSED, SUPERSEDED
from app.services.trust import KeyState


def tr(text: str) -> str:
    return QCoreApplication.translate("ImportDialog", text)


OUTCOME_COLOURS = {
    ACCEPTED: "#1b7f3b",  # green
    SUPERSEDED: "#1f5fbf",  # blue
    DUPLICATE: "#6b6b6b",  # grey: nothing changed
    OUTDATED: "#6b6b6b",
    REFUSED: "#b3261e",  # red
}
KEY_COLOURS = {
    KeyState.KNOWN: "#1b7f3b",
    KeyState.NEW: "#8a5a00",
    KeyState.CHANGED: "#b3261e",
    KeyState.OTHER_OPD: "#b3261e",
}
UNSIGNED_COLOUR = "#8a5a00"
ERROR_COLOUR = "#b3261e"

PREVIEW_COLUMNS = [
    "Berkas",
    "Perangkat Daerah",
    "Tahun",
    "Revisi",
    "Sidik jari kunci",
    "Status kunci",
    "Keterangan",
]
RESULT_COLUMNS = ["Berkas", "Hasil", "Perangkat Daerah", "Tahun", "Revisi", "Alasan"]
LOG_COLUMNS = ["Waktu", "Berkas", "Hasil", "Perangkat Daerah", "Tahun", "Revisi", "Alasan"]


def table_item(values: Sequence[object]) -> QTreeWidgetItem:
    """A row whose numbers sort as numbers (display data keeps the int)."""
    item = QTreeWidgetItem()
    for col, v in enumerate(values):
        if isinstance(v, int):
            item.setData(col, Qt.ItemDataRole.DisplayRole, v)
        else:
            item.setText(col, "" if v is None else str(v))
    return item


def colour_cell(item: QTreeWidgetItem, col: int, colour: str, bold: bool = False) -> None:
    item.setForeground(col, QBrush(QColor(colour)))
    if bold:
        font = QFont(item.font(col))
        font.setBold(True)
        item.setFont(col, font)


def table_tree(columns: list[str], name: str) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setObjectName(name)
    tree.setColumnCount(len(columns))
    tree.setHeaderLabels([tr(c) for c in columns])
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    tree.setWordWrap(False)
    tree.header().setStretchLastSection(True)
    tree.header().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    return tree


def detail_label(tree: QTreeWidget, column: int, name: str) -> QLabel:
    """A label under ``tree`` showing the full text of ``column`` for the current row.

    Reasons are often longer than the column; this shows them whole without a hover.
    """
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def show(current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        label.setText(
            "" if current is None else f"<b>{current.text(0)}</b>: {current.text(column)}"
        )

    tree.currentItemChanged.connect(show)
    return label
