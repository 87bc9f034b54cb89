"""The line above the tree that says what is left for the year, each part a link.

"Belum diisi 2024: 12 baris · 3 kegiatan tanpa instrumen ARG": a focal point reads what
still stands between them and a complete submission, and one click (or Tab and Enter)
narrows the tree to exactly those rows. The counts come from ``services.remaining``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from app.domain.numbers import format_number
from app.services.remaining import Remaining

UNFILLED = "unfilled"
NO_ARG = "no-arg"


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class RemainingLine(QLabel):
    """Two links: the unfilled rows and the kegiatan without an ARG checklist."""

    unfilledRequested = Signal()
    noArgRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("remaining")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setContentsMargins(2, 2, 2, 2)
        self.linkActivated.connect(self._link)
        self.plain = ""  # the line without markup, for the accessible name and tests

    def show_remaining(self, left: Remaining | None) -> None:
        if left is None:
            self.clear()
            return
        if left.rows and not left.unfilled and not left.without_arg:
            self.plain = (
                tr("Tahun {y}: semua {n} baris terisi dan semua kegiatan berinstrumen ARG")
                .replace("{y}", str(left.year))
                .replace("{n}", format_number(left.rows))
            )
            self.setText(f"✔ {self.plain}")
            self.setAccessibleName(self.plain)
            return
        rows = (
            tr("Belum diisi {y}: {n} baris")
            .replace("{y}", str(left.year))
            .replace("{n}", format_number(left.unfilled))
        )
        arg = tr("{m} kegiatan tanpa instrumen ARG").replace(
            "{m}", format_number(left.kegiatan_without_arg)
        )
        self.plain = f"{rows} · {arg}"
        self.setText(f'<a href="{UNFILLED}">{rows}</a> · <a href="{NO_ARG}">{arg}</a>')
        self.setAccessibleName(self.plain)
        self.setToolTip(tr("Klik untuk menampilkan baris atau kegiatan tersebut di pohon"))

    def _link(self, href: str) -> None:
        if href == UNFILLED:
            self.unfilledRequested.emit()
        elif href == NO_ARG:
            self.noArgRequested.emit()
