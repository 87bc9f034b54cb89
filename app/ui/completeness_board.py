"""Papan Kelengkapan Kiriman: Pokja's view of which OPD sent what for which year.

A table model over ``core.completeness.build_board`` (one row per OPD; per year the
submission state, rows filled and ARG classes), sortable and filterable through a
proxy. Double-click or "Buka data OPD" emits ``open_opd(code, year)`` for the main
window to filter its tree; "Bandingkan revisi…" lists what changed between two stored
revisions of the selected OPD and year (``core.revisions``). Per year a PPRG column
counts the GAP/GBS received and reviewed; "Telaah PPRG…" opens the review list of the
selected OPD and year, "Isi realisasi Inspektorat…" writes the year's reviewed total
as the realisation of the row Pokja chose once (``core.pprg_counts``).
"""

from __future__ import annotations

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
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models.db import Database
from app.services import catalog
from app.services.completeness import (
    CLASS_ORDER,
    CLASS_SHORT,
    NONE,
    REFUSED,
    SIGNED,
    STATE_ORDER,
    UNSIGNED,
    Board,
    BoardRow,
    Cell,
    build_board,
    share_text,
)
from app.ui.board_pprg import fill_inspektorat, pprg_text, pprg_tip
from app.ui.revision_dialog import RevisionCompareDialog

_Index = QModelIndex | QPersistentModelIndex

STATE_BACKGROUNDS = {
    NONE: "#eee3e3",  # grey with a red tint: nothing received yet
    REFUSED: "#f4c7c3",
    UNSIGNED: "#fde3b0",
    SIGNED: "#d3efdc",
}
STATE_LEGEND = (
    (SIGNED, "bertanda tangan"),
    (UNSIGNED, "tanpa tanda tangan"),
    (REFUSED, "hanya ditolak"),
    (NONE, "belum ada kiriman"),
)
# Roles beyond the display: what sorting, filtering and the actions read.
SORT_ROLE = Qt.ItemDataRole.UserRole
FILTER_ROLE = Qt.ItemDataRole.UserRole + 1
CELL_ROLE = Qt.ItemDataRole.UserRole + 2  # (opd_code, year | None)


def tr(text: str) -> str:
    return QCoreApplication.translate("CompletenessBoard", text)


def state_text(cell: Cell) -> str:
    """The cell's state for people, through tr() (the core text is the CLI's)."""
    if cell.state == NONE:
        return tr("belum ada")
    if cell.state == REFUSED:
        n = cell.refused_after
        return tr("ditolak") if n <= 1 else tr("ditolak ({n}×)").replace("{n}", str(n))
    assert cell.received_at is not None
    text = (
        tr("revisi {r} · {d}")
        .replace("{r}", str(cell.revision))
        .replace("{d}", f"{cell.received_at:%d-%m-%Y}")
    )
    if cell.state == UNSIGNED:
        text += " · " + tr("tanpa tanda tangan")
    if cell.corrections:
        text += " " + tr("+ {n} koreksi Pokja").replace("{n}", str(cell.corrections))
    if cell.refused:
        text += " · " + tr("{n} ditolak sesudahnya").replace("{n}", str(cell.refused_after))
    return text


def _cell_tip(row: BoardRow, cell: Cell) -> str:
    lines = [f"{row.opd_name} — {cell.year}"]
    if cell.state in (SIGNED, UNSIGNED):
        assert cell.received_at is not None
        lines.append(
            tr("Revisi {r} diterima {t}, berkas {f}")
            .replace("{r}", str(cell.revision))
            .replace("{t}", f"{cell.received_at:%d-%m-%Y %H:%M}")
            .replace("{f}", cell.file_name or "–")
        )
        lines.append(
            tr("Bertanda tangan") if cell.state == SIGNED else tr("Tanpa tanda tangan (isian)")
        )
        if cell.corrections:
            lines.append(
                tr("{n} nilai sudah dikoreksi Pokja (ditandai di formulir dan laporan)").replace(
                    "{n}", str(cell.corrections)
                )
            )
        lines.append(tr("Revisi tersimpan: {n}").replace("{n}", str(cell.revisions)))
    elif cell.state == NONE:
        lines.append(tr("Belum ada berkas yang diterima."))
    for r in cell.refused[-3:]:
        lines.append(
            tr("Ditolak {t} ({f}): {why}")
            .replace("{t}", f"{r.at:%d-%m-%Y %H:%M}")
            .replace("{f}", r.file_name)
            .replace("{why}", r.reason[:200])
        )
    return "\n".join(lines)


def _classes_tip(cell: Cell) -> str:
    if not cell.classes:
        return tr("Belum ada kegiatan yang dinilai (instrumen ARG).")
    return "\n".join(f"{c}: {cell.classes[c]}" for c in CLASS_ORDER if cell.classes.get(c))


class BoardModel(QAbstractTableModel):
    """OPD rows; per shown year three columns (kiriman, baris terisi, ARG); a total."""

    KINDS = ("state", "filled", "arg", "pprg")
    HEADER: ClassVar[dict[str, str]] = {
        "state": "Kiriman {y}",
        "filled": "Terisi {y}",
        "arg": "Kelas ARG {y}",
        "pprg": "PPRG {y}",
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.board: Board | None = None
        self.rows: list[BoardRow] = []
        self.years: list[int] = []
        self.columns: list[tuple[str, int | None]] = []

    # -------------------------------------------------------------- content
    def set_board(self, board: Board, years: list[int] | None = None) -> None:
        self.beginResetModel()
        self.board = board
        self.rows = board.rows
        self._set_columns(list(board.years if years is None else years))
        self.endResetModel()

    def set_years(self, years: list[int]) -> None:
        self.beginResetModel()
        self._set_columns(list(years))
        self.endResetModel()

    def _set_columns(self, years: list[int]) -> None:
        # A province board asks data() for tens of thousands of cells on a sort or a
        # filter; the column layout is worked out once here, not on every call.
        self.years = years
        n = len(self.KINDS)
        columns: list[tuple[str, int | None]] = [("opd", None)]
        columns += [(self.KINDS[i % n], years[i // n]) for i in range(n * len(years))]
        if len(years) > 1:
            columns.append(("total", None))
        self.columns = columns

    def column_of(self, col: int) -> tuple[str, int | None]:
        """What a column shows: ("opd", None), (kind, year) or ("total", None)."""
        return self.columns[col] if 0 <= col < len(self.columns) else ("total", None)

    def display_text(self, row: int, col: int) -> str:
        """The text a cell shows, without going through Qt (the board measures columns)."""
        r = self.rows[row]
        kind, year = self.columns[col]
        return self._display(r, kind, None if year is None else r.cells[year])

    # -------------------------------------------------------------- Qt API
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        kind, year = self.column_of(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if kind == "opd":
                return tr("Perangkat Daerah")
            if kind == "total":
                return tr("Terisi total")
            return tr(self.HEADER[kind]).replace("{y}", str(year))
        if role == Qt.ItemDataRole.ToolTipRole:
            if kind == "filled":
                return tr("Baris dengan realisasi tahunan terisi / semua baris OPD")
            if kind == "arg":
                legend = ", ".join(f"{CLASS_SHORT[c]} = {c}" for c in CLASS_ORDER)
                return tr("Jumlah kegiatan per klasifikasi Tabel 5.5: ") + legend
            if kind == "state":
                return tr("Revisi yang berlaku dan tanggal diterima")
            if kind == "pprg":
                return tr("Dokumen GAP/GBS yang diterima dan yang sudah ditelaah (versi terakhir)")
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        r, c = index.row(), index.column()
        if not (0 <= r < len(self.rows) and 0 <= c < len(self.columns)):
            return None
        row = self.rows[r]
        kind, year = self.columns[c]
        cell = None if year is None else row.cells[year]
        if role == CELL_ROLE:
            return (row.opd_code, year)
        if role == FILTER_ROLE:
            return f"{row.short_name} {row.opd_name} {row.opd_code}"
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, kind, cell)
        if role == SORT_ROLE:
            return self._sort_key(row, kind, cell)
        if role == Qt.ItemDataRole.BackgroundRole and kind == "state" and cell is not None:
            return QColor(STATE_BACKGROUNDS[cell.state])
        if role == Qt.ItemDataRole.ToolTipRole:
            if kind == "opd":
                return f"{row.opd_name}\n{row.opd_code}"
            if kind == "state" and cell is not None:
                return _cell_tip(row, cell)
            if kind == "arg" and cell is not None:
                return _classes_tip(cell)
            if kind == "pprg" and cell is not None:
                return pprg_tip(cell.pprg)
        if role == Qt.ItemDataRole.TextAlignmentRole and kind in ("filled", "total"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: BoardRow, kind: str, cell: Cell | None) -> str:
        if kind == "opd":
            return row.short_name
        if kind == "total":
            shown = [row.cells[y] for y in self.years]
            return share_text(sum(c.filled for c in shown), row.rows * len(shown))
        assert cell is not None
        if kind == "state":
            return state_text(cell)
        if kind == "filled":
            return cell.filled_text
        if kind == "pprg":
            return pprg_text(cell.pprg)
        return cell.classes_text or "–"

    def _sort_key(self, row: BoardRow, kind: str, cell: Cell | None) -> Any:
        if kind == "opd":
            return row.short_name.casefold()
        if kind == "total":
            shown = [row.cells[y] for y in self.years]
            possible = row.rows * len(shown)
            return sum(c.filled for c in shown) / possible if possible else 0.0
        assert cell is not None
        if kind == "state":
            stamp = cell.received_at.timestamp() if cell.received_at else 0.0
            return STATE_ORDER.index(cell.state) * 1e11 + stamp
        if kind == "filled":
            return cell.percent
        if kind == "pprg":
            return float(cell.pprg.received * 10_000 + cell.pprg.reviewed)
        return float(sum(cell.classes.values()))


class CompletenessBoard(QWidget):
    """Pokja's board of submissions per OPD and year."""

    open_opd = Signal(str, int)  # OPD code, year: the main window filters its tree
    # row id, year, old values, new values: the main window puts the write on its undo stack
    realisation_written = Signal(int, int, object, object)

    def __init__(
        self,
        db: Database,
        plan_code: str,
        year: int | None,
        parent: QWidget | None = None,
        *,
        user: str = "",
    ) -> None:
        super().__init__(parent)
        self.db, self.plan_code, self.user = db, plan_code, user
        with db.begin() as s:
            plan = catalog.get_plan(s, plan_code)
            self.plan_years = plan.years
        self.given_year = year if year in self.plan_years else None
        self.default_year = self.plan_years[0]
        self.setWindowTitle(tr("Papan Kelengkapan Kiriman"))
        layout = QVBoxLayout(self)
        # Every pixel of height goes to rows: 33 OPDs must fit a 1366×768 screen.
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)

        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Tahun:")))
        self.year_box = QComboBox()
        self.year_box.addItem(tr("Semua tahun"), None)
        for y in self.plan_years:
            self.year_box.addItem(str(y), y)
        self.year_box.setCurrentIndex(0 if year is None else self.year_box.findData(year))
        bar.addWidget(self.year_box)
        bar.addSpacing(12)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(tr("Saring nama Perangkat Daerah…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMinimumWidth(260)
        bar.addWidget(self.filter_edit)
        bar.addSpacing(12)
        self.summary = QLabel()
        bar.addWidget(self.summary, 1)
        layout.addLayout(bar)

        self.model = BoardModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterRole(FILTER_ROLE)
        self.proxy.setFilterKeyColumn(0)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        # Compact rows: one line of text and a little air (the style's default is taller).
        rows = self.table.verticalHeader()
        rows.setMinimumSectionSize(1)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 2)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._legend())

        buttons = QHBoxLayout()
        self.hint = QLabel(
            tr("Klik dua kali sebuah sel untuk membuka data OPD pada tahun itu di pohon.")
        )
        self.hint.setStyleSheet("color:#555;")
        buttons.addWidget(self.hint, 1)
        self.reload_button = QPushButton(tr("&Muat ulang"))
        self.open_button = QPushButton(tr("&Buka data OPD"))
        self.compare_button = QPushButton(tr("Bandingkan &revisi…"))
        self.pprg_button = QPushButton(tr("&Telaah PPRG…"))
        self.inspektorat_button = QPushButton(tr("Isi realisasi &Inspektorat…"))
        self.inspektorat_button.setToolTip(
            tr("Isi realisasi baris Inspektorat dari jumlah dokumen PPRG yang ditelaah")
        )
        for b in (
            self.reload_button,
            self.pprg_button,
            self.inspektorat_button,
            self.compare_button,
            self.open_button,
        ):
            buttons.addWidget(b)
        layout.addLayout(buttons)

        self.year_box.currentIndexChanged.connect(self._year_changed)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.table.doubleClicked.connect(self._activated)
        self.reload_button.clicked.connect(self.refresh)
        self.open_button.clicked.connect(self._open_selected)
        self.compare_button.clicked.connect(self.compare_selected)
        self.pprg_button.clicked.connect(self.open_pprg)
        self.inspektorat_button.clicked.connect(self.fill_inspektorat)
        self.table.selectionModel().currentChanged.connect(self._update_buttons)
        self.refresh()

    def _legend(self) -> QHBoxLayout:
        """What the colours of the Kiriman columns and the ARG class abbreviations mean."""
        row = QHBoxLayout()
        row.setSpacing(4)
        self.legend_chips: list[QLabel] = []
        for state, text in STATE_LEGEND:
            chip = QLabel(tr(text))
            chip.setStyleSheet(
                f"background:{STATE_BACKGROUNDS[state]}; padding:1px 6px; border-radius:3px;"
            )
            self.legend_chips.append(chip)
            row.addWidget(chip)
        row.addSpacing(12)
        self.class_legend = QLabel(
            tr("Kelas ARG (Tabel 5.5): ")
            + ", ".join(f"{CLASS_SHORT[c]} = {tr(c).lower()}" for c in CLASS_ORDER)
        )
        self.class_legend.setObjectName("class_legend")
        self.class_legend.setToolTip(
            tr("Belum lengkap: kegiatan yang belum semua pertanyaan ARG-nya dijawab.")
        )
        self.class_legend.setStyleSheet("color:#444;")
        row.addWidget(self.class_legend, 1)
        return row

    # -------------------------------------------------------------- state
    @property
    def years(self) -> list[int]:
        y = self.year_box.currentData()
        return list(self.plan_years) if y is None else [int(y)]

    def refresh(self) -> None:
        """Re-read the board from the database (after an import, for instance)."""
        with self.db.begin() as s:
            board = build_board(s, catalog.get_plan(s, self.plan_code), beside=self.db.sessions)
        # Actions on the OPD column with all years shown use the year asked for, else the
        # latest year anyone has sent something for (what Pokja is collecting now).
        sent = [y for y in board.years if board.received(y)]
        self.default_year = self.given_year or (sent[-1] if sent else board.years[0])
        self.model.set_board(board, self.years)
        self._after_reset()

    def _year_changed(self) -> None:
        self.model.set_years(self.years)
        self._after_reset()

    def _after_reset(self) -> None:
        board = self.model.board
        assert board is not None
        n = len(board.rows)
        parts = [
            tr("{y}: {k} dari {n} OPD mengirim")
            .replace("{y}", str(y))
            .replace("{k}", str(board.received(y)))
            .replace("{n}", str(n))
            for y in self.years
        ]
        reviewed = [
            tr("{y}: {p} dokumen PPRG ditelaah")
            .replace("{y}", str(y))
            .replace("{p}", str(board.pprg_reviewed(y)))
            for y in self.years
        ]
        # With one year the PPRG total fits the line; with all years it would widen the
        # board past a 1366-pixel screen, so it is in the tooltip only.
        if len(self.years) == 1:
            parts[0] += ", " + reviewed[0].split(": ", 1)[1]
        self.summary.setText(" · ".join(parts))
        self.summary.setToolTip("\n".join(reviewed))
        self._fit_columns()
        self._update_buttons()

    def _fit_columns(self) -> None:
        """Size each column to its widest text once per reset.

        Qt's ResizeToContents re-measured up to a thousand rows of every column on each
        sort, filter keystroke and repaint: over a province's 1,254 OPDs that was half a
        million data() calls and seconds per click. The widest text by characters is a
        close stand-in for the widest in pixels, so only a few per column are measured.
        """
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)  # no empty band right of the last column
        metrics = self.table.fontMetrics()
        style = self.table.style()
        # The item delegate's text margins (as in Qt's own size hint) and the grid line.
        pad = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1) + 4
        n = len(self.model.rows)
        for col in range(self.model.columnCount()):
            texts = sorted((self.model.display_text(r, col) for r in range(n)), key=len)
            widest = max((metrics.horizontalAdvance(t) for t in texts[-8:]), default=0)
            width = max(widest + pad, header.sectionSizeHint(col))
            header.resizeSection(col, width)

    def selected(self) -> tuple[str, int] | None:
        """The OPD and year of the current cell (year: the column's, else the default)."""
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        code, year = index.data(CELL_ROLE)
        if year is None:
            year = self.years[0] if len(self.years) == 1 else self.default_year
        return str(code), int(year)

    def _cell(self, code: str, year: int) -> tuple[BoardRow, Cell]:
        board = self.model.board
        assert board is not None
        row = board.row(code)
        return row, row.cells[year]

    def _update_buttons(self) -> None:
        sel = self.selected()
        self.open_button.setEnabled(sel is not None)
        can_compare = sel is not None and self._cell(*sel)[1].revisions >= 2
        self.compare_button.setEnabled(can_compare)
        self.compare_button.setToolTip(
            ""
            if can_compare
            else tr("Pilih sel OPD dan tahun yang memiliki sedikitnya dua revisi tersimpan.")
        )

    # -------------------------------------------------------------- actions
    def _activated(self, index: QModelIndex) -> None:
        self.table.setCurrentIndex(index)
        self._open_selected()

    def _open_selected(self) -> None:
        sel = self.selected()
        if sel is not None:
            self.open_opd.emit(*sel)

    def compare_dialog(self) -> RevisionCompareDialog | None:
        """The comparison dialog for the selected OPD and year (not yet shown)."""
        sel = self.selected()
        if sel is None:
            return None
        row, _ = self._cell(*sel)
        return RevisionCompareDialog(
            self.db, self.plan_code, row.opd_code, row.opd_name, sel[1], self
        )

    def compare_selected(self) -> None:
        dlg = self.compare_dialog()
        if dlg is not None:
            dlg.exec()

    def pprg_dialog(self) -> QWidget:
        """The Telaah PPRG list, on the selected OPD and year when a cell is selected."""
        from app.ui.pprg_review_dialog import PprgReviewDialog

        sel = self.selected()
        dialog = PprgReviewDialog(
            self.db,
            received=True,
            user=self.user,
            opd_code=sel[0] if sel else None,
            year=sel[1] if sel else None,
            parent=self,
        )
        dialog.changed.connect(self.refresh)
        return dialog

    def open_pprg(self) -> None:
        dialog = self.pprg_dialog()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def fill_inspektorat(self) -> bool:
        """Write the shown year's reviewed total into the Inspektorat row (asked first)."""
        year = self.years[0] if len(self.years) == 1 else self.default_year
        done = fill_inspektorat(self, self.hint, self.db, self.plan_code, year, self.user)
        if done is None:
            return False
        self.realisation_written.emit(*done)
        self.refresh()
        return True
