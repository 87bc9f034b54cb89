"""Matrix distribution in the window: Pokja sends a signed matrix, a focal point applies it.

``MatrixImportDialog`` ("Terima Pembaruan Matriks") reads a package, shows who signed it
against the pinned Pokja key, previews every change, and applies it off the UI thread.
``MatrixExportDialog`` ("Kirim Matriks") is Pokja's side: plan, note, passphrase, file.
The rules live in ``app/services/matrix_*.py``; this module only asks and shows.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.progress import Cancelled, Progress
from app.formats import keys
from app.formats.matrix_package import EXTENSION, MatrixError, MatrixPackage, read_matrix
from app.formats.public_key_file import (
    PUBLIC_KEY_EXTENSION,
    PublicKeyMissing,
    own_public_key,
    write_public_key_file,
)
from app.models.db import Database
from app.services import catalog
from app.services.matrix_apply import MatrixOutcome, apply_matrix
from app.services.matrix_export import ExportResult, export_matrix
from app.services.matrix_preview import MatrixPreview, preview_matrix
from app.services.trust import KeyState
from app.ui.background import BackgroundTask
from app.ui.matrix_changes import MatrixChangesTree
from app.ui.window_size import fit_minimum


def tr(text: str) -> str:
    return QCoreApplication.translate("MatrixDialog", text)


OK_STYLE = "color: #1b5e20; font-weight: bold;"
WARN_STYLE = "color: #8a4b00; font-weight: bold;"
ERROR_STYLE = "color: #b3261e; font-weight: bold;"


# A new plan lists its rows only up to this many; the count says the rest.
def _documents() -> Path:
    return Path(
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        or Path.home()
    )


def _explain(exc: BaseException) -> str:
    if isinstance(exc, MatrixError | keys.KeyStoreError):
        return str(exc)
    if isinstance(exc, OSError):
        return tr("Berkas tidak dapat ditulis atau dibaca: {e}").replace(
            "{e}", exc.strerror or str(exc)
        )
    return tr("Terjadi kesalahan tak terduga: {e}").replace("{e}", str(exc))


class _Busy(QProgressBar):
    """An indeterminate bar inside the dialog: one transaction cannot be cancelled halfway,
    so no cancel button is offered for it."""

    def __init__(self) -> None:
        super().__init__()
        self.setRange(0, 0)
        self.setTextVisible(False)
        self.setMaximumHeight(10)
        self.hide()


class MatrixImportDialog(QDialog):
    """Choose a package, see the signer and every change, then *Terapkan*."""

    applied = Signal(object)  # MatrixOutcome, after the transaction committed

    def __init__(
        self,
        db: Database,
        *,
        user: str = "",
        path: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.user = user
        self.package: MatrixPackage | None = None
        self.preview: MatrixPreview | None = None
        self.task: BackgroundTask | None = None
        self.setWindowTitle(tr("Terima Pembaruan Matriks"))
        fit_minimum(self, 820, 600)
        layout = QVBoxLayout(self)

        intro = QLabel(
            tr(
                "Pokja PUG mengirim matriks yang dikoreksi, atau matriks periode baru, sebagai "
                "paket bertanda tangan (*.monevmatriks). Realisasi, usulan target, jawaban ARG "
                "dan tautan baris Anda tetap tersimpan dan melekat pada barisnya."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        file_row = QHBoxLayout()
        self.file = QLineEdit()
        self.file.setObjectName("file")
        self.file.setReadOnly(True)
        self.file.setPlaceholderText(tr("Belum ada paket dipilih"))
        choose = QPushButton(tr("&Pilih paket…"))
        choose.setObjectName("choose")
        choose.clicked.connect(self._choose)
        file_row.addWidget(self.file, 1)
        file_row.addWidget(choose)
        layout.addLayout(file_row)

        top = QHBoxLayout()
        pkg_box = QGroupBox(tr("Paket"))
        pform = QFormLayout(pkg_box)
        self.plan_label = QLabel("–")
        self.plan_label.setObjectName("plan")
        self.plan_label.setWordWrap(True)
        self.created_label = QLabel("–")
        self.created_label.setObjectName("created")
        self.note_label = QLabel("–")
        self.note_label.setObjectName("note")
        self.note_label.setWordWrap(True)
        pform.addRow(tr("Rencana:"), self.plan_label)
        pform.addRow(tr("Dibuat:"), self.created_label)
        pform.addRow(tr("Catatan:"), self.note_label)
        top.addWidget(pkg_box, 3)

        key_box = QGroupBox(tr("Penanda tangan"))
        kform = QVBoxLayout(key_box)
        self.fingerprint = QLabel("–")
        self.fingerprint.setObjectName("fingerprint")
        mono = QFont("DejaVu Sans Mono")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPointSizeF(mono.pointSizeF() * 1.15)
        mono.setBold(True)
        self.fingerprint.setFont(mono)
        self.key_status = QLabel()
        self.key_status.setObjectName("key_status")
        self.key_status.setWordWrap(True)
        self.accept_key = QCheckBox(
            tr("Sidik jari ini sudah saya cocokkan dengan Pokja PUG; terima kunci ini.")
        )
        self.accept_key.setObjectName("accept_key")
        self.accept_key.hide()
        self.accept_key.toggled.connect(self._update_buttons)
        kform.addWidget(self.fingerprint)
        kform.addWidget(self.key_status)
        kform.addWidget(self.accept_key)
        kform.addStretch(1)
        top.addWidget(key_box, 2)
        layout.addLayout(top)

        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        self.changes = MatrixChangesTree()
        layout.addWidget(self.changes, 1)

        self.busy = _Busy()
        layout.addWidget(self.busy)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.message)

        self.buttons = QDialogButtonBox()
        self.apply_button = self.buttons.addButton(
            tr("&Terapkan"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.apply_button.setObjectName("apply")
        self.close_button = self.buttons.addButton(
            tr("&Tutup"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.buttons.accepted.connect(self._apply)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update_buttons()
        if path is not None:
            self.load(path)

    # ---------------------------------------------------------------------------------
    def _choose(self) -> None:
        start = str(Path(self.file.text()).parent) if self.file.text() else str(_documents())
        name, _ = QFileDialog.getOpenFileName(
            self,
            tr("Pilih paket matriks"),
            start,
            tr("Paket matriks (*{ext});;Semua berkas (*)").replace("{ext}", EXTENSION),
        )
        if name:
            self.load(Path(name))

    def load(self, path: Path) -> None:
        """Read and preview ``path``; a refusal is said in the dialog, nothing is kept."""
        self.file.setText(str(path))
        self.package, self.preview = None, None
        self.changes.clear()
        self.message.clear()
        self.accept_key.setChecked(False)
        try:
            package = read_matrix(path)
            preview = preview_matrix(self.db, package)
        except MatrixError as exc:
            self._show_nothing()
            self.message.setText(str(exc))
        else:
            self.package, self.preview = package, preview
            self._show(package, preview)
        self._update_buttons()

    def _show_nothing(self) -> None:
        for label in (self.plan_label, self.created_label, self.note_label, self.fingerprint):
            label.setText("–")
        self.key_status.clear()
        self.accept_key.hide()
        self.summary.clear()

    def _show(self, package: MatrixPackage, preview: MatrixPreview) -> None:
        self.plan_label.setText(
            f"{package.title}\n{package.plan_code} · {package.start_year}–{package.end_year} "
            + tr("· {n} baris").replace("{n}", str(package.row_count))
        )
        self.created_label.setText(package.created_at.replace("T", " "))
        self.note_label.setText(package.note or "–")
        self.fingerprint.setText(keys.grouped(package.key_id))
        if preview.key_state == KeyState.KNOWN:
            self.key_status.setText(tr("✔ Cocok dengan kunci Pokja PUG yang disematkan."))
            self.key_status.setStyleSheet(OK_STYLE)
            self.accept_key.hide()
        elif preview.key_state == KeyState.CHANGED:
            self.key_status.setText(
                tr(
                    "✖ BERBEDA dari kunci Pokja PUG yang disematkan ({k}). Terima hanya bila "
                    "Pokja memang mengganti kuncinya."
                ).replace("{k}", keys.grouped(preview.pinned_key_id or ""))
            )
            self.key_status.setStyleSheet(ERROR_STYLE)
            self.accept_key.show()
        else:
            self.key_status.setText(
                tr(
                    "Kunci Pokja PUG belum disematkan. Bacakan sidik jari di atas kepada Pokja "
                    "(misalnya lewat telepon) dan terima hanya bila sama."
                )
            )
            self.key_status.setStyleSheet(WARN_STYLE)
            self.accept_key.show()
        text = preview.summary() if preview.applicable else preview.message
        self.summary.setText(text)
        self.summary.setStyleSheet("font-weight: bold;" if preview.applicable else WARN_STYLE)
        self.changes.show_preview(preview)

    def _update_buttons(self) -> None:
        p = self.preview
        ok = (
            p is not None
            and p.applicable
            and self.task is None
            and (p.key_state == KeyState.KNOWN or self.accept_key.isChecked())
        )
        self.apply_button.setEnabled(bool(ok))

    # ---------------------------------------------------------------------------------
    def _apply(self) -> None:
        if self.package is None or not self.apply_button.isEnabled():
            return
        package, accept = self.package, self.accept_key.isChecked()
        db, user = self.db, self.user

        def work(_progress: Progress, _cancelled: Cancelled) -> object:
            return apply_matrix(db, package, accept_key=accept, user=user)

        self.message.clear()
        self.busy.show()
        self.close_button.setEnabled(False)
        self.task = BackgroundTask(work, self)
        self.task.succeeded.connect(self._applied)
        self.task.failed.connect(self._failed)
        self._update_buttons()
        self.task.start()

    def _done(self) -> None:
        self.busy.hide()
        self.close_button.setEnabled(True)
        self.task = None

    def _applied(self, outcome: MatrixOutcome) -> None:
        self._done()
        QMessageBox.information(self, tr("Pembaruan matriks"), outcome.message)
        self.applied.emit(outcome)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._done()
        self.message.setText(_explain(exc))
        self._update_buttons()


class MatrixExportDialog(QDialog):
    """Pokja: choose the plan, write a note, unlock the key, save the signed package."""

    exported = Signal(object)  # ExportResult

    def __init__(
        self,
        db: Database,
        *,
        user: str = "",
        key_folder: Path | None = None,
        folder: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.user = user
        self.key_folder = key_folder
        self.folder = folder or _documents()
        self.task: BackgroundTask | None = None
        self.setWindowTitle(tr("Kirim Matriks"))
        self.setMinimumWidth(760)
        layout = QVBoxLayout(self)
        intro = QLabel(
            tr(
                "Matriks rencana di basis data ini, termasuk koreksinya, disimpan sebagai "
                "paket bertanda tangan untuk dikirim ke Focal Point Perangkat Daerah. Hanya "
                "target resmi yang dikirim, tidak pernah usulan target OPD."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.plan = QComboBox()
        self.plan.setObjectName("plan")
        self.plan.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        with db.begin() as s:
            for p in catalog.plans(s):
                period = f"{p.start_year}–{p.end_year}"
                self.plan.addItem(p.title if period in p.title else f"{p.title} ({period})", p.code)
        form.addRow(tr("&Rencana:"), self.plan)
        self.note = QPlainTextEdit()
        self.note.setObjectName("note")
        self.note.setPlaceholderText(tr("Mis. Koreksi target Dinkes PP & KB tahun 2024"))
        self.note.setFixedHeight(64)
        form.addRow(tr("Ca&tatan:"), self.note)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(tr("&Kata sandi kunci:"), self.passphrase)
        out_row = QHBoxLayout()
        self.out = QLineEdit()
        self.out.setObjectName("out")
        choose = QPushButton(tr("Pilih…"))
        choose.clicked.connect(self._choose)
        out_row.addWidget(self.out, 1)
        out_row.addWidget(choose)
        form.addRow(tr("Simpan ke:"), out_row)
        key_row = QHBoxLayout()
        self.fingerprint = QLabel()
        self.fingerprint.setObjectName("fingerprint")
        self.public_button = QPushButton(tr("Simpan kunci publik…"))
        self.public_button.setObjectName("save_public")
        self.public_button.setToolTip(
            tr("Berkas kunci publik untuk Focal Point, disematkan sekali saat penyiapan.")
        )
        self.public_button.clicked.connect(self._save_public)
        # Shown only while this PC has no key: the window's way to the CLI's "keygen".
        self.make_key = QPushButton(tr("&Buat kunci…"))
        self.make_key.setObjectName("make_key")
        self.make_key.clicked.connect(self._make_key)
        key_row.addWidget(self.fingerprint, 1)
        key_row.addWidget(self.make_key)
        key_row.addWidget(self.public_button)
        form.addRow(tr("Kunci Pokja:"), key_row)
        layout.addLayout(form)
        self.busy = _Busy()
        layout.addWidget(self.busy)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox()
        self.send_button = self.buttons.addButton(
            tr("&Buat paket"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.send_button.setObjectName("send")
        self.buttons.addButton(tr("Batal"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._send)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.plan.currentIndexChanged.connect(self._default_name)
        self._default_name()
        self._show_key()

    def _show_key(self) -> None:
        try:
            public = own_public_key(self.key_folder)
        except MatrixError as exc:
            self.fingerprint.setText(str(exc))
            self.fingerprint.setWordWrap(True)
            self.public_button.setEnabled(False)
            self.send_button.setEnabled(False)
            self.make_key.setVisible(isinstance(exc, PublicKeyMissing))
            return
        self.fingerprint.setText(keys.grouped(keys.fingerprint(public)))
        self.fingerprint.setWordWrap(False)
        self.make_key.hide()
        self.public_button.setEnabled(True)
        self.send_button.setEnabled(True)

    def _make_key(self) -> None:
        from app.ui.key_dialog import KeyDialog

        KeyDialog(self.key_folder, parent=self).exec()
        self._show_key()

    def _default_name(self) -> None:
        code = str(self.plan.currentData() or "Matriks")
        self.out.setText(str(self.folder / f"Matriks-{code}-{date.today():%Y%m%d}{EXTENSION}"))

    def _choose(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            tr("Simpan paket matriks"),
            self.out.text(),
            tr("Paket matriks (*{ext})").replace("{ext}", EXTENSION),
        )
        if name:
            self.out.setText(name if name.endswith(EXTENSION) else name + EXTENSION)

    def _save_public(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            tr("Simpan kunci publik Pokja"),
            str(self.folder / f"Kunci-Pokja-PUG{PUBLIC_KEY_EXTENSION}"),
            tr("Kunci publik (*{ext})").replace("{ext}", PUBLIC_KEY_EXTENSION),
        )
        if not name:
            return
        try:
            out = write_public_key_file(own_public_key(self.key_folder), Path(name))
        except (MatrixError, OSError) as exc:
            self.message.setText(_explain(exc))
            return
        QMessageBox.information(
            self,
            tr("Kunci publik"),
            tr(
                "Kunci publik tersimpan di {f}. Bacakan sidik jarinya ({k}) kepada Focal Point "
                "saat menyerahkan berkas ini."
            )
            .replace("{f}", str(out))
            .replace("{k}", self.fingerprint.text()),
        )

    def _send(self) -> None:
        if self.task is not None:
            return
        code = self.plan.currentData()
        secret = self.passphrase.text()
        out_text = self.out.text().strip()
        if not code:
            self.message.setText(tr("Tidak ada rencana untuk dikirim."))
            return
        if not secret:
            self.message.setText(tr("Isi kata sandi kunci tanda tangan."))
            self.passphrase.setFocus()
            return
        if not out_text:
            self.message.setText(tr("Pilih berkas tujuan paket."))
            return
        out = Path(out_text).expanduser()
        if not out.parent.is_dir():
            self.message.setText(tr("Folder tidak ditemukan: {f}").replace("{f}", str(out.parent)))
            return
        db, user, folder, note = self.db, self.user, self.key_folder, self.note.toPlainText()

        def work(_progress: Progress, _cancelled: Cancelled) -> object:
            key = keys.load_key(secret, folder)
            return export_matrix(db, str(code), key, out, note, user=user)

        self.message.clear()
        self.busy.show()
        self.send_button.setEnabled(False)
        self.task = BackgroundTask(work, self)
        self.task.succeeded.connect(self._sent)
        self.task.failed.connect(self._failed)
        self.task.start()

    def _done(self) -> None:
        self.busy.hide()
        self.send_button.setEnabled(True)
        self.task = None

    def _sent(self, result: ExportResult) -> None:
        self._done()
        self.passphrase.clear()
        QMessageBox.information(
            self,
            tr("Kirim Matriks"),
            tr(
                "Paket matriks {c} ({n} baris) tersimpan di {f}. Ditandatangani kunci {k}. "
                "Kirim berkas ini ke Focal Point apa adanya."
            )
            .replace("{c}", result.plan_code)
            .replace("{n}", str(result.rows))
            .replace("{f}", str(result.path))
            .replace("{k}", keys.grouped(result.key_id)),
        )
        self.exported.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._done()
        self.message.setText(_explain(exc))
