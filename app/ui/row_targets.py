"""The row form's targets section: per plan year, the official target and a proposal.

One block per year shows the target as the document states it and, beside it, the
inputs of a proposed change. The section says through its signals when a proposal's
field was left or confirmed; the form decides whether that is a save.

Only the year being filled in has its proposal inputs open: three years of empty
inputs pushed the realisation's neighbours off a laptop screen, and proposals for
other years are rare. A year with a stored proposal or a refused value is always open.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from app.domain.breakdown import Breakdown
from app.domain.numbers import format_number
from app.services.catalog import TargetInfo
from app.ui.row_fields import PARTS, breakdown_text, error_label, number_edit, value_label

Proposal = tuple[str, Breakdown]


def tr(text: str) -> str:
    return QCoreApplication.translate("RowForm", text)


@dataclass
class TargetBlock:
    """The widgets of one year's target: the official figures and the proposal inputs."""

    year: int
    official: QLabel
    official_numbers: QLabel
    text: QLineEdit
    edits: dict[str, QLineEdit]
    error: QLabel
    toggle: QToolButton  # folds the proposal inputs away (other years than the one filled)
    inputs: list[QWidget]  # what the toggle hides: the proposal's label, text and numbers
    saved: Proposal | None = None  # the proposal as stored

    def fields(self) -> list[QWidget]:
        return [self.text, *self.edits.values()]

    @property
    def is_open(self) -> bool:
        return self.toggle.isChecked()

    def set_open(self, on: bool) -> None:
        self.toggle.setChecked(on)  # toggled → _apply_open

    def _apply_open(self, on: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.toggle.setText(
            tr("Usulan perubahan target {y}") if on else tr("Usulkan perubahan target {y}…")
        )
        self.toggle.setText(self.toggle.text().replace("{y}", str(self.year)))
        for w in self.inputs:
            w.setVisible(on)

    def fail(self, message: str) -> None:
        """Show a refusal under the inputs, opening them so it can be fixed."""
        self.set_open(True)
        self.error.setText(message)
        self.error.show()

    def show(self, info: TargetInfo | None) -> None:
        """The stored target and proposal of the year (``None``: the year has no target)."""
        if info is None:
            self.official.setText(tr("(tidak ada target untuk tahun ini)"))
            self.official_numbers.setText("")
            self.saved = None
            for w in self.fields():
                w.setText("")  # type: ignore[attr-defined]
            return
        self.official.setText(tr("Resmi: ") + (info.text or "–"))
        self.official_numbers.setText(breakdown_text(info.official))
        if info.proposed:
            self.saved = (info.proposed_text or "", info.proposed_breakdown)
            self.text.setText(info.proposed_text or "")
            self.set_open(True)  # a stored proposal is never folded out of sight
            pb = info.proposed_breakdown
            auto = pb.has_parts and pb.total == pb.parts_sum
            for name, edit in self.edits.items():
                edit.setText("" if name == "total" and auto else format_number(getattr(pb, name)))
        else:
            self.saved = None
            for w in self.fields():
                w.setText("")  # type: ignore[attr-defined]
        self.mark_proposed()

    def mark_proposed(self) -> None:
        font = self.official.font()
        font.setStrikeOut(self.saved is not None)
        self.official.setFont(font)
        self.official.setToolTip(
            tr("Target diusulkan berubah; target resmi tetap tercatat.")
            if self.saved is not None
            else ""
        )


class TargetsSection(QGroupBox):
    """The "Target per tahun" box: one :class:`TargetBlock` per plan year."""

    fieldFinished = Signal(object, object)  # TargetBlock, the QLineEdit that was left
    commitRequested = Signal(object)  # TargetBlock whose field got Enter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Target per tahun"), parent)
        self.grid = QGridLayout(self)
        self.grid.setColumnStretch(1, 1)
        self.blocks: dict[int, TargetBlock] = {}
        self._years: list[int] = []

    def build(self, years: list[int]) -> None:
        """One block per plan year: the official target and the proposal beside it."""
        if years == self._years and self.blocks:
            return  # same years as the last row: reuse the widgets (keeps tab order)
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.blocks = {}
        self._years = list(years)
        row = 0
        for year in self._years:
            head = QLabel(f"<b>{year}</b>")
            head.setAlignment(Qt.AlignmentFlag.AlignTop)
            official = value_label()
            official.setObjectName(f"target-{year}-official")
            numbers = QLabel()
            numbers.setObjectName("muted")
            self.grid.addWidget(head, row, 0, 2, 1)
            self.grid.addWidget(official, row, 1, 1, 5)
            self.grid.addWidget(numbers, row + 1, 1, 1, 5)
            text = QLineEdit()
            text.setObjectName(f"target-{year}-text")
            text.setPlaceholderText(tr("Usulan perubahan target (kosongkan bila tetap)"))
            edits = {}
            toggle = QToolButton()
            toggle.setObjectName(f"target-{year}-toggle")
            toggle.setCheckable(True)
            toggle.setAutoRaise(True)
            toggle.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab, then Space opens it
            toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            self.grid.addWidget(toggle, row + 2, 1, 1, 5, Qt.AlignmentFlag.AlignLeft)
            prop_label = QLabel(tr("Usulan:"))
            prop_label.setBuddy(text)
            row += 1  # the toggle's line
            self.grid.addWidget(prop_label, row + 2, 0)
            self.grid.addWidget(text, row + 2, 1, 1, 5)
            captions = {"total": tr("Total"), "male": "L", "female": "P", "disabled": "Dis."}
            line = QHBoxLayout()
            for name in PARTS:
                edit = number_edit(f"target-{year}-{name}", 60)
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
            self.grid.addWidget(holder, row + 3, 1, 1, 5)
            error = error_label()
            self.grid.addWidget(error, row + 4, 1, 1, 5)
            block = TargetBlock(
                year, official, numbers, text, edits, error, toggle, [prop_label, text, holder]
            )
            toggle.toggled.connect(block._apply_open)
            block._apply_open(False)
            for w in block.fields():
                assert isinstance(w, QLineEdit)
                w.editingFinished.connect(lambda b=block, w=w: self.fieldFinished.emit(b, w))
                w.returnPressed.connect(lambda b=block: self.commitRequested.emit(b))
            self.blocks[year] = block
            if year != self._years[-1]:
                sep = QFrame()
                sep.setFrameShape(QFrame.Shape.HLine)
                sep.setObjectName("muted")
                self.grid.addWidget(sep, row + 5, 0, 1, 6)
            row += 6

    def fields(self) -> list[QWidget]:
        return [w for block in self.blocks.values() for w in block.fields()]

    def fold(self, year: int) -> None:
        """Open the proposal of ``year`` (the one being filled) and of any year holding a
        stored proposal; fold the others away (a click or Space opens them)."""
        for y, block in self.blocks.items():
            block.set_open(y == year or block.saved is not None)
