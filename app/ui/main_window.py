"""The main window: composes the plan browser with the row form, and opens the rest.

The :class:`PlanBrowser` chooses the plan, year and row; the :class:`RowForm` beside it
shows and saves that row. The window connects their signals, keeps the undo stack and
the status bar, and launches the menus' dialogs (ARG, export, import, board, matrix).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QMessageBox,
    QScrollArea,
    QStyle,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.domain.numbers import format_number
from app.models.db import Database
from app.services.profile import ROLE_LABELS, Profile
from app.services.region import load_region
from app.ui import messages
from app.ui.file_drop import FileDropFilter
from app.ui.plan_browser import PlanBrowser
from app.ui.pokja_window import PokjaWindow
from app.ui.remaining_line import RemainingLine
from app.ui.row_form import RowForm
from app.ui.window_size import fit_to_screen

# Every dialog loads when first opened: none is needed for the first paint, and together
# with what they import (signing keys, backups, PDF/Excel export, the ARG and GAP/GBS
# models) they cost a tenth of a second of a cold start (issue 14: first paint <= 1.0 s).
if TYPE_CHECKING:
    from app.ui.arg_dialog import ArgDialog
    from app.ui.arg_recap import ArgRecapView
    from app.ui.completeness_board import CompletenessBoard
    from app.ui.export_dialog import ExportChoice, ReportExporter
    from app.ui.import_dialog import ImportDialog
    from app.ui.key_dialog import KeyDialog
    from app.ui.matrix_dialog import MatrixImportDialog
    from app.ui.pprg_dialog import PprgDialog


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


class MainWindow(PokjaWindow):
    def __init__(
        self,
        db: Database,
        profile: Profile,
        *,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
        paint_first: bool = False,
    ) -> None:
        """``paint_first`` (the start, app.ui.application): the year's counts and the
        first row's form are read just after the window's first frame, not before it."""
        super().__init__(parent)
        self.db = db
        self._paint_first = paint_first
        self.settings = settings if settings is not None else QSettings()
        self.undo_stack = QUndoStack(self)
        self._import_dialog: ImportDialog | None = None
        self._board: CompletenessBoard | None = None
        with db.begin() as s:
            self.show_region(load_region(s))
        fit_to_screen(self, 1400, 850)

        self._build_widgets()
        self._build_menus()
        # Pokja drops OPD files anywhere on the window; ignored for a focal point.
        self.drops = FileDropFilter(self)
        self.drops.install(self)
        self.drops.files_dropped.connect(self._files_dropped)
        self._set_profile(profile)
        self._restore_state()

    # --- building --------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(6, 6, 6, 0)
        self.form: RowForm | None = None
        self.form_area = QScrollArea()
        self.form_area.setWidgetResizable(True)
        self.form_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.browser = PlanBrowser(self.db, self.form_area, self._leave_form)
        self.left_line = RemainingLine()
        outer.addWidget(self.left_line)
        outer.addWidget(self.browser, 1)
        self.setCentralWidget(central)

        self.completeness = QLabel()
        self.completeness.setObjectName("completeness")
        self.user_label = QLabel()
        self.user_label.setObjectName("user")
        self.statusBar().addWidget(self.completeness, 1)
        self.statusBar().addPermanentWidget(self.user_label)

        b = self.browser
        b.rowChosen.connect(self._row_chosen)
        b.rowActivated.connect(self._row_activated)
        b.yearChosen.connect(self._year_shown)
        b.planChosen.connect(self.set_plan)
        b.argRequested.connect(self.open_arg)
        b.pprgRequested.connect(self.open_pprg)
        b.moveRefused.connect(self._move_refused)
        b.figuresChanged.connect(self._update_completeness)
        b.remainingChanged.connect(self.left_line.show_remaining)
        self.left_line.unfilledRequested.connect(self._show_unfilled)
        self.left_line.noArgRequested.connect(self._show_without_arg)
        QShortcut(QKeySequence.StandardKey.Find, self, b.focus_search)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(tr("&Berkas"))
        self.profile_action = QAction(tr("&Profil pengguna…"), self)
        self.profile_action.triggered.connect(self.edit_profile)
        file_menu.addAction(self.profile_action)
        key = QAction(tr("&Kunci tanda tangan…"), self)
        key.triggered.connect(self.show_key)
        file_menu.addAction(key)
        self.db_setting_action = QAction(tr("Basis &data (berkas lokal atau server)…"), self)
        self.db_setting_action.triggered.connect(self.open_db_setting)
        file_menu.addAction(self.db_setting_action)
        self.export_action = QAction(tr("&Ekspor laporan PDF/Excel…"), self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(self.export_report)
        file_menu.addAction(self.export_action)
        self.matrix_import_action = QAction(tr("Terima pembaruan &matriks…"), self)
        self.matrix_import_action.triggered.connect(self.open_matrix_import)
        file_menu.addAction(self.matrix_import_action)
        self.pprg_list_action = QAction(tr("Dokumen &PPRG dan hasil telaah…"), self)
        self.pprg_list_action.triggered.connect(lambda: self.open_pprg_list())
        file_menu.addAction(self.pprg_list_action)
        self.backup_action = QAction(tr("&Cadangkan data dan kunci…"), self)
        self.backup_action.triggered.connect(self.start_backup)
        file_menu.addAction(self.backup_action)
        self.restore_action = QAction(tr("P&ulihkan dari cadangan…"), self)
        self.restore_action.triggered.connect(self.request_restore)
        file_menu.addAction(self.restore_action)
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
        find.triggered.connect(self.browser.focus_search)
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
        self.pprg_action = QAction(tr("&PPRG (GAP/GBS)…"), self)
        self.pprg_action.setShortcut(QKeySequence("Ctrl+Shift+G"))
        self.pprg_action.triggered.connect(self.open_pprg_for_current)
        arg_menu.addAction(self.pprg_action)

        self._build_pokja_menu(bar)
        self._build_next_steps()

        help_menu = bar.addMenu(tr("Ba&ntuan"))
        about = QAction(tr("&Tentang Monev RAD PUG"), self)
        about.triggered.connect(self.about)
        help_menu.addAction(about)

    def _build_next_steps(self) -> None:
        """The "Langkah berikutnya" toolbar: the menus' own actions, labelled, in the order
        of the work (fill the ARG checklist, export and send; Pokja receives and checks)."""
        self.next_steps = QToolBar(tr("Langkah berikutnya"), self)
        self.next_steps.setObjectName("next-steps")
        self.next_steps.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.next_steps.setMovable(False)
        self.next_steps.addWidget(QLabel(tr("Langkah berikutnya:") + " "))
        style = self.style()
        steps = (
            (self.arg_action, tr("Isi ARG"), QStyle.StandardPixmap.SP_FileDialogDetailedView),
            (
                self.export_action,
                tr("Ekspor / Kirim ke Pokja"),
                QStyle.StandardPixmap.SP_DialogSaveButton,
            ),
            (self.import_action, tr("Terima Berkas"), QStyle.StandardPixmap.SP_DialogOpenButton),
            (
                self.board_action,
                tr("Papan kelengkapan"),
                QStyle.StandardPixmap.SP_FileDialogListView,
            ),
        )
        for action, label, icon in steps:
            # The icon text labels the button; the menu keeps its longer entry.
            action.setIconText(label)
            action.setIcon(style.standardIcon(icon))
            tip = action.text().replace("&", "").rstrip("…")
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
            self.next_steps.addAction(action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.next_steps)

    def _show_unfilled(self) -> None:
        self.browser.show_only(unfilled=True, no_arg=False)
        self.browser.focus_tree()

    def _show_without_arg(self) -> None:
        self.browser.show_only(unfilled=False, no_arg=True)
        self.browser.focus_tree()

    # --- profile and data ----------------------------------------------------------------

    def _set_profile(self, profile: Profile) -> None:
        """(Re)load everything the profile decides: whose rows, which year, who writes."""
        self.profile = profile
        self.undo_stack.clear()  # commands carry the old owner's rights
        b = self.browser
        b.load(profile)
        self.form = RowForm(
            self.db, profile.user_label, opd_id=b.opd_id, undo_stack=self.undo_stack
        )
        self.form.saved.connect(self._row_saved)
        self.form.revealRequested.connect(self.reveal)
        esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.form, b.focus_tree)
        esc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        # takeWidget: setWidget alone would delete the old form under our feet.
        previous = self.form_area.takeWidget()
        self.form_area.setWidget(self.form)
        if previous is not None:
            previous.deleteLater()

        self._pokja_rights(profile.is_pokja)
        role = tr(ROLE_LABELS.get(profile.role, profile.role))
        self.user_label.setText(
            f"{profile.name} — {role}" + (f" · {b.opd_name}" if b.opd_name else "")
        )
        if self._before_first_paint():  # (the tree's own counts are read)
            b.after_paint.call(b.load_figures)
        else:
            b.load_figures()
        self.form.load(None, b.year)
        b.apply_filter()
        b.select_first()

    def _before_first_paint(self) -> bool:
        """Whether work can wait for the first frame: a cold start's tenth of a second."""
        return self._paint_first and not self.browser.after_paint.painted

    def _update_completeness(self) -> None:
        b = self.browser
        total = len(b.rows)
        filled = b.filled_count()
        pct = format_number(100 * filled / total, 1) if total else "0"
        text = (
            tr("Terisi {x} dari {y} baris ({z} %) untuk tahun {n}")
            .replace("{x}", format_number(filled))
            .replace("{y}", format_number(total))
            .replace("{z}", pct)
            .replace("{n}", str(b.year))
        )
        # The form's and the report's plausibility warnings, counted over the year
        # (services.remaining applies domain.plausibility, as they do).
        if b.left is not None and b.left.warnings:
            text += " · " + tr("{k} peringatan").replace("{k}", format_number(b.left.warnings))
        if not self.profile.is_pokja:
            # Pokja's verdicts on the OPD's own GAP/GBS ("GBS perlu perbaikan 1").
            from app.services.pprg_review import local_summary

            with self.db.begin() as s:
                pprg = local_summary(s, self.profile.opd_code, b.year)
            if pprg:
                text += " · " + pprg
        self.completeness.setText(text)
        self.completeness.setToolTip(
            tr("Peringatan: capaian di atas 200 % atau realisasi anggaran melebihi pagu")
            if b.left is not None and b.left.warnings
            else ""
        )

    # --- the browser and the form ------------------------------------------------------------

    def _leave_form(self) -> bool:
        """Save the form before something replaces it; ``False`` to stay (a value to fix)."""
        if self.form is None or self.form.commit():
            return True
        return confirm_discard(self, self.form.error_text())

    def _row_chosen(self, row_id: int | None) -> None:
        assert self.form is not None
        if self._before_first_paint():
            self.browser.after_paint.call(self._load_chosen_row)
            return
        self.form.load(row_id, self.browser.year)

    def _load_chosen_row(self) -> None:
        """The row chosen before the first frame, in the form, unless already there."""
        if self.form is not None and self.form.row_id != self.browser.current_row:
            self.form.load(self.browser.current_row, self.browser.year)

    def _move_refused(self) -> None:
        assert self.form is not None
        QTimer.singleShot(0, self.form.focus_error)

    def _row_activated(self) -> None:
        if self.form is not None:
            self.form.focus_first()

    def select_row(self, row_id: int) -> bool:
        """Select a row in the tree (as a click would); ``False`` when filtered out."""
        return self.browser.select_row(row_id)

    def set_plan(self, code: str) -> None:
        """Show another plan (RAD PUG or Renstra) with the same profile and rights."""
        self.browser.set_plan_code(code)
        self._set_profile(self.profile)

    def set_year(self, year: int) -> None:
        self.browser.set_year(year)

    def _year_shown(self, year: int) -> None:
        assert self.form is not None
        self.form.load(self.form.row_id, year)

    def _row_saved(self, row_id: int, year: int) -> None:
        """A save or an undo wrote a row: refresh its figures, search text and the counts."""
        self.browser.row_changed(row_id)

    def reveal(self, row_id: int, year: int) -> None:
        """Show what an undo/redo changed: its year, and its row when not filtered out."""
        assert self.form is not None
        self.browser.reveal(row_id, year)
        self.form.load(row_id, self.browser.year)

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

    def open_arg_for_current(self) -> None:
        node_id = self.browser.arg_target()
        if node_id is None:
            self.statusBar().showMessage(
                tr("Pilih kegiatan, sub kegiatan, atau indikator di pohon terlebih dahulu."), 6000
            )
            return
        self.open_arg(node_id)

    def open_arg(self, node_id: int) -> ArgDialog | None:
        from app.ui.arg_openers import open_arg

        return open_arg(self, node_id)

    def open_pprg_for_current(self) -> None:
        node_id = self.browser.arg_target()
        if node_id is None:
            self.statusBar().showMessage(
                tr("Pilih kegiatan, sub kegiatan, atau indikator di pohon terlebih dahulu."), 6000
            )
            return
        self.open_pprg(node_id)

    def open_pprg(self, node_id: int) -> PprgDialog | None:
        """The GAP/GBS editor of the node (read-only for Pokja and received copies)."""
        from app.ui.arg_openers import open_pprg

        return open_pprg(self, node_id)

    def open_arg_recap(self) -> ArgRecapView:
        from app.ui.arg_openers import open_arg_recap

        return open_arg_recap(self, self.open_arg)

    # --- export ------------------------------------------------------------------------------

    def export_report(self) -> ReportExporter | None:
        if not self._leave_form():
            return None
        from app.ui.export_dialog import ExportDialog

        dialog = ExportDialog(
            self.db,
            self.browser.years,
            self.year,
            opd_code=None if self.profile.is_pokja else self.profile.opd_code,
            is_pokja=self.profile.is_pokja,
            plan_code=self.browser.plan_code,
            parent=self,
        )
        if dialog.exec() != ExportDialog.DialogCode.Accepted:
            return None
        return self.start_export(dialog.choice())

    def start_export(self, choice: ExportChoice) -> ReportExporter:
        from app.ui.export_dialog import ReportExporter

        exporter = ReportExporter(self.db, self)
        exporter.done.connect(exporter.show_result)
        exporter.error.connect(lambda text: QMessageBox.warning(self, tr("Ekspor laporan"), text))
        exporter.cancelled.connect(lambda text: self.statusBar().showMessage(text, 10000))
        exporter.start(choice)
        return exporter

    # --- the matrix itself: a focal point applies Pokja's signed package ------------------

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
        code = self.browser.fill_plan_box()  # a new period may have arrived
        assert code is not None
        self.set_plan(code)

    def show_key(self) -> KeyDialog:
        from app.ui.key_dialog import KeyDialog

        dialog = KeyDialog(parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def open_db_setting(self) -> None:
        from app.ui.db_setting import DatabaseSettingDialog

        DatabaseSettingDialog(self.db, parent=self).exec()

    def edit_profile(self) -> None:
        if not self._leave_form():
            return
        from app.ui.first_run import edit_profile

        profile = edit_profile(self.db, self)
        if profile is not None:
            self._set_profile(profile)

    def start_backup(self) -> None:
        from app.ui.backup_dialog import start_backup

        start_backup(self, self.db.path)

    def request_restore(self) -> None:
        from app.ui.restore_dialog import request_restore

        request_restore(self, self.db.path)

    def about(self) -> None:
        QMessageBox.about(
            self,
            tr("Tentang Monev RAD PUG"),
            tr(
                "<b>Monev RAD PUG</b> {v}<br>Monitoring dan evaluasi Rencana Aksi Daerah "
                "Pengarusutamaan Gender {region}.<br><br>Basis data: {db}"
            )
            .replace("{v}", __version__)
            .replace("{region}", self.region_name)
            .replace("{db}", str(self.db.path or self.db.url)),
        )

    # --- window state ----------------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self.settings.value("main/geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
            # Saved on a larger monitor (or before a docking station was unplugged):
            # never reopen past the edge of the screen it opens on.
            if not self.isMaximized():
                fit_to_screen(self, self.width(), self.height(), margin=0)
        splitter = self.settings.value("main/splitter")
        if isinstance(splitter, QByteArray | bytes):
            self.browser.restore_state(QByteArray(splitter))

    def closeEvent(self, event: QCloseEvent) -> None:
        # An open GAP/GBS editor asks about its unsaved text first; "Batal" keeps both open.
        # (Never opened: its module was never loaded, and there is nothing to ask.)
        pprg = sys.modules.get("app.ui.pprg_dialog")
        for editor in self.findChildren(pprg.PprgDialog) if pprg is not None else ():
            if editor.isVisible() and not editor.close():
                event.ignore()
                return
        if (
            self.form is not None
            and not self.form.commit()
            and not confirm_discard(self, self.form.error_text())
        ):
            event.ignore()
            return
        self.settings.setValue("main/geometry", self.saveGeometry())
        self.settings.setValue("main/splitter", self.browser.save_state())
        self.settings.sync()
        event.accept()
