"""Small pieces the row form's sections share: a multi-line text field that says when
editing finished, right-aligned number inputs, read-only value labels, the red mark of
a refused value, and the one-line text of a breakdown."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPlainTextEdit, QSizePolicy, QWidget

from app.domain.breakdown import Breakdown
from app.domain.numbers import format_number

PARTS = ("total", "male", "female", "disabled")
MISMATCH = "Rincian tidak sesuai"  # start of Breakdown.validate's sum message


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


def number_edit(name: str, width: int = 90) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setAlignment(Qt.AlignmentFlag.AlignRight)
    edit.setMinimumWidth(width)
    return edit


def value_label(selectable: bool = True) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return label


def error_label() -> QLabel:
    """The red line under a group of fields that says why a value was refused."""
    label = QLabel()
    label.setObjectName("error")
    label.setWordWrap(True)
    label.hide()
    return label


def set_invalid(widget: QWidget, on: bool) -> None:
    if bool(widget.property("invalid")) == on:
        return
    widget.setProperty("invalid", on)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def focus_within(widgets: list[QWidget]) -> bool:
    """Whether the keyboard focus is on one of ``widgets`` (moving among related fields)."""
    focus = QApplication.focusWidget()
    return focus is not None and any(focus is w for w in widgets)


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
