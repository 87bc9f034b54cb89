"""The row form's realisation section: the year's figures, budget, evidence and note.

It shows values and what is typed, and says through its signals when a field was left
or confirmed; the form decides whether that is a save. Capaian and serapan are
previewed from what is typed, before anything is stored.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from app.domain.achievement import absorption, achievement, band
from app.domain.breakdown import Breakdown
from app.domain.numbers import format_number, format_percent
from app.domain.plausibility import warnings
from app.domain.realisation import FormError, RealisationValues, parse_realisation
from app.ui.plan_model import BAND_COLOURS, BAND_LABELS
from app.ui.row_fields import PARTS, TextField, error_label, number_edit, set_invalid


def tr(text: str) -> str:
    return QCoreApplication.translate("RowForm", text)


class RealisationSection(QGroupBox):
    """The "Realisasi tahun …" box of the row form."""

    fieldFinished = Signal(str)  # a figure's name: its field was left
    commitRequested = Signal()  # Enter in a figure, or the evidence/note was left
    edited = Signal()  # a figure's text changed: time to update the preview

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Realisasi"), parent)
        grid = QGridLayout(self)
        self.edits: dict[str, QLineEdit] = {}
        labels = {
            "total": tr("Total"),
            "male": tr("Laki-laki"),
            "female": tr("Perempuan"),
            "disabled": tr("Disabilitas"),
        }
        for col, name in enumerate(PARTS):
            edit = number_edit(f"real-{name}")
            lab = QLabel(labels[name])
            lab.setBuddy(edit)
            grid.addWidget(lab, 0, col)
            grid.addWidget(edit, 1, col)
            self.edits[name] = edit
        self.edits["total"].setToolTip(
            tr("Kosongkan bila sama dengan jumlah laki-laki + perempuan + disabilitas.")
        )
        for col, (name, label) in enumerate(
            (("budget", tr("Pagu anggaran (Rp)")), ("spending", tr("Realisasi anggaran (Rp)")))
        ):
            edit = number_edit(f"real-{name}", 140)
            lab = QLabel(label)
            lab.setBuddy(edit)
            grid.addWidget(lab, 2, col * 2, 1, 2)
            grid.addWidget(edit, 3, col * 2, 1, 2)
            self.edits[name] = edit
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
        self.error = error_label()
        grid.addWidget(self.error, 9, 0, 1, 4)
        # Allowed but unlikely figures (domain.plausibility): amber, never blocking.
        self.warning = QLabel()
        self.warning.setObjectName("plausibility")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #8a4b00; background: #fff4e0; padding: 3px 6px;")
        self.warning.hide()
        grid.addWidget(self.warning, 10, 0, 1, 4)

        for name, edit in self.edits.items():
            edit.editingFinished.connect(lambda n=name: self.fieldFinished.emit(n))
            edit.returnPressed.connect(lambda: self.commitRequested.emit())
            edit.textChanged.connect(lambda _text: self.edited.emit())
        for widget in (self.evidence, self.note):
            widget.editingFinished.connect(lambda: self.commitRequested.emit())

    def set_year(self, year: int) -> None:
        self.setTitle(tr("Realisasi tahun {y}").replace("{y}", str(year)))

    def fields(self) -> list[QWidget]:
        return [*self.edits.values(), self.evidence, self.note]

    def texts(self) -> dict[str, str]:
        texts = {name: edit.text() for name, edit in self.edits.items()}
        texts["evidence"] = self.evidence.text()
        texts["note"] = self.note.text()
        return texts

    def show_values(self, real: RealisationValues | None) -> None:
        texts = (real or RealisationValues()).texts()
        b = real.breakdown if real else Breakdown()
        # A total that only repeats the sum of the parts is shown as "automatic", so
        # changing a part later does not clash with a total typed by nobody.
        auto_total = b.has_parts and b.total == b.parts_sum
        for name, edit in self.edits.items():
            edit.setText("" if name == "total" and auto_total else texts[name])
        self.evidence.setText(texts["evidence"])
        self.note.setText(texts["note"])

    def field(self, name: str | None) -> QWidget:
        """The input a ``FormError.field`` names (the note when it names none of them)."""
        if name is not None and name in self.edits:
            return self.edits[name]
        return self.evidence if name == "evidence" else self.note

    def clear_error(self) -> None:
        for w in self.fields():
            set_invalid(w, False)
        self.error.hide()

    def show_error(self, widget: QWidget | None, message: str) -> None:
        """Say why a value was refused; ``widget`` (if any) is marked red."""
        self.error.setText(message)
        self.error.show()
        if widget is not None:
            set_invalid(widget, True)

    def clear_preview(self) -> None:
        self.achievement.setText("–")
        self.absorption.setText("–")
        self.warning.clear()
        self.warning.hide()

    def preview(
        self, target: Decimal | None, polarity: str, counted_unit: str | None = None
    ) -> None:
        """Capaian and serapan from what is typed now (updated as the user types)."""
        try:
            values = parse_realisation(self.texts(), counted_unit=counted_unit)
        except FormError:
            return  # keep the last good figures; the error shows when the field is left
        total = values.breakdown.effective_total
        auto = values.breakdown.has_parts and not self.edits["total"].text().strip()
        self.edits["total"].setPlaceholderText(
            tr("otomatis: {n}").replace("{n}", format_number(total)) if auto else ""
        )
        pct = achievement(target, total, polarity)
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
        notes = warnings(pct, values.budget, values.spending)
        self.warning.setText("\n".join("⚠ " + n for n in notes))
        self.warning.setVisible(bool(notes))
