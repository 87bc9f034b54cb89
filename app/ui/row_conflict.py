"""The banner of a save that lost to another person's (two Pokja members on one server).

It says who changed the data and when, and offers "Muat ulang". The form keeps the
typed text in its fields until the user reloads; after the reload the banner lists what
was typed and not saved, with a button that puts it back into the fields, so nothing
typed is lost and nothing is saved over the other person's work without being seen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

CONFLICT_STYLE = (
    " QFrame#conflict { background: #fdecea; border: 1px solid #b3261e; border-radius: 3px; }"
    " QFrame#conflict QLabel { color: #5f1410; }"
)


# A form's value the banner can give back after "Muat ulang": the value, the text that
# names it in the banner, and how to put it back into the form.
Typed = tuple[Any, str, Callable[[Any], None]]


def typed_values(fields: Mapping[str, Typed]) -> dict[str, Any]:
    """The values alone of a form's ``fields``: what it shows, to compare after a reload."""
    return {k: value for k, (value, _line, _put) in fields.items()}


def tr(text: str) -> str:
    return QCoreApplication.translate("ConflictBanner", text)


class ConflictBanner(QFrame):
    """Hidden until a save is refused because someone else saved first."""

    reloadRequested = Signal()
    restoreRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflict")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        self.message = QLabel()
        self.message.setObjectName("conflictMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.reload_button = QPushButton(tr("Muat ulang"))
        self.reload_button.setObjectName("reload")
        self.reload_button.clicked.connect(self.reloadRequested)
        self.restore_button = QPushButton(tr("Salin isian saya ke formulir"))
        self.restore_button.setObjectName("restore")
        self.restore_button.clicked.connect(self.restoreRequested)
        buttons.addWidget(self.reload_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self._kept: dict[str, Typed] = {}
        self.hide()

    @property
    def refused(self) -> bool:
        """A refused save is waiting for "Muat ulang" (its text is what to tell the user)."""
        return not self.isHidden() and not self.reload_button.isHidden()

    def show_conflict(self, message: str) -> None:
        self.message.setText(message)
        self.reload_button.show()
        self.restore_button.hide()
        self.show()

    def show_kept(self, lines: list[str]) -> None:
        """After the reload: the other person's values are in the form; ``lines`` are the
        user's own typed values that were not saved (nothing to list: the banner goes)."""
        if not lines:
            self.hide()
            return
        self.message.setText(
            tr(
                "Data terbaru sudah dimuat. Isian Anda yang belum tersimpan: {v}. Salin ke "
                "formulir bila masih perlu, periksa, lalu simpan."
            ).replace("{v}", "; ".join(lines))
        )
        self.reload_button.hide()
        self.restore_button.show()
        self.show()

    def offer_unsaved(
        self, before: Mapping[str, Typed], shown: Mapping[str, Any], now: Mapping[str, Any]
    ) -> None:
        """After the reload: keep and list the values of ``before`` (the form before it)
        that the user changed from what the form had ``shown`` and that differ from what
        is stored ``now``; the restore button puts them back (:meth:`put_back`)."""
        self._kept = {
            k: t for k, t in before.items() if t[0] != shown.get(k) and t[0] != now.get(k)
        }
        self.show_kept([f"{k}: {line}" for k, (_v, line, _put) in self._kept.items()])

    def put_back(self) -> None:
        """Put the kept values back into the form, to check and save again."""
        for value, _line, put in self._kept.values():
            put(value)
        self._kept = {}
        self.hide()


__all__ = ["CONFLICT_STYLE", "ConflictBanner", "Typed", "typed_values"]
