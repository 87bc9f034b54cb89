"""What an export wrote, shown after it finished: the files, their folder, the code.

A status line that vanished after fifteen seconds was easy to miss, and the folder and
the verification code are exactly what the focal point needs next (to attach the files
to a message and to read the code to Pokja on the phone). The dialog is not modal to
the application: the window stays usable while it is open.

Opening the folder goes through an injectable opener so tests never start a file
manager; the signed submission workbook itself is never opened, since saving it again
in a spreadsheet program would make Pokja refuse it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFont, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from app.services.export import ExportResult
    from app.services.renstra_export import RenstraExportResult
    from app.services.submission_export import SubmissionResult

    AnyResult = ExportResult | RenstraExportResult | SubmissionResult

Opener = Callable[[QUrl], object]


def tr(text: str) -> str:
    return QCoreApplication.translate("ExportResult", text)


def _submission(result: AnyResult) -> SubmissionResult | None:
    from app.services.submission_export import SubmissionResult

    return result if isinstance(result, SubmissionResult) else None


def describe_result(result: AnyResult, signed_by: str | None = None) -> str:
    """One sentence for logs and tests: the year, the files, the signature, the code."""
    files = [str(p) for p in (result.pdf, result.xlsx) if p is not None]
    count = getattr(result, "pdf_pages", None)
    pages = tr(" ({n} halaman)").replace("{n}", str(count)) if count else ""
    signed = (
        tr("; PDF ditandatangani elektronik oleh {s}").replace("{s}", signed_by)
        if signed_by and result.pdf is not None
        else ""
    )
    submission = _submission(result)
    return (
        tr("Laporan tahun {y} tersimpan{p}: {f}")
        .replace("{y}", str(result.year))
        .replace("{p}", pages)
        .replace("{f}", "; ".join(files))
        + signed
        + (
            tr("; kiriman revisi {r}, kode verifikasi {c}")
            .replace("{r}", str(submission.revision))
            .replace("{c}", submission.code)
            if submission is not None
            else ""
        )
    )


class ExportResultDialog(QDialog):
    """The files one export wrote, a button to their folder and the verification code."""

    def __init__(
        self,
        result: AnyResult,
        signed_by: str | None = None,
        *,
        opener: Opener | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.export_result = result
        self.opener: Opener = opener or QDesktopServices.openUrl
        self.setWindowTitle(tr("Ekspor selesai"))
        submission = _submission(result)
        paths = [p for p in (result.pdf, result.xlsx) if p is not None]
        self.folder = paths[0].parent if paths else Path.home()

        layout = QVBoxLayout(self)
        heading = QLabel(tr("<b>Laporan tahun {y} tersimpan.</b>").replace("{y}", str(result.year)))
        layout.addWidget(heading)

        form = QFormLayout()
        self.file_labels: list[QLabel] = []
        if result.pdf is not None:
            count = getattr(result, "pdf_pages", None)
            text = result.pdf.name
            if count:
                text += tr(" ({n} halaman)").replace("{n}", str(count))
            if signed_by:
                text += tr(" — ditandatangani elektronik oleh {s}").replace("{s}", signed_by)
            form.addRow(tr("PDF:"), self._file_label(text))
        if result.xlsx is not None:
            text = result.xlsx.name
            if submission is not None:
                text += tr(" — kiriman bertanda tangan, revisi {r}").replace(
                    "{r}", str(submission.revision)
                )
            form.addRow(tr("Excel:"), self._file_label(text))
        folder_label = QLabel(str(self.folder))
        folder_label.setObjectName("folder")
        folder_label.setWordWrap(True)
        folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(tr("Folder:"), folder_label)
        layout.addLayout(form)

        self.code: QLineEdit | None = None
        self.copy_button: QPushButton | None = None
        if submission is not None:
            layout.addLayout(self._code_row(submission.code))
            note = QLabel(
                tr(
                    "Kirim berkas Excel ini apa adanya ke Pokja PUG. Jangan dibuka lalu "
                    "disimpan ulang: berkas yang diubah akan ditolak. Sebutkan kode "
                    "verifikasi bila Pokja menanyakannya."
                )
            )
            note.setObjectName("note")
            note.setWordWrap(True)
            layout.addWidget(note)

        buttons = QDialogButtonBox()
        self.open_folder = buttons.addButton(
            tr("&Buka folder"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.open_folder.setObjectName("open_folder")
        self.open_folder.clicked.connect(self._open_folder)
        close = buttons.addButton(tr("&Tutup"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(600)

    def _file_label(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file_labels.append(label)
        return label

    def _code_row(self, code: str) -> QHBoxLayout:
        row = QHBoxLayout()
        label = QLabel(tr("Kode verifikasi:"))
        self.code = QLineEdit(code)
        self.code.setObjectName("code")
        self.code.setReadOnly(True)
        font = QFont(self.code.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.code.setFont(font)
        label.setBuddy(self.code)
        self.copy_button = QPushButton(tr("&Salin"))
        self.copy_button.setObjectName("copy")
        self.copy_button.clicked.connect(self._copy_code)
        row.addWidget(label)
        row.addWidget(self.code, 1)
        row.addWidget(self.copy_button)
        return row

    def _copy_code(self) -> None:
        assert self.code is not None and self.copy_button is not None
        QGuiApplication.clipboard().setText(self.code.text())
        self.copy_button.setText(tr("Tersalin"))

    def _open_folder(self) -> None:
        self.opener(QUrl.fromLocalFile(str(self.folder)))
