"""The PPRG editor: the GAP and GBS of one kegiatan or sub kegiatan for one year.

Opened from the tree's context menu or the ARG menu (docs/pprg.md). A new GAP starts
prefilled from the matrix; "Isi ulang dari matriks" refreshes only the prefilled steps;
"Buat GBS dari GAP" builds the GBS. Ctrl+S saves; closing with unsaved changes asks.
A received document (at Pokja) or a Pokja user opens it read-only. The review panel
at the top shows the latest verdict on each document (the review flow fills it).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.pprg import REVIEW_LABELS, GapDocument, GbsDocument, Kind, PprgError, Review
from app.domain.progress import Cancelled, Progress
from app.models.db import Database
from app.services import pprg_store
from app.services.concurrency import ConcurrentEditError
from app.services.pprg_export import PprgExportResult, export_pprg, node_label
from app.services.pprg_prefill import prefill_gap, prefill_gbs, refresh_gap
from app.ui import messages
from app.ui.background import BackgroundTask, run_with_progress
from app.ui.pprg_pages import GapPage, GbsPage
from app.ui.window_size import remember_size


def tr(text: str) -> str:
    return QCoreApplication.translate("PprgDialog", text)


@dataclass(frozen=True)
class Loaded:
    gap: GapDocument
    gbs: GbsDocument | None
    origin: str  # where the shown GAP came from: "lokal", "kiriman" or "baru"


def load_documents(db: Database, node_key: str, year: int, *, pokja: bool) -> Loaded:
    """What the editor opens: Pokja sees a received copy first, an OPD its own; with
    nothing stored, a GAP prefilled from the matrix."""
    origins = (
        (pprg_store.RECEIVED, pprg_store.LOCAL)
        if pokja
        else (pprg_store.LOCAL, pprg_store.RECEIVED)
    )
    with db.begin() as s:
        for origin in origins:
            gap = pprg_store.load_document(s, Kind.GAP, node_key, year, origin)
            gbs = pprg_store.load_document(s, Kind.GBS, node_key, year, origin)
            if gap is not None or gbs is not None:
                doc = gap.document if gap else prefill_gap(s, node_key, year)
                assert isinstance(doc, GapDocument)
                other = gbs.document if gbs else None
                assert other is None or isinstance(other, GbsDocument)
                return Loaded(doc, other, origin)
        return Loaded(prefill_gap(s, node_key, year), None, "baru")


class PprgDialog(QDialog):
    saved = Signal()  # both documents are stored (the board and ARG line may recount)
    exported = Signal(object)  # PprgExportResult
    exportFailed = Signal(str)

    def __init__(
        self,
        db: Database,
        node_key: str,
        year: int,
        user: str,
        *,
        pokja: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.node_key, self.year, self.user = db, node_key, year, user
        self.setObjectName("pprg-dialog")
        loaded = load_documents(db, node_key, year, pokja=pokja)
        self.origin = loaded.origin
        self.read_only = pokja or loaded.origin == pprg_store.RECEIVED
        self._gap = loaded.gap
        with db.begin() as s:
            self.label = node_label(s, node_key)
            # The versions shown: a save after someone else saved the same document on a
            # shared server is refused naming them, instead of overwriting their work.
            self.seen = {kind: pprg_store.document_seen(s, kind, node_key, year) for kind in Kind}
        self.setWindowTitle(
            tr("PPRG (GAP/GBS) — {n} — {y}").replace("{n}", self.label).replace("{y}", str(year))
        )
        self.task: BackgroundTask | None = None
        self._build()
        self._loading = True
        self.gap_page.set_document(loaded.gap)
        if loaded.gbs is not None:
            self.gbs_page.set_document(loaded.gbs)
        self._loading = False
        self.dirty = False  # a fresh prefill is not the OPD's work yet: closing asks nothing
        self._set_read_only(self.read_only)
        self.show_review()
        remember_size(self, "pprg_dialog", 1100, 700)

    # --- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        head = QLabel(f"<b>{escape(self.label)}</b> — {tr('tahun')} {self.year}")
        head.setWordWrap(True)
        layout.addWidget(head)
        self.origin_note = QLabel()
        self.origin_note.setObjectName("origin-note")
        self.origin_note.setWordWrap(True)
        layout.addWidget(self.origin_note)
        # The hook for the review flow: the latest verdict on each document, or nothing.
        self.review_panel = QLabel()
        self.review_panel.setObjectName("review-panel")
        self.review_panel.setWordWrap(True)
        self.review_panel.setTextFormat(Qt.TextFormat.RichText)
        self.review_panel.setStyleSheet(
            "QLabel { background: #f1f4f8; border: 1px solid #c9d3e0; padding: 4px; }"
        )
        layout.addWidget(self.review_panel)
        self.tabs = QTabWidget()
        self.gap_page = GapPage()
        self.gbs_page = GbsPage()
        self.tabs.addTab(self.gap_page, tr("&GAP (9 langkah)"))
        self.tabs.addTab(self.gbs_page, tr("G&BS (Pernyataan Anggaran Gender)"))
        layout.addWidget(self.tabs, 1)
        self.gap_page.edited.connect(self._edited)
        self.gbs_page.edited.connect(self._edited)
        self.message = QLabel()
        self.message.setObjectName("pprg-message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        buttons = QHBoxLayout()
        self.refresh_button = QPushButton(tr("Isi &ulang dari matriks"))
        self.refresh_button.setToolTip(
            tr("Perbarui langkah 1, 2, 8 dan 9 dari matriks; isian OPD lainnya tetap")
        )
        self.gbs_button = QPushButton(tr("Buat GBS &dari GAP"))
        self.save_button = QPushButton(tr("&Simpan"))
        self.save_button.setToolTip("Ctrl+S")
        self.pdf_button = QPushButton(tr("&PDF…"))
        self.xlsx_button = QPushButton(tr("&Excel…"))
        self.close_button = QPushButton(tr("&Tutup"))
        for b in (self.refresh_button, self.gbs_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.pdf_button, self.xlsx_button, self.save_button, self.close_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.refresh_button.clicked.connect(self.refresh_from_matrix)
        self.gbs_button.clicked.connect(self.build_gbs)
        self.save_button.clicked.connect(self.save)
        self.pdf_button.clicked.connect(lambda: self.choose_export("pdf"))
        self.xlsx_button.clicked.connect(lambda: self.choose_export("xlsx"))
        self.close_button.clicked.connect(self.close)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)

    def _set_read_only(self, on: bool) -> None:
        self.gap_page.set_read_only(on)
        self.gbs_page.set_read_only(on)
        for b in (self.refresh_button, self.gbs_button, self.save_button):
            b.setEnabled(not on)
        if self.origin == pprg_store.RECEIVED:
            note = tr("Dokumen kiriman Perangkat Daerah: hanya dapat dibaca dan dicetak.")
        elif on:
            note = tr("Pokja PUG melihat dokumen ini tanpa mengubahnya.")
        elif self.origin == "baru":
            note = tr(
                "Dokumen baru: langkah 1, 2, 8 dan 9 sudah diisi dari matriks; lengkapi "
                "langkah lainnya lalu simpan (Ctrl+S)."
            )
        else:
            note = ""
        self.origin_note.setText(note)
        self.origin_note.setVisible(bool(note))

    # --- review panel (the review flow's hook) ----------------------------------------------

    def show_review(self) -> None:
        """Fill ``review_panel`` with the latest verdict on the GAP and the GBS."""
        with self.db.begin() as s:
            reviews = {
                kind: pprg_store.latest_review(s, kind, self.node_key, self.year)
                for kind in (Kind.GAP, Kind.GBS)
            }
        self.set_reviews(reviews)

    def set_reviews(self, reviews: dict[Kind, Review | None]) -> None:
        lines = []
        for kind, review in reviews.items():
            if review is None:
                continue
            status = REVIEW_LABELS[review.status]
            who = f" — {escape(review.reviewer)}" if review.reviewer else ""
            remark = f": {escape(review.remarks)}" if review.remarks else ""
            when = escape(review.reviewed_at[:10])
            lines.append(f"<b>{kind.value.upper()}: {status}</b> ({when}{who}){remark}")
        self.review_panel.setText("<br>".join(lines))
        self.review_panel.setVisible(bool(lines))

    # --- editing -----------------------------------------------------------------------------

    def _edited(self) -> None:
        if not self._loading:
            self.dirty = True

    def gap_document(self) -> GapDocument:
        """The GAP as typed (PprgError names a refused field)."""
        return self._gap.with_values(**self.gap_page.values())

    def gbs_document(self) -> GbsDocument | None:
        """The GBS as typed, ``None`` while nothing was written on its page."""
        if self.gbs_page.is_empty():
            return None
        return GbsDocument(
            node_key=self.node_key,
            opd_code=self._gap.opd_code,
            year=self.year,
            components=self.gbs_page.components(),
            row_keys=self._gap.row_keys,
            **self.gbs_page.values(),
        )

    def _show(self, gap: GapDocument | None = None, gbs: GbsDocument | None = None) -> None:
        self._loading = True
        if gap is not None:
            self.gap_page.set_document(gap)
        if gbs is not None:
            self.gbs_page.set_document(gbs)
        self._loading = False
        self.dirty = True

    def _refuse(self, exc: Exception) -> None:
        """Say what is wrong, keep everything typed."""
        self.message.setText(f"<span style='color:#b3261e'>{escape(str(exc))}</span>")
        QMessageBox.warning(self, tr("Dokumen PPRG"), str(exc))

    def refresh_from_matrix(self) -> None:
        try:
            typed = self.gap_document()
            with self.db.begin() as s:
                fresh = refresh_gap(s, typed)
        except PprgError as exc:
            self._refuse(exc)
            return
        self._gap = fresh
        self._show(gap=fresh)
        self.message.setText(tr("Langkah 1, 2, 8 dan 9 diperbarui dari matriks."))

    def build_gbs(self) -> None:
        try:
            gap = self.gap_document()
            current = self.gbs_document()
        except PprgError as exc:
            self._refuse(exc)
            return
        if current is not None:
            choice = messages.ask(
                self,
                tr("Buat GBS dari GAP"),
                tr("Isian GBS yang ada akan diganti dengan isian dari GAP. Lanjutkan?"),
                [tr("Ganti isian GBS"), tr("Batal")],
                default=1,
            )
            if choice != 0:
                return
        with self.db.begin() as s:
            gbs = prefill_gbs(s, gap)
        self._show(gbs=gbs)
        self.tabs.setCurrentWidget(self.gbs_page)
        self.message.setText(tr("GBS disusun dari GAP; periksa komponen dan anggarannya."))

    def save(self) -> bool:
        if self.read_only:
            return True
        try:
            gap = self.gap_document()
            gbs = self.gbs_document()
        except (PprgError, ValueError) as exc:
            self._refuse(exc)
            return False
        try:
            pprg_store.save_document(self.db, gap, self.user, seen=self.seen[Kind.GAP])
            if gbs is not None:
                pprg_store.save_document(self.db, gbs, self.user, seen=self.seen[Kind.GBS])
        except ConcurrentEditError as exc:
            # The typed text stays in the editor; closing and reopening shows theirs.
            self._refuse(exc)
            return False
        self._gap = gap
        self.dirty = False
        self.origin = pprg_store.LOCAL
        self._set_read_only(False)
        self.message.setText(tr("Tersimpan."))
        self.saved.emit()
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.dirty and not self.read_only:
            choice = messages.ask(
                self,
                tr("Perubahan belum disimpan"),
                tr("GAP/GBS ini punya perubahan yang belum disimpan. Simpan sekarang?"),
                [tr("Simpan"), tr("Jangan simpan"), tr("Batal")],
            )
            if choice == 2 or (choice == 0 and not self.save()):
                event.ignore()
                return
        super().closeEvent(event)

    # --- printing ----------------------------------------------------------------------------

    def choose_export(self, fmt: str) -> None:
        kind = Kind.GAP if self.tabs.currentWidget() is self.gap_page else Kind.GBS
        suffix = ".pdf" if fmt == "pdf" else ".xlsx"
        name, _ = QFileDialog.getSaveFileName(
            self,
            tr("Simpan {k}").replace("{k}", kind.value.upper()),
            f"{kind.value.upper()}-{self.node_key}-{self.year}{suffix}",
            tr("PDF (*.pdf)") if fmt == "pdf" else tr("Excel (*.xlsx)"),
        )
        if name:
            path = Path(name if name.lower().endswith(suffix) else name + suffix)
            self.export(kind, fmt, path)

    def export(self, kind: Kind, fmt: str, path: Path) -> BackgroundTask | None:
        """Print what is on screen (saved or not) in a worker with progress and cancel."""
        try:
            doc = self.gap_document() if kind is Kind.GAP else self.gbs_document()
        except (PprgError, ValueError) as exc:
            self._refuse(exc)
            return None
        if doc is None:
            self._refuse(PprgError(tr("GBS masih kosong: buat GBS dari GAP terlebih dahulu.")))
            return None
        db, node_key, year = self.db, self.node_key, self.year
        pdf, xlsx = (path, None) if fmt == "pdf" else (None, path)

        def work(progress: Progress, cancelled: Cancelled) -> PprgExportResult:
            return export_pprg(
                db,
                kind,
                node_key,
                year,
                pdf=pdf,
                xlsx=xlsx,
                document=doc,
                progress=progress,
                cancelled=cancelled,
            )

        self.task = run_with_progress(self, tr("Cetak PPRG"), tr("Menyusun dokumen…"), work)
        self.task.succeeded.connect(self._exported)
        self.task.failed.connect(self._export_failed)
        return self.task

    def _exported(self, result: object) -> None:
        self.message.setText(tr("Dokumen ditulis."))
        self.exported.emit(result)

    def _export_failed(self, exc: BaseException) -> None:
        from app.services.export import explain_failure

        text = explain_failure(exc)
        self.message.setText(f"<span style='color:#b3261e'>{escape(text)}</span>")
        self.exportFailed.emit(text)
