"""The plan browser: plan and year choice, search and filter, and the plan tree.

The tree paints from each OPD's counts and reads an OPD's rows and figures when it is
opened (``PlanRows``, ``PlanModel.lazy``); every row is read once, with its search
haystack, after the tree first painted (``LazySearch``), so a keystroke only matches
strings in memory and rebuilds the tree's groups. Counts for the chosen year are read
when the year changes, and one row at a time after each save, so the window never waits
on the database while the user types.

The browser lays the bar over the tree and, beside the tree in a splitter the user can
drag, the widget the window gives it (the row form's area). It never touches that
widget: it says what the user chose through its signals, and asks ``can_leave`` before
moving away from the row shown, so a value still to be fixed is never lost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import default_year
from app.domain.numbers import format_number
from app.domain.search import target_texts
from app.models.db import Database
from app.services import catalog, corrections
from app.services.catalog import RowSummary
from app.services.figures import RowFigures, year_figures
from app.services.profile import Profile
from app.services.remaining import Remaining, recount_arg, recount_row, remaining
from app.ui.after_paint import AfterPaint
from app.ui.lazy_search import LazySearch
from app.ui.plan_model import COL_ACH, COL_REAL, COL_TARGET, COL_TITLE, COL_UNIT, PlanModel
from app.ui.plan_source import PlanRows, ShownFigures

# Below this many matches a search opens every group, so the matches are in view;
# above it, opening them would cost more than it helps (the user narrows further).
EXPAND_LIMIT = 3000
# Typing pauses shorter than this do not search: only for plans large enough to need it.
DEBOUNCE_MS = 120
DEBOUNCE_FROM_ROWS = 20_000
# From this many rows the what-is-left line is counted after the window first painted.
DEFER_FROM_ROWS = 20_000
# Widths of the columns beside Uraian, which takes the rest ("1.234 dari 5.678" fits).
NUMBER_COLUMNS = ((COL_UNIT, 64), (COL_TARGET, 116), (COL_REAL, 104), (COL_ACH, 80))


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class PlanBrowser(QWidget):
    """Chooses a plan, a year and a row; the window shows the row in ``side``."""

    rowChosen = Signal(object)  # row id, or None for a group: the user moved to it
    rowActivated = Signal()  # Enter/double-click on an indicator row: go to the form
    yearChosen = Signal(int)  # the year shown changed (figures are already reloaded)
    planChosen = Signal(str)  # the user picked another plan in the box
    argRequested = Signal(int)  # the tree's menu asked for a node's ARG checklist
    pprgRequested = Signal(int)  # … or for its GAP/GBS editor
    moveRefused = Signal()  # ``can_leave`` said no: the selection went back
    figuresChanged = Signal()  # the counts of filled rows may have changed
    remainingChanged = Signal(object)  # Remaining: what is left for the year shown
    # Pokja's "Koreksi matriks" entries: (plan_edit_dialog kind, row id or node id)
    matrixEditRequested = Signal(str, int)

    def __init__(
        self,
        db: Database,
        side: QWidget,
        can_leave: Callable[[], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.can_leave = can_leave
        self._guard = False  # set while the browser itself moves the selection
        self.current_row: int | None = None  # the row the window shows beside the tree
        self.opd_id: int | None = None
        self.opd_name = ""
        self.source: PlanRows | None = None  # the rows shown, read as the tree needs them
        self.filled_ids: set[int] = set()  # of those, the rows filled for the year
        self.years: list[int] = []
        self.year = 0
        self.plan_id = 0
        self.model: PlanModel | None = None
        self.is_pokja = False
        self.left: Remaining | None = None  # what is left for the year (services.remaining)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        plan_label = QLabel(tr("&Rencana:"))
        self.plan_box = QComboBox()
        self.plan_box.setObjectName("plan")
        self.plan_box.setToolTip(tr("RAD PUG 2022–2024 atau Renstra 2024–2026"))
        self.plan_code: str | None = None
        self.fill_plan_box()
        starts = Qt.MatchFlag.MatchStartsWith | Qt.MatchFlag.MatchCaseSensitive
        self.plan_box.setCurrentIndex(max(self.plan_box.findText("RAD PUG", starts), 0))
        self.plan_code = self.plan_box.currentData()
        plan_label.setBuddy(self.plan_box)
        bar.addWidget(plan_label)
        bar.addWidget(self.plan_box)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            tr("Cari di semua kolom: OPD, program, kegiatan, indikator, target… (Ctrl+F)")
        )
        self.search.setAccessibleName(tr("Cari"))
        bar.addWidget(self.search, 1)
        self.match_label = QLabel()
        self.match_label.setObjectName("matches")
        self.match_label.setMinimumWidth(110)
        bar.addWidget(self.match_label)
        self.unfilled = QCheckBox(tr("Hanya yang &belum diisi"))
        self.unfilled.setObjectName("unfilled")
        bar.addWidget(self.unfilled)
        self.no_arg = QCheckBox(tr("Tanpa AR&G"))
        self.no_arg.setObjectName("no-arg")
        self.no_arg.setToolTip(tr("Hanya kegiatan yang belum diisi instrumen ARG tahun ini"))
        bar.addWidget(self.no_arg)
        year_label = QLabel(tr("&Tahun:"))
        self.year_box = QComboBox()
        self.year_box.setObjectName("year")
        year_label.setBuddy(self.year_box)
        bar.addWidget(year_label)
        bar.addWidget(self.year_box)
        outer.addLayout(bar)

        self.tree = QTreeView()
        self.tree.setObjectName("tree")
        self.tree.setUniformRowHeights(True)
        self.tree.setIndentation(14)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.installEventFilter(self)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("splitter")
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([820, 560])
        self.splitter.setChildrenCollapsible(False)
        outer.addWidget(self.splitter, 1)
        self.after_paint = AfterPaint(self.tree.viewport())

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._search_changed)
        self.search.returnPressed.connect(self._search_enter)
        self.unfilled.toggled.connect(self.apply_filter)
        self.no_arg.toggled.connect(self.apply_filter)
        self.year_box.currentIndexChanged.connect(self._year_chosen)
        self.plan_box.currentIndexChanged.connect(self._plan_chosen)
        self.tree.activated.connect(self._activated)
        esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search, self._search_escape)
        esc.setContext(Qt.ShortcutContext.WidgetShortcut)

    # --- the plan's rows -----------------------------------------------------------------

    def load(self, profile: Profile) -> None:
        """Read the plan shown for ``profile``: whose rows, which year; nothing selected."""
        with self.db.begin() as s:
            plan = catalog.get_plan(s, self.plan_code)
            self.plan_id, self.years = plan.id, plan.years
            self.opd_id = None
            self.opd_name = ""
            if not profile.is_pokja and profile.opd_code:
                opd = catalog.find_opd(s, profile.opd_code)
                self.opd_id, self.opd_name = opd.id, opd.short_name
            self.is_pokja = profile.is_pokja
        self.year = profile.year if profile.year in self.years else default_year(self.years)
        self.current_row = None
        # Pokja sees retired rows too, to make them current again (Koreksi matriks).
        source = PlanRows(self.db, self.plan_id, self.opd_id, all_retired=self.is_pokja)
        self.source = source
        self.search_index = LazySearch(self._all_rows, self.tree.viewport())
        outline, filled = source.counts(self.year, keep=True)
        self.model = PlanModel.lazy(source, outline, filled, self.year, self)
        old_model = self.tree.model()
        self.tree.setModel(self.model)
        if old_model is not None:
            old_model.deleteLater()
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        # Narrow figure columns leave the names room at 1366 px; long targets are elided
        # and shown whole in their tooltip and in the form.
        for col, width in NUMBER_COLUMNS:
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self._show_year(self.year)

    @property
    def rows(self) -> Sequence[RowSummary]:
        """The rows the tree lists (their count is known before they are read)."""
        return self.source if self.source is not None else []

    @property
    def row_by_id(self) -> Mapping[int, RowSummary]:
        return self.source.by_id if self.source is not None else {}

    @property
    def figures(self) -> Mapping[int, RowFigures]:
        """The chosen year's figures of the rows listed (read per OPD as asked)."""
        assert self.model is not None and self.source is not None
        return ShownFigures(self.model, self.source)

    def _all_rows(self) -> Sequence[RowSummary]:
        """Every row, for the search index; the tree takes them too (for its filters)."""
        self.model.complete()  # type: ignore[union-attr]  # (made before the index)
        return self.rows

    def load_figures(self) -> None:
        """Re-read the chosen year's counts (after a year change or import); the tree
        reads the figures of the rows it shows."""
        assert self.model is not None and self.source is not None
        outline, self.filled_ids = self.source.counts(self.year)
        self.model.show_year(self.year, outline, self.filled_ids)
        self.show_corrections()
        if self.after_paint.painted or len(self.rows) < DEFER_FROM_ROWS:
            self.refresh_remaining()
        else:  # a second's count of a large plan: the window is on screen first
            self.left = None
            self.after_paint.call(self._count_left)
        self.figuresChanged.emit()

    def _count_left(self) -> None:
        self.refresh_remaining()
        self.figuresChanged.emit()  # the status line counts the warnings too

    def filled_count(self) -> int:
        return len(self.filled_ids)

    def row_changed(self, row_id: int) -> None:
        """A save or an undo wrote a row: refresh its figures and its search text."""
        assert self.model is not None
        with self.db.begin() as s:
            detail = catalog.row_detail(s, row_id)
            figs = year_figures(s, self.plan_id, self.year, [row_id])
        # Rows not read yet are read with this change; read ones get its target texts.
        row = self.source.by_id.get(row_id) if self.source and self.source.complete else None
        if row is not None:
            row.target_texts = target_texts(
                (t.text, t.proposed_text) for t in detail.targets.values()
            )
            if self.search_index.built:
                self.search_index.update(row)
        fig = figs.get(row_id)
        if fig is not None and fig.filled:
            self.filled_ids.add(row_id)
        else:
            self.filled_ids.discard(row_id)
        self.model.update_row(row_id, fig)
        self.show_corrections()
        if self.left is not None and self.left.year == self.year:
            with self.db.begin() as s:  # one row recounted: a save never waits on the plan
                self.left = recount_row(s, self.left, self.plan_id, row_id)
            self.remainingChanged.emit(self.left)
        else:
            self.refresh_remaining()
        self.figuresChanged.emit()

    def refresh_remaining(self) -> None:
        """Count what is left for the year afresh (a year shown, an import)."""
        with self.db.begin() as s:
            self.left = remaining(s, self.plan_id, self.year, self.opd_id)
        self.remainingChanged.emit(self.left)

    def arg_changed(self) -> None:
        """ARG answers were saved: recount the kegiatan without a checklist."""
        if self.left is None or self.left.year != self.year:
            self.refresh_remaining()
            return
        with self.db.begin() as s:
            self.left = recount_arg(s, self.left, self.plan_id, self.opd_id)
        self.remainingChanged.emit(self.left)
        if self.no_arg.isChecked():
            self.apply_filter()

    def show_corrections(self) -> None:
        """Mark rows whose signed figures Pokja corrected (✱ and a tooltip per value)."""
        assert self.model is not None
        with self.db.begin() as s:
            found = corrections.plan_corrections(s, self.plan_id, self.year)
        self.model.set_corrections({rid: [c.text for c in cs] for rid, cs in found.items()})

    # --- plan and year ---------------------------------------------------------------------

    def fill_plan_box(self) -> str | None:
        """List the plans in the database; the code chosen (the shown one while it exists)."""
        self.plan_box.blockSignals(True)
        self.plan_box.clear()
        with self.db.begin() as s:
            for plan in catalog.plans(s):
                short = "RAD PUG" if plan.kind == "radpug" else plan.kind.capitalize()
                self.plan_box.addItem(f"{short} {plan.start_year}–{plan.end_year}", plan.code)
                self.plan_box.setItemData(
                    self.plan_box.count() - 1, plan.title, Qt.ItemDataRole.ToolTipRole
                )
        current = self.plan_code
        if current is not None and self.plan_box.findData(current) >= 0:
            self.plan_box.setCurrentIndex(self.plan_box.findData(current))
        self.plan_box.blockSignals(False)
        return self.plan_box.currentData()

    def set_plan_code(self, code: str) -> None:
        """Show ``code`` in the box; the window then reloads with :meth:`load`."""
        self.plan_code = code
        if self.plan_box.currentData() != code:
            self.plan_box.blockSignals(True)
            self.plan_box.setCurrentIndex(self.plan_box.findData(code))
            self.plan_box.blockSignals(False)

    def _plan_chosen(self) -> None:
        code = self.plan_box.currentData()
        if code == self.plan_code:
            return
        if not self.can_leave():
            self.plan_box.blockSignals(True)
            self.plan_box.setCurrentIndex(self.plan_box.findData(self.plan_code))
            self.plan_box.blockSignals(False)
            return
        self.planChosen.emit(code)

    def _show_year(self, year: int) -> None:
        """Fill the year box for the plan's years, ``year`` chosen, without a signal."""
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for y in self.years:
            self.year_box.addItem(str(y), y)
        self.year_box.setCurrentIndex(self.years.index(year))
        self.year_box.blockSignals(False)

    def _choose_year_quietly(self, year: int) -> None:
        self.year_box.blockSignals(True)
        self.year_box.setCurrentIndex(self.years.index(year))
        self.year_box.blockSignals(False)

    def _year_chosen(self) -> None:
        year = self.year_box.currentData()
        if year is None or year == self.year:
            return
        if not self.can_leave():
            self._choose_year_quietly(self.year)
            return
        self.set_year(int(year))

    def set_year(self, year: int) -> None:
        """Show ``year``'s figures; :attr:`yearChosen` tells the window to follow."""
        self.year = year
        if self.year_box.currentData() != year:
            self._choose_year_quietly(year)
        self.load_figures()
        if self.unfilled.isChecked() or self.no_arg.isChecked():
            self.apply_filter()
        self.yearChosen.emit(year)

    # --- search and filters ----------------------------------------------------------------

    def _search_changed(self) -> None:
        self._search_timer.start(DEBOUNCE_MS if len(self.rows) >= DEBOUNCE_FROM_ROWS else 0)

    def apply_filter(self) -> None:
        """Rebuild the tree from the rows matching the search and the two filter boxes."""
        assert self.model is not None
        self._search_timer.stop()
        query = self.search.text()
        ids: list[int] | None = self.search_index.match(query) if query.strip() else None
        if self.unfilled.isChecked():
            filled = self.filled_ids
            source = ids if ids is not None else [r.id for r in self.rows]
            ids = [i for i in source if i not in filled]
        if self.no_arg.isChecked() and self.left is not None:
            todo = self.left.without_arg
            source = ids if ids is not None else [r.id for r in self.rows]
            rows = self.row_by_id
            ids = [i for i in source if rows[i].path_nodes.get("kegiatan") in todo]
        current = self.current_row
        self._guard = True
        try:
            self.model.set_visible(ids)
            if ids is not None and len(ids) <= EXPAND_LIMIT:
                self.tree.expandAll()
            elif self.opd_id is not None:
                self.tree.expandToDepth(0)  # one OPD: show its programs right away
            index = self.model.index_of_row(current) if current is not None else QModelIndex()
            if index.isValid():
                self.tree.setCurrentIndex(index)
                self.tree.scrollTo(index)
        finally:
            self._guard = False
        if ids is None:
            self.match_label.setText(tr("{n} baris").replace("{n}", format_number(len(self.rows))))
        else:
            self.match_label.setText(tr("{n} cocok").replace("{n}", format_number(len(ids))))

    def clear_filters(self) -> None:
        """Show every row again (nothing typed, "belum diisi" and "tanpa ARG" off)."""
        self.show_only(unfilled=False, no_arg=False)

    def show_only(self, *, unfilled: bool, no_arg: bool) -> None:
        """Exactly the rows one filter counts (the what-is-left line): no search, one box."""
        if (self.search.text(), self.unfilled.isChecked(), self.no_arg.isChecked()) == (
            "",
            unfilled,
            no_arg,
        ):
            return
        for box, on in ((self.unfilled, unfilled), (self.no_arg, no_arg)):
            box.blockSignals(True)
            box.setChecked(on)
            box.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.apply_filter()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def focus_tree(self) -> None:
        self.tree.setFocus()

    def _search_escape(self) -> None:
        if self.search.text():
            self.search.clear()
        else:
            self.tree.setFocus()

    def _search_enter(self) -> None:
        """Enter in the search box: go to the first match in the tree."""
        assert self.model is not None
        self.apply_filter()
        first = self.model.first_row_index()
        if first.isValid():
            self.tree.setCurrentIndex(first)
        self.tree.setFocus()

    # --- selection -------------------------------------------------------------------------

    def select_first(self) -> None:
        """Select the first row in view (as a click would)."""
        assert self.model is not None
        first = self.model.first_row_index()
        if first.isValid():
            self.tree.setCurrentIndex(first)
            self.tree.scrollTo(first)

    def select_row(self, row_id: int) -> bool:
        """Select a row in the tree (as a click would); ``False`` when filtered out."""
        assert self.model is not None
        index = self.model.index_of_row(row_id)
        if not index.isValid():
            return False
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        return self.current_row == row_id

    def first_row_of(self, opd_code: str) -> int | None:
        return next((r.id for r in self.rows if r.opd_code == opd_code), None)

    def reveal(self, row_id: int, year: int) -> None:
        """Follow an undo/redo: its year, and its row when not filtered out, no signal."""
        assert self.model is not None
        if year != self.year and year in self.years:
            self.year = year
            self._choose_year_quietly(year)
            self.load_figures()
        self.current_row = row_id
        index = self.model.index_of_row(row_id)
        self._guard = True
        try:
            if index.isValid():
                self.tree.setCurrentIndex(index)
                self.tree.scrollTo(index)
        finally:
            self._guard = False

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._guard:
            return
        assert self.model is not None
        row_id = self.model.row_id(current)
        if row_id is not None and row_id == self.current_row:
            return
        if not self.can_leave():
            # After the click that moved the selection has been handled, move it back.
            back = QPersistentModelIndex(previous)
            QTimer.singleShot(0, lambda: self._select_quietly(back))
            self.moveRefused.emit()
            return
        self.current_row = row_id
        self.rowChosen.emit(row_id)

    def _select_quietly(self, index: QModelIndex | QPersistentModelIndex) -> None:
        self._guard = True
        try:
            self.tree.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        finally:
            self._guard = False

    def _activated(self, index: QModelIndex) -> None:
        assert self.model is not None
        if self.model.row_id(index) is not None:
            self.rowActivated.emit()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # Enter on an indicator row moves to the form; on a group it opens/closes it.
        if obj is self.tree and event.type() == QEvent.Type.KeyPress and self.model is not None:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                index = self.tree.currentIndex()
                if self.model.row_id(index) is not None:
                    self.rowActivated.emit()
                elif index.isValid():
                    self.tree.setExpanded(index, not self.tree.isExpanded(index))
                return True
        return super().eventFilter(obj, event)

    # --- ARG checklist -----------------------------------------------------------------------

    def arg_target(self, index: QModelIndex | None = None) -> int | None:
        """The checklist's node: the selected group, or the selected row's (sub) kegiatan."""
        from app.ui.plan_menu import arg_node  # (with the ARG rules: on first use, issue 14)

        assert self.model is not None
        return arg_node(self.model, self.tree.currentIndex() if index is None else index)

    def _tree_menu(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        menu = self.tree_menu(index)
        if not menu.isEmpty():
            menu.exec(self.tree.viewport().mapToGlobal(pos))

    def tree_menu(self, index: QModelIndex) -> QMenu:
        """The tree's context menu for ``index``: ARG, and Pokja's matrix corrections."""
        from app.ui.plan_menu import tree_menu  # (loaded on the first right click)

        assert self.model is not None
        return tree_menu(
            self,
            self.model,
            index,
            pokja=self.is_pokja,
            arg=self.argRequested.emit,
            pprg=self.pprgRequested.emit,
            edit=self.matrixEditRequested.emit,
        )

    # --- state kept between runs -----------------------------------------------------------

    def save_state(self) -> QByteArray:
        return self.splitter.saveState()

    def restore_state(self, state: QByteArray) -> None:
        self.splitter.restoreState(state)
