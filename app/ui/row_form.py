"""The form for one plan row: the official text, the targets and the year's realisation.

Nothing typed is lost and nothing wrong is stored: every field is saved when the user
leaves it (its own transaction, through ``app.services.entry``), a refused value stays in
the field with the reason beside it, and every save is a command on the window's undo
stack whose undo writes the previous values back through the same audited path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFocusEvent, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.achievement import Polarity, absorption, achievement, band
from app.domain.breakdown import Breakdown, BreakdownError
from app.domain.numbers import format_number, format_percent
from app.domain.realisation import FIELD_LABELS as REALISATION_FIELDS
from app.domain.realisation import FormError, RealisationValues, parse_realisation
from app.models.db import Database
from app.services import catalog, entry, provenance
from app.services.catalog import LEVEL_LABELS, RowDetail
from app.services.links import LinkedRow, LinkError, candidates, link_rows, linked_rows, unlink_rows
from app.ui.link_dialog import LinkDialog
from app.ui.plan_model import BAND_COLOURS, BAND_LABELS

POLARITY_LABELS = {
    Polarity.HIGHER.value: "Semakin tinggi semakin baik",
    Polarity.LOWER.value: "Semakin rendah semakin baik",
}
PARTS = ("total", "male", "female", "disabled")
MISMATCH = "Rincian tidak sesuai"  # start of Breakdown.validate's sum message

Proposal = tuple[str, Breakdown]


def tr(text: str) -> str:
    return QCoreApplication.translate("RowForm", text)


class TextField(QPlainTextEdit):
    """A few lines of free text that, like ``QLineEdit``, says when editing finished."""

    editingFinished = Signal()

    def __init__(self, lines: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)  # Tab moves on, as in every other field
        self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 14)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self.setPlainText(text)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.editingFinished.emit()


def _number_edit(name: str, width: int = 90) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setAlignment(Qt.AlignmentFlag.AlignRight)
    edit.setMinimumWidth(width)
    return edit


def _value_label(selectable: bool = True) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return label


def _set_invalid(widget: QWidget, on: bool) -> None:
    if bool(widget.property("invalid")) == on:
        return
    widget.setProperty("invalid", on)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def breakdown_text(b: Breakdown) -> str:
    """``Total 30 · L 20 · P 9 · Disabilitas 1``, leaving out what the document left out."""
    parts = []
    for name, label in (
        ("total", "Total"),
        ("male", "L"),
        ("female", "P"),
        ("disabled", "Disabilitas"),
    ):
        v = getattr(b, name)
        if v is not None:
            parts.append(f"{label} {format_number(v)}")
    return " · ".join(parts) if parts else "–"


@dataclass
class _TargetBlock:
    """The widgets of one year's target: the official figures and the proposal inputs."""

    year: int
    official: QLabel
    official_numbers: QLabel
    text: QLineEdit
    edits: dict[str, QLineEdit]
    error: QLabel
    saved: Proposal | None = None  # the proposal as stored

    def fields(self) -> list[QWidget]:
        return [self.text, *self.edits.values()]


HISTORY_FIELDS = {**REALISATION_FIELDS, "target": "Target"}


def _history_value(value: str | None) -> str:
    """Audit values are exact decimal text ("1500000"); show them the Indonesian way."""
    if value is None or value == "":
        return "–"
    try:
        return format_number(Decimal(value))
    except ArithmeticError:
        return value


class RowForm(QWidget):
    """Shows and edits one row for one year; emits :attr:`saved` after every write."""

    saved = Signal(int, int)  # row id, year whose data changed in the database
    revealRequested = Signal(int, int)  # undo/redo touched this row/year: show it

    def __init__(
        self,
        db: Database,
        user: str,
        *,
        opd_id: int | None = None,
        undo_stack: QUndoStack | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.user, self.opd_id = db, user, opd_id
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self.row_id: int | None = None
        self.year: int | None = None
        self.detail: RowDetail | None = None
        self._saved_real: RealisationValues | None = None
        self._years: list[int] = []
        self.session = 0  # counts loads: edits of one visit to a row share a number
        self.setObjectName("RowForm")
        self.setStyleSheet(
            'QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"]'
            " { border: 2px solid #b3261e; border-radius: 3px; }"
            " QLabel#error { color: #b3261e; font-weight: bold; }"
            " QLabel#muted { color: #5f6368; }"
            " QLabel#unsigned { color: #5c3800; background: #fff4d6;"
            " border: 1px solid #b26a00; border-radius: 3px; padding: 4px 6px; }"
        )
        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 8, 10, 8)

        self.title = QLabel(tr("Pilih baris di pohon untuk melihat dan mengisi realisasinya."))
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.title)
        self.indicator = QLabel()
        self.indicator.setObjectName("indicator")
        self.indicator.setWordWrap(True)
        self.indicator.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.indicator)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("muted")
        self.subtitle.setWordWrap(True)
        outer.addWidget(self.subtitle)
        # Figures imported from a fill-in workbook carry no signature: say so (docs/fillin.md).
        self.unsigned_label = QLabel()
        self.unsigned_label.setObjectName("unsigned")
        self.unsigned_label.setWordWrap(True)
        self.unsigned_label.hide()
        outer.addWidget(self.unsigned_label)

        outer.addWidget(self._build_realisation())
        self.targets_box = QGroupBox(tr("Target per tahun"))
        self.targets_grid = QGridLayout(self.targets_box)
        self.targets_grid.setColumnStretch(1, 1)
        self.target_blocks: dict[int, _TargetBlock] = {}
        outer.addWidget(self.targets_box)
        outer.addWidget(self._build_official())
        outer.addWidget(self._build_links())
        outer.addWidget(self._build_history())
        outer.addStretch(1)
        self._set_editable(False)

    # --- building ----------------------------------------------------------------------

    def _build_realisation(self) -> QGroupBox:
        box = QGroupBox(tr("Realisasi"))
        self.real_box = box
        grid = QGridLayout(box)
        self.real_edits: dict[str, QLineEdit] = {}
        labels = {
            "total": tr("Total"),
            "male": tr("Laki-laki"),
            "female": tr("Perempuan"),
            "disabled": tr("Disabilitas"),
        }
        for col, name in enumerate(PARTS):
            edit = _number_edit(f"real-{name}")
            lab = QLabel(labels[name])
            lab.setBuddy(edit)
            grid.addWidget(lab, 0, col)
            grid.addWidget(edit, 1, col)
            self.real_edits[name] = edit
        self.real_edits["total"].setToolTip(
            tr("Kosongkan bila sama dengan jumlah laki-laki + perempuan + disabilitas.")
        )
        for col, (name, label) in enumerate(
            (("budget", tr("Pagu anggaran (Rp)")), ("spending", tr("Realisasi anggaran (Rp)")))
        ):
            edit = _number_edit(f"real-{name}", 140)
            lab = QLabel(label)
            lab.setBuddy(edit)
            grid.addWidget(lab, 2, col * 2, 1, 2)
            grid.addWidget(edit, 3, col * 2, 1, 2)
            self.real_edits[name] = edit
        self.evidence = TextField(2)
        self.evidence.setObjectName("real-evidence")
        self.evidence.setPlaceholderText(tr("Dokumen, foto, daftar hadir, tautan…"))
        self.note = TextField(2)
        self.note.setObjectName("real-note")
        for row, (label, widget) in enumerate(
            ((tr("Bukti dukung"), self.evidence), (tr("Catatan"), self.note)), start=4
        ):
            lab = QLabel(label)
            lab.setBuddy(widget)
            grid.addWidget(lab, row * 2 - 4, 0, 1, 4)
            grid.addWidget(widget, row * 2 - 3, 0, 1, 4)
        results = QHBoxLayout()
        results.addWidget(QLabel(tr("Capaian:")))
        self.achievement = QLabel("–")
        self.achievement.setObjectName("achievement")
        self.achievement.setMinimumWidth(90)
        results.addWidget(self.achievement)
        results.addSpacing(16)
        results.addWidget(QLabel(tr("Serapan anggaran:")))
        self.absorption = QLabel("–")
        self.absorption.setObjectName("absorption")
        results.addWidget(self.absorption)
        results.addStretch(1)
        self.saved_label = QLabel()
        self.saved_label.setObjectName("muted")
        results.addWidget(self.saved_label)
        grid.addLayout(results, 8, 0, 1, 4)
        self.real_error = QLabel()
        self.real_error.setObjectName("error")
        self.real_error.setWordWrap(True)
        self.real_error.hide()
        grid.addWidget(self.real_error, 9, 0, 1, 4)

        for name, edit in self.real_edits.items():
            edit.editingFinished.connect(lambda n=name: self._real_finished(n))
            edit.returnPressed.connect(self._commit_realisation)
            edit.textChanged.connect(self._preview)
        for widget in (self.evidence, self.note):
            widget.editingFinished.connect(self._commit_realisation)
        return box

    def _build_official(self) -> QGroupBox:
        box = QGroupBox(tr("Uraian resmi (Tabel 4.2)"))
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.official: dict[str, QLabel] = {}
        fields = [
            ("opd", tr("Perangkat Daerah")),
            *((lvl, LEVEL_LABELS[lvl]) for lvl in LEVEL_LABELS),
            ("aktivitas", tr("Aktivitas")),
            ("indikator", tr("Indikator")),
            ("satuan", tr("Satuan")),
            ("keterangan", tr("Keterangan")),
            ("polarity", tr("Polaritas")),
        ]
        for name, label in fields:
            value = _value_label()
            value.setObjectName(f"official-{name}")
            self.official[name] = value
            form.addRow(label + ":", value)
        return box

    def _build_links(self) -> QGroupBox:
        box = QGroupBox(tr("Tautan ke rencana lain"))
        self.links_box = box
        lay = QVBoxLayout(box)
        self.links_label = QLabel()
        self.links_label.setObjectName("links")
        self.links_label.setWordWrap(True)
        lay.addWidget(self.links_label)
        buttons = QHBoxLayout()
        self.link_button = QPushButton(tr("&Tautkan dengan baris rencana lain…"))
        self.link_button.setObjectName("link")
        self.link_button.clicked.connect(self.choose_link)
        self.unlink_button = QPushButton(tr("&Lepas tautan"))
        self.unlink_button.setObjectName("unlink")
        self.unlink_button.clicked.connect(self.remove_links)
        buttons.addWidget(self.link_button)
        buttons.addWidget(self.unlink_button)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        return box

    def show_links(self) -> None:
        """The rows of other plans this one shares its realisations with."""
        self._links: list[LinkedRow] = []
        if self.row_id is not None:
            with self.db.begin() as s:
                self._links = linked_rows(s, self.row_id)
        if self._links:
            self.links_label.setText(
                tr("Realisasi baris ini juga berlaku untuk:")
                + "<br>"
                + "<br>".join(f"• <b>{link.plan_label}</b>: {link.title}" for link in self._links)
            )
        else:
            self.links_label.setText(
                tr(
                    "Belum ditautkan. Bila kegiatan ini juga ada di "
                    "rencana lain (misalnya Renstra), tautkan agar "
                    "realisasinya cukup diisi sekali."
                )
            )
        self.unlink_button.setEnabled(bool(self._links))
        self.link_button.setEnabled(self.row_id is not None)

    def choose_link(self) -> None:
        if self.row_id is None or self.detail is None or not self.commit():
            return
        with self.db.begin() as s:
            options = candidates(s, self.row_id)
        dialog = LinkDialog(self.title.text(), options, self)
        if dialog.exec() != LinkDialog.DialogCode.Accepted or dialog.chosen is None:
            return
        self.make_link(dialog.chosen.row_id)

    def make_link(self, other_id: int) -> bool:
        assert self.row_id is not None and self.year is not None
        try:
            link_rows(self.db, self.row_id, other_id, self.user, opd_id=self.opd_id)
        except LinkError as exc:
            self.links_label.setText(f"<span style='color:#b3261e'>{exc}</span>")
            return False
        self.load(self.row_id, self.year)  # a copied figure may have arrived on this row
        self.saved.emit(self.row_id, self.year)
        return True

    def remove_links(self) -> None:
        if self.row_id is None:
            return
        for link in list(getattr(self, "_links", [])):
            unlink_rows(self.db, self.row_id, link.row_id, self.user, opd_id=self.opd_id)
        self.show_links()
        self.show_history()

    def _build_history(self) -> QGroupBox:
        box = QGroupBox(tr("Riwayat perubahan"))
        lay = QVBoxLayout(box)
        self.history = QTreeWidget()
        self.history.setObjectName("history")
        self.history.setRootIsDecorated(False)
        self.history.setUniformRowHeights(True)
        self.history.setHeaderLabels(
            [tr("Waktu"), tr("Oleh"), tr("Tahun"), tr("Isian"), tr("Lama"), tr("Baru")]
        )
        self.history.setMinimumHeight(120)
        self.history.setAlternatingRowColors(True)
        lay.addWidget(self.history)
        return box

    def show_history(self) -> None:
        """The row's audit trail, newest first: who changed what, when, old → new."""
        self.history.clear()
        if self.detail is None:
            return
        with self.db.begin() as s:
            entries = catalog.row_history(s, self.detail.key)
        for e in entries:
            year = (
                ""
                if e.year is None
                else (str(e.year) if e.year < 10000 else f"{e.year // 10} S{e.year % 10}")
            )
            label = HISTORY_FIELDS.get(e.field, e.field)
            if e.action == "batal-usulan-target":
                label = tr("Target (usulan dibatalkan)")
            item = QTreeWidgetItem(
                [
                    e.at.strftime("%d-%m-%Y %H:%M:%S"),
                    # An imported value names the file it came with, not only who imported.
                    f"{e.user} ({e.action})" if e.action.startswith("impor") else e.user,
                    year,
                    label,
                    _history_value(e.old),
                    _history_value(e.new),
                ]
            )
            for col in (4, 5):
                item.setToolTip(col, item.text(col))
            self.history.addTopLevelItem(item)
        for col in range(4):
            self.history.resizeColumnToContents(col)

    def _build_targets(self, detail: RowDetail) -> None:
        """One block per plan year: the official target and the proposal beside it."""
        if [*detail.targets] == self._years and self.target_blocks:
            return  # same years as the last row: reuse the widgets (keeps tab order)
        while self.targets_grid.count():
            item = self.targets_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.target_blocks = {}
        self._years = [*detail.targets]
        row = 0
        for year in self._years:
            head = QLabel(f"<b>{year}</b>")
            head.setAlignment(Qt.AlignmentFlag.AlignTop)
            official = _value_label()
            official.setObjectName(f"target-{year}-official")
            numbers = QLabel()
            numbers.setObjectName("muted")
            self.targets_grid.addWidget(head, row, 0, 2, 1)
            self.targets_grid.addWidget(official, row, 1, 1, 5)
            self.targets_grid.addWidget(numbers, row + 1, 1, 1, 5)
            text = QLineEdit()
            text.setObjectName(f"target-{year}-text")
            text.setPlaceholderText(tr("Usulan perubahan target (kosongkan bila tetap)"))
            edits = {}
            prop_label = QLabel(tr("Usulan:"))
            prop_label.setBuddy(text)
            self.targets_grid.addWidget(prop_label, row + 2, 0)
            self.targets_grid.addWidget(text, row + 2, 1, 1, 5)
            captions = {"total": tr("Total"), "male": "L", "female": "P", "disabled": "Dis."}
            line = QHBoxLayout()
            for name in PARTS:
                edit = _number_edit(f"target-{year}-{name}", 60)
                edit.setPlaceholderText(captions[name])
                edit.setToolTip(
                    {
                        "total": tr("Total target usulan"),
                        "male": tr("Laki-laki"),
                        "female": tr("Perempuan"),
                        "disabled": tr("Disabilitas"),
                    }[name]
                )
                edits[name] = edit
                line.addWidget(edit)
            holder = QWidget()
            holder.setLayout(line)
            line.setContentsMargins(0, 0, 0, 0)
            self.targets_grid.addWidget(holder, row + 3, 1, 1, 5)
            error = QLabel()
            error.setObjectName("error")
            error.setWordWrap(True)
            error.hide()
            self.targets_grid.addWidget(error, row + 4, 1, 1, 5)
            block = _TargetBlock(year, official, numbers, text, edits, error)
            for w in block.fields():
                assert isinstance(w, QLineEdit)
                w.editingFinished.connect(lambda b=block, w=w: self._target_finished(b, w))
                w.returnPressed.connect(lambda b=block: self._commit_target(b))
            self.target_blocks[year] = block
            if year != self._years[-1]:
                sep = QFrame()
                sep.setFrameShape(QFrame.Shape.HLine)
                sep.setObjectName("muted")
                self.targets_grid.addWidget(sep, row + 5, 0, 1, 6)
            row += 6

    # --- loading -------------------------------------------------------------------------

    def load(self, row_id: int | None, year: int) -> None:
        """Show a row (``None``: nothing) for a year, dropping anything not yet saved."""
        self.row_id, self.year = row_id, year
        self.session += 1
        self.real_box.setTitle(tr("Realisasi tahun {y}").replace("{y}", str(year)))
        if row_id is None:
            self.detail = None
            self._saved_real = None
            self.title.setText(tr("Pilih baris di pohon untuk melihat dan mengisi realisasinya."))
            self.indicator.clear()
            self.subtitle.clear()
            self.unsigned_label.hide()
            for edit in self._all_fields():
                edit.setText("")  # type: ignore[attr-defined]
            self._clear_errors()
            self._set_editable(False)
            self.show_links()
            self.history.clear()
            return
        with self.db.begin() as s:
            detail = catalog.row_detail(s, row_id)
            real = entry.get_realisation(s, row_id, year)
            source = provenance.source_info(s, detail.plan_code, detail.opd_code, year)
        self.detail = detail
        if source is not None and source.state == provenance.UNSIGNED:
            self.unsigned_label.setText(
                tr("Data dari berkas isian TANPA tanda tangan elektronik (diterima {d})").replace(
                    "{d}", f"{source.received_at:%d-%m-%Y}"
                )
            )
            self.unsigned_label.show()
        else:
            self.unsigned_label.hide()
        self._saved_real = real
        # Named as in the tree (aktivitas), with the indikator the figures answer to.
        self.title.setText(detail.aktivitas or detail.indikator or tr("(tanpa uraian)"))
        self.indicator.setText(
            tr("Indikator: {i}").replace("{i}", detail.indikator) if detail.indikator else ""
        )
        self.subtitle.setText(
            f"{detail.opd_name} · {tr('Satuan')}: {detail.satuan or '–'} · "
            + tr(POLARITY_LABELS.get(detail.polarity, detail.polarity))
        )
        for lvl in LEVEL_LABELS:
            self.official[lvl].setText(detail.path.get(lvl, "–"))
        self.official["opd"].setText(detail.opd_name)
        for name in ("aktivitas", "indikator", "satuan", "keterangan"):
            self.official[name].setText(getattr(detail, name) or "–")
        self.official["polarity"].setText(tr(POLARITY_LABELS.get(detail.polarity, detail.polarity)))
        self._show_realisation(real)
        self._build_targets(detail)
        for y, block in self.target_blocks.items():
            self._show_target(block, detail.targets.get(y))
        self._clear_errors()
        self._set_editable(True)
        self._preview()
        self.show_links()
        self.show_history()

    def _show_realisation(self, real: RealisationValues | None) -> None:
        texts = (real or RealisationValues()).texts()
        b = real.breakdown if real else Breakdown()
        # A total that only repeats the sum of the parts is shown as "automatic", so
        # changing a part later does not clash with a total typed by nobody.
        auto_total = b.has_parts and b.total == b.parts_sum
        for name, edit in self.real_edits.items():
            edit.setText("" if name == "total" and auto_total else texts[name])
        self.evidence.setText(texts["evidence"])
        self.note.setText(texts["note"])

    def _show_target(self, block: _TargetBlock, info: catalog.TargetInfo | None) -> None:
        if info is None:
            block.official.setText(tr("(tidak ada target untuk tahun ini)"))
            block.official_numbers.setText("")
            block.saved = None
            for w in block.fields():
                w.setText("")  # type: ignore[attr-defined]
            return
        block.official.setText(tr("Resmi: ") + (info.text or "–"))
        block.official_numbers.setText(breakdown_text(info.official))
        if info.proposed:
            block.saved = (info.proposed_text or "", info.proposed_breakdown)
            block.text.setText(info.proposed_text or "")
            pb = info.proposed_breakdown
            auto = pb.has_parts and pb.total == pb.parts_sum
            for name, edit in block.edits.items():
                edit.setText("" if name == "total" and auto else format_number(getattr(pb, name)))
        else:
            block.saved = None
            for w in block.fields():
                w.setText("")  # type: ignore[attr-defined]
        self._mark_proposed(block)

    def _mark_proposed(self, block: _TargetBlock) -> None:
        font = block.official.font()
        font.setStrikeOut(block.saved is not None)
        block.official.setFont(font)
        block.official.setToolTip(
            tr("Target diusulkan berubah; target resmi tetap tercatat.")
            if block.saved is not None
            else ""
        )

    def _all_fields(self) -> list[QWidget]:
        fields: list[QWidget] = [*self.real_edits.values(), self.evidence, self.note]
        for block in self.target_blocks.values():
            fields.extend(block.fields())
        return fields

    def _set_editable(self, on: bool) -> None:
        for w in self._all_fields():
            w.setEnabled(on)

    def focus_first(self) -> None:
        """Where Enter in the tree lands: the realisation total."""
        if self.row_id is not None:
            self.real_edits["total"].setFocus(Qt.FocusReason.OtherFocusReason)
            self.real_edits["total"].selectAll()

    def focus_error(self) -> None:
        """Put the cursor in the first refused field, so it can be fixed at once."""
        for w in self._all_fields():
            if w.property("invalid"):
                w.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    # --- errors --------------------------------------------------------------------------

    def _clear_errors(self) -> None:
        for w in self._all_fields():
            _set_invalid(w, False)
        self.real_error.hide()
        self.real_error.clear()
        for block in self.target_blocks.values():
            block.error.hide()
            block.error.clear()

    def _show_error(self, label: QLabel, widget: QWidget, message: str) -> None:
        label.setText(message)
        label.show()
        _set_invalid(widget, True)

    @property
    def has_error(self) -> bool:
        """A refused value is still in a field (shown in red, not saved)."""
        return any(bool(w.property("invalid")) for w in self._all_fields())

    def error_text(self) -> str:
        texts = [self.real_error.text()] + [b.error.text() for b in self.target_blocks.values()]
        return "\n".join(t for t in texts if t)

    # --- realisation ---------------------------------------------------------------------

    def _real_texts(self) -> dict[str, str]:
        texts = {name: edit.text() for name, edit in self.real_edits.items()}
        texts["evidence"] = self.evidence.text()
        texts["note"] = self.note.text()
        return texts

    def _focus_within(self, widgets: Sequence[QWidget]) -> bool:
        focus = QApplication.focusWidget()
        return focus is not None and any(focus is w for w in widgets)

    def _real_finished(self, name: str) -> None:
        # Typing a total and then its parts passes through sums that do not add up yet;
        # while the focus stays among the four figures, that is not worth a red alarm.
        parts = [self.real_edits[p] for p in PARTS]
        lenient = name in PARTS and not self.real_edits[name].hasFocus()
        self._commit_realisation(lenient=lenient and self._focus_within(parts))

    def _commit_realisation(self, lenient: bool = False) -> bool:
        """Save the realisation when it changed; ``False`` when a value was refused."""
        if self.row_id is None or self.year is None:
            return True
        try:
            values = parse_realisation(self._real_texts())
        except FormError as exc:
            for w in [*self.real_edits.values(), self.evidence, self.note]:
                _set_invalid(w, False)
            if lenient and str(exc).startswith(MISMATCH):
                self.real_error.hide()
                return False
            widget = self.real_edits.get(exc.field) or (
                self.evidence if exc.field == "evidence" else self.note
            )
            self._show_error(self.real_error, widget, str(exc))
            return False
        for w in [*self.real_edits.values(), self.evidence, self.note]:
            _set_invalid(w, False)
        self.real_error.hide()
        new = None if values.is_empty else values
        if new == self._saved_real:
            return True
        old = self.write_realisation(self.row_id, self.year, new)
        if old is _FAILED:
            return False
        self.undo_stack.push(
            _RealisationCommand(self, self.row_id, self.year, old, new)  # type: ignore[arg-type]
        )
        return True

    def write_realisation(
        self, row_id: int, year: int, values: RealisationValues | None, *, reveal: bool = False
    ) -> RealisationValues | object | None:
        """Store through ``entry`` (audited); returns the previous values or ``_FAILED``."""
        try:
            old = entry.save_realisation(
                self.db, row_id, year, values, self.user, opd_id=self.opd_id
            )
        except (entry.EntryError, BreakdownError) as exc:
            self.real_error.setText(str(exc))
            self.real_error.show()
            return _FAILED
        if row_id == self.row_id and year == self.year:
            self._saved_real = values
            if reveal:
                self._show_realisation(values)
                self._clear_errors()
        self._stamp()
        self.saved.emit(row_id, year)
        if reveal:
            self.revealRequested.emit(row_id, year)
        self._preview()
        return old

    def _stamp(self) -> None:
        self.show_history()
        self.saved_label.setText(
            tr("Tersimpan {t}").replace("{t}", datetime.now().strftime("%H:%M:%S"))
        )

    def _effective_target(self) -> Decimal | None:
        if self.detail is None or self.year is None:
            return None
        info = self.detail.targets.get(self.year)
        return info.effective.effective_total if info else None

    def _preview(self) -> None:
        """Capaian and serapan from what is typed now (updated as the user types)."""
        if self.detail is None:
            self.achievement.setText("–")
            self.absorption.setText("–")
            return
        try:
            values = parse_realisation(self._real_texts())
        except FormError:
            return  # keep the last good figures; the error shows when the field is left
        total = values.breakdown.effective_total
        auto = values.breakdown.has_parts and not self.real_edits["total"].text().strip()
        self.real_edits["total"].setPlaceholderText(
            tr("otomatis: {n}").replace("{n}", format_number(total)) if auto else ""
        )
        pct = achievement(self._effective_target(), total, self.detail.polarity)
        b = band(pct)
        self.achievement.setText(format_percent(pct) or "–")
        self.achievement.setToolTip(BAND_LABELS[b])
        colours = BAND_COLOURS.get(b)
        self.achievement.setStyleSheet(
            f"color: {colours[0]}; background: {colours[1]}; padding: 1px 6px; font-weight: bold;"
            if colours
            else ""
        )
        self.achievement.setProperty("band", b.value)
        self.absorption.setText(format_percent(absorption(values.budget, values.spending)) or "–")

    # --- target proposals ----------------------------------------------------------------

    def _target_finished(self, block: _TargetBlock, widget: QLineEdit) -> None:
        lenient = not widget.hasFocus() and self._focus_within(block.fields())
        self._commit_target(block, lenient=lenient)

    def _commit_target(self, block: _TargetBlock, lenient: bool = False) -> bool:
        if self.row_id is None:
            return True
        texts = {name: edit.text() for name, edit in block.edits.items()}
        text = block.text.text().strip()
        for w in block.fields():
            _set_invalid(w, False)
        block.error.hide()
        new: Proposal | None
        if not text and not any(t.strip() for t in texts.values()):
            new = None  # everything cleared: the official target applies again
        else:
            try:
                bd = Breakdown.from_texts(
                    texts["total"], texts["male"], texts["female"], texts["disabled"]
                ).completed()
            except BreakdownError as exc:
                if lenient and str(exc).startswith(MISMATCH):
                    return False
                self._show_error(block.error, block.edits[exc.field or "total"], str(exc))
                return False
            new = (text, bd)
        if new == block.saved:
            return True
        old = self.write_target(self.row_id, block.year, new)
        if old is _FAILED:
            return False
        self.undo_stack.push(
            _TargetCommand(self, self.row_id, block.year, old, new)  # type: ignore[arg-type]
        )
        return True

    def write_target(
        self, row_id: int, year: int, proposal: Proposal | None, *, reveal: bool = False
    ) -> Proposal | object | None:
        """Propose (``None``: withdraw) through ``entry``; the previous proposal or ``_FAILED``."""
        text, bd = proposal if proposal is not None else (None, None)
        block = self.target_blocks.get(year)
        try:
            old_text, old_bd = entry.propose_target(
                self.db, row_id, year, text, bd, self.user, opd_id=self.opd_id
            )
        except (entry.EntryError, BreakdownError) as exc:
            if block is not None:
                block.error.setText(str(exc))
                block.error.show()
            return _FAILED
        if row_id == self.row_id:
            with self.db.begin() as s:
                self.detail = catalog.row_detail(s, row_id)
            if block is not None:
                if reveal:
                    self._show_target(block, self.detail.targets.get(year))
                else:
                    block.saved = proposal
                    self._mark_proposed(block)
        self._stamp()
        self.saved.emit(row_id, year)
        if reveal:
            self.revealRequested.emit(row_id, year)
        self._preview()
        return None if old_bd is None else (old_text or "", old_bd)

    # --- the whole form --------------------------------------------------------------------

    def commit(self) -> bool:
        """Save whatever is pending (before switching rows); ``False`` if a value is refused."""
        if self.row_id is None:
            return True
        ok = self._commit_realisation()
        for block in self.target_blocks.values():
            ok = self._commit_target(block) and ok
        return ok


_FAILED = object()


class _RealisationCommand(QUndoCommand):
    """Undo/redo of one realisation save; both directions go through ``save_realisation``."""

    def __init__(
        self,
        form: RowForm,
        row_id: int,
        year: int,
        old: RealisationValues | None,
        new: RealisationValues | None,
    ) -> None:
        super().__init__(tr("Realisasi {y}").replace("{y}", str(year)))
        self.form, self.row_id, self.year, self.old, self.new = form, row_id, year, old, new
        self._first = True

    def redo(self) -> None:
        if self._first:  # written already when the user left the field
            self._first = False
            return
        self.form.write_realisation(self.row_id, self.year, self.new, reveal=True)

    def undo(self) -> None:
        self.form.write_realisation(self.row_id, self.year, self.old, reveal=True)


class _TargetCommand(QUndoCommand):
    """Undo/redo of a target proposal (or its withdrawal) through ``propose_target``.

    A proposal is typed over several fields (text, total, L, P, disabilitas), each saved
    as it is left; consecutive saves of one row's year merge, so Urungkan takes back the
    proposal as the user thinks of it, not one field of it.
    """

    ID = 1001

    def __init__(
        self,
        form: RowForm,
        row_id: int,
        year: int,
        old: Proposal | None,
        new: Proposal | None,
    ) -> None:
        super().__init__(tr("Usulan target {y}").replace("{y}", str(year)))
        self.form, self.row_id, self.year, self.old, self.new = form, row_id, year, old, new
        self.session = form.session  # merge only edits made while the row stayed open
        self._first = True

    def id(self) -> int:
        return self.ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _TargetCommand) or (other.row_id, other.year, other.session) != (
            self.row_id,
            self.year,
            self.session,
        ):
            return False
        self.new = other.new
        self.setObsolete(self.new == self.old)  # back where it started: nothing to undo
        return True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self.form.write_target(self.row_id, self.year, self.new, reveal=True)

    def undo(self) -> None:
        self.form.write_target(self.row_id, self.year, self.old, reveal=True)
