"""The main window: search and filters, the plan tree, the row form, completeness.

The rows are read once (``catalog.load_rows``) and their search haystacks built once;
a keystroke only matches strings in memory and rebuilds the tree's groups. Figures for
the chosen year are read in bulk when the year changes, and one row at a time after
each save, so the window never waits on the database while the user types.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.domain.arg import ArgError
from app.domain.numbers import format_number
from app.domain.search import RowSearch
from app.formats.arg_questions import current_question_set, load_question_sets
from app.models.db import Database
from app.services import arg_store, catalog
from app.services.catalog import RowSummary
from app.services.figures import RowFigures, year_figures
from app.services.profile import ROLE_LABELS, Profile
from app.ui import messages
from app.ui.arg_dialog import ArgDialog
from app.ui.arg_recap import ArgRecapView
from app.ui.export_dialog import ExportChoice, ExportDialog, ReportExporter, describe_result
from app.ui.file_drop import FileDropFilter
from app.ui.first_run import default_year, edit_profile
from app.ui.plan_model import COL_ACH, COL_REAL, COL_TARGET, COL_TITLE, COL_UNIT, PlanModel
from app.ui.row_form import RowForm

# Pokja's and the key's windows load when first opened: they are not needed to start.
if TYPE_CHECKING:
    from app.ui.completeness_board import CompletenessBoard
    from app.ui.fillin_dialog import FillinExportDialog
    from app.ui.import_dialog import ImportDialog
    from app.ui.key_dialog import KeyDialog
    from app.ui.matrix_dialog import MatrixExportDialog, MatrixImportDialog

# Below this many matches a search opens every group, so the matches are in view;
# above it, opening them would cost more than it helps (the user narrows further).
EXPAND_LIMIT = 3000
# Typing pauses shorter than this do not search: only for plans large enough to need it.
DEBOUNCE_MS = 120
DEBOUNCE_FROM_ROWS = 20_000


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def confirm_discard(parent: QWidget, message: str) -> bool:
    """Ask whether to drop a refused value (``True``) or go back and fix it."""
    choice = messages.ask(
        parent,
        tr("Isian belum benar"),
        tr(
            "Isian berikut belum dapat disimpan:\n\n{m}\n\nPerbaiki dulu, atau buang isian itu?"
        ).replace("{m}", message),
        [tr("Buang isian yang salah"), tr("Perbaiki")],
        icon=QMessageBox.Icon.Warning,
        default=1,
    )
    return choice == 0


class MainWindow(QMainWindow):
    def __init__(
        self,
        db: Database,
        profile: Profile,
        *,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.settings = settings if settings is not None else QSettings()
        self.undo_stack = QUndoStack(self)
        self._guard = False  # set while the window itself moves the selection
        self._import_dialog: ImportDialog | None = None
        self._board: CompletenessBoard | None = None
        self.setWindowTitle(tr("Monev RAD PUG — Kabupaten Lumajang"))
        self.resize(1400, 850)

        self._build_widgets()
        self._build_menus()
        # Pokja drops OPD files anywhere on the window; ignored for a focal point.
        self._drops = FileDropFilter(self)
        self._drops.install(self)
        self._drops.files_dropped.connect(self._files_dropped)
        self._set_profile(profile)
        self._restore_state()

    # --- building --------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(6, 6, 6, 0)

        bar = QHBoxLayout()
        plan_label = QLabel(tr("&Rencana:"))
        self.plan_box = QComboBox()
        self.plan_box.setObjectName("plan")
        self.plan_box.setToolTip(tr("RAD PUG 2022–2024 atau Renstra 2024–2026"))
        self.plan_code: str | None = None
        self._fill_plan_box()
        radpug = next(
            (
                i
                for i in range(self.plan_box.count())
                if str(self.plan_box.itemText(i)).startswith("RAD PUG")
            ),
            0,
        )
        self.plan_box.setCurrentIndex(radpug)
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

        self.form: RowForm | None = None
        self.form_area = QScrollArea()
        self.form_area.setWidgetResizable(True)
        self.form_area.setFrameShape(QScrollArea.Shape.NoFrame)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("splitter")
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.form_area)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([820, 560])
        self.splitter.setChildrenCollapsible(False)
        outer.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.completeness = QLabel()
        self.completeness.setObjectName("completeness")
        self.user_label = QLabel()
        self.user_label.setObjectName("user")
        self.statusBar().addWidget(self.completeness, 1)
        self.statusBar().addPermanentWidget(self.user_label)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._search_changed)
        self.search.returnPressed.connect(self._search_enter)
        self.unfilled.toggled.connect(self.apply_filter)
        self.year_box.currentIndexChanged.connect(self._year_chosen)
        self.plan_box.currentIndexChanged.connect(self._plan_chosen)
        self.tree.activated.connect(self._activated)
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search, self._search_escape)
        esc.setContext(Qt.ShortcutContext.WidgetShortcut)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(tr("&Berkas"))
        profile = QAction(tr("&Profil pengguna…"), self)
        profile.triggered.connect(self.edit_profile)
        file_menu.addAction(profile)
        key = QAction(tr("&Kunci tanda tangan…"), self)
        key.triggered.connect(self.show_key)
        file_menu.addAction(key)
        self.export_action = QAction(tr("&Ekspor laporan PDF/Excel…"), self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(self.export_report)
        file_menu.addAction(self.export_action)
        self.matrix_import_action = QAction(tr("Terima pembaruan &matriks…"), self)
        self.matrix_import_action.triggered.connect(self.open_matrix_import)
        file_menu.addAction(self.matrix_import_action)
        file_menu.addSeparator()
        quit_action = QAction(tr("&Keluar"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        edit = bar.addMenu(tr("&Edit"))
        self.undo_action = QAction(tr("&Urungkan"), self)
        self.undo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.undo_action.triggered.connect(self.undo)
        self.redo_action = QAction(tr("U&langi"), self)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.redo_action.triggered.connect(self.redo)
        for action in (self.undo_action, self.redo_action):
            edit.addAction(action)
        self.undo_stack.canUndoChanged.connect(self._undo_state)
        self.undo_stack.canRedoChanged.connect(self._undo_state)
        self.undo_stack.undoTextChanged.connect(self._undo_state)
        self.undo_stack.redoTextChanged.connect(self._undo_state)
        self._undo_state()
        edit.addSeparator()
        find = QAction(tr("&Cari"), self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the QShortcut acts
        find.triggered.connect(self.focus_search)
        edit.addAction(find)

        arg_menu = bar.addMenu(tr("&ARG"))
        self.arg_action = QAction(tr("&Isi instrumen ARG kegiatan terpilih…"), self)
        self.arg_action.setShortcut(QKeySequence("Ctrl+G"))
        self.arg_action.triggered.connect(self.open_arg_for_current)
        arg_menu.addAction(self.arg_action)
        recap = QAction(tr("&Rekap evaluasi ARG (Tabel 5.4/5.5)…"), self)
        recap.setShortcut(QKeySequence("Ctrl+R"))
        recap.triggered.connect(self.open_arg_recap)
        arg_menu.addAction(recap)

        self.pokja_menu = bar.addMenu(tr("&Pokja"))
        self.import_action = QAction(tr("&Terima berkas kiriman OPD…"), self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(lambda: self.open_import([]))
        self.pokja_menu.addAction(self.import_action)
        self.board_action = QAction(tr("&Papan kelengkapan kiriman…"), self)
        self.board_action.setShortcut(QKeySequence("Ctrl+K"))
        self.board_action.triggered.connect(self.open_board)
        self.pokja_menu.addAction(self.board_action)
        self.fillin_action = QAction(tr("Ekspor buku kerja &isian untuk OPD…"), self)
        self.fillin_action.triggered.connect(self.open_fillin_export)
        self.pokja_menu.addAction(self.fillin_action)
        self.pokja_menu.addSeparator()
        self.matrix_export_action = QAction(tr("&Kirim matriks bertanda tangan…"), self)
        self.matrix_export_action.triggered.connect(self.open_matrix_export)
        self.pokja_menu.addAction(self.matrix_export_action)

        help_menu = bar.addMenu(tr("Ba&ntuan"))
        about = QAction(tr("&Tentang Monev RAD PUG"), self)
        about.triggered.connect(self.about)
        help_menu.addAction(about)

    # --- profile and data ----------------------------------------------------------------

    def _set_profile(self, profile: Profile) -> None:
        """(Re)load everything the profile decides: whose rows, which year, who writes."""
        self.profile = profile
        self.undo_stack.clear()  # commands carry the old owner's rights
        with self.db.begin() as s:
            plan = catalog.get_plan(s, self.plan_code)
            self.plan_id, self.years = plan.id, plan.years
            self.opd_id: int | None = None
            self.opd_name = ""
            if not profile.is_pokja and profile.opd_code:
                opd = catalog.find_opd(s, profile.opd_code)
                self.opd_id, self.opd_name = opd.id, opd.short_name
            self.rows: list[RowSummary] = catalog.load_rows(s, plan.id, self.opd_id)
        self.search_index = RowSearch(self.rows)
        self.row_by_id = {r.id: r for r in self.rows}
        year = profile.year if profile.year in self.years else default_year(self.years)
        self.year = year

        self.model = PlanModel(self.rows, year, self)
        old_model = self.tree.model()
        self.tree.setModel(self.model)
        if old_model is not None:
            old_model.deleteLater()
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        for col, width in ((COL_UNIT, 80), (COL_TARGET, 180), (COL_REAL, 104), (COL_ACH, 86)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)

        self.form = RowForm(
            self.db, profile.user_label, opd_id=self.opd_id, undo_stack=self.undo_stack
        )
        self.form.saved.connect(self._row_saved)
        self.form.revealRequested.connect(self.reveal)
        esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.form, self.tree.setFocus)
        esc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        # takeWidget: setWidget alone would delete the old form under our feet.
        previous = self.form_area.takeWidget()
        self.form_area.setWidget(self.form)
        if previous is not None:
            previous.deleteLater()

        self.year_box.blockSignals(True)
        self.year_box.clear()
        for y in self.years:
            self.year_box.addItem(str(y), y)
        self.year_box.setCurrentIndex(self.years.index(year))
        self.year_box.blockSignals(False)

        self.pokja_menu.menuAction().setVisible(profile.is_pokja)
        self.import_action.setEnabled(profile.is_pokja)
        self.board_action.setEnabled(profile.is_pokja)
        self.fillin_action.setEnabled(profile.is_pokja)
        self.matrix_export_action.setEnabled(profile.is_pokja)
        role = tr(ROLE_LABELS.get(profile.role, profile.role))
        self.user_label.setText(
            f"{profile.name} — {role}" + (f" · {self.opd_name}" if self.opd_name else "")
        )
        self._load_figures()
        self.form.load(None, year)
        self.apply_filter()
        first = self.model.first_row_index()
        if first.isValid():
            self.tree.setCurrentIndex(first)
            self.tree.scrollTo(first)

    def _load_figures(self) -> None:
        with self.db.begin() as s:
            self.figures: dict[int, RowFigures] = year_figures(s, self.plan_id, self.year)
        self.model.set_figures(self.year, self.figures)
        self._update_completeness()

    def _update_completeness(self) -> None:
        total = len(self.rows)
        filled = sum(1 for r in self.rows if (f := self.figures.get(r.id)) and f.filled)
        pct = format_number(100 * filled / total, 1) if total else "0"
        self.completeness.setText(
            tr("Terisi {x} dari {y} baris ({z} %) untuk tahun {n}")
            .replace("{x}", format_number(filled))
            .replace("{y}", format_number(total))
            .replace("{z}", pct)
            .replace("{n}", str(self.year))
        )

    # --- search and filters ------------------------------------------------------------------

    def _search_changed(self) -> None:
        self._search_timer.start(DEBOUNCE_MS if len(self.rows) >= DEBOUNCE_FROM_ROWS else 0)

    def apply_filter(self) -> None:
        """Rebuild the tree from the rows matching the search and the "belum diisi" box."""
        self._search_timer.stop()
        query = self.search.text()
        unfilled = self.unfilled.isChecked()
        ids: list[int] | None = self.search_index.match(query) if query.strip() else None
        if unfilled:
            figs = self.figures
            source = ids if ids is not None else [r.id for r in self.rows]
            ids = [i for i in source if not ((f := figs.get(i)) and f.filled)]
        current = self.form.row_id if self.form else None
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

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _search_escape(self) -> None:
        if self.search.text():
            self.search.clear()
        else:
            self.tree.setFocus()

    def _search_enter(self) -> None:
        """Enter in the search box: go to the first match in the tree."""
        self.apply_filter()
        first = self.model.first_row_index()
        if first.isValid():
            self.tree.setCurrentIndex(first)
        self.tree.setFocus()

    # --- selection and form ---------------------------------------------------------------------

    @property
    def current_row_id(self) -> int | None:
        return self.form.row_id if self.form else None

    def _leave_form(self) -> bool:
        """Save the form before something replaces it; ``False`` to stay (a value to fix)."""
        assert self.form is not None
        if self.form.commit():
            return True
        return confirm_discard(self, self.form.error_text())

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._guard or self.form is None:
            return
        row_id = self.model.row_id(current)
        if row_id is not None and row_id == self.form.row_id:
            return
        if not self._leave_form():
            # After the click that moved the selection has been handled, move it back.
            back = QPersistentModelIndex(previous)
            QTimer.singleShot(0, lambda: self._select_quietly(back))
            QTimer.singleShot(0, self.form.focus_error)
            return
        self.form.load(row_id, self.year)

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

    def select_row(self, row_id: int) -> bool:
        """Select a row in the tree (as a click would); ``False`` when filtered out."""
        index = self.model.index_of_row(row_id)
        if not index.isValid():
            return False
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        return self.current_row_id == row_id

    def _activated(self, index: QModelIndex) -> None:
        if self.model.row_id(index) is not None and self.form is not None:
            self.form.focus_first()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # Enter on an indicator row moves to the form; on a group it opens/closes it.
        if obj is self.tree and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                index = self.tree.currentIndex()
                if self.model.row_id(index) is not None and self.form is not None:
                    self.form.focus_first()
                elif index.isValid():
                    self.tree.setExpanded(index, not self.tree.isExpanded(index))
                return True
        return super().eventFilter(obj, event)

    def _year_chosen(self) -> None:
        year = self.year_box.currentData()
        if year is None or year == self.year:
            return
        if not self._leave_form():
            self.year_box.blockSignals(True)
            self.year_box.setCurrentIndex(self.years.index(self.year))
            self.year_box.blockSignals(False)
            return
        self.set_year(int(year))

    def _plan_chosen(self) -> None:
        code = self.plan_box.currentData()
        if code == self.plan_code:
            return
        if not self._leave_form():
            self.plan_box.blockSignals(True)
            self.plan_box.setCurrentIndex(self.plan_box.findData(self.plan_code))
            self.plan_box.blockSignals(False)
            return
        self.set_plan(code)

    def set_plan(self, code: str) -> None:
        """Show another plan (RAD PUG or Renstra) with the same profile and rights."""
        self.plan_code = code
        if self.plan_box.currentData() != code:
            self.plan_box.blockSignals(True)
            self.plan_box.setCurrentIndex(self.plan_box.findData(code))
            self.plan_box.blockSignals(False)
        self._set_profile(self.profile)

    def set_year(self, year: int) -> None:
        self.year = year
        if self.year_box.currentData() != year:
            self.year_box.blockSignals(True)
            self.year_box.setCurrentIndex(self.years.index(year))
            self.year_box.blockSignals(False)
        self._load_figures()
        if self.unfilled.isChecked():
            self.apply_filter()
        assert self.form is not None
        self.form.load(self.form.row_id, year)

    def _row_saved(self, row_id: int, year: int) -> None:
        """A save or an undo wrote a row: refresh its figures, search text and the counts."""
        with self.db.begin() as s:
            detail = catalog.row_detail(s, row_id)
            figs = year_figures(s, self.plan_id, self.year, [row_id])
        row = self.row_by_id.get(row_id)
        if row is not None:
            texts = [t.text for t in detail.targets.values() if t.text]
            texts += [t.proposed_text for t in detail.targets.values() if t.proposed_text]
            row.target_texts = texts
            self.search_index.update(row)
        fig = figs.get(row_id)
        if fig is None:
            self.figures.pop(row_id, None)
        else:
            self.figures[row_id] = fig
        self.model.update_row(row_id, fig)
        self._update_completeness()

    def reveal(self, row_id: int, year: int) -> None:
        """Show what an undo/redo changed: its year, and its row when not filtered out."""
        assert self.form is not None
        if year != self.year and year in self.years:
            self.year = year
            self.year_box.blockSignals(True)
            self.year_box.setCurrentIndex(self.years.index(year))
            self.year_box.blockSignals(False)
            self._load_figures()
        index = self.model.index_of_row(row_id)
        self._guard = True
        try:
            if index.isValid():
                self.tree.setCurrentIndex(index)
                self.tree.scrollTo(index)
        finally:
            self._guard = False
        self.form.load(row_id, self.year)

    # --- undo --------------------------------------------------------------------------------

    def _undo_state(self) -> None:
        s = self.undo_stack
        self.undo_action.setEnabled(s.canUndo())
        self.redo_action.setEnabled(s.canRedo())
        self.undo_action.setText(
            tr("&Urungkan {t}").replace("{t}", s.undoText()) if s.canUndo() else tr("&Urungkan")
        )
        self.redo_action.setText(
            tr("U&langi {t}").replace("{t}", s.redoText()) if s.canRedo() else tr("U&langi")
        )

    def undo(self) -> None:
        # A value still being typed is saved first, so Urungkan undoes exactly that.
        if self.form is not None and not self.form.commit():
            self.statusBar().showMessage(tr("Perbaiki isian yang salah terlebih dahulu."), 5000)
            return
        self.undo_stack.undo()

    def redo(self) -> None:
        if self.form is not None and not self.form.commit():
            self.statusBar().showMessage(tr("Perbaiki isian yang salah terlebih dahulu."), 5000)
            return
        self.undo_stack.redo()

    # --- ARG checklist and recap -------------------------------------------------------------

    def arg_target(self, index: QModelIndex | None = None) -> int | None:
        """The kegiatan/sub kegiatan node for the checklist: the selected group, or the
        sub kegiatan (else kegiatan) of the selected indicator row."""
        index = self.tree.currentIndex() if index is None else index
        ref = self.model.node_ref(index)
        if ref is not None:
            level, node_id = ref
            return node_id if level in arg_store.ASSESSABLE_LEVELS else None
        row_id = self.model.row_id(index)
        if row_id is None:
            return None
        nodes = self.model.row(row_id).path_nodes
        return nodes.get("sub_kegiatan") or nodes.get("kegiatan")

    def _tree_menu(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        node_id = self.arg_target(index)
        if node_id is None:
            return
        menu = QMenu(self)
        menu.addAction(tr("Isi instrumen ARG…"), lambda: self.open_arg(node_id))
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def open_arg_for_current(self) -> None:
        node_id = self.arg_target()
        if node_id is None:
            self.statusBar().showMessage(
                tr("Pilih kegiatan, sub kegiatan, atau indikator di pohon terlebih dahulu."), 6000
            )
            return
        self.open_arg(node_id)

    def open_arg(self, node_id: int) -> ArgDialog | None:
        if not self._leave_form():
            return None
        try:
            with self.db.begin() as s:
                node = arg_store.node_info(s, node_id)
            dialog = ArgDialog(
                self.db,
                node,
                self.year,
                load_question_sets(),
                current_question_set(),
                self.profile.user_label,
                opd_id=self.opd_id,
                parent=self,
            )
        except ArgError as exc:
            QMessageBox.warning(self, tr("Instrumen ARG"), str(exc))
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def open_arg_recap(self) -> ArgRecapView:
        view = ArgRecapView(
            self.db,
            self.plan_id,
            self.years,
            self.year,
            load_question_sets(),
            opd_id=self.opd_id,
            parent=self,
        )
        view.setWindowFlag(Qt.WindowType.Window)
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.resize(1200, 700)
        view.openRequested.connect(self.open_arg)
        view.show()
        return view

    # --- export ------------------------------------------------------------------------------

    def export_report(self) -> ReportExporter | None:
        if not self._leave_form():
            return None
        dialog = ExportDialog(
            self.db,
            self.years,
            self.year,
            opd_code=None if self.profile.is_pokja else self.profile.opd_code,
            is_pokja=self.profile.is_pokja,
            plan_code=self.plan_code,
            parent=self,
        )
        if dialog.exec() != ExportDialog.DialogCode.Accepted:
            return None
        return self.start_export(dialog.choice())

    def start_export(self, choice: ExportChoice) -> ReportExporter:
        exporter = ReportExporter(self.db, self)
        exporter.done.connect(
            lambda result: self.statusBar().showMessage(describe_result(result), 15000)
        )
        exporter.error.connect(lambda text: QMessageBox.warning(self, tr("Ekspor laporan"), text))
        exporter.cancelled.connect(lambda text: self.statusBar().showMessage(text, 10000))
        exporter.start(choice)
        return exporter

    # --- menus ---------------------------------------------------------------------------------

    # --- Pokja: receiving files -------------------------------------------------------------

    def open_import(self, paths: list[Path]) -> ImportDialog | None:
        """The Terima Berkas window (one, kept), with ``paths`` added to its list."""
        if not self.profile.is_pokja:
            return None
        if self._import_dialog is None:
            from app.ui.import_dialog import ImportDialog

            self._import_dialog = ImportDialog(self.db, self.profile.user_label, self)
            self._import_dialog.imported.connect(self._after_import)
        dialog = self._import_dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        if paths:
            dialog.add_files(paths)
        return dialog

    def _files_dropped(self, paths: list[Path]) -> None:
        if self.profile.is_pokja:
            self.open_import(paths)
        else:
            self.statusBar().showMessage(
                tr("Hanya Pokja PUG yang menerima berkas kiriman OPD."), 6000
            )

    def _after_import(self, changed: list[tuple[str, int]]) -> None:
        # Imported figures replace what undo would restore: an undo after an import
        # must not silently overwrite an OPD's submitted value.
        self.undo_stack.clear()
        self._load_figures()
        assert self.form is not None
        self.form.load(self.current_row_id, self.year)
        if self._board is not None:
            self._board.refresh()
        self.statusBar().showMessage(
            tr("Data {n} kiriman diperbarui dari berkas.").replace("{n}", str(len(changed))),
            8000,
        )

    def open_board(self) -> CompletenessBoard | None:
        """The completeness board of the plan shown (one window, refreshed on import)."""
        if not self.profile.is_pokja or self.plan_code is None:
            return None
        if self._board is not None and self._board.plan_code != self.plan_code:
            self._board.close()
            self._board = None
        if self._board is None:
            from app.ui.completeness_board import CompletenessBoard

            board = CompletenessBoard(self.db, self.plan_code, None, parent=self)
            board.setWindowFlag(Qt.WindowType.Window)
            board.setWindowTitle(tr("Papan Kelengkapan Kiriman"))
            board.resize(1500, 650)
            board.open_opd.connect(self.show_opd)
            board.destroyed.connect(self._board_closed)
            board.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self._board = board
        else:
            self._board.refresh()
        self._board.show()
        self._board.raise_()
        self._board.activateWindow()
        return self._board

    def _board_closed(self) -> None:
        self._board = None

    def show_opd(self, opd_code: str, year: int) -> bool:
        """Bring an OPD's rows for ``year`` into view, its first row selected."""
        if not self._leave_form():
            return False
        if self.search.text() or self.unfilled.isChecked():
            self.search.clear()
            self.unfilled.setChecked(False)
            self.apply_filter()
        if year in self.years and year != self.year:
            self.set_year(year)
        first = next((r.id for r in self.rows if r.opd_code == opd_code), None)
        if first is None:
            return False
        self.raise_()
        self.activateWindow()
        return self.select_row(first)

    # --- the matrix itself: Pokja sends corrections and new periods -----------------------

    def _fill_plan_box(self) -> None:
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

    def open_matrix_import(self) -> MatrixImportDialog | None:
        if not self._leave_form():
            return None
        from app.ui.matrix_dialog import MatrixImportDialog

        dialog = MatrixImportDialog(self.db, user=self.profile.user_label, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.applied.connect(self._after_matrix)
        dialog.show()
        return dialog

    def _after_matrix(self, outcome: object) -> None:
        # Undo commands hold row ids; a row the package deleted must not come back.
        self.undo_stack.clear()
        self._fill_plan_box()  # a new period may have arrived
        self.set_plan(self.plan_box.currentData())

    def open_fillin_export(self) -> FillinExportDialog | None:
        if not self.profile.is_pokja:
            return None
        from app.ui.fillin_dialog import FillinExportDialog

        dialog = FillinExportDialog(
            self.db, self.plan_code, self.year, settings=self.settings, parent=self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def open_matrix_export(self) -> MatrixExportDialog | None:
        if not self.profile.is_pokja:
            return None
        from app.ui.matrix_dialog import MatrixExportDialog

        dialog = MatrixExportDialog(self.db, user=self.profile.user_label, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def show_key(self) -> KeyDialog:
        from app.ui.key_dialog import KeyDialog

        dialog = KeyDialog(parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def edit_profile(self) -> None:
        if not self._leave_form():
            return
        profile = edit_profile(self.db, self)
        if profile is not None:
            self._set_profile(profile)

    def about(self) -> None:
        QMessageBox.about(
            self,
            tr("Tentang Monev RAD PUG"),
            tr(
                "<b>Monev RAD PUG</b> {v}<br>Monitoring dan evaluasi Rencana Aksi Daerah "
                "Pengarusutamaan Gender Kabupaten Lumajang (Peraturan Bupati Lumajang "
                "Nomor 3 Tahun 2023).<br><br>Basis data: {db}"
            )
            .replace("{v}", __version__)
            .replace("{db}", str(self.db.path or self.db.url)),
        )

    # --- window state ----------------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self.settings.value("main/geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        splitter = self.settings.value("main/splitter")
        if isinstance(splitter, QByteArray | bytes):
            self.splitter.restoreState(QByteArray(splitter))

    def closeEvent(self, event: QCloseEvent) -> None:
        if (
            self.form is not None
            and not self.form.commit()
            and not confirm_discard(self, self.form.error_text())
        ):
            event.ignore()
            return
        self.settings.setValue("main/geometry", self.saveGeometry())
        self.settings.setValue("main/splitter", self.splitter.saveState())
        self.settings.sync()
        event.accept()
