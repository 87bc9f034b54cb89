"""The row form's read-mostly sections: the official text, the links to rows of other
plans, and the audit trail. Each shows what it is given; the links section asks for
linking and unlinking through its signals, and the form does the writing."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.achievement import Polarity
from app.domain.numbers import format_number
from app.domain.realisation import FIELD_LABELS as REALISATION_FIELDS
from app.services.catalog import LEVEL_LABELS, HistoryEntry, RowDetail
from app.services.links import LinkedRow
from app.services.plan_edit import ACTION as MATRIX_ACTION
from app.services.plan_edit import FIELD_LABELS as MATRIX_FIELDS
from app.services.plan_edit import UNDO_ACTION as MATRIX_UNDO
from app.services.plan_edit import split_reason
from app.ui.row_fields import value_label

POLARITY_LABELS = {
    Polarity.HIGHER.value: "Semakin tinggi semakin baik",
    Polarity.LOWER.value: "Semakin rendah semakin baik",
}
HISTORY_FIELDS = {**MATRIX_FIELDS, **REALISATION_FIELDS, "target": "Target"}
# A Pokja correction of an official value: amber, like a corrected signed figure.
MARKED_STYLE = "color: #5c3800; background: #fff4d6; border: 1px solid #b26a00; padding: 2px;"


def tr(text: str) -> str:
    return QCoreApplication.translate("RowForm", text)


class OfficialSection(QGroupBox):
    """The row as the official matrix states it (Tabel 4.2)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Uraian resmi (Tabel 4.2)"), parent)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.values: dict[str, QLabel] = {}
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
            value = value_label()
            value.setObjectName(f"official-{name}")
            self.values[name] = value
            form.addRow(label + ":", value)
        # Pokja's corrections of this row's official values (targets included) and its
        # retired state: hidden unless there is something to say.
        self.marks = QLabel()
        self.marks.setObjectName("official-marks")
        self.marks.setWordWrap(True)
        self.marks.setTextFormat(Qt.TextFormat.PlainText)
        self.marks.setStyleSheet(MARKED_STYLE)
        self.marks.hide()
        form.addRow(self.marks)

    def show_row(
        self, detail: RowDetail, marks: dict[str, str] | None = None, retired: bool = False
    ) -> None:
        """``marks``: field (``target:2023`` for a target) → the correction's line."""
        marks = marks or {}
        for lvl in LEVEL_LABELS:
            self.values[lvl].setText(detail.path.get(lvl, "–"))
        self.values["opd"].setText(detail.opd_name)
        for name in ("aktivitas", "indikator", "satuan", "keterangan"):
            self.values[name].setText(getattr(detail, name) or "–")
        self.values["polarity"].setText(tr(POLARITY_LABELS.get(detail.polarity, detail.polarity)))
        for name, value in self.values.items():
            key = "opd" if name == "opd" else name
            line = marks.get(key)
            value.setStyleSheet(MARKED_STYLE if line else "")
            value.setToolTip(line or "")
            if line:
                value.setText(value.text() + " ✱")
        lines = []
        if retired:
            lines.append(
                tr(
                    "Baris ini DIPENSIUNKAN dari matriks: tidak diminta lagi, tetapi "
                    "realisasi yang sudah ada tetap disimpan dan dilaporkan."
                )
            )
        for name, line in sorted(marks.items()):
            if name.startswith("target:"):
                year = name.split(":", 1)[1]
                target = detail.targets.get(int(year))
                text = target.text if target is not None else ""
                lines.append(f"✱ Target resmi {year}: {text or '–'}. {line}")
            else:
                label = HISTORY_FIELDS.get(name, name)
                lines.append(f"✱ {label}: {line}")
        self.marks.setText("\n".join(lines))
        self.marks.setVisible(bool(lines))


class LinksSection(QGroupBox):
    """The rows of other plans this one shares its realisations with."""

    linkRequested = Signal()
    unlinkRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Tautan ke rencana lain"), parent)
        lay = QVBoxLayout(self)
        self.label = QLabel()
        self.label.setObjectName("links")
        self.label.setWordWrap(True)
        lay.addWidget(self.label)
        buttons = QHBoxLayout()
        self.link_button = QPushButton(tr("&Tautkan dengan baris rencana lain…"))
        self.link_button.setObjectName("link")
        self.link_button.clicked.connect(lambda _checked=False: self.linkRequested.emit())
        self.unlink_button = QPushButton(tr("&Lepas tautan"))
        self.unlink_button.setObjectName("unlink")
        self.unlink_button.clicked.connect(lambda _checked=False: self.unlinkRequested.emit())
        buttons.addWidget(self.link_button)
        buttons.addWidget(self.unlink_button)
        buttons.addStretch(1)
        lay.addLayout(buttons)

    def show_links(self, links: list[LinkedRow], has_row: bool) -> None:
        if links:
            self.label.setText(
                tr("Realisasi baris ini juga berlaku untuk:")
                + "<br>"
                + "<br>".join(f"• <b>{link.plan_label}</b>: {link.title}" for link in links)
            )
        else:
            self.label.setText(
                tr(
                    "Belum ditautkan. Bila kegiatan ini juga ada di "
                    "rencana lain (misalnya Renstra), tautkan agar "
                    "realisasinya cukup diisi sekali."
                )
            )
        self.unlink_button.setEnabled(bool(links))
        self.link_button.setEnabled(has_row)

    def show_error(self, message: str) -> None:
        self.label.setText(f"<span style='color:#b3261e'>{message}</span>")


def history_value(value: str | None) -> str:
    """Audit values are exact decimal text ("1500000"); show them the Indonesian way."""
    if value is None or value == "":
        return "–"
    try:
        return format_number(Decimal(value))
    except ArithmeticError:
        return value


class HistorySection(QGroupBox):
    """The row's audit trail, newest first: who changed what, when, old → new."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Riwayat perubahan"), parent)
        lay = QVBoxLayout(self)
        self.history = QTreeWidget()
        self.history.setObjectName("history")
        self.history.setRootIsDecorated(False)
        self.history.setUniformRowHeights(True)
        self.history.setHeaderLabels(
            [
                tr("Waktu"),
                tr("Oleh"),
                tr("Tahun"),
                tr("Isian"),
                tr("Lama"),
                tr("Baru"),
                tr("Alasan"),
            ]
        )
        self.history.setMinimumHeight(120)
        self.history.setAlternatingRowColors(True)
        lay.addWidget(self.history)

    def clear(self) -> None:
        self.history.clear()

    def show_entries(self, entries: list[HistoryEntry]) -> None:
        self.history.clear()
        for e in entries:
            year = (
                ""
                if e.year is None
                else (str(e.year) if e.year < 10000 else f"{e.year // 10} S{e.year % 10}")
            )
            label = HISTORY_FIELDS.get(e.field, e.field)
            if e.action == "batal-usulan-target":
                label = tr("Target (usulan dibatalkan)")
            new, reason = e.new, ""
            if e.action in (MATRIX_ACTION, MATRIX_UNDO):
                # A matrix correction carries its reason in the entry (plan_edit).
                new, reason = split_reason(e.new)
                label += tr(" (koreksi matriks)" if e.action == MATRIX_ACTION else " (diurungkan)")
            item = QTreeWidgetItem(
                [
                    e.at.strftime("%d-%m-%Y %H:%M:%S"),
                    # An imported value names the file it came with, not only who imported.
                    f"{e.user} ({e.action})" if e.action.startswith("impor") else e.user,
                    year,
                    label,
                    history_value(e.old),
                    history_value(new),
                    reason,
                ]
            )
            for col in (4, 5, 6):
                item.setToolTip(col, item.text(col))
            self.history.addTopLevelItem(item)
        for col in range(4):
            self.history.resizeColumnToContents(col)
