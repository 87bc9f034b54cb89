"""Export the printable report (PDF and/or Excel) from the window.

The dialog gathers the choices and the signatory (saved per OPD for next time); the
work runs in a ``BackgroundTask`` with a progress dialog and a cancel button, and the
result or a plain-Indonesian explanation comes back on the UI thread.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths, QUrl, Signal
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

from app.core import catalog
from app.core.signatory import (
    POKJA_SCOPE,
    Signatory,
    SignatoryError,
    check_signatory,
    resolve_signatory,
    save_signatory,
)
from app.models.db import Database
from app.reports.export import ExportResult, ReportCancelled, explain_failure, export_report
from app.reports.renstra_export import RenstraExportResult, export_renstra
from app.ui.background import BackgroundTask, run_with_progress

AnyResult = ExportResult | RenstraExportResult


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
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
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
        form.addRow(tr("&Folder:"), folder_row)
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

        self.open_after = QCheckBox(tr("Buka berkas setelah selesai"))
        self.open_after.setChecked(True)
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
        self._scope_changed()

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
        who = self.opd_code or "Kabupaten-Lumajang"
        self.base_name.setText(f"Laporan-RAD-PUG-{_slug(who)}-{self.year_box.currentData()}")

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Pilih folder"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    def choice(self) -> ExportChoice:
        """The validated choices; raises ``ValueError`` (Indonesian) naming the problem."""
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
        )

    def _accept(self) -> None:
        try:
            choice = self.choice()
        except ValueError as exc:
            self.message.setText(str(exc))  # the dialog stays open with what was typed
            return
        with self.db.begin() as s:
            save_signatory(s, choice.opd_code or POKJA_SCOPE, choice.signatory)
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
        self.hide()

    def start(self, choice: ExportChoice) -> BackgroundTask:
        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> AnyResult:
            if choice.table is not None:
                return export_renstra(
                    self.db,
                    choice.year,
                    table=choice.table,
                    opd=choice.opd_code,
                    plan=choice.plan_code,
                    pdf=choice.pdf,
                    xlsx=choice.xlsx,
                    paper=choice.paper,
                    signatory=choice.signatory,
                    progress=progress,
                    cancelled=cancelled,
                )
            return export_report(
                self.db,
                choice.year,
                opd=choice.opd_code,
                pdf=choice.pdf,
                xlsx=choice.xlsx,
                paper=choice.paper,
                signatory=choice.signatory,
                progress=progress,
                cancelled=cancelled,
            )

        parent = self.parentWidget() or self
        self.task = run_with_progress(parent, tr("Ekspor laporan"), tr("Menyusun laporan…"), work)
        self.task.succeeded.connect(lambda result: self._succeeded(result, choice))
        self.task.failed.connect(self._failed)
        return self.task

    def _failed(self, exc: BaseException) -> None:
        signal = self.cancelled if isinstance(exc, ReportCancelled) else self.error
        signal.emit(explain_failure(exc))

    def _succeeded(self, result: AnyResult, choice: ExportChoice) -> None:
        if choice.open_after:
            for path in (result.pdf, result.xlsx):
                if path is not None:
                    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        self.done.emit(result)


def describe_result(result: AnyResult) -> str:
    files = [str(p) for p in (result.pdf, result.xlsx) if p is not None]
    pages = tr(" ({n} halaman)").replace("{n}", str(result.pdf_pages)) if result.pdf_pages else ""
    return (
        tr("Laporan tahun {y} tersimpan{p}: {f}")
        .replace("{y}", str(result.year))
        .replace("{p}", pages)
        .replace("{f}", "; ".join(files))
    )
