"""Pokja's "Terima Berkas" window: check, confirm keys, import, and see what happened.

Files come from the two buttons or are dropped on the dialog (or on the main window,
through ``FileDropFilter``). Every file is first read without writing anything and
shown with its OPD, year, revision and signing key; a key Pokja has not accepted for
that OPD must be ticked by hand after comparing its fingerprint with the OPD. The
import then runs off the UI thread, one whole file at a time, and each file's outcome
comes back with its Indonesian reason. The rules live in ``app/services/intake.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QCloseEvent,
    QColor,
    QFontDatabase,
    QGuiApplication,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.printable import shown_name
from app.domain.progress import Cancelled, Progress
from app.models.db import Database
from app.services import importer, intake
from app.services.importer import (
    REFUSED,
    ImportOutcome,
)
from app.services.intake import FileCheck, KeyPair
from app.services.trust import KeyState
from app.ui.background import BackgroundTask
from app.ui.file_drop import FileDropFilter
from app.ui.import_tables import (
    ERROR_COLOUR,
    KEY_COLOURS,
    LOG_COLUMNS,
    OUTCOME_COLOURS,
    PREVIEW_COLUMNS,
    RESULT_COLUMNS,
    UNSIGNED_COLOUR,
    KeyRow,
    colour_cell,
    detail_label,
    table_item,
    table_tree,
)


def tr(text: str) -> str:
    return QCoreApplication.translate("ImportDialog", text)


# -------------------------------------------------------------------------- dialog
class ImportDialog(QDialog):
    """Receive OPD submission files; emits ``imported`` with the (OPD, year) pairs changed."""

    imported = Signal(list)  # list[tuple[str, int]]

    def __init__(self, db: Database, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.user = user
        self.checks: list[FileCheck] = []
        self.accepted_keys: set[KeyPair] = set()
        self.outcomes: list[ImportOutcome] = []
        self.total = 0  # files in the last import run (more than outcomes if cancelled)
        self.reasons: dict[Path, str] = {}  # reasons shown instead of the importer's
        self.task: BackgroundTask | None = None
        self._pending: list[Path] = []
        self._last_dir = ""
        self.key_rows: dict[KeyPair, KeyRow] = {}

        self.setWindowTitle(tr("Terima Berkas Kiriman OPD"))
        self.setObjectName("import-dialog")
        self.resize(1040, 640)
        layout = QVBoxLayout(self)

        intro = QLabel(
            tr(
                "Tambahkan berkas kiriman Perangkat Daerah (.xlsx hasil ekspor aplikasi) dengan "
                "tombol di bawah, atau seret berkas atau folder ke jendela ini. Setiap berkas "
                "diperiksa dulu tanpa mengubah apa pun di basis data."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        pick = QHBoxLayout()
        self.pick_files = QPushButton(tr("Pilih &berkas…"))
        self.pick_files.setObjectName("pick-files")
        self.pick_files.clicked.connect(self._choose_files)
        self.pick_folder = QPushButton(tr("Pilih &folder…"))
        self.pick_folder.setObjectName("pick-folder")
        self.pick_folder.clicked.connect(self._choose_folder)
        self.clear_button = QPushButton(tr("&Kosongkan daftar"))
        self.clear_button.setObjectName("clear")
        self.clear_button.clicked.connect(self.clear)
        for b in (self.pick_files, self.pick_folder, self.clear_button):
            b.setAutoDefault(False)
            pick.addWidget(b)
        pick.addStretch(1)
        layout.addLayout(pick)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        layout.addWidget(self.tabs, 1)

        # Preview: the files, then the keys to confirm.
        preview_page = QWidget()
        pv = QVBoxLayout(preview_page)
        self.preview = table_tree(PREVIEW_COLUMNS, "preview")
        pv.addWidget(self.preview, 1)
        self.preview_detail = detail_label(self.preview, 6, "preview-detail")
        pv.addWidget(self.preview_detail)
        self.keys_box = QGroupBox(tr("Kunci yang perlu diterima"))
        self.keys_box.setObjectName("keys-box")
        kb = QVBoxLayout(self.keys_box)
        self.keys_note = QLabel(
            tr(
                "Kunci di bawah ini belum pernah diterima untuk Perangkat Daerah tersebut. "
                "Sebelum mencentang, hubungi Perangkat Daerah lewat telepon atau surat dan minta "
                "mereka membacakan sidik jari kunci dari aplikasi mereka; terima hanya bila "
                "keempat kelompok huruf dan angka sama persis. Berkas dengan kunci yang tidak "
                "diterima tidak diimpor."
            )
        )
        self.keys_note.setObjectName("keys-note")
        self.keys_note.setWordWrap(True)
        kb.addWidget(self.keys_note)
        self.keys_area = QScrollArea()
        self.keys_area.setWidgetResizable(True)
        self.keys_area.setFrameShape(QFrame.Shape.NoFrame)
        kb.addWidget(self.keys_area)
        pv.addWidget(self.keys_box, 0)
        self.keys_box.hide()
        self.tabs.addTab(preview_page, tr("&Pratinjau"))

        # Results of the last run.
        results_page = QWidget()
        rv = QVBoxLayout(results_page)
        top = QHBoxLayout()
        self.summary_label = QLabel(tr("Belum ada berkas yang diimpor."))
        self.summary_label.setObjectName("summary")
        self.summary_label.setStyleSheet("font-weight: bold;")
        top.addWidget(self.summary_label, 1)
        self.copy_button = QPushButton(tr("&Salin ringkasan"))
        self.copy_button.setObjectName("copy")
        self.copy_button.setAutoDefault(False)
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self.copy_summary)
        top.addWidget(self.copy_button)
        rv.addLayout(top)
        self.results = table_tree(RESULT_COLUMNS, "results")
        self.results.setSortingEnabled(True)
        rv.addWidget(self.results, 1)
        self.result_detail = detail_label(self.results, 5, "result-detail")
        rv.addWidget(self.result_detail)
        self.tabs.addTab(results_page, tr("&Hasil"))

        # Import log, newest first.
        log_page = QWidget()
        lv = QVBoxLayout(log_page)
        self.log = table_tree(LOG_COLUMNS, "log")
        self.log.setSortingEnabled(True)
        lv.addWidget(self.log, 1)
        reload_row = QHBoxLayout()
        reload_row.addStretch(1)
        reload = QPushButton(tr("Muat &ulang"))
        reload.setAutoDefault(False)
        reload.clicked.connect(self.refresh_log)
        reload_row.addWidget(reload)
        lv.addLayout(reload_row)
        self.tabs.addTab(log_page, tr("&Log impor"))
        self.tabs.currentChanged.connect(self._tab_changed)

        busy = QHBoxLayout()
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        busy.addWidget(self.status, 1)
        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        self.progress.setMinimumWidth(220)
        self.progress.hide()
        busy.addWidget(self.progress)
        self.cancel_button = QPushButton(tr("B&atalkan"))
        self.cancel_button.setObjectName("cancel")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        busy.addWidget(self.cancel_button)
        layout.addLayout(busy)

        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton(tr("&Impor"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("import")
        self.import_button.setDefault(True)
        close = buttons.addButton(tr("&Tutup"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setObjectName("close")
        buttons.accepted.connect(self.start_import)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.drops = FileDropFilter(self)
        self.drops.install(self)
        self.drops.files_dropped.connect(self.add_files)
        self._refresh_preview()

    # ----------------------------------------------------------------- adding files
    @property
    def busy(self) -> bool:
        return self.task is not None

    def add_files(self, paths: Iterable[str | Path]) -> None:
        """Add files and folders (their ``.xlsx`` files) to the list and check them."""
        files = intake.collect_files(paths)
        if not files:
            self._say(tr("Tidak ada berkas .xlsx di antara yang dipilih."), error=True)
            return
        have = {c.file.resolve() for c in self.checks} | {p.resolve() for p in self._pending}
        new = [f for f in files if f.resolve() not in have]
        if not new:
            self._say(tr("Berkas itu sudah ada di daftar."))
            return
        self.tabs.setCurrentIndex(0)
        if self.busy:
            self._pending.extend(new)  # checked as soon as the running work ends
            self._say(tr("{n} berkas menunggu diperiksa.").replace("{n}", str(len(new))))
            return
        self._start_check(new)

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self,
            tr("Pilih berkas kiriman"),
            self._last_dir,
            tr("Buku kerja Excel (*.xlsx)"),
        )
        if names:
            self._last_dir = str(Path(names[0]).parent)
            self.add_files([Path(n) for n in names])

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, tr("Pilih folder berisi berkas kiriman"), self._last_dir
        )
        if folder:
            self._last_dir = folder
            self.add_files([Path(folder)])

    def clear(self) -> None:
        if self.busy:
            return
        self.checks = []
        self.accepted_keys = set()
        self._refresh_preview()
        self._say("")

    # ------------------------------------------------------------------ background
    def _run(self, work: Callable[..., Any], label: str, done: Callable[[Any], None]) -> None:
        task = BackgroundTask(work, self)
        self.task = task
        task.progressed.connect(self._show_progress)
        task.succeeded.connect(done)
        task.failed.connect(self._failed)
        task.finished.connect(self._finished)
        task.finished.connect(task.deleteLater)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self._say(label)
        self._update_buttons()
        task.start()

    def _show_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def cancel(self) -> None:
        """Stop the running work between two files (a file is never cut in half)."""
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self._say(tr("Membatalkan setelah berkas yang sedang diproses…"))

    def _failed(self, exc: object) -> None:
        self._say(tr("Gagal: {e}").replace("{e}", str(exc)), error=True)

    def _finished(self) -> None:
        self.task = None
        self.progress.hide()
        self.cancel_button.hide()
        self._update_buttons()
        if self._pending:
            files, self._pending = self._pending, []
            self._start_check(files)

    # --------------------------------------------------------------------- checking
    def _start_check(self, files: list[Path]) -> None:
        db = self.db

        def work(progress: Progress, cancelled: Cancelled) -> list[FileCheck]:
            return intake.check_files(db, files, progress=progress, cancelled=cancelled)

        label = tr("Memeriksa {n} berkas…").replace("{n}", str(len(files)))
        self._run(work, label, self._checked)

    def _checked(self, result: list[FileCheck]) -> None:
        self.checks.extend(result)
        self._refresh_preview()
        bad = sum(1 for c in result if not c.readable)
        text = tr("{n} berkas diperiksa").replace("{n}", str(len(result)))
        if bad:
            text += tr("; {b} tidak dapat dibaca").replace("{b}", str(bad))
        asks = len(intake.key_questions(self.checks))
        if asks:
            text += tr("; {k} kunci perlu diterima").replace("{k}", str(asks))
        self._say(text + ".")

    def _note(self, c: FileCheck) -> tuple[str, str | None]:
        """The 'Keterangan' text of a preview row and its colour."""
        if c.error is not None:
            return c.error, ERROR_COLOUR
        if not c.opd_known:
            return tr("Perangkat Daerah tidak dikenal di basis data ini; akan ditolak."), (
                ERROR_COLOUR
            )
        if c.already_received:
            return tr("Sudah pernah diterima; tidak ada yang akan diubah."), None
        if c.needs_confirmation and not intake.will_import(c, self.accepted_keys):
            return tr("Kunci belum diterima: berkas ini tidak akan diimpor."), KEY_COLOURS[
                KeyState.NEW
            ]
        if c.needs_confirmation:
            return tr("Kunci diterima; siap diimpor."), None
        if c.unsigned:
            return tr(
                "Buku kerja isian tanpa tanda tangan elektronik; datanya akan ditandai "
                "'tanpa tanda tangan'."
            ), UNSIGNED_COLOUR
        return tr("Siap diimpor."), None

    def _refresh_preview(self) -> None:
        self.preview.clear()
        for c in self.checks:
            opd = f"{c.opd_code} {c.opd_name or ''}".strip() if c.opd_code else ""
            note, note_colour = self._note(c)
            item = table_item(
                [
                    shown_name(c.file.name),
                    opd,
                    c.year,
                    c.revision,
                    c.fingerprint,
                    tr(c.state_label) if c.state_label else "",
                    note,
                ]
            )
            item.setToolTip(0, shown_name(str(c.file)))
            item.setToolTip(6, note)
            item.setData(0, Qt.ItemDataRole.UserRole, str(c.file))
            mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
            item.setFont(4, mono)
            if c.unsigned:
                colour_cell(item, 5, UNSIGNED_COLOUR, bold=True)
            elif c.key_state:
                colour_cell(item, 5, KEY_COLOURS[c.key_state], bold=c.key_state != KeyState.KNOWN)
            if note_colour:
                colour_cell(item, 6, note_colour)
            self.preview.addTopLevelItem(item)
        widths = [230, 250, 50, 55, 165, 125]
        for col, w in enumerate(widths):
            self.preview.setColumnWidth(col, w)
        self._refresh_keys()
        self._update_buttons()

    def _refresh_keys(self) -> None:
        questions = intake.key_questions(self.checks)
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        self.key_rows = {}
        for q in questions:
            row = KeyRow(q, q.pair in self.accepted_keys)
            row.box.toggled.connect(lambda on, pair=q.pair: self._accept_key(pair, on))
            self.key_rows[q.pair] = row
            box.addWidget(row)
        self.keys_area.setWidget(holder)  # the old holder and its rows are deleted
        # As tall as the questions need, up to a cap; the file list takes the rest.
        self.keys_area.setFixedHeight(min(holder.sizeHint().height() + 2, 260))
        self.keys_box.setVisible(bool(questions))

    def _accept_key(self, pair: KeyPair, on: bool) -> None:
        if on:
            self.accepted_keys.add(pair)
        else:
            self.accepted_keys.discard(pair)
        for i, c in enumerate(self.checks):
            if c.key_pair == pair:
                item = self.preview.topLevelItem(i)
                if item is None:
                    continue
                note, colour = self._note(c)
                item.setText(6, note)
                item.setToolTip(6, note)
                item.setForeground(6, QBrush(QColor(colour)) if colour else QBrush())
        self._update_buttons()

    def _update_buttons(self) -> None:
        idle = not self.busy
        self.import_button.setEnabled(idle and bool(self.checks))
        self.clear_button.setEnabled(idle and bool(self.checks))
        n = sum(1 for c in self.checks if intake.will_import(c, self.accepted_keys))
        self.import_button.setText(
            tr("&Impor ({n} berkas)").replace("{n}", str(n)) if self.checks else tr("&Impor")
        )

    # -------------------------------------------------------------------- importing
    def start_import(self) -> None:
        """Import the listed files in the background, each with its own key permission."""
        if self.busy or not self.checks:
            return
        checks = list(self.checks)
        plan = intake.import_plan(checks, set(self.accepted_keys))
        db, user = self.db, self.user

        def work(progress: Progress, cancelled: Cancelled) -> list[ImportOutcome]:
            out: list[ImportOutcome] = []
            for i, (path, accept) in enumerate(plan):
                if cancelled():
                    break
                progress(i, len(plan))
                out.append(importer.import_file(db, path, accept_new_key=accept, user=user))
            progress(len(out), len(plan))
            return out

        label = tr("Mengimpor {n} berkas…").replace("{n}", str(len(plan)))
        self._run(work, label, lambda result: self._imported(checks, result))

    def _imported(self, checks: list[FileCheck], outcomes: list[ImportOutcome]) -> None:
        by_file = {c.file: c for c in checks}
        self.total = len(checks)
        self.outcomes = outcomes
        self.reasons = {}
        for o in outcomes:
            c = by_file.get(o.file)
            if (
                o.outcome == REFUSED
                and c is not None
                and c.needs_confirmation
                and not intake.will_import(c, self.accepted_keys)
            ):
                # The importer's reason names the command-line switch; say what to do here.
                self.reasons[o.file] = intake.not_accepted_reason(c)
        # Files a cancel left out stay listed, checked again against the new key pins.
        self._pending = [c.file for c in checks[len(outcomes) :]] + self._pending
        self.checks = []
        self._refresh_preview()
        self._show_results()
        self.refresh_log()
        self.tabs.setCurrentIndex(1)
        self._say(intake.summary(outcomes, self.total) + ".")
        changed = intake.merged(outcomes)
        if changed:
            self.imported.emit(changed)

    def _show_results(self) -> None:
        self.results.setSortingEnabled(False)
        self.results.clear()
        for o in self.outcomes:
            reason = self.reasons.get(o.file, o.reason)
            item = table_item(
                [shown_name(o.file.name), tr(o.outcome), o.opd_code, o.year, o.revision, reason]
            )
            item.setToolTip(0, shown_name(str(o.file)))
            item.setToolTip(5, reason)
            colour_cell(item, 1, OUTCOME_COLOURS.get(o.outcome, ERROR_COLOUR), bold=True)
            if o.outcome == REFUSED:
                colour_cell(item, 5, ERROR_COLOUR)
            self.results.addTopLevelItem(item)
        for col, w in enumerate([230, 110, 130, 50, 55]):
            self.results.setColumnWidth(col, w)
        # No sort column until the user clicks a header: the rows stay in import order.
        self.results.header().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.results.setSortingEnabled(True)
        self.summary_label.setText(intake.summary(self.outcomes, self.total))
        self.copy_button.setEnabled(bool(self.outcomes))

    def results_text(self) -> str:
        return intake.results_text(self.outcomes, self.total, self.reasons)

    def copy_summary(self) -> None:
        QGuiApplication.clipboard().setText(self.results_text())
        self._say(tr("Ringkasan hasil disalin; tempelkan ke surat atau lembar kerja."))

    # -------------------------------------------------------------------------- log
    def refresh_log(self) -> None:
        with self.db.begin() as s:
            entries = intake.recent_log(s)
        self.log.setSortingEnabled(False)
        self.log.clear()
        for e in entries:
            item = table_item(
                [
                    f"{e.at:%Y-%m-%d %H:%M:%S}",
                    e.file_name,
                    tr(e.outcome),
                    e.opd_code,
                    e.year,
                    e.revision,
                    e.reason,
                ]
            )
            item.setToolTip(6, e.reason)
            colour_cell(item, 2, OUTCOME_COLOURS.get(e.outcome, ERROR_COLOUR), bold=True)
            self.log.addTopLevelItem(item)
        for col, w in enumerate([140, 230, 110, 130, 50, 55]):
            self.log.setColumnWidth(col, w)
        # No sort column until the user clicks a header: the rows stay newest first.
        self.log.header().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.log.setSortingEnabled(True)

    def _tab_changed(self, index: int) -> None:
        if index == 2:
            self.refresh_log()

    # ------------------------------------------------------------------------ misc
    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {ERROR_COLOUR};" if error else "")

    def reject(self) -> None:
        """Esc or *Tutup* while work runs cancels it; the window stays to show the result."""
        if self.busy:
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.busy:
            self.cancel()
            event.ignore()
            return
        super().closeEvent(event)
