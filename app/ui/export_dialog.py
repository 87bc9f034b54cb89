"""Export the printable report (PDF and/or Excel) from the window.

The dialog gathers the choices and the signatory (saved per OPD for next time); the
work runs in a ``BackgroundTask`` with a progress dialog and a cancel button, and the
result or a plain-Indonesian explanation comes back on the UI thread.

Optionally the PDF is signed electronically (PAdES, ``app.reports.pades``) with the
user's PKCS#12 certificate. The certificate and its password are checked in the dialog,
before any work starts, so a wrong password costs nothing and the dialog stays open with
what was typed. The password is never stored (only the certificate's path is remembered
in QSettings); the opened key travels to the worker in the choice, not the password.
Which export runs and signing (or falling back to the unsigned PDF, said plainly) is the
use case :func:`app.services.export_and_sign.run_export`, shared with the command line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
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
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.formats import keys
from app.models.db import Database
from app.services import catalog
from app.services.export_and_sign import (
    ExportRequest,
    PadesRequest,
    PadesSigningFailed,
    run_export,
)
from app.services.region import load_region
from app.services.signatory import (
    POKJA_SCOPE,
    Signatory,
    SignatoryError,
    check_signatory,
    resolve_signatory,
    store_signatory,
)

# The report builders (reportlab, openpyxl) and pyHanko are imported when an export
# runs, not when the window opens: together they cost more than half a second of start.
if TYPE_CHECKING:
    from app.reports.pades import SigningIdentity
    from app.services.export import ExportResult
    from app.services.renstra_export import RenstraExportResult
    from app.services.submission_export import SubmissionResult
    from app.ui.export_result import ExportResultDialog

    AnyResult = ExportResult | RenstraExportResult | SubmissionResult
from app.ui.background import BackgroundTask, run_with_progress

# QSettings key of the certificate's path. Never the password, and not the checkbox
# either: signing is a deliberate act each time (the password is asked anyway).
PADES_P12_KEY = "export/pades_p12"


def tr(text: str) -> str:
    return QCoreApplication.translate("ExportDialog", text)


@dataclass(frozen=True)
class ExportChoice:
    opd_code: str | None  # None: the consolidated regency report
    year: int
    paper: str
    pdf: Path | None
    xlsx: Path | None
    signatory: Signatory
    open_after: bool
    plan_code: str | None = None  # None: the RAD PUG plan
    table: str | None = None  # a Renstra table: "tc23", "tc24" or "tc27"
    pades: PadesRequest | None = None  # sign the PDF electronically
    # The unlocked installation key: the Excel file becomes the signed submission that
    # Pokja imports (docs/submissions.md), the PDF carries its verification code.
    submission_key: keys.SigningKey | None = None

    def request(self) -> ExportRequest:
        """What the export use case runs (everything but opening the files after)."""
        return ExportRequest(
            self.year,
            self.opd_code,
            self.paper,
            self.pdf,
            self.xlsx,
            self.signatory,
            plan_code=self.plan_code,
            table=self.table,
            submission_key=self.submission_key,
            pades=self.pades,
        )


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-") or "Laporan"


class ExportDialog(QDialog):
    """Choices for one export; ``choice()`` returns them validated (or ``None``)."""

    def __init__(
        self,
        db: Database,
        years: list[int],
        year: int,
        *,
        opd_code: str | None,
        is_pokja: bool,
        folder: Path | None = None,
        plan_code: str | None = None,
        settings: QSettings | None = None,
        key_folder: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        with db.begin() as s:
            self.region = load_region(s)
        self.key_folder = key_folder
        # The window's own settings when it has them (tests give it a file), else the app's.
        owner = getattr(parent, "settings", None)
        self.settings = settings or (owner if isinstance(owner, QSettings) else QSettings())
        self._identity: tuple[tuple[str, str], SigningIdentity] | None = None
        self._accepted: ExportChoice | None = None  # kept so the password can be cleared
        with db.begin() as s:
            plan = catalog.get_plan(s, plan_code)
            self.plan_code, self.renstra = plan.code, plan.kind == "renstra"
        self.setWindowTitle(tr("Ekspor laporan"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        form = QFormLayout()

        self.scope = QComboBox()
        self.scope.setObjectName("scope")
        with db.begin() as s:
            if is_pokja:
                whole = (
                    tr("Seluruh Sekretariat Daerah (semua Bagian)")
                    if self.renstra
                    else tr("Seluruh kabupaten (laporan konsolidasi Pokja PUG)")
                )
                self.scope.addItem(whole, None)
                plan = catalog.get_plan(s, self.plan_code)
                counts = {o["code"] for o in catalog.summary(s, plan, plan.years[0])["opds"]}
                for opd in catalog.opds(s):
                    if opd.code in counts:
                        self.scope.addItem(opd.name, opd.code)
            else:
                opd = catalog.find_opd(s, opd_code or "")
                self.scope.addItem(opd.name, opd.code)
                self.scope.setEnabled(False)
        form.addRow(tr("&Cakupan:"), self.scope)

        self.table = QComboBox()
        self.table.setObjectName("table")
        self.table.addItem(tr("TC-23 Pencapaian kinerja (target, realisasi, rasio)"), "tc23")
        self.table.addItem(tr("TC-24 Anggaran (pagu, realisasi, serapan, pertumbuhan)"), "tc24")
        self.table.addItem(tr("TC-27 Rencana program, kegiatan dan pendanaan"), "tc27")
        if self.renstra:
            form.addRow(tr("Ta&bel Renstra:"), self.table)
        else:
            self.table.hide()

        self.year_box = QComboBox()
        self.year_box.setObjectName("year")
        for y in years:
            self.year_box.addItem(str(y), y)
        self.year_box.setCurrentIndex(years.index(year) if year in years else 0)
        form.addRow(tr("&Tahun:"), self.year_box)

        self.paper = QComboBox()
        self.paper.setObjectName("paper")
        self.paper.addItem(tr("A4 (210 × 297 mm)"), "a4")
        self.paper.addItem(tr("F4 / Folio (215 × 330 mm)"), "f4")
        form.addRow(tr("&Kertas:"), self.paper)

        kinds = QHBoxLayout()
        self.want_pdf = QCheckBox(tr("&PDF"))
        self.want_pdf.setChecked(True)
        self.want_xlsx = QCheckBox(tr("&Excel (xlsx)"))
        self.want_xlsx.setChecked(True)
        kinds.addWidget(self.want_pdf)
        kinds.addWidget(self.want_xlsx)
        kinds.addStretch(1)
        form.addRow(tr("Berkas:"), kinds)

        folder_row = QHBoxLayout()
        default_folder = folder or Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            or Path.home()
        )
        self.folder = QLineEdit(str(default_folder))
        self.folder.setObjectName("folder")
        choose = QPushButton(tr("Pilih…"))
        choose.clicked.connect(self._choose_folder)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        folder_label = QLabel(tr("&Folder:"))
        folder_label.setBuddy(self.folder)  # a row of two widgets: name the field itself
        form.addRow(folder_label, folder_row)
        self.base_name = QLineEdit()
        self.base_name.setObjectName("name")
        form.addRow(tr("&Nama berkas:"), self.base_name)
        layout.addLayout(form)

        sign = QGroupBox(tr("Penanda tangan (disimpan untuk ekspor berikutnya)"))
        sform = QFormLayout(sign)
        self.signer_name = QLineEdit()
        self.signer_name.setObjectName("signer_name")
        self.signer_nip = QLineEdit()
        self.signer_nip.setObjectName("signer_nip")
        self.signer_nip.setPlaceholderText(tr("18 digit, boleh dikosongkan untuk diisi tangan"))
        self.signer_position = QLineEdit()
        self.signer_position.setObjectName("signer_position")
        self.place = QLineEdit()
        self.place.setObjectName("place")
        sform.addRow(tr("Na&ma:"), self.signer_name)
        sform.addRow(tr("N&IP:"), self.signer_nip)
        sform.addRow(tr("&Jabatan:"), self.signer_position)
        sform.addRow(tr("T&empat:"), self.place)
        layout.addWidget(sign)
        # A focal point's RAD PUG report is what Pokja imports: offer the signed content.
        self.submit: QCheckBox | None = None
        if not is_pokja and not self.renstra:
            layout.addWidget(self._submission_group())
        layout.addWidget(self._pades_group())

        # Off by default: the result dialog that follows has "Buka folder", and opening
        # the signed submission in a spreadsheet invites saving it (which breaks it).
        self.open_after = QCheckBox(tr("Buka PDF setelah selesai"))
        self.open_after.setChecked(False)
        layout.addWidget(self.open_after)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Ekspor"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Batal"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.scope.currentIndexChanged.connect(self._scope_changed)
        self.year_box.currentIndexChanged.connect(self._update_name)
        self.table.currentIndexChanged.connect(self._update_name)
        self.want_pdf.toggled.connect(self._pades_enable)
        self._scope_changed()
        self._pades_enable()

    # -----------------------------------------------------------------------------------
    @property
    def opd_code(self) -> str | None:
        data = self.scope.currentData()
        return str(data) if data else None

    def _scope_changed(self) -> None:
        code = self.opd_code
        with self.db.begin() as s:
            name = catalog.find_opd(s, code).name if code else None
            signer = resolve_signatory(s, code or POKJA_SCOPE, name)
        self.signer_name.setText(signer.name)
        self.signer_nip.setText(signer.nip)
        self.signer_position.setText(signer.position)
        self.place.setText(signer.place)
        self._update_name()

    def _update_name(self) -> None:
        if self.renstra:
            who = self.opd_code or "Setda"
            table = str(self.table.currentData()).upper()
            self.base_name.setText(f"Renstra-{table}-{_slug(who)}-{self.year_box.currentData()}")
            return
        who = self.opd_code or self.region.full_name.replace(" ", "-")
        self.base_name.setText(f"Laporan-RAD-PUG-{_slug(who)}-{self.year_box.currentData()}")

    def _submission_group(self) -> QGroupBox:
        group = QGroupBox(tr("Kiriman resmi untuk Pokja PUG"))
        group.setObjectName("submission_group")
        box = QVBoxLayout(group)
        self.submit = QCheckBox(
            tr("Kiriman bertanda tan&gan: isi laporan disertakan dan ditandatangani di Excel")
        )
        self.submit.setObjectName("submit")
        box.addWidget(self.submit)
        form = QFormLayout()
        self.key_label = QLabel()
        self.key_label.setObjectName("key_label")
        self.make_key = QPushButton(tr("&Buat kunci…"))
        self.make_key.clicked.connect(self._make_key)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_label, 1)
        key_row.addWidget(self.make_key)
        form.addRow(tr("Kunci:"), key_row)
        self.key_password = QLineEdit()
        self.key_password.setObjectName("key_password")
        self.key_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_password.setPlaceholderText(tr("kata sandi kunci tanda tangan"))
        password_label = QLabel(tr("Kata sandi k&unci:"))
        password_label.setBuddy(self.key_password)
        form.addRow(password_label, self.key_password)
        box.addLayout(form)
        self.submit.toggled.connect(self._submission_enable)
        self._key_state()
        self.submit.setChecked(self.submit.isEnabled())
        self._submission_enable()
        return group

    def _key_state(self) -> None:
        assert self.submit is not None
        key_id = keys.stored_key_id(self.key_folder)
        if key_id is None:
            self.key_label.setText(tr("belum ada kunci tanda tangan di komputer ini"))
            self.key_label.setStyleSheet("color: #8a5a00;")
            self.submit.setChecked(False)
        else:
            self.key_label.setText(tr("sidik jari {f}").replace("{f}", keys.grouped(key_id)))
            self.key_label.setStyleSheet("")
        self.make_key.setVisible(key_id is None)
        self.submit.setEnabled(key_id is not None)

    def _make_key(self) -> None:
        from app.ui.key_dialog import KeyDialog

        KeyDialog(self.key_folder, parent=self).exec()
        self._key_state()
        if self.submit is not None and self.submit.isEnabled():
            self.submit.setChecked(True)

    def _submission_enable(self) -> None:
        on = self.submit is not None and self.submit.isChecked()
        self.key_password.setEnabled(on)

    def _submission_key(self) -> keys.SigningKey | None:
        """The unlocked key when a signed submission is wanted; ``ValueError`` if not."""
        if self.submit is None or not self.submit.isChecked():
            return None
        if not self.want_xlsx.isChecked():
            raise ValueError(
                tr("Kiriman resmi ada di berkas Excel: centang Excel, atau hapus centang kiriman.")
            )
        try:
            return keys.load_key(self.key_password.text(), self.key_folder)
        except keys.KeyStoreError as exc:
            self.key_password.setFocus()
            self.key_password.selectAll()
            raise ValueError(str(exc)) from exc

    def _pades_group(self) -> QGroupBox:
        group = QGroupBox(tr("Tanda tangan elektronik PDF (PAdES)"))
        group.setObjectName("pades_group")
        box = QVBoxLayout(group)
        self.pades = QCheckBox(tr("Tan&datangani PDF dengan sertifikat elektronik (PKCS#12)"))
        self.pades.setObjectName("pades")
        box.addWidget(self.pades)
        form = QFormLayout()
        row = QHBoxLayout()
        self.p12_path = QLineEdit(str(self.settings.value(PADES_P12_KEY, "") or ""))
        self.p12_path.setObjectName("p12_path")
        self.p12_path.setPlaceholderText(tr("berkas .p12 atau .pfx dari penerbit sertifikat"))
        self.p12_choose = QPushButton(tr("Pilih…"))
        self.p12_choose.clicked.connect(self._choose_p12)
        row.addWidget(self.p12_path, 1)
        row.addWidget(self.p12_choose)
        p12_label = QLabel(tr("&Sertifikat:"))
        p12_label.setBuddy(self.p12_path)
        form.addRow(p12_label, row)
        self.p12_password = QLineEdit()
        self.p12_password.setObjectName("p12_password")
        self.p12_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.p12_password.setPlaceholderText(tr("tidak disimpan"))
        form.addRow(tr("Kata s&andi:"), self.p12_password)
        box.addLayout(form)
        note = QLabel(
            tr(
                "Kata sandi tidak pernah disimpan. Tanpa jaringan: tidak ada cap waktu "
                "(TSA) dan pemeriksaan pencabutan sertifikat."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(placeholder-text);")
        box.addWidget(note)
        self.pades.toggled.connect(self._pades_enable)
        return group

    def _pades_enable(self) -> None:
        pdf = self.want_pdf.isChecked()
        self.pades.setEnabled(pdf)
        on = pdf and self.pades.isChecked()
        for widget in (self.p12_path, self.p12_choose, self.p12_password):
            widget.setEnabled(on)

    def _choose_p12(self) -> None:
        start = self.p12_path.text().strip() or self.folder.text()
        path, _ = QFileDialog.getOpenFileName(
            self,
            tr("Pilih sertifikat tanda tangan elektronik"),
            start,
            tr("Sertifikat PKCS#12 (*.p12 *.pfx);;Semua berkas (*)"),
        )
        if path:
            self.p12_path.setText(path)

    def _pades_request(self, place: str) -> PadesRequest | None:
        """The opened certificate when signing is wanted; ``ValueError`` (Indonesian) if not."""
        if not (self.want_pdf.isChecked() and self.pades.isChecked()):
            return None
        text = self.p12_path.text().strip()
        if not text:
            self.p12_path.setFocus()
            raise ValueError(tr("Pilih berkas sertifikat (.p12/.pfx) untuk tanda tangan PDF."))
        p12 = Path(text).expanduser()
        secret = self.p12_password.text()
        key = (str(p12), secret)
        if self._identity is None or self._identity[0] != key:
            from app.reports.pades import PadesError, load_identity

            try:
                identity = load_identity(p12, secret.encode("utf-8") if secret else None)
            except PadesError as exc:
                field = self.p12_password if "Kata sandi" in str(exc) else self.p12_path
                field.setFocus()
                field.selectAll()
                raise ValueError(str(exc)) from exc
            self._identity = (key, identity)
        reason = tr("Laporan Renstra") if self.renstra else tr("Laporan Monev RAD PUG")
        return PadesRequest(p12, self._identity[1], reason, place or self.region.signature_place)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Pilih folder"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    def choice(self) -> ExportChoice:
        """The validated choices; raises ``ValueError`` (Indonesian) naming the problem.

        Once the dialog was accepted, the same choices again (the password is gone by then).
        """
        if self._accepted is not None:
            return self._accepted
        if not (self.want_pdf.isChecked() or self.want_xlsx.isChecked()):
            raise ValueError(tr("Pilih paling sedikit satu berkas: PDF atau Excel."))
        folder = Path(self.folder.text().strip()).expanduser()
        if not folder.is_dir():
            raise ValueError(tr("Folder tidak ditemukan: {f}").replace("{f}", str(folder)))
        base = self.base_name.text().strip()
        if not base or re.search(r'[\\/:*?"<>|]', base):
            raise ValueError(tr('Nama berkas tidak boleh kosong atau memuat \\ / : * ? " < > |'))
        try:
            signer = check_signatory(
                Signatory(
                    self.signer_name.text(),
                    self.signer_nip.text(),
                    self.signer_position.text(),
                    self.place.text(),
                )
            )
        except SignatoryError as exc:
            self.signer_nip.setFocus()
            raise ValueError(str(exc)) from exc
        submission_key = self._submission_key()
        pades = self._pades_request(signer.place)
        return ExportChoice(
            self.opd_code,
            int(self.year_box.currentData()),
            str(self.paper.currentData()),
            folder / f"{base}.pdf" if self.want_pdf.isChecked() else None,
            folder / f"{base}.xlsx" if self.want_xlsx.isChecked() else None,
            signer,
            self.open_after.isChecked(),
            self.plan_code if self.renstra else None,
            str(self.table.currentData()) if self.renstra else None,
            pades,
            submission_key,
        )

    def _accept(self) -> None:
        try:
            choice = self.choice()
        except ValueError as exc:
            self.message.setText(str(exc))  # the dialog stays open with what was typed
            return
        store_signatory(self.db, choice.opd_code or POKJA_SCOPE, choice.signatory)
        if choice.pades is not None:
            self.settings.setValue(PADES_P12_KEY, str(choice.pades.p12))
        self._accepted = choice
        self.p12_password.clear()  # the opened key travels in the choice, not the password
        if self.submit is not None:
            self.key_password.clear()
        self.accept()


class ReportExporter(QWidget):
    """Runs one export in the background and reports back; the window owns one per export."""

    done = Signal(object)  # ExportResult
    error = Signal(str)  # Indonesian explanation of a failure
    cancelled = Signal(str)  # the user pressed Batal: said quietly, not as an error

    def __init__(self, db: Database, parent: QWidget) -> None:
        super().__init__(parent)
        self.db = db
        self.task: BackgroundTask | None = None
        self.signed_by: str | None = None  # the certificate's holder, once the PDF is signed
        self.result_dialog: ExportResultDialog | None = None
        self.hide()

    def start(self, choice: ExportChoice) -> BackgroundTask:
        request = choice.request()

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> AnyResult:
            return run_export(self.db, request, progress=progress, cancelled=cancelled)

        parent = self.parentWidget() or self
        self.task = run_with_progress(parent, tr("Ekspor laporan"), tr("Menyusun laporan…"), work)
        self.task.succeeded.connect(lambda result: self._succeeded(result, choice))
        self.task.failed.connect(self._failed)
        return self.task

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, PadesSigningFailed):
            self.error.emit(str(exc))
            return
        from app.reports.report_model import ReportCancelled
        from app.services.export import explain_failure

        signal = self.cancelled if isinstance(exc, ReportCancelled) else self.error
        signal.emit(explain_failure(exc))

    def _succeeded(self, result: AnyResult, choice: ExportChoice) -> None:
        if choice.pades is not None and result.pdf is not None:
            self.signed_by = choice.pades.identity.name
        if choice.open_after:
            # Never the signed submission workbook: a spreadsheet program that saves it
            # on closing changes it, and Pokja refuses a changed submission.
            signed_xlsx = choice.submission_key is not None
            for path in (result.pdf, None if signed_xlsx else result.xlsx):
                if path is not None:
                    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        self.done.emit(result)

    def show_result(self, result: AnyResult) -> ExportResultDialog:
        """The files, their folder and the verification code in a dialog that stays."""
        from app.ui.export_result import ExportResultDialog

        self.result_dialog = ExportResultDialog(result, self.signed_by, parent=self.parentWidget())
        self.result_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.result_dialog.open()
        return self.result_dialog
