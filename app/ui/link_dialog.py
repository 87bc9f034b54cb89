"""Choosing the row of another plan that is the same activity (see app/services/links.py)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.search import normalise
from app.services.links import LinkedRow
from app.ui.window_size import remember_size


def tr(text: str) -> str:
    return QCoreApplication.translate("LinkDialog", text)


class LinkDialog(QDialog):
    """A filterable list of candidate rows, most similar first; ``chosen`` after OK."""

    def __init__(
        self,
        title: str,
        options: list[LinkedRow],
        parent: QWidget | None = None,
        *,
        heading: str | None = None,
        intro: str | None = None,
        empty: str | None = None,
    ) -> None:
        # heading/intro/empty: the same chooser serves the link to the previous period
        # (app/ui/row_earlier.py), which shares nothing and says so.
        super().__init__(parent)
        self.setWindowTitle(heading or tr("Tautkan dengan baris rencana lain"))
        remember_size(self, "link", 760, 520)
        self.chosen: LinkedRow | None = None
        layout = QVBoxLayout(self)
        label = QLabel(
            (
                intro
                or tr(
                    "Pilih baris rencana lain yang merupakan kegiatan yang sama dengan "
                    "“{t}”. Setelah ditautkan, realisasi yang diisi di satu baris "
                    "berlaku juga di baris tautannya untuk tahun yang sama."
                )
            ).replace("{t}", title)
        )
        label.setWordWrap(True)
        layout.addWidget(label)
        self.filter = QLineEdit()
        self.filter.setObjectName("filter")
        self.filter.setPlaceholderText(tr("Saring…"))
        self.filter.setClearButtonEnabled(True)
        layout.addWidget(self.filter)
        self.list = QListWidget()
        self.list.setObjectName("candidates")
        for option in options:
            text = f"{option.plan_label} · {option.title}"
            if option.sub_kegiatan and option.sub_kegiatan != option.title:
                text += f"\n    {tr('Sub kegiatan')}: {option.sub_kegiatan}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, option)
            item.setToolTip(
                tr("Kemiripan uraian: {p} %").replace("{p}", str(round(option.score * 100)))
            )
            self.list.addItem(item)
        if options:
            self.list.setCurrentRow(0)
        layout.addWidget(self.list, 1)
        if not options:
            layout.addWidget(
                QLabel(
                    empty
                    or tr(
                        "Tidak ada baris Perangkat Daerah ini di rencana lain "
                        "yang periodenya beririsan."
                    )
                )
            )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Tautkan"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Batal"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self._filter)
        self.list.itemDoubleClicked.connect(lambda _item: self._accept())

    def _filter(self, text: str) -> None:
        words = normalise(text).split()
        for i in range(self.list.count()):
            item = self.list.item(i)
            hay = normalise(item.text())
            item.setHidden(not all(w in hay for w in words))

    def _accept(self) -> None:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return
        self.chosen = item.data(Qt.ItemDataRole.UserRole)
        self.accept()
