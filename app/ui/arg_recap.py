"""Recap of the ARG evaluation (Tabel 5.4 with the Tabel 5.5 class) for an OPD or all.

A table model over ``arg_store.recap`` rows, sortable through a proxy; for Pokja a second
table counts kegiatan per class per OPD. Both read the same scoring as the dialog, so
the recap and the dialog cannot disagree. "Cetak…" prints the recap as shown (order
included) through the system's print dialog, which also offers printing to PDF.
"""

from __future__ import annotations

from html import escape
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QPageLayout, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.arg import QuestionSet
from app.models.db import Database
from app.services.arg_store import INCOMPLETE, RecapRow, assessable_nodes, class_counts, recap

CLASS_BACKGROUNDS = {
    "Responsif Gender": "#d8f0df",
    "Kurang Responsif Gender": "#fdebc8",
    "Tidak Responsif Gender": "#f8d7d4",
}
CLASS_ORDER = ["Responsif Gender", "Kurang Responsif Gender", "Tidak Responsif Gender", INCOMPLETE]

_Index = QModelIndex | QPersistentModelIndex


def tr(text: str) -> str:
    return QCoreApplication.translate("ArgRecap", text)


class RecapModel(QAbstractTableModel):
    HEADERS = (
        "Perangkat Daerah",
        "Kegiatan / Sub Kegiatan",
        "Tingkat",
        "Ya Renc.",
        "Ya Pelaks.",
        "Ya Pertgj.",
        "Jumlah Ya",
        "Jumlah Tidak",
        "Klasifikasi",
    )
    HEADER_TIPS: ClassVar[dict[int, str]] = {
        3: "Jawaban Ya tahap perencanaan (Tabel 5.1)",
        4: "Jawaban Ya tahap pelaksanaan (Tabel 5.2)",
        5: "Jawaban Ya tahap pertanggungjawaban (Tabel 5.3)",
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[RecapRow] = []
        self.set_titles: dict[str, str] = {}  # question set version -> its title

    def set_rows(self, rows: list[RecapRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return tr(self.HEADERS[section])
        if role == Qt.ItemDataRole.ToolTipRole and section in self.HEADER_TIPS:
            return tr(self.HEADER_TIPS[section])
        return None

    def _value(self, r: RecapRow, col: int) -> Any:
        sc = r.score
        return [
            r.node.opd_name,
            r.node.name,
            "Sub Kegiatan" if r.node.level == "sub_kegiatan" else "Kegiatan",
            sc.stages[0].ya if len(sc.stages) > 0 else 0,
            sc.stages[1].ya if len(sc.stages) > 1 else 0,
            sc.stages[2].ya if len(sc.stages) > 2 else 0,
            sc.total_ya,
            sc.total_tidak,
            sc.klass or tr("Belum lengkap (kurang {n})").replace("{n}", str(sc.missing)),
        ][col]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._value(r, col)
        if role == Qt.ItemDataRole.UserRole:  # sort key: numbers as numbers
            v = self._value(r, col)
            if col == 8:
                return CLASS_ORDER.index(r.score.klass or INCOMPLETE)
            return v
        if role == Qt.ItemDataRole.BackgroundRole and col == 8:
            return QColor(CLASS_BACKGROUNDS.get(r.score.klass or "", "#eeeeee"))
        if role == Qt.ItemDataRole.TextAlignmentRole and 3 <= col <= 7:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"{r.node.name}\n{tr('Bagian dari')}: {r.node.parent_name}\n"
                f"{tr('Terakhir diisi')}: {r.answered_by}, {r.answered_at:%d-%m-%Y %H:%M}\n"
                f"{tr('Set pertanyaan')}: {self.set_titles.get(r.version) or r.version}"
            )
        return None


class CountsModel(QAbstractTableModel):
    """Kegiatan per class per OPD (Pokja's view)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[tuple[str, dict[str, int]]] = []

    def set_counts(self, counts: dict[str, Any]) -> None:
        self.beginResetModel()
        self.items = sorted((k, dict(v)) for k, v in counts.items())
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2 + len(CLASS_ORDER)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (["Perangkat Daerah", *CLASS_ORDER, "Jumlah"])[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        name, counts = self.items[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.UserRole):
            if col == 0:
                return name
            if col <= len(CLASS_ORDER):
                return counts.get(CLASS_ORDER[col - 1], 0)
            return sum(counts.values())
        if (
            role == Qt.ItemDataRole.BackgroundRole
            and 1 <= col <= 3
            and counts.get(CLASS_ORDER[col - 1], 0)
        ):
            return QColor(CLASS_BACKGROUNDS[CLASS_ORDER[col - 1]])
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class ArgRecapView(QWidget):
    """The recap for a year: an OPD's kegiatan, or (Pokja) every OPD plus class counts."""

    openRequested = Signal(int)  # node id, to open the checklist from the recap

    def __init__(
        self,
        db: Database,
        plan_id: int,
        years: list[int],
        year: int,
        qsets: dict[str, QuestionSet],
        *,
        opd_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.plan_id, self.qsets, self.opd_id = db, plan_id, qsets, opd_id
        self.setWindowTitle(tr("Rekap Evaluasi ARG (Tabel 5.4 / 5.5)"))
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Tahun:")))
        self.year_box = QComboBox()
        for y in years:
            self.year_box.addItem(str(y), y)
        self.year_box.setCurrentIndex(max(0, years.index(year) if year in years else 0))
        self.year_box.currentIndexChanged.connect(self.reload)
        bar.addWidget(self.year_box)
        self.summary = QLabel()
        bar.addWidget(self.summary, 1)
        self.print_button = QPushButton(tr("&Cetak…"))
        self.print_button.setObjectName("print")
        self.print_button.setToolTip(tr("Cetak rekap ini ke printer atau ke berkas PDF."))
        self.print_button.clicked.connect(self.print_recap)
        bar.addWidget(self.print_button)
        layout.addLayout(bar)

        self.model = RecapModel(self)
        self.model.set_titles = {v: q.title for v, q in qsets.items() if q.title}
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = self._table(self.proxy)
        self.table.doubleClicked.connect(self._open)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.counts = CountsModel(self)
        counts_proxy = QSortFilterProxyModel(self)
        counts_proxy.setSourceModel(self.counts)
        counts_proxy.setSortRole(Qt.ItemDataRole.UserRole)
        counts_proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.counts_table = self._table(counts_proxy)
        self.counts_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        counts_box = QWidget()
        counts_layout = QVBoxLayout(counts_box)
        counts_layout.setContentsMargins(0, 4, 0, 0)
        counts_layout.addWidget(
            QLabel(tr("<b>Jumlah kegiatan per klasifikasi per Perangkat Daerah</b>"))
        )
        counts_layout.addWidget(self.counts_table)
        split.addWidget(counts_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        counts_box.setVisible(opd_id is None)
        layout.addWidget(split, 1)
        self.reload()

    def _table(self, model: QSortFilterProxyModel) -> QTableView:
        t = QTableView()
        t.setModel(model)
        t.setSortingEnabled(True)
        t.setAlternatingRowColors(True)
        t.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        t.verticalHeader().setVisible(False)
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        t.horizontalHeader().setStretchLastSection(False)
        t.setWordWrap(False)
        return t

    @property
    def year(self) -> int:
        return int(self.year_box.currentData())

    def reload(self) -> None:
        with self.db.begin() as s:
            rows = recap(s, self.plan_id, self.year, self.qsets, self.opd_id)
            self.assessable = len(assessable_nodes(s, self.plan_id, self.opd_id))
        self.model.set_rows(rows)
        self.counts.set_counts(class_counts(rows, self.qsets))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The kegiatan name takes what is left, so the class column is always in view.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.counts_table.resizeColumnsToContents()
        self.summary.setText(
            self.figures()
            + " "
            + tr("Klik judul kolom untuk mengurutkan; klik dua kali untuk membuka instrumen.")
        )

    def figures(self) -> str:
        """``12 dari 40 kegiatan/sub kegiatan dinilai, 9 lengkap.``"""
        rows = self.model.rows
        return (
            tr("{n} dari {t} kegiatan/sub kegiatan dinilai, {c} lengkap.")
            .replace("{n}", str(len(rows)))
            .replace("{t}", str(self.assessable))
            .replace("{c}", str(sum(1 for r in rows if r.score.klass)))
        )

    # -- printing ---------------------------------------------------------------------
    def print_recap(self) -> None:
        """Ask for a printer (or PDF) and print the recap as shown."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        # Nine columns with kegiatan names: landscape unless the user picks otherwise.
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        doc = QTextDocument()
        doc.setHtml(self.printable_html())
        doc.print_(printer)

    def printable_html(self) -> str:
        """The recap as a printable page: title, year, figures, the tables in view order."""
        parts = [
            f"<h3>{escape(self.windowTitle())}</h3>",
            f"<p>{escape(tr('Tahun'))} {self.year}. {escape(self.figures())}</p>",
            _html_table(self.table, wide=1),
        ]
        if self.opd_id is None:
            title = tr("Jumlah kegiatan per klasifikasi per Perangkat Daerah")
            parts += [f"<h4>{escape(title)}</h4>", _html_table(self.counts_table)]
        return '<div style="font-size: 8pt;">' + "\n".join(parts) + "</div>"

    def _open(self, index: QModelIndex) -> None:
        row = self.model.rows[self.proxy.mapToSource(index).row()]
        self.openRequested.emit(row.node.id)


def _shown(value: Any) -> str:
    return "" if value is None else str(value)  # a count of 0 is printed, not blanked


def _html_table(view: QAbstractItemView, wide: int | None = None) -> str:
    """A view's rows as an HTML table, in the order (sorting) the user sees them.

    Column ``wide`` (the kegiatan name) gets a third of the width; the rest share it.
    """
    model = view.model()
    cols = range(model.columnCount())

    def th(c: int) -> str:
        width = ' width="34%"' if c == wide else ""
        return f"<th{width}>{escape(_shown(model.headerData(c, Qt.Orientation.Horizontal)))}</th>"

    head = "".join(th(c) for c in cols)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{escape(_shown(model.index(r, c).data()))}</td>" for c in cols)
        + "</tr>"
        for r in range(model.rowCount())
    )
    return (
        '<table border="1" cellspacing="0" cellpadding="3" width="100%">'
        f"<tr>{head}</tr>{body}</table>"
    )
