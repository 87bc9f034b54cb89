"""The four pages of the plan import wizard (``app.ui.plan_wizard``): widgets only.

The pages show what the wizard hands them (a preview, the catalogue) and report the
person's choices back through signals and plain getters; reading files and writing the
database stay in the wizard, which runs them off the UI thread.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from openpyxl.utils import get_column_letter
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.formats.plan_workbook import HEADERS, REQUIRED, TARGET_HEADER, ColumnMapping
from app.services.plan_import import ImportContext, OpdMatch, PlanImported, PlanPreview

NEW_OPD = "__new__"  # the OPD combo's "Buat OPD baru" entry
UNDECIDED = "__undecided__"  # the OPD combo's "tentukan" entry: no choice made yet


def tr(text: str) -> str:
    return QCoreApplication.translate("PlanWizard", text)


def _note(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _item(text: str, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class FilePage(QWidget):
    """Step 1: the workbook to read (chosen, typed or dropped)."""

    browse = Signal()

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(
            _note(
                tr(
                    "Pilih buku kerja Excel (.xlsx) yang memuat matriks rencana aksi. Berkas "
                    "boleh juga diseret ke jendela ini. Berkas hanya dibaca; basis data belum "
                    "diubah sampai Anda menekan Impor di langkah terakhir."
                )
            )
        )
        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(tr("Lokasi berkas .xlsx"))
        self.browse_button = QPushButton(tr("Pilih berkas…"))
        self.browse_button.clicked.connect(self.browse)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        layout.addLayout(row)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # the reader reports no steps: a moving bar says "busy"
        self.busy.setFormat(tr("Membaca berkas…"))
        self.busy.setTextVisible(True)
        self.busy.hide()
        layout.addWidget(self.busy)
        self.message = _note()
        self.message.setObjectName("refusal")
        self.message.setStyleSheet("color: #a40000;")
        layout.addWidget(self.message)
        layout.addStretch(1)

    @property
    def path(self) -> Path | None:
        text = self.path_edit.text().strip().strip('"')
        return Path(text) if text else None


class MappingPage(QWidget):
    """Step 2: which sheet column holds each field; a change asks for a re-read."""

    changed = Signal(str, object)  # field name or year as text, column number or None

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.intro = _note()
        layout.addWidget(self.intro)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.message = _note()
        self.message.setStyleSheet("color: #a40000;")
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.combos: dict[str, QComboBox] = {}

    def show_mapping(self, mapping: ColumnMapping, removed_years: Iterable[int] = ()) -> None:
        """Show ``mapping``; ``removed_years`` (taken out by hand) stay listed, so a year
        set to "(tidak ada)" can be given its column back."""
        while self.form.rowCount():
            self.form.removeRow(0)
        self.combos = {}
        self.intro.setText(
            tr(
                "Lembar '{s}', judul tabel di baris {a}–{b}. Periksa kolom tiap bidang; "
                "ubah bila salah, isian dibaca ulang seketika."
            )
            .replace("{s}", mapping.sheet)
            .replace("{a}", str(mapping.header_rows[0]))
            .replace("{b}", str(mapping.header_rows[1]))
        )
        columns = [
            (c, f"{get_column_letter(c)} — {text or tr('(tanpa judul)')}")
            for c, text in sorted(mapping.headers.items())
        ]
        for name, header in HEADERS.items():
            self._add(name, header, mapping.columns.get(name), columns, name not in REQUIRED)
        years = {**dict.fromkeys(removed_years), **mapping.years}
        for year, col in sorted(years.items()):
            self._add(str(year), f"{TARGET_HEADER} {year}", col, columns, True)

    def _add(
        self,
        name: str,
        label: str,
        col: int | None,
        columns: list[tuple[int, str]],
        optional: bool,
    ) -> None:
        combo = QComboBox()
        combo.setObjectName(f"map_{name}")
        if optional or col is None:
            combo.addItem(tr("(tidak ada)"), 0)
        for c, text in columns:
            combo.addItem(text, c)
        index = combo.findData(col or 0)
        combo.setCurrentIndex(max(index, 0))
        combo.currentIndexChanged.connect(
            lambda _i, n=name, box=combo: self.changed.emit(n, box.currentData() or None)
        )
        self.combos[name] = combo
        self.form.addRow(label + ("" if optional else " *"), combo)


class PreviewPage(QWidget):
    """Step 3: what was read, the rows left out, and each written OPD name's match."""

    decided = Signal()  # an OPD choice changed

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.summary = _note()
        layout.addWidget(self.summary)
        self.tabs = QTabWidget()
        self.problems = _table([tr("Baris"), tr("Dilewati"), tr("Keterangan")])
        self.opds = _table([tr("Nama OPD di berkas"), tr("Baris"), tr("Perangkat Daerah")])
        self.tabs.addTab(self.problems, tr("Baris bermasalah"))
        self.tabs.addTab(self.opds, tr("Perangkat Daerah"))
        layout.addWidget(self.tabs, 1)
        self.waiting = _note()
        self.waiting.setStyleSheet("color: #8a4b00;")
        layout.addWidget(self.waiting)
        self.decided.connect(self._show_waiting)
        self.opd_combos: dict[str, QComboBox] = {}

    def show_preview(self, preview: PlanPreview, context: ImportContext) -> None:
        start, end = preview.period
        skipped = sum(1 for p in preview.problems if p.skipped)
        unknown = len(preview.unknown)
        text = (
            tr("{n} baris indikator terbaca, periode {a}–{b}. ")
            .replace("{n}", str(preview.rows))
            .replace("{a}", str(start))
            .replace("{b}", str(end))
        )
        if preview.problems:
            text += (
                tr("{p} baris bermasalah ({s} dilewati, tidak ikut diimpor). ")
                .replace("{p}", str(len(preview.problems)))
                .replace("{s}", str(skipped))
            )
        if unknown:
            text += tr(
                "{u} nama Perangkat Daerah belum ada di katalog: tentukan di tab "
                "Perangkat Daerah (OPD yang ada, atau buat OPD baru)."
            ).replace("{u}", str(unknown))
        self.summary.setText(text)
        self.tabs.setTabText(
            0, tr("Baris bermasalah ({n})").replace("{n}", str(len(preview.problems)))
        )
        self.tabs.setTabText(
            1,
            tr("Perangkat Daerah ({n}, {u} belum cocok)")
            .replace("{n}", str(len(preview.opds)))
            .replace("{u}", str(unknown)),
        )
        self.problems.setRowCount(len(preview.problems))
        for i, p in enumerate(preview.problems):
            self.problems.setItem(i, 0, _item(str(p.row), True))
            self.problems.setItem(i, 1, _item(tr("Ya") if p.skipped else tr("Tidak")))
            self.problems.setItem(i, 2, _item(p.reason))
        self.problems.resizeColumnToContents(0)
        self.problems.resizeColumnToContents(1)
        self.problems.resizeRowsToContents()
        self._show_opds(preview.opds, context)
        self.tabs.setCurrentIndex(1 if unknown and not preview.problems else 0)

    def _show_opds(self, opds: list[OpdMatch], context: ImportContext) -> None:
        by_name = {name: code for code, name in context.opds}
        self.opd_combos = {}
        self.opds.setRowCount(len(opds))
        for i, m in enumerate(opds):
            self.opds.setItem(i, 0, _item(m.written))
            self.opds.setItem(i, 1, _item(str(m.rows), True))
            if m.code is not None:
                self.opds.setItem(i, 2, _item(tr("✓ {n}").replace("{n}", m.name or m.code)))
                continue
            combo = QComboBox()
            combo.setObjectName("opd_choice")
            if m.suggestions and not m.confident:
                # No spelling close enough to assume: Pokja decides, nothing is preset.
                combo.addItem(tr("— tentukan: OPD yang ada atau OPD baru —"), UNDECIDED)
            for name in m.suggestions:
                combo.addItem(tr("Mungkin: {n}").replace("{n}", name), by_name.get(name))
            combo.addItem(tr("Buat OPD baru bernama seperti tertulis"), NEW_OPD)
            combo.insertSeparator(combo.count())
            for code, name in context.opds:
                combo.addItem(name, code)
            # A near-identical suggestion, else "tentukan", else (no suggestion) a new OPD.
            combo.setCurrentIndex(0)
            combo.currentIndexChanged.connect(lambda _i: self.decided.emit())
            self.opd_combos[m.written] = combo
            self.opds.setCellWidget(i, 2, combo)
        self.opds.resizeColumnToContents(1)
        self.opds.setColumnWidth(0, 320)
        self._show_waiting()

    def _show_waiting(self) -> None:
        n = len(self.undecided())
        self.waiting.setText(
            tr(
                "Tentukan {n} nama OPD di tab Perangkat Daerah (OPD yang ada atau OPD baru) "
                "sebelum lanjut: namanya tidak cukup mirip untuk dipilihkan."
            ).replace("{n}", str(n))
            if n
            else ""
        )

    def undecided(self) -> list[str]:
        """Written names still waiting for Pokja's choice."""
        return [w for w, c in self.opd_combos.items() if c.currentData() == UNDECIDED]

    def choices(self) -> dict[str, str | None]:
        """Written name → existing OPD code, or None for a new OPD."""
        out: dict[str, str | None] = {}
        for written, combo in self.opd_combos.items():
            data = combo.currentData()
            out[written] = None if data == NEW_OPD else str(data)
        return out


class FinishPage(QWidget):
    """Step 4: the new plan's code, region and title; then the result of the import."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(
            _note(
                tr(
                    "Beri kode untuk rencana baru (kode yang sudah ada ditolak), lalu tekan "
                    "Impor. Rencana yang sudah ada tidak diubah."
                )
            )
        )
        form = QFormLayout()
        self.code = QLineEdit()
        self.region = QLineEdit()
        self.title = QLineEdit()
        form.addRow(tr("Kode rencana *"), self.code)
        form.addRow(tr("Daerah *"), self.region)
        form.addRow(tr("Judul"), self.title)
        layout.addLayout(form)
        self.code_message = _note()
        self.code_message.setStyleSheet("color: #a40000;")
        layout.addWidget(self.code_message)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setFormat(tr("Mengimpor…"))
        self.busy.setTextVisible(True)
        self.busy.hide()
        layout.addWidget(self.busy)
        self.result = _note()
        layout.addWidget(self.result)
        self.show_button = QPushButton(tr("Tampilkan rencana ini"))
        self.show_button.hide()
        layout.addWidget(self.show_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def show_result(self, done: PlanImported) -> None:
        text = (
            tr("Rencana {c} diimpor: {n} baris, periode {a}–{b}.")
            .replace("{c}", done.code)
            .replace("{n}", str(done.rows))
            .replace("{a}", str(done.period[0]))
            .replace("{b}", str(done.period[1]))
        )
        if done.created_opds:
            text += " " + tr("OPD baru: {o}.").replace("{o}", ", ".join(done.created_opds))
        if done.aliases:
            text += " " + tr("Ejaan yang kini dikenali sebagai OPD yang ada: {a}.").replace(
                "{a}", ", ".join(done.aliases)
            )
        self.result.setStyleSheet("")
        self.result.setText(text)
        self.show_button.show()
        for edit in (self.code, self.region, self.title):
            edit.setReadOnly(True)


__all__ = ["NEW_OPD", "FilePage", "FinishPage", "MappingPage", "PreviewPage"]
