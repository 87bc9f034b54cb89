"""Pokja: export fill-in workbooks for OPDs that work without the app (docs/fillin.md).

One OPD or all of them at once, for a year, into a folder; the work runs off the UI
thread with a progress bar, and each workbook appears only when it is complete.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.progress import Cancelled, Progress
from app.models.db import Database
from app.services import catalog
from app.services.fillin_export import export_fillin_files
from app.ui.background import BackgroundTask, run_with_progress
from app.ui.backup_dialog import documents_folder

ALL = ""  # the combo's data for "every OPD"


def tr(text: str) -> str:
    return QCoreApplication.translate("FillinDialog", text)


class FillinExportDialog(QDialog):
    """Choose the OPD (or all), the year, the paper and the folder; *Ekspor* writes."""

    exported = Signal(list)  # list[Path]

    def __init__(
        self,
        db: Database,
        plan_code: str | None,
        year: int,
        *,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.settings = settings if settings is not None else QSettings()
        self.task: BackgroundTask | None = None
        self.written: list[Path] = []
        self.setWindowTitle(tr("Ekspor Buku Kerja Isian"))
        with db.begin() as s:
            plan = catalog.get_plan(s, plan_code)
            self.plan_code, years = plan.code, plan.years
            counts = {o["code"]: o["rows"] for o in catalog.summary(s, plan, year)["opds"]}
            opds = [(o.code, o.short_name) for o in catalog.opds(s) if o.code in counts]

        intro = QLabel(
            tr(
                "Buku kerja isian untuk Perangkat Daerah yang belum memakai aplikasi. "
                "Berkas yang diisi kembali diterima lewat Terima Berkas dan datanya "
                "ditandai 'tanpa tanda tangan'."
            )
        )
        intro.setWordWrap(True)
        self.opd_box = QComboBox()
        self.opd_box.addItem(
            tr("Semua Perangkat Daerah ({n} berkas)").replace("{n}", str(len(opds))), ALL
        )
        for code, name in opds:
            self.opd_box.addItem(f"{name} ({counts[code]} baris)", code)
        self.year_box = QComboBox()
        for y in years:
            self.year_box.addItem(str(y), y)
        self.year_box.setCurrentIndex(years.index(year) if year in years else 0)
        self.paper_box = QComboBox()
        self.paper_box.addItem(tr("A4 (210 × 297 mm)"), "a4")
        self.paper_box.addItem(tr("F4/Folio (215 × 330 mm)"), "f4")
        # The folder chosen last time, else Documents as the export dialog starts in
        # (the home folder is where nobody on an office PC looks for files).
        self.folder = QLineEdit(
            str(self.settings.value("fillin/folder", str(documents_folder()), type=str))
        )
        choose = QPushButton(tr("P&ilih…"))
        choose.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)

        form = QFormLayout()
        for label, field in (
            (tr("&Perangkat Daerah:"), self.opd_box),
            (tr("&Tahun:"), self.year_box),
            (tr("&Kertas:"), self.paper_box),
        ):
            caption = QLabel(label)
            caption.setBuddy(field)
            form.addRow(caption, field)
        folder_label = QLabel(tr("&Folder:"))
        folder_label.setBuddy(self.folder)
        form.addRow(folder_label, folder_row)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e")
        self.error.hide()
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(
            tr("&Ekspor"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setDefault(True)
        self.buttons.addButton(tr("&Tutup"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, tr("Folder tujuan"), self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def opd_codes(self) -> list[str]:
        chosen = self.opd_box.currentData()
        if chosen != ALL:
            return [str(chosen)]
        return [str(self.opd_box.itemData(i)) for i in range(1, self.opd_box.count())]

    def start(self) -> BackgroundTask | None:
        folder = Path(self.folder.text().strip())
        if not self.folder.text().strip() or not folder.is_dir():
            self._show_error(
                tr("Folder “{f}” tidak ada. Pilih folder yang ada.").replace(
                    "{f}", self.folder.text()
                )
            )
            return None
        self.error.hide()
        self.settings.setValue("fillin/folder", str(folder))
        opds, year, paper = (
            self.opd_codes(),
            int(self.year_box.currentData()),
            str(self.paper_box.currentData()),
        )
        plan = self.plan_code

        def work(progress: Progress, cancelled: Cancelled) -> list[Path]:
            return export_fillin_files(
                self.db,
                plan,
                opds,
                year,
                folder,
                paper=paper,
                progress=progress,
                cancelled=cancelled,
            )

        self.export_button.setEnabled(False)
        task = run_with_progress(
            self, tr("Ekspor buku kerja isian"), tr("Menulis buku kerja isian…"), work
        )
        task.succeeded.connect(self._done)
        task.failed.connect(self._failed)
        self.task = task
        return task

    def _done(self, written: object) -> None:
        self.export_button.setEnabled(True)
        self.task = None
        assert isinstance(written, list)
        self.written = written
        self.exported.emit(written)
        self.error.setStyleSheet("color: #1b7f3b")
        self._show_error(
            tr("{n} buku kerja isian ditulis ke {f}.")
            .replace("{n}", str(len(written)))
            .replace("{f}", self.folder.text())
        )

    def _failed(self, exc: object) -> None:
        self.export_button.setEnabled(True)
        self.task = None
        self.error.setStyleSheet("color: #b3261e")
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        self._show_error(
            tr(
                "Buku kerja isian tidak dapat ditulis: {r}. Berkas yang sudah selesai tetap "
                "ada; tidak ada berkas setengah jadi."
            ).replace("{r}", reason)
        )
