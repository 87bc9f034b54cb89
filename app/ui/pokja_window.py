"""Pokja's half of the main window: its menu and the windows it opens.

Receiving OPD files, the completeness board, fill-in workbooks, the signed matrix and
the region profile are Pokja's alone; they live here so the main window stays about
browsing and entering a row. :class:`MainWindow` inherits this class and provides the
few methods declared at the top (the form, the plan and the row selection).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QMenuBar

from app.domain.region import Region
from app.models.db import Database
from app.services.profile import Profile
from app.ui.plan_browser import PlanBrowser
from app.ui.row_form import RowForm
from app.ui.window_size import remember_size

if TYPE_CHECKING:
    from app.ui.completeness_board import CompletenessBoard
    from app.ui.fillin_dialog import FillinExportDialog
    from app.ui.import_dialog import ImportDialog
    from app.ui.matrix_dialog import MatrixExportDialog
    from app.ui.opd_catalogue_dialog import OpdCatalogueDialog
    from app.ui.plan_wizard import PlanWizard


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class PokjaWindow(QMainWindow):
    """The Pokja menu and its windows; the main window supplies what is declared here."""

    db: Database
    profile: Profile
    settings: QSettings
    undo_stack: QUndoStack
    browser: PlanBrowser
    form: RowForm | None
    pokja_menu: QMenu
    region_name: str
    _import_dialog: ImportDialog | None
    _board: CompletenessBoard | None
    # " — server host/db" on a server database (app.ui.db_server), kept across region edits.
    title_suffix = ""

    @property
    def current_row_id(self) -> int | None:
        return self.form.row_id if self.form else None

    @property
    def year(self) -> int:
        return self.browser.year

    def _leave_form(self) -> bool:
        raise NotImplementedError

    def set_plan(self, code: str) -> None:
        raise NotImplementedError

    def set_year(self, year: int) -> None:
        raise NotImplementedError

    def select_row(self, row_id: int) -> bool:
        raise NotImplementedError

    def _update_completeness(self) -> None:
        raise NotImplementedError

    def _build_pokja_menu(self, bar: QMenuBar) -> None:
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
        self.plan_import_action = QAction(tr("Impor rencana dari Excel…"), self)
        self.plan_import_action.triggered.connect(self.open_plan_wizard)
        self.pokja_menu.addAction(self.plan_import_action)
        self.plan_export_action = QAction(tr("Ekspor rencana ke Excel…"), self)
        self.plan_export_action.triggered.connect(self.export_plan_workbook)
        self.pokja_menu.addAction(self.plan_export_action)
        self.region_action = QAction(tr("Profil &wilayah (nama, kop surat, logo)…"), self)
        self.region_action.triggered.connect(self.open_region)
        self.pokja_menu.addAction(self.region_action)
        self.browser.matrixEditRequested.connect(self.edit_matrix)
        self.opd_catalogue_action = QAction(tr("Katalog Pera&ngkat Daerah…"), self)
        self.opd_catalogue_action.triggered.connect(self.open_opd_catalogue)
        self.pokja_menu.addAction(self.opd_catalogue_action)

    def _pokja_rights(self, is_pokja: bool) -> None:
        """Show the Pokja menu (and enable its actions) for Pokja only."""
        self.pokja_menu.menuAction().setVisible(is_pokja)
        for action in self.pokja_menu.actions():
            if not action.isSeparator():
                action.setEnabled(is_pokja)
        # Their buttons on the "Langkah berikutnya" toolbar are Pokja's steps alone.
        self.import_action.setVisible(is_pokja)
        self.board_action.setVisible(is_pokja)

    # --- Pokja: receiving files -------------------------------------------------------------

    def open_import(self, paths: list[Path]) -> ImportDialog | None:
        """The Terima Berkas window (one, kept), with ``paths`` added to its list."""
        if not self.profile.is_pokja or self.db.read_only:  # read_only: damage found
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
        from app.ui.file_drop import is_review_name

        reviews = [p for p in paths if is_review_name(p)]
        paths = [p for p in paths if not is_review_name(p)]
        if reviews and not self.profile.is_pokja:
            self.open_pprg_list(reviews)  # Pokja's verdicts on this OPD's GAP/GBS
        elif reviews:
            self.statusBar().showMessage(
                tr("Berkas hasil telaah PPRG diterima oleh Perangkat Daerah, bukan Pokja."), 6000
            )
        if not paths:
            return
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
        self.browser.load_figures()
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
        if not self.profile.is_pokja or self.browser.plan_code is None:
            return None
        if self._board is not None and self._board.plan_code != self.browser.plan_code:
            self._board.close()
            self._board = None
        if self._board is None:
            from app.ui.completeness_board import CompletenessBoard

            board = CompletenessBoard(
                self.db, self.browser.plan_code, None, parent=self, user=self.profile.user_label
            )
            board.setWindowFlag(Qt.WindowType.Window)
            board.setWindowTitle(tr("Papan Kelengkapan Kiriman"))
            remember_size(board, "board", 1500, 650)
            board.open_opd.connect(self.show_opd)
            board.realisation_written.connect(self._board_wrote)
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

    def _board_wrote(self, row_id: int, year: int, old: object, new: object) -> None:
        """The board's Inspektorat realisation goes on the undo stack like a form save."""
        from app.ui.row_undo import RealisationCommand

        if self.form is not None:
            self.undo_stack.push(RealisationCommand(self.form, row_id, year, old, new))  # type: ignore[arg-type]
        self.browser.load_figures()
        if self.form is not None:
            self.form.load(self.current_row_id, self.year)

    def open_pprg_list(self, review_files: list[Path] | None = None) -> QDialog:
        """Telaah PPRG (Pokja: received documents) or the OPD's own GAP/GBS and verdicts."""
        from app.ui.pprg_review_dialog import PprgReviewDialog

        dialog = PprgReviewDialog(
            self.db,
            received=self.profile.is_pokja,
            user=self.profile.user_label,
            year=self.year,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if self._board is not None:
            dialog.changed.connect(self._board.refresh)
        dialog.changed.connect(self._update_completeness)  # the OPD's PPRG status line
        dialog.show()
        if review_files:
            dialog.import_review_files(review_files)
        return dialog

    def show_opd(self, opd_code: str, year: int) -> bool:
        """Bring an OPD's rows for ``year`` into view, its first row selected."""
        if not self._leave_form():
            return False
        b = self.browser
        b.clear_filters()
        if year in b.years and year != b.year:
            self.set_year(year)
        first = b.first_row_of(opd_code)
        if first is None:
            return False
        self.raise_()
        self.activateWindow()
        return self.select_row(first)

    def open_region(self) -> None:
        from app.ui.region_dialog import edit_region

        self.show_region(edit_region(self.db, self, self.profile.user_label))

    def show_region(self, region: Region | None) -> None:
        if region is not None:  # None: the dialog was cancelled
            self.region_name = region.full_name
            title = tr("Monev RAD PUG — {r}").replace("{r}", region.full_name)
            self.setWindowTitle(title + self.title_suffix)

    def open_opd_catalogue(self) -> OpdCatalogueDialog | None:
        if not self.profile.is_pokja:
            return None
        from app.ui.opd_catalogue_dialog import OpdCatalogueDialog

        dialog = OpdCatalogueDialog(self.db, user=self.profile.user_label, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        changed: list[bool] = []
        dialog.catalogueChanged.connect(lambda: changed.append(True))

        def closed(_result: int) -> None:
            # The tree shows OPD names: reload it once the dialog closes, not under the user.
            if changed and self.browser.plan_code:
                self.set_plan(self.browser.plan_code)

        dialog.finished.connect(closed)
        dialog.show()
        return dialog

    # --- the matrix itself: Pokja sends corrections and new periods -----------------------

    def open_fillin_export(self) -> FillinExportDialog | None:
        if not self.profile.is_pokja:
            return None
        from app.ui.fillin_dialog import FillinExportDialog

        dialog = FillinExportDialog(
            self.db, self.browser.plan_code, self.year, settings=self.settings, parent=self
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

    # --- the plan itself: Pokja brings one in from Excel, or writes one out ---------------

    def open_plan_wizard(self) -> PlanWizard | None:
        if not self.profile.is_pokja:
            return None
        from app.ui.plan_wizard import PlanWizard

        wizard = PlanWizard(self.db, parent=self)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.imported.connect(lambda _done: self.browser.fill_plan_box())
        wizard.show_plan.connect(self.set_plan)
        wizard.show()
        return wizard

    def export_plan_workbook(self, path: Path | None = None) -> int | None:
        """Write the plan shown as an editable matrix workbook; the rows written."""
        code = self.browser.plan_code
        if not self.profile.is_pokja or code is None:
            return None
        if path is None:
            from PySide6.QtWidgets import QFileDialog

            from app.ui.plan_wizard import documents_folder

            name, _ = QFileDialog.getSaveFileName(
                self,
                tr("Ekspor rencana ke Excel"),
                str(documents_folder() / f"{code}.xlsx"),
                tr("Buku kerja Excel (*.xlsx)"),
            )
            if not name:
                return None
            path = Path(name)
        from app.services.plan_import import export_plan

        try:
            with self.db.begin() as session:
                rows = export_plan(session, code, path)
        except OSError as exc:
            self.statusBar().showMessage(
                tr("Berkas tidak dapat ditulis ({e}); pilih folder lain.").replace(
                    "{e}", exc.strerror or type(exc).__name__
                ),
                10000,
            )
            return None
        self.statusBar().showMessage(
            tr("Rencana {c} diekspor ({n} baris) ke {p}.")
            .replace("{c}", code)
            .replace("{n}", str(rows))
            .replace("{p}", str(path)),
            10000,
        )
        return rows

    def edit_matrix(self, kind: str, ident: int) -> None:
        """A "Koreksi matriks" entry of the tree's menu (Pokja only; plan_edit_dialog)."""
        if not self.profile.is_pokja or not self._leave_form():
            return
        from app.ui.plan_edit_dialog import run_matrix_edit

        run_matrix_edit(
            kind,
            self.db,
            ident,
            self.profile.user_label,
            self.undo_stack,
            self.matrix_changed,
            self,
        )

    def matrix_changed(self, row_id: int | None) -> None:
        """Rows, names or owners changed: re-read the tree, then show the row again."""
        b = self.browser
        b.load(self.profile)
        b.load_figures()
        b.apply_filter()
        assert self.form is not None
        if row_id is not None and b.select_row(row_id):
            self.form.load(row_id, b.year)
        else:
            self.form.load(None, b.year)
