"""The row form's "Tahun-tahun sebelumnya": a continuing indicator's earlier periods.

Read-only figures of the rows this one continues (``app.services.continuation``), so a
focal point entering 2025 sees what the indicator reached in 2022–2024. Pokja links the
row to its previous-period row here and removes the link; the section does that writing
itself (one service call each) and says through :attr:`changed` that the history moved.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.numbers import format_number
from app.models.db import Database
from app.services.continuation import (
    ContinuationError,
    EarlierYear,
    candidates_previous,
    earlier_years,
    link_previous,
    previous_of,
    unlink_previous,
)
from app.services.links import LinkedRow
from app.ui.link_dialog import LinkDialog


def tr(text: str) -> str:
    return QCoreApplication.translate("RowForm", text)


COLUMNS = ["Tahun", "Target", "L", "P", "Dis.", "Total", "Capaian", "Rencana"]


def _pct(value: object) -> str:
    return "" if value is None else f"{format_number(value, 2)} %"  # type: ignore[arg-type]


class EarlierYearsSection(QWidget):
    """Collapsible; opened by default when there is something to show."""

    changed = Signal()  # a link was made or removed: the row's history has a new entry

    def __init__(self, db: Database, user: str, *, pokja: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.user, self.pokja = db, user, pokja
        self.row_id: int | None = None
        self.title = ""
        self.previous: LinkedRow | None = None
        self.years: list[EarlierYear] = []
        self.setObjectName("earlier")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 4)
        self.toggle = QToolButton()
        self.toggle.setObjectName("earlier-toggle")
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setStyleSheet("QToolButton { border: none; font-weight: bold; }")
        self.toggle.toggled.connect(self._expand)
        lay.addWidget(self.toggle)
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(16, 0, 0, 0)
        self.source = QLabel()
        self.source.setObjectName("earlier-source")
        self.source.setWordWrap(True)
        self.source.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        body.addWidget(self.source)
        self.table = QTreeWidget()
        self.table.setObjectName("earlier-years")
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setAlternatingRowColors(True)
        self.table.setHeaderLabels([tr(c) for c in COLUMNS])
        header = self.table.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # A target as printed can be a sentence: a fixed column, elided, whole in the tooltip.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 140)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        body.addWidget(self.table)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        body.addWidget(self.error)
        buttons = QHBoxLayout()
        self.link_button = QPushButton(tr("Tautkan ke baris periode sebelumnya…"))
        self.link_button.setObjectName("link-previous")
        self.link_button.clicked.connect(lambda _checked=False: self.choose())
        self.unlink_button = QPushButton(tr("Lepas tautan"))
        self.unlink_button.setObjectName("unlink-previous")
        self.unlink_button.clicked.connect(lambda _checked=False: self.unlink())
        buttons.addWidget(self.link_button)
        buttons.addWidget(self.unlink_button)
        buttons.addStretch(1)
        # Only Pokja decides which rows continue which (a plan-level decision).
        self.link_button.setVisible(pokja)
        self.unlink_button.setVisible(pokja)
        body.addLayout(buttons)
        lay.addWidget(self.body)
        self.show_row(None)

    def _expand(self, on: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.body.setVisible(on)

    def show_row(self, row_id: int | None, title: str = "") -> None:
        """Read the chain of earlier periods of ``row_id`` (``None``: nothing)."""
        self.row_id, self.title = row_id, title
        self.previous, self.years = None, []
        if row_id is not None:
            with self.db.begin() as s:
                self.previous = previous_of(s, row_id)
                self.years = earlier_years(s, row_id)
        self.error.hide()
        self.toggle.setText(
            tr("Tahun-tahun sebelumnya")
            + (f" ({self.years[0].year}–{self.years[-1].year})" if self.years else "")
        )
        if self.previous is not None:
            self.source.setText(
                tr("Melanjutkan baris {p}: {t}")
                .replace("{p}", self.previous.plan_label)
                .replace("{t}", self.previous.title)
            )
        else:
            self.source.setText(
                tr(
                    "Baris ini belum ditautkan ke baris periode sebelumnya. Pokja dapat "
                    "menautkannya bila indikator ini melanjutkan indikator rencana lama."
                )
            )
        self.table.clear()
        for e in self.years:
            bd = e.realisation.breakdown if e.realisation is not None else None
            cells = [
                str(e.year),
                e.target_text or "–",
                format_number(bd.male) if bd else "",
                format_number(bd.female) if bd else "",
                format_number(bd.disabled) if bd else "",
                format_number(bd.effective_total) if bd else tr("belum diisi"),
                _pct(e.achievement),
                e.plan_label,  # the row's title is in the tooltip and above the table
            ]
            item = QTreeWidgetItem(cells)
            for col in (2, 3, 4, 5, 6):
                item.setTextAlignment(col, Qt.AlignmentFlag.AlignRight)
            item.setToolTip(1, e.target_text)
            item.setToolTip(7, f"{e.plan_label} · {e.title} ({e.row_key})")
            self.table.addTopLevelItem(item)
        self.table.setVisible(bool(self.years))
        # Room for one plan's years without a scrollbar, no more (the form scrolls).
        shown = min(max(len(self.years), 1), 8)
        row_h = self.table.sizeHintForRow(0) if self.years else 20
        frame = 2 * self.table.frameWidth() + 2
        self.table.setFixedHeight(self.table.header().sizeHint().height() + shown * row_h + frame)
        self.link_button.setEnabled(row_id is not None and self.previous is None)
        self.unlink_button.setEnabled(self.previous is not None)
        self.toggle.setChecked(bool(self.years))
        self._expand(bool(self.years))

    def choose(self) -> None:
        if self.row_id is None:
            return
        with self.db.begin() as s:
            options = candidates_previous(s, self.row_id)
        dialog = LinkDialog(
            self.title,
            options,
            self,
            heading=tr("Tautkan ke baris periode sebelumnya"),
            intro=tr(
                "Pilih baris rencana periode sebelumnya yang dilanjutkan oleh “{t}”. "
                "Realisasinya tidak dibagi: tahun-tahun baris itu tampil di formulir dan "
                "laporan sebagai riwayat indikator ini."
            ),
            empty=tr("Tidak ada rencana yang berakhir sebelum periode rencana ini."),
        )
        if dialog.exec() != LinkDialog.DialogCode.Accepted or dialog.chosen is None:
            return
        self.link(dialog.chosen.row_id)

    def link(self, previous_row_id: int) -> bool:
        assert self.row_id is not None
        try:
            link_previous(self.db, self.row_id, previous_row_id, self.user)
        except ContinuationError as exc:
            self.error.setText(str(exc))
            self.error.show()
            self.toggle.setChecked(True)
            return False
        self.show_row(self.row_id, self.title)
        self.changed.emit()
        return True

    def unlink(self) -> None:
        if self.row_id is None or self.previous is None:
            return
        unlink_previous(self.db, self.row_id, self.user)
        self.show_row(self.row_id, self.title)
        self.changed.emit()
