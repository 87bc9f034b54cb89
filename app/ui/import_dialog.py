"""Pokja's "Terima Berkas" window: check, confirm keys, import, and see what happened.

Files come from the two buttons or are dropped on the dialog (or on the main window,
through ``FileDropFilter``). Every file is first read without writing anything and
shown with its OPD (as this database names it), year, revision and signing key; a key
Pokja has not accepted for that OPD must be ticked by hand after comparing its
fingerprint with the OPD, and a key pinned for another OPD can only be moved, by a
separate confirmed tick. A file the ordering rules would leave out (older, the same
content, a revision jump) can be replaced anyway ("Ganti paksa…", with a reason). The
import then runs off the UI thread, one whole file at a time, and each file's outcome
comes back with its Indonesian reason. The rules live in ``app/services/intake.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QCloseEvent, QColor, QFontDatabase
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
from app.services.importer import REFUSED, ImportOutcome
from app.services.intake import FileCheck, KeyPair, KeyQuestion
from app.services.trust import KeyState
from app.ui import import_consent
from app.ui.background import BackgroundTask
from app.ui.file_drop import FileDropFilter
from app.ui.import_consent import KeyRow
from app.ui.import_results import LogPage, ResultsPage
from app.ui.import_tables import (
    ERROR_COLOUR,
    KEY_COLOURS,
    PREVIEW_COLUMNS,
    UNSIGNED_COLOUR,
    colour_cell,
    detail_label,
    table_item,
    table_tree,
)
from app.ui.window_size import remember_size

NOTE_GREY = "#6b6b6b"


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
        self.reassigned_keys: set[KeyPair] = set()  # keys moved from another OPD, confirmed
        self.forced: dict[Path, str] = {}  # "ganti paksa": file -> Pokja's reason
        self.task: BackgroundTask | None = None
        self._pending: list[Path] = []
        self._last_dir = ""
        self.key_rows: dict[KeyPair, KeyRow] = {}

        self.setWindowTitle(tr("Terima Berkas Kiriman OPD"))
        self.setObjectName("import-dialog")
        remember_size(self, "import", 1040, 640)
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
        self.preview.currentItemChanged.connect(lambda *_: self._update_buttons())
        detail_row = QHBoxLayout()
        self.preview_detail = detail_label(self.preview, 6, "preview-detail")
        detail_row.addWidget(self.preview_detail, 1)
        self.force_button = QPushButton(tr("&Ganti paksa…"))
        self.force_button.setObjectName("force")
        self.force_button.setAutoDefault(False)
        self.force_button.setToolTip(
            tr(
                "Pakai berkas yang dipilih walaupun revisinya sama atau lebih lama, isinya "
                "sudah diterima, atau revisinya melompat; alasannya dicatat."
            )
        )
        self.force_button.clicked.connect(self.toggle_force)
        detail_row.addWidget(self.force_button, 0, Qt.AlignmentFlag.AlignTop)
        pv.addLayout(detail_row)
        self.keys_box = QGroupBox(tr("Kunci yang perlu diterima"))
        self.keys_box.setObjectName("keys-box")
        kb = QVBoxLayout(self.keys_box)
        self.keys_note = QLabel(
            tr(
                "Kunci di bawah ini belum pernah diterima untuk Perangkat Daerah tersebut. "
                "Sebelum mencentang, hubungi Perangkat Daerah lewat telepon atau surat dan minta "
                "mereka membacakan sidik jari kunci dari aplikasi mereka; terima hanya bila "
                "keempat kelompok huruf dan angka sama persis. Berkas dengan kunci yang tidak "
                "diterima tidak diimpor. Kunci yang sudah diterima untuk Perangkat Daerah lain "
                "(KUNCI OPD LAIN) hanya dapat dipindahkan, dengan konfirmasi tersendiri."
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

        # Results of the last run, and the import log (newest first).
        self.results_page = ResultsPage()
        self.summary_label = self.results_page.summary_label
        self.copy_button = self.results_page.copy_button
        self.copy_button.clicked.connect(self.copy_summary)
        self.results = self.results_page.results
        self.result_detail = self.results_page.result_detail
        self.tabs.addTab(self.results_page, tr("&Hasil"))
        self.log_page = LogPage(db)
        self.log = self.log_page.log
        self.tabs.addTab(self.log_page, tr("&Log impor"))
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
        self.reassigned_keys = set()
        self.forced = {}
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
            text += tr("; {b} ditolak (alasannya di kolom Keterangan)").replace("{b}", str(bad))
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
        if c.clock_problem is not None:
            return c.clock_problem, ERROR_COLOUR
        if c.needs_reassignment and not intake.will_import(
            c, self.accepted_keys, self.reassigned_keys
        ):
            return tr(
                "KUNCI MILIK {owner}: berkas ini tidak akan diimpor kecuali kuncinya "
                "dipindahkan ke Perangkat Daerah ini."
            ).replace("{owner}", c.owner or ""), ERROR_COLOUR
        if c.needs_confirmation and not intake.will_import(
            c, self.accepted_keys, self.reassigned_keys
        ):
            return tr("Kunci belum diterima: berkas ini tidak akan diimpor."), KEY_COLOURS[
                KeyState.NEW
            ]
        forced = self.forced.get(c.file)
        if forced is not None:
            return tr("GANTI PAKSA (alasan: {why}); siap diimpor.").replace(
                "{why}", forced
            ), KEY_COLOURS[KeyState.NEW]
        if c.already_received and c.pokja_corrections:
            return tr(
                "Sudah pernah diterima, tetapi {n} nilainya sudah dikoreksi Pokja. 'Ganti "
                "paksa…' memulihkan nilai yang ditandatangani Perangkat Daerah."
            ).replace("{n}", str(c.pokja_corrections)), KEY_COLOURS[KeyState.NEW]
        if c.already_received:
            return tr(
                "Sudah pernah diterima; tidak ada yang akan diubah (kecuali 'Ganti paksa…')."
            ), None
        if c.order_problem is not None:
            return c.order_problem, NOTE_GREY
        if c.needs_reassignment:
            return tr("Kunci dipindahkan ke Perangkat Daerah ini; siap diimpor."), None
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
            chosen = self.reassigned_keys if q.state == KeyState.OTHER_OPD else self.accepted_keys
            row = KeyRow(q, q.pair in chosen)
            row.box.toggled.connect(lambda on, q=q: self._key_toggled(q, on))
            self.key_rows[q.pair] = row
            box.addWidget(row)
        self.keys_area.setWidget(holder)  # the old holder and its rows are deleted
        # As tall as the questions need, up to a cap; the file list takes the rest.
        self.keys_area.setFixedHeight(min(holder.sizeHint().height() + 2, 260))
        self.keys_box.setVisible(bool(questions))

    def _key_toggled(self, q: KeyQuestion, on: bool) -> None:
        """A tick on a key question; moving a key of another OPD asks once more."""
        chosen = self.reassigned_keys if q.state == KeyState.OTHER_OPD else self.accepted_keys
        if on and q.state == KeyState.OTHER_OPD and not import_consent.confirm_reassign(self, q):
            box = self.key_rows[q.pair].box
            box.blockSignals(True)
            box.setChecked(False)
            box.blockSignals(False)
            return
        if on:
            chosen.add(q.pair)
        else:
            chosen.discard(q.pair)
        self._renote(lambda c: c.key_pair == q.pair)

    def _renote(self, which: Callable[[FileCheck], bool]) -> None:
        for i, c in enumerate(self.checks):
            if which(c):
                item = self.preview.topLevelItem(i)
                if item is None:
                    continue
                note, colour = self._note(c)
                item.setText(6, note)
                item.setToolTip(6, note)
                item.setForeground(6, QBrush(QColor(colour)) if colour else QBrush())
                if item is self.preview.currentItem():
                    self.preview_detail.setText(f"<b>{item.text(0)}</b>: {note}")
        self._update_buttons()

    def _selected(self) -> FileCheck | None:
        item = self.preview.currentItem()
        index = self.preview.indexOfTopLevelItem(item) if item is not None else -1
        return self.checks[index] if 0 <= index < len(self.checks) else None

    def toggle_force(self) -> None:
        """ "Ganti paksa" for the selected file (asks the reason), or take it back."""
        c = self._selected()
        if c is None or self.busy:
            return
        if c.file in self.forced:
            del self.forced[c.file]
        else:
            if not c.forceable:
                return
            why = c.order_problem or tr("Isi berkas ini sudah pernah diterima.")
            reason = import_consent.ask_force_reason(self, c, why)
            if reason is None:
                return
            self.forced[c.file] = reason
        self._renote(lambda x: x.file == c.file)

    def _update_buttons(self) -> None:
        idle = not self.busy
        self.import_button.setEnabled(idle and bool(self.checks))
        self.clear_button.setEnabled(idle and bool(self.checks))
        c = self._selected()
        forced = c is not None and c.file in self.forced
        self.force_button.setEnabled(idle and c is not None and (forced or c.forceable))
        self.force_button.setText(tr("Batalkan &ganti paksa") if forced else tr("&Ganti paksa…"))
        n = sum(
            1
            for c in self.checks
            if intake.will_import(c, self.accepted_keys, self.reassigned_keys)
        )
        self.import_button.setText(
            tr("&Impor ({n} berkas)").replace("{n}", str(n)) if self.checks else tr("&Impor")
        )

    # -------------------------------------------------------------------- importing
    def start_import(self) -> None:
        """Import the listed files in the background, each with its own key permission."""
        if self.busy or not self.checks:
            return
        checks = list(self.checks)
        plan = intake.import_plan(checks, set(self.accepted_keys), set(self.reassigned_keys))
        forced = dict(self.forced)
        db, user = self.db, self.user

        def work(progress: Progress, cancelled: Cancelled) -> list[ImportOutcome]:
            out: list[ImportOutcome] = []
            for i, (path, consent) in enumerate(plan):
                if cancelled():
                    break
                progress(i, len(plan))
                out.append(
                    importer.import_file(
                        db,
                        path,
                        keys_allowed=consent,
                        replace_anyway=forced.get(path),
                        user=user,
                    )
                )
            progress(len(out), len(plan))
            return out

        label = tr("Mengimpor {n} berkas…").replace("{n}", str(len(plan)))
        self._run(work, label, lambda result: self._imported(checks, result))

    def _imported(self, checks: list[FileCheck], outcomes: list[ImportOutcome]) -> None:
        by_file = {c.file: c for c in checks}
        reasons: dict[Path, str] = {}
        for o in outcomes:
            c = by_file.get(o.file)
            if (
                o.outcome == REFUSED
                and c is not None
                and c.needs_confirmation
                and not intake.will_import(c, self.accepted_keys, self.reassigned_keys)
            ):
                # The importer says what to do in general; here, the checkbox to tick.
                reasons[o.file] = intake.not_accepted_reason(c)
        # Files a cancel left out stay listed, checked again against the new key pins.
        self._pending = [c.file for c in checks[len(outcomes) :]] + self._pending
        self.checks = []
        self.forced = {}
        self._refresh_preview()
        self.results_page.show_outcomes(outcomes, len(checks), reasons)
        self.refresh_log()
        self.tabs.setCurrentIndex(1)
        self._say(intake.summary(outcomes, len(checks)) + ".")
        changed = intake.merged(outcomes)
        if changed:
            self.imported.emit(changed)

    @property
    def outcomes(self) -> list[ImportOutcome]:
        return self.results_page.outcomes

    def results_text(self) -> str:
        return self.results_page.text()

    def copy_summary(self) -> None:
        self.results_page.copy()
        self._say(tr("Ringkasan hasil disalin; tempelkan ke surat atau lembar kerja."))

    def refresh_log(self) -> None:
        self.log_page.refresh()

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
