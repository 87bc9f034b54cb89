"""The two pages of the PPRG editor: the GAP's nine steps and the GBS form.

Each field is a plain-text box with Qt's own undo (Ctrl+Z per field); Tab moves to the
next field so the whole form is reachable from the keyboard. The pages only show and
read values; saving, prompting and printing belong to :mod:`app.ui.pprg_dialog`.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.numbers import NumberError, format_number, format_rupiah
from app.domain.pprg import (
    GAP_STEPS,
    GBS_FIELDS,
    PREFILLED_STEPS,
    GapDocument,
    GbsComponent,
    GbsDocument,
    PprgError,
)
from app.domain.rupiah import parse_rupiah

# What each step asks, in the guidance's words (short): the heading above its fields.
STEP_GUIDES = {
    1: "Pilih kebijakan/program/kegiatan yang dianalisis dan tuliskan tujuannya",
    2: "Data pembuka wawasan: data terpilah menurut jenis kelamin (L / P / disabilitas)",
    3: "Faktor kesenjangan gender: akses, partisipasi, kontrol dan manfaat",
    4: "Sebab kesenjangan internal (di dalam instansi/program)",
    5: "Sebab kesenjangan eksternal (di luar instansi)",
    6: "Reformulasi tujuan agar responsif gender",
    7: "Rencana aksi: kegiatan untuk mengatasi kesenjangan (satu baris satu aksi)",
    8: "Basis data (baseline) sebelum rencana aksi",
    9: "Indikator gender: ukuran hasil yang terpilah",
}
BIG_GAP = ("policy", "gender_indicators", "action_plan", "baseline")
SHORT_LABELS = {
    "policy": "Kebijakan/Program/Kegiatan",
    "objective": "Tujuan",
    "gap_access": "Akses",
    "gap_participation": "Partisipasi",
    "gap_control": "Kontrol",
    "gap_benefit": "Manfaat",
}


def tr(text: str) -> str:
    return QCoreApplication.translate("PprgEditor", text)


def _box(name: str, lines: int) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setObjectName(name)
    box.setTabChangesFocus(True)
    # A fixed height per field: the page scrolls, the boxes do not swell to fill it.
    box.setFixedHeight(14 + 17 * lines)
    return box


class _Page(QScrollArea):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.body = QWidget()
        self.layout_ = QVBoxLayout(self.body)
        self.layout_.setContentsMargins(8, 8, 8, 8)
        self.setWidget(self.body)
        self.fields: dict[str, QPlainTextEdit] = {}

    def _field(self, name: str, label: str | None, lines: int) -> QPlainTextEdit:
        box = _box(name, lines)
        box.setAccessibleName(label or name)
        if label:
            caption = QLabel(label)
            caption.setBuddy(box)
            self.layout_.addWidget(caption)
        self.layout_.addWidget(box)
        box.textChanged.connect(self.edited)
        self.fields[name] = box
        return box

    def set_read_only(self, on: bool) -> None:
        for box in self.fields.values():
            box.setReadOnly(on)

    def texts(self) -> dict[str, str]:
        return {name: box.toPlainText().strip() for name, box in self.fields.items()}

    def _fill(self, values: dict[str, str]) -> None:
        for name, box in self.fields.items():
            if box.toPlainText() != values.get(name, ""):
                box.setPlainText(values.get(name, ""))


class GapPage(_Page):
    """The nine steps in the guidance's order; prefilled steps say so in their heading."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for number in range(1, 10):
            mark = tr(" (diisi dari matriks)") if number in PREFILLED_STEPS else ""
            head = QLabel(f"<b>{tr('Langkah')} {number}. {tr(STEP_GUIDES[number])}</b>{mark}")
            head.setObjectName(f"step-{number}")
            head.setWordWrap(True)
            self.layout_.addWidget(head)
            names = [name for name, n, _ in GAP_STEPS if n == number]
            for name in names:
                label = SHORT_LABELS.get(name) if len(names) > 1 else None
                lines = 12 if name == "insight_data" else 7 if name in BIG_GAP else 4
                self._field(f"gap-{name}", tr(label) if label else None, lines)
        self.layout_.addStretch(1)

    def set_document(self, doc: GapDocument) -> None:
        self._fill({f"gap-{name}": getattr(doc, name) for name, _, _ in GAP_STEPS})

    def values(self) -> dict[str, str]:
        return {k.removeprefix("gap-"): v for k, v in self.texts().items()}


class GbsPage(_Page):
    """The GBS form, its components with budgets, and the live total."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for name, label in GBS_FIELDS:
            if name == "expected_outcome":
                self._components_block()
            big = name in ("situation", "output_indicator", "output_target", "expected_outcome")
            self._field(f"gbs-{name}", tr(label), 12 if name == "situation" else 5 if big else 3)
        self.layout_.addStretch(1)

    def _components_block(self) -> None:
        caption = QLabel(tr("<b>Rencana aksi: komponen dan anggaran (Rupiah)</b>"))
        self.layout_.addWidget(caption)
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("gbs-components")
        self.table.setAccessibleName(tr("Komponen rencana aksi"))
        self.table.setHorizontalHeaderLabels([tr("Komponen / tahapan"), tr("Anggaran (Rp)")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(1, 180)
        self.table.setMinimumHeight(150)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.itemChanged.connect(self._item_changed)
        caption.setBuddy(self.table)
        self.layout_.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button = QPushButton(tr("&Tambah komponen"))
        self.remove_button = QPushButton(tr("Hapus komponen"))
        self.total = QLabel()
        self.total.setObjectName("gbs-total")
        self.add_button.clicked.connect(lambda: self.add_component("", None, focus=True))
        self.remove_button.clicked.connect(self._remove_selected)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        row.addWidget(self.total)
        self.layout_.addLayout(row)
        self.update_total()

    def set_read_only(self, on: bool) -> None:
        super().set_read_only(on)
        triggers = (
            QAbstractItemView.EditTrigger.NoEditTriggers
            if on
            else QAbstractItemView.EditTrigger.AllEditTriggers
        )
        self.table.setEditTriggers(triggers)
        self.add_button.setEnabled(not on)
        self.remove_button.setEnabled(not on)

    def add_component(self, name: str, budget: Decimal | None, *, focus: bool = False) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        self.table.setItem(r, 0, QTableWidgetItem(name))
        amount = QTableWidgetItem(format_number(budget, decimals=0) if budget is not None else "")
        amount.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(r, 1, amount)
        if focus:
            self.table.setCurrentCell(r, 0)
            self.table.setFocus()
            self.table.editItem(self.table.item(r, 0) or QTableWidgetItem())

    def _remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for r in rows:
            self.table.removeRow(r)
        if rows:
            self._item_changed()

    def _item_changed(self, *_: object) -> None:
        self.update_total()
        self.edited.emit()

    def set_document(self, doc: GbsDocument) -> None:
        self._fill({f"gbs-{name}": getattr(doc, name) for name, _ in GBS_FIELDS})
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for c in doc.components:
            self.add_component(c.name, c.budget)
        self.table.blockSignals(False)
        self.update_total()

    def values(self) -> dict[str, str]:
        return {k.removeprefix("gbs-"): v for k, v in self.texts().items()}

    def components(self) -> tuple[GbsComponent, ...]:
        """The table's components; a bad amount raises PprgError naming its row."""
        out = []
        for r in range(self.table.rowCount()):
            name, raw = (self._cell(r, c) for c in (0, 1))
            if not name and not raw:
                continue
            try:
                budget = parse_rupiah(raw)
            except NumberError as exc:
                raise PprgError(f"Anggaran komponen {r + 1}: {exc}") from exc
            if not name:
                raise PprgError(f"Komponen {r + 1}: tuliskan nama komponen untuk anggaran ini.")
            out.append(GbsComponent(name, budget))
        return tuple(out)

    def _cell(self, r: int, c: int) -> str:
        item = self.table.item(r, c)
        return item.text().strip() if item is not None else ""

    def update_total(self) -> None:
        try:
            components = self.components()
        except PprgError as exc:
            self.total.setText(f"<span style='color:#b3261e'>{escape(str(exc))}</span>")
            return
        amounts = [c.budget for c in components if c.budget is not None]
        total = format_rupiah(sum(amounts, Decimal(0))) if amounts else "-"
        self.total.setText(tr("Alokasi anggaran: <b>{t}</b>").replace("{t}", total))

    def is_empty(self) -> bool:
        return not any(self.texts().values()) and self.table.rowCount() == 0
