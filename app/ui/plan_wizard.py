"""Pokja imports a plan from an Excel matrix in four steps (issue #12 item 1).

File → column mapping → preview (rows, problem rows, OPD matching) → code, region,
title and Impor. Every read of the workbook and the import itself run off the UI thread
(``BackgroundTask``), so a large matrix never freezes the window; a refused file shows
the reader's Indonesian sentence on the page and the wizard stays usable. Nothing is
written before Impor, and the import is one transaction (``services.plan_import``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.progress import Cancelled, Progress
from app.formats.refusal import SubmissionError
from app.models.db import Database
from app.services.plan_import import (
    ImportContext,
    PlanImported,
    PlanImportError,
    PlanPreview,
    code_problem,
    default_title,
    import_context,
    import_plan,
    preview_plan,
)
from app.ui.background import BackgroundTask
from app.ui.plan_wizard_pages import FilePage, FinishPage, MappingPage, PreviewPage
from app.ui.window_size import remember_size

STEPS = ("Berkas", "Kolom", "Pratinjau", "Impor")


def tr(text: str) -> str:
    return QCoreApplication.translate("PlanWizard", text)


def documents_folder() -> Path:
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))


def explain(exc: BaseException) -> str:
    """The sentence a person sees for a failed read or import (never a traceback)."""
    if isinstance(exc, (SubmissionError, PlanImportError)):
        return str(exc)
    if isinstance(exc, OSError):
        return tr("Berkas tidak dapat dibuka ({e}). Periksa lokasinya, lalu coba lagi.").replace(
            "{e}", exc.strerror or type(exc).__name__
        )
    return tr(
        "Terjadi kesalahan tak terduga ({e}); tidak ada yang diubah. Coba lagi, atau "
        "laporkan berkas ini ke pengelola aplikasi."
    ).replace("{e}", type(exc).__name__)


class PlanWizard(QDialog):
    """Import a plan workbook as a new plan; ``imported`` after a successful import."""

    imported = Signal(object)  # PlanImported
    show_plan = Signal(str)  # the person asked to see the new plan

    def __init__(
        self, db: Database, *, folder: Path | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.folder = folder or documents_folder()
        self.path: Path | None = None
        self.override: dict[str, int | None] = {}
        self.preview: PlanPreview | None = None
        self.context: ImportContext | None = None
        self.outcome: PlanImported | None = None
        self.task: BackgroundTask | None = None
        self._title_touched = False
        self.setWindowTitle(tr("Impor Rencana dari Excel"))
        self.setAcceptDrops(True)
        remember_size(self, "plan_wizard", 900, 600)

        self.step_label = QLabel()
        self.step_label.setStyleSheet("font-weight: bold;")
        self.file_page = FilePage()
        self.mapping_page = MappingPage()
        self.preview_page = PreviewPage()
        self.finish_page = FinishPage()
        self.stack = QStackedWidget()
        for page in (self.file_page, self.mapping_page, self.preview_page, self.finish_page):
            self.stack.addWidget(page)
        self.back_button = QPushButton(tr("< Kembali"))
        self.next_button = QPushButton(tr("Lanjut >"))
        self.import_button = QPushButton(tr("Impor"))
        self.close_button = QPushButton(tr("Tutup"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.back_button, self.next_button, self.import_button, self.close_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.step_label)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)

        self.file_page.browse.connect(self._browse)
        self.file_page.path_edit.returnPressed.connect(self._next)
        self.file_page.path_edit.textChanged.connect(self._update)
        self.mapping_page.changed.connect(self._remap)
        self.finish_page.code.textChanged.connect(self._update)
        self.finish_page.region.textChanged.connect(self._region_changed)
        self.finish_page.title.textEdited.connect(self._title_edited)
        self.finish_page.show_button.clicked.connect(self._show_plan)
        self.back_button.clicked.connect(self._back)
        self.next_button.clicked.connect(self._next)
        self.preview_page.decided.connect(self._update)
        self.import_button.clicked.connect(self._import)
        self.close_button.clicked.connect(self.reject)
        self._update()

    # --- navigation -------------------------------------------------------------------
    @property
    def step(self) -> int:
        return self.stack.currentIndex()

    def go(self, step: int) -> None:
        self.stack.setCurrentIndex(step)
        if step == 3:
            self._validate_code()
        self._update()

    def _back(self) -> None:
        if self.step > 0 and self.task is None:
            self.go(self.step - 1)

    def _next(self) -> None:
        if self.task is not None:
            return
        if self.step == 0:
            self.read(self.file_page.path)
        elif self.step < 3 and self.preview is not None:
            self.go(self.step + 1)

    def _update(self) -> None:
        busy = self.task is not None
        step = self.step
        self.step_label.setText(
            tr("Langkah {n} dari 4: {s}")
            .replace("{n}", str(step + 1))
            .replace("{s}", tr(STEPS[step]))
        )
        finished = self.outcome is not None
        self.back_button.setEnabled(step > 0 and not busy and not finished)
        can_next = (
            bool(self.file_page.path_edit.text().strip())
            if step == 0
            else self.preview is not None
            and not self.mapping_page.message.text()
            and not (step == 2 and self.preview_page.undecided())
        )
        self.next_button.setVisible(step < 3)
        self.next_button.setEnabled(can_next and not busy)
        self.import_button.setVisible(step == 3)
        self.import_button.setEnabled(
            step == 3 and not busy and not finished and self._validate_code() is None
        )
        self.close_button.setEnabled(not busy)
        self.close_button.setText(tr("Selesai") if finished else tr("Tutup"))

    # --- step 1: the file -------------------------------------------------------------
    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, tr("Pilih matriks rencana"), str(self.folder), tr("Buku kerja Excel (*.xlsx)")
        )
        if name:
            self.file_page.path_edit.setText(name)
            self.read(Path(name))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and self.step == 0 and self.task is None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = [u for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            path = Path(urls[0].toLocalFile())
            self.file_page.path_edit.setText(str(path))
            self.read(path)

    def read(self, path: Path | None) -> None:
        """Read ``path`` (a new file: the mapping starts afresh) off the UI thread."""
        if path is None or self.task is not None:
            return
        if path != self.path:
            self.override = {}
        self.path = path
        self.file_page.message.clear()
        self.file_page.busy.show()
        self._run_read(self._first_read_done, self._first_read_failed)

    def _run_read(self, ok: object, failed: object) -> None:
        db, path, override = self.db, self.path, dict(self.override)
        assert path is not None

        def work(_progress: Progress, _cancelled: Cancelled) -> object:
            with db.begin() as session:
                return preview_plan(session, path, override), import_context(session)

        self.task = BackgroundTask(work, self)
        self.task.succeeded.connect(ok)
        self.task.failed.connect(failed)
        self.task.finished.connect(self._task_finished)
        self._update()
        self.task.start()

    def _task_finished(self) -> None:
        self.task = None
        self.file_page.busy.hide()
        self.finish_page.busy.hide()
        self._update()

    def _first_read_done(self, result: tuple[PlanPreview, ImportContext]) -> None:
        self._show(result)
        self.mapping_page.message.clear()
        self.go(1)

    def _first_read_failed(self, exc: BaseException) -> None:
        self.preview = None
        self.file_page.message.setText(explain(exc))

    # --- step 2: the mapping ----------------------------------------------------------
    def _remap(self, name: str, col: int | None) -> None:
        if self.path is None:
            return
        self.override[name] = col
        self._run_read(self._reread_done, self._reread_failed)

    def _reread_done(self, result: tuple[PlanPreview, ImportContext]) -> None:
        self._show(result)
        self.mapping_page.message.clear()

    def _reread_failed(self, exc: BaseException) -> None:
        # The previous preview is kept for looking at, but Lanjut waits for a mapping
        # the reader accepts (the message stays until the next change reads well).
        self.mapping_page.message.setText(explain(exc))

    def _show(self, result: tuple[PlanPreview, ImportContext]) -> None:
        preview, context = result
        self.preview, self.context = preview, context
        if preview.workbook.mapping is not None:
            removed = [int(n) for n, c in self.override.items() if n.isdigit() and not c]
            self.mapping_page.show_mapping(preview.workbook.mapping, removed)
        self.preview_page.show_preview(preview, context)
        page = self.finish_page
        if not page.region.text():
            page.region.setText(context.region)
        self._region_changed()
        if not page.code.text():
            start, end = preview.period
            page.code.setText(f"RADPUG-{start}-{end}")

    # --- step 4: code, region, title, Impor -------------------------------------------
    def _title_edited(self) -> None:
        self._title_touched = True

    def _region_changed(self) -> None:
        if self.preview is not None and not self._title_touched:
            start, end = self.preview.period
            region = " ".join(self.finish_page.region.text().split())
            self.finish_page.title.setText(default_title(region, start, end))
        self._update()

    def _validate_code(self) -> str | None:
        page = self.finish_page
        taken = self.context.plan_codes if self.context else frozenset()
        problem = code_problem(page.code.text(), taken)
        if problem is None and not page.region.text().strip():
            problem = tr('Nama daerah wajib diisi (misalnya "Kabupaten Contoh").')
        if self.outcome is None:
            page.code_message.setText(problem or "")
        return problem

    def _import(self) -> None:
        if self.path is None or self.task is not None or self._validate_code() is not None:
            return
        if self.preview_page.undecided():  # reached by going back and changing a choice
            self.go(2)
            self.preview_page.tabs.setCurrentIndex(1)
            return
        page = self.finish_page
        db, path, override = self.db, self.path, dict(self.override)
        choices = self.preview_page.choices()
        code, region, title = page.code.text(), page.region.text(), page.title.text()

        def work(_progress: Progress, _cancelled: Cancelled) -> object:
            return import_plan(
                db,
                path,
                code=code,
                region=region,
                title=title,
                override=override,
                opd_choices=choices,
            )

        page.result.clear()
        page.busy.show()
        self.task = BackgroundTask(work, self)
        self.task.succeeded.connect(self._imported)
        self.task.failed.connect(self._import_failed)
        self.task.finished.connect(self._task_finished)
        self._update()
        self.task.start()

    def _imported(self, done: PlanImported) -> None:
        self.outcome = done
        self.finish_page.show_result(done)
        self.imported.emit(done)

    def _import_failed(self, exc: BaseException) -> None:
        self.finish_page.result.setStyleSheet("color: #a40000;")
        self.finish_page.result.setText(explain(exc))

    def _show_plan(self) -> None:
        if self.outcome is not None:
            self.show_plan.emit(self.outcome.code)
            self.accept()

    def reject(self) -> None:
        if self.task is None:  # never close under a running read or import
            super().reject()


__all__ = ["PlanWizard", "documents_folder", "explain"]
