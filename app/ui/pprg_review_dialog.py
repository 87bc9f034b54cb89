"""Telaah PPRG: received GAP/GBS at Pokja, or an OPD's own documents and their verdicts.

At Pokja (``received=True``) the list shows every GAP/GBS received in the OPDs' signed
submissions, per OPD, year and kegiatan, with its review state; the selected document is
shown read-only, and Pokja (or the Inspektorat, by the role chosen here) gives it a
status with remarks. "Kirim hasil telaah…" writes the signed review file of the
selected OPD and year. At the OPD the same list shows its own documents with the
latest verdict received back, and "Terima berkas hasil telaah…" takes in Pokja's file.
The rules are in ``app/services/pprg_review.py``; nothing here writes by itself.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import escape
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.pprg import (
    GAP_STEPS,
    GBS_FIELDS,
    KIND_LABELS,
    REVIEWER_ROLES,
    GapDocument,
    PprgError,
    ReviewStatus,
)
from app.formats import keys
from app.formats.canonical_json import SubmissionError
from app.formats.review_package import EXTENSION
from app.models.db import Database
from app.services import pprg_review
from app.services.pprg_review import DocumentState
from app.services.pprg_store import LOCAL, RECEIVED
from app.ui.pprg_dialog import PprgDialog
from app.ui.window_size import remember_size

COLUMNS = ("Perangkat Daerah", "Tahun", "Dokumen", "Kegiatan / sub kegiatan", "Status", "Catatan")
STATUS_COLOURS = {"diterima": "#d3efdc", "perlu perbaikan": "#fde3b0", "belum": "#eeeeee"}


def tr(text: str) -> str:
    return QCoreApplication.translate("PprgReview", text)


def document_text(state: DocumentState) -> str:
    """The document's fields as plain read-only text (the reviewer reads, never edits)."""
    doc = state.stored.document
    lines = [
        f"{KIND_LABELS[state.kind]} — {state.node_name}",
        f"{state.opd_name} ({doc.opd_code}) · {tr('tahun')} {doc.year}",
        "",
    ]
    if isinstance(doc, GapDocument):
        for name, step, label in GAP_STEPS:
            lines += [f"[{step}] {label}", getattr(doc, name) or "–", ""]
    else:
        for name, label in GBS_FIELDS:
            lines += [label, getattr(doc, name) or "–", ""]
        lines.append(tr("Rencana aksi"))
        for c in doc.components:
            budget = "–" if c.budget is None else "Rp " + _rupiah(c.budget)
            lines.append(f"  • {c.name}: {budget}")
        if doc.total is not None:
            lines.append(tr("Alokasi anggaran: Rp {n}").replace("{n}", _rupiah(doc.total)))
    return "\n".join(lines).rstrip()


def _rupiah(amount: Decimal) -> str:
    return f"{amount:,.0f}".replace(",", ".")  # Indonesian thousands separator


def _colour(status: str) -> str:
    for key, colour in STATUS_COLOURS.items():
        if key in status and "sebelumnya" not in status:
            return colour
    return STATUS_COLOURS["belum"]


def fill_review_panel(editor: PprgDialog) -> None:
    """Put the review state into the GAP/GBS editor's ``review_panel``: per document its
    status (saying when the verdict was for an earlier version), who and when, remarks."""
    with editor.db.begin() as s:
        states = pprg_review.panel_states(s, editor.node_key, editor.year, editor.origin)
    lines = []
    for status, review in states:
        line = f"<b>{escape(status)}</b>"
        if review is not None:
            role = REVIEWER_ROLES.get(review.reviewer_role, "")
            who = " ".join(p for p in (role, review.reviewer) if p)
            line += f" ({escape(review.reviewed_at[:10])}{', ' + escape(who) if who else ''})"
            if review.remarks:
                line += f": {escape(review.remarks)}"
        lines.append(line)
    editor.review_panel.setText("<br>".join(lines))
    editor.review_panel.setVisible(any(r is not None for _, r in states))


def open_editor(
    db: Database, node_key: str, year: int, user: str, *, pokja: bool, parent: QWidget | None
) -> PprgDialog:
    """The GAP/GBS editor with its review panel filled and kept current as it saves
    (read-only for Pokja and for received copies)."""
    editor = PprgDialog(db, node_key, year, user, pokja=pokja, parent=parent)
    fill_review_panel(editor)
    editor.saved.connect(lambda: fill_review_panel(editor))
    return editor


class PprgReviewDialog(QDialog):
    """The list of GAP/GBS with their review state; at Pokja, the verdict and the file."""

    changed = Signal()  # a verdict was saved or received: boards and trees re-read

    def __init__(
        self,
        db: Database,
        *,
        received: bool,
        user: str = "",
        year: int | None = None,
        opd_code: str | None = None,
        key_folder: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.received, self.user = db, received, user
        self.key_folder = key_folder
        self.states: list[DocumentState] = []
        self.setWindowTitle(tr("Telaah Dokumen PPRG") if received else tr("Dokumen PPRG Saya"))
        remember_size(self, "pprg_review", 1200, 650)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)

        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Tahun:")))
        self.year_box = QComboBox()
        self.year_box.addItem(tr("Semua tahun"), None)
        bar.addWidget(self.year_box)
        self.opd_box = QComboBox()
        self.opd_box.addItem(tr("Semua Perangkat Daerah"), None)
        if received:
            bar.addWidget(QLabel(tr("OPD:")))
            bar.addWidget(self.opd_box)
            bar.addSpacing(12)
            bar.addWidget(QLabel(tr("Menelaah sebagai:")))
            self.role_box = QComboBox()
            for role, label in REVIEWER_ROLES.items():
                self.role_box.addItem(label, role)
            with db.begin() as s:
                self.role_box.setCurrentIndex(self.role_box.findData(pprg_review.reviewer_role(s)))
            self.role_box.currentIndexChanged.connect(self._role_changed)
            bar.addWidget(self.role_box)
        bar.addStretch(1)
        self.summary = QLabel()
        bar.addWidget(self.summary)
        layout.addLayout(bar)

        split = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        split.addWidget(self.table)

        lower = QWidget()
        lower_layout = QHBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        self.view = QPlainTextEdit()
        self.view.setObjectName("document_view")
        self.view.setReadOnly(True)
        lower_layout.addWidget(self.view, 3)
        lower_layout.addWidget(self._review_box(), 2)
        split.addWidget(lower)
        split.setSizes([300, 300])
        layout.addWidget(split, 1)

        buttons = QHBoxLayout()
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        buttons.addWidget(self.message, 1)
        self.open_button = QPushButton(tr("&Buka dokumen…"))
        buttons.addWidget(self.open_button)
        self.send_button = QPushButton(tr("&Kirim hasil telaah…"))
        self.import_button = QPushButton(tr("&Terima berkas hasil telaah…"))
        close = QPushButton(tr("Tutup"))
        if received:
            buttons.addWidget(self.send_button)
        else:
            buttons.addWidget(self.import_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)

        self.year_box.currentIndexChanged.connect(self.refresh)
        self.opd_box.currentIndexChanged.connect(self.refresh)
        self.table.itemSelectionChanged.connect(self._selected)
        self.send_button.clicked.connect(self.send_selected)
        self.open_button.clicked.connect(self.open_selected)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.import_button.clicked.connect(self.choose_review_file)
        close.clicked.connect(self.accept)
        self._fill_filters(year, opd_code)
        self.refresh()

    # -------------------------------------------------------------- building
    def _review_box(self) -> QWidget:
        box = QWidget()
        form = QVBoxLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        self.status_label = QLabel()
        self.status_label.setObjectName("status")
        self.status_label.setWordWrap(True)
        form.addWidget(self.status_label)
        self.accept_radio = QRadioButton(tr("&Diterima"))
        self.fix_radio = QRadioButton(tr("&Perlu perbaikan"))
        self.verdicts = QButtonGroup(self)
        self.verdicts.addButton(self.accept_radio)
        self.verdicts.addButton(self.fix_radio)
        row = QHBoxLayout()
        row.addWidget(self.accept_radio)
        row.addWidget(self.fix_radio)
        row.addStretch(1)
        form.addLayout(row)
        self.remarks = QPlainTextEdit()
        self.remarks.setObjectName("remarks")
        self.remarks.setPlaceholderText(tr("Catatan telaah untuk Perangkat Daerah"))
        form.addWidget(self.remarks, 1)
        self.save_button = QPushButton(tr("&Simpan telaah"))
        self.save_button.clicked.connect(self.save_review)
        form.addWidget(self.save_button)
        self.history_label = QLabel()
        self.history_label.setObjectName("history")
        self.history_label.setWordWrap(True)
        self.history_label.setStyleSheet("color:#555;")
        form.addWidget(self.history_label)
        for w in (self.accept_radio, self.fix_radio, self.save_button):
            w.setVisible(self.received)
        self.remarks.setReadOnly(not self.received)
        return box

    def _fill_filters(self, year: int | None, opd_code: str | None) -> None:
        with self.db.begin() as s:
            states = pprg_review.document_states(s, RECEIVED if self.received else LOCAL)
        years = sorted({st.stored.document.year for st in states} | ({year} if year else set()))
        for y in years:
            self.year_box.addItem(str(y), y)
        opds = sorted({(st.stored.document.opd_code, st.opd_name) for st in states})
        for code, name in opds:
            self.opd_box.addItem(f"{name} ({code})", code)
        if year is not None:
            self.year_box.setCurrentIndex(self.year_box.findData(year))
        if opd_code is not None and self.opd_box.findData(opd_code) >= 0:
            self.opd_box.setCurrentIndex(self.opd_box.findData(opd_code))

    # -------------------------------------------------------------- content
    def refresh(self) -> None:
        """Re-read the documents and their verdicts; the selection follows the document."""
        keep = self.current()
        with self.db.begin() as s:
            self.states = pprg_review.document_states(
                s,
                RECEIVED if self.received else LOCAL,
                year=self.year_box.currentData(),
                opd_code=self.opd_box.currentData(),
            )
        self.table.setRowCount(len(self.states))
        for i, st in enumerate(self.states):
            doc = st.stored.document
            status = st.status.split(": ", 1)[1]
            cells = (
                st.opd_name,
                str(doc.year),
                KIND_LABELS[st.kind],
                st.node_name,
                status,
                (st.review.remarks if st.review else "").replace("\n", " "),
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 4:
                    item.setBackground(QColor(_colour(status)))
                if c == 3:
                    item.setToolTip(doc.node_key)
                self.table.setItem(i, c, item)
        reviewed = sum(1 for st in self.states if st.reviewed)
        accepted = sum(1 for st in self.states if st.accepted)
        self.summary.setText(
            tr("{n} dokumen · {r} ditelaah · {a} diterima")
            .replace("{n}", str(len(self.states)))
            .replace("{r}", str(reviewed))
            .replace("{a}", str(accepted))
        )
        row = next((i for i, st in enumerate(self.states) if keep and self._ident(st) == keep), 0)
        if self.states:
            self.table.selectRow(row)
        self._selected()

    @staticmethod
    def _ident(st: DocumentState) -> tuple[str, str, int]:
        return (st.kind.value, st.stored.document.node_key, st.stored.document.year)

    def current(self) -> tuple[str, str, int] | None:
        st = self.current_state()
        return None if st is None else self._ident(st)

    def current_state(self) -> DocumentState | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.states):
            return None
        return self.states[rows[0].row()]

    def _selected(self) -> None:
        st = self.current_state()
        has = st is not None
        for w in (self.accept_radio, self.fix_radio, self.remarks, self.save_button):
            w.setEnabled(has)
        self.send_button.setEnabled(has)
        self.open_button.setEnabled(has)
        if st is None:
            self.view.setPlainText(tr("Belum ada dokumen PPRG."))
            self.status_label.clear()
            self.history_label.clear()
            return
        self.view.setPlainText(document_text(st))
        self.status_label.setText(f"<b>{st.status}</b>")
        review = st.review
        self.verdicts.setExclusive(False)
        self.accept_radio.setChecked(review is not None and review.status is ReviewStatus.DITERIMA)
        self.fix_radio.setChecked(
            review is not None and review.status is ReviewStatus.PERLU_PERBAIKAN
        )
        self.verdicts.setExclusive(True)
        self.remarks.setPlainText(review.remarks if review else "")
        with self.db.begin() as s:
            past = pprg_review.history(
                s, st.kind, st.stored.document.node_key, st.stored.document.year
            )
        self.history_label.setText(
            "\n".join(
                f"{h.reviewed_at:%d-%m-%Y %H:%M} · {REVIEWER_ROLES.get(h.reviewer_role, '')} "
                f"{h.reviewer} · {h.status.replace('_', ' ')}"
                for h in past[:5]
            )
        )

    # -------------------------------------------------------------- actions
    def _role_changed(self) -> None:
        with self.db.begin() as s:
            pprg_review.set_reviewer_role(s, str(self.role_box.currentData()))

    def save_review(self) -> bool:
        st = self.current_state()
        if st is None:
            return False
        if not (self.accept_radio.isChecked() or self.fix_radio.isChecked()):
            self.message.setText(tr("Pilih status telaah: Diterima atau Perlu perbaikan."))
            return False
        status = (
            ReviewStatus.DITERIMA if self.accept_radio.isChecked() else ReviewStatus.PERLU_PERBAIKAN
        )
        try:
            pprg_review.review_received(
                self.db,
                st.kind,
                st.stored.document.node_key,
                st.stored.document.year,
                status,
                self.remarks.toPlainText(),
                reviewer=self.user,
            )
        except PprgError as exc:
            self.message.setText(str(exc))  # the remarks typed stay in the field
            return False
        self.message.setText(tr("Telaah tersimpan."))
        self.refresh()
        self.changed.emit()
        return True

    def open_selected(self) -> PprgDialog | None:
        """The selected document in the GAP/GBS editor: read-only at Pokja; at the OPD its
        own document, to correct what the verdict asks for."""
        st = self.current_state()
        if st is None:
            return None
        editor = open_editor(
            self.db,
            st.stored.document.node_key,
            st.stored.document.year,
            self.user,
            pokja=self.received,
            parent=self,
        )
        editor.tabs.setCurrentWidget(editor.gap_page if st.kind.value == "gap" else editor.gbs_page)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saved.connect(self.refresh)
        editor.show()
        return editor

    def send_selected(self) -> None:
        st = self.current_state()
        if st is not None:
            dialog = SendReviewDialog(
                self.db,
                st.stored.document.opd_code,
                st.stored.document.year,
                key_folder=self.key_folder,
                parent=self,
            )
            dialog.exec()
            if dialog.sent_message:
                self.message.setText(dialog.sent_message)

    def choose_review_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            tr("Terima berkas hasil telaah"),
            "",
            tr("Hasil telaah PPRG (*{ext})").replace("{ext}", EXTENSION),
        )
        if name:
            self.import_review_files([Path(name)])

    def import_review_files(self, paths: list[Path]) -> list[str]:
        """Take in Pokja's review files (the menu, the file chooser, a drop); the messages."""
        out = []
        for path in paths:
            try:
                out.append(pprg_review.import_review_file(self.db, path, user=self.user).message)
            except SubmissionError as exc:
                out.append(f"{path.name}: {exc}")
        self.message.setText("\n".join(out))
        self.refresh()
        self.changed.emit()
        return out


class SendReviewDialog(QDialog):
    """Unlock the key and save the signed review file of one OPD and year."""

    def __init__(
        self,
        db: Database,
        opd_code: str,
        year: int,
        *,
        key_folder: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.opd_code, self.year, self.key_folder = db, opd_code, year, key_folder
        self.sent_message = ""
        self.setWindowTitle(tr("Kirim Hasil Telaah PPRG"))
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        intro = QLabel(
            tr(
                "Status dan catatan telaah dokumen GAP/GBS {opd} tahun {y} disimpan sebagai "
                "berkas bertanda tangan kunci Pokja untuk dikirim ke Perangkat Daerah."
            )
            .replace("{opd}", opd_code)
            .replace("{y}", str(year))
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(tr("&Kata sandi kunci:"), self.passphrase)
        out_row = QHBoxLayout()
        folder = Path.home() / "Documents"
        self.out = QLineEdit(
            str(folder / f"Telaah-PPRG-{opd_code}-{year}-{date.today():%Y%m%d}{EXTENSION}")
        )
        self.out.setObjectName("out")
        choose = QPushButton(tr("Pilih…"))
        choose.clicked.connect(self._choose)
        out_row.addWidget(self.out, 1)
        out_row.addWidget(choose)
        form.addRow(tr("Simpan ke:"), out_row)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        self.send_button = buttons.addButton(
            tr("&Buat berkas"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(tr("Batal"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.send)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _choose(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            tr("Simpan berkas hasil telaah"),
            self.out.text(),
            tr("Hasil telaah PPRG (*{ext})").replace("{ext}", EXTENSION),
        )
        if name:
            self.out.setText(name if name.endswith(EXTENSION) else name + EXTENSION)

    def send(self) -> bool:
        secret = self.passphrase.text()
        if not secret:
            self.message.setText(tr("Isi kata sandi kunci tanda tangan."))
            return False
        out = Path(self.out.text().strip()).expanduser()
        if not out.parent.is_dir():
            self.message.setText(tr("Folder tidak ditemukan: {f}").replace("{f}", str(out.parent)))
            return False
        try:
            key = keys.load_key(secret, self.key_folder)
            n = pprg_review.export_review_file(self.db, self.opd_code, self.year, key, out)
        except (keys.KeyStoreError, LookupError, OSError) as exc:
            self.message.setText(str(exc))
            return False
        self.sent_message = (
            tr("Hasil telaah {n} dokumen tersimpan di {f}.")
            .replace("{n}", str(n))
            .replace("{f}", str(out))
        )
        self.accept()
        return True
