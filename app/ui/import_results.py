"""The "Hasil" and "Log impor" pages of the "Terima Berkas" window.

Each page owns its widgets and fills them from plain values (outcomes, log entries);
the window (``import_dialog``) only says when. Kept apart so the window's flow (check,
confirm, import) stays readable.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.printable import shown_name
from app.models.db import Database
from app.services import intake
from app.services.importer import REFUSED, ImportOutcome
from app.ui.import_tables import (
    ERROR_COLOUR,
    LOG_COLUMNS,
    OUTCOME_COLOURS,
    RESULT_COLUMNS,
    colour_cell,
    detail_label,
    table_item,
    table_tree,
)


def tr(text: str) -> str:
    return QCoreApplication.translate("ImportDialog", text)


class ResultsPage(QWidget):
    """The last run's outcomes: summary, one row per file, the selected reason in full."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outcomes: list[ImportOutcome] = []
        self.total = 0
        self.reasons: dict[Path, str] = {}
        rv = QVBoxLayout(self)
        top = QHBoxLayout()
        self.summary_label = QLabel(tr("Belum ada berkas yang diimpor."))
        self.summary_label.setObjectName("summary")
        self.summary_label.setStyleSheet("font-weight: bold;")
        top.addWidget(self.summary_label, 1)
        self.copy_button = QPushButton(tr("&Salin ringkasan"))
        self.copy_button.setObjectName("copy")
        self.copy_button.setAutoDefault(False)
        self.copy_button.setEnabled(False)
        top.addWidget(self.copy_button)
        rv.addLayout(top)
        self.results = table_tree(RESULT_COLUMNS, "results")
        self.results.setSortingEnabled(True)
        rv.addWidget(self.results, 1)
        self.result_detail = detail_label(self.results, 5, "result-detail")
        rv.addWidget(self.result_detail)

    def show_outcomes(
        self, outcomes: Sequence[ImportOutcome], total: int, reasons: dict[Path, str]
    ) -> None:
        self.outcomes, self.total, self.reasons = list(outcomes), total, dict(reasons)
        self.results.setSortingEnabled(False)
        self.results.clear()
        for o in self.outcomes:
            reason = self.reasons.get(o.file, o.reason)
            item = table_item(
                [shown_name(o.file.name), tr(o.outcome), o.opd_code, o.year, o.revision, reason]
            )
            item.setToolTip(0, shown_name(str(o.file)))
            item.setToolTip(5, reason)
            colour_cell(item, 1, OUTCOME_COLOURS.get(o.outcome, ERROR_COLOUR), bold=True)
            if o.outcome == REFUSED:
                colour_cell(item, 5, ERROR_COLOUR)
            self.results.addTopLevelItem(item)
        for col, w in enumerate([230, 110, 130, 50, 55]):
            self.results.setColumnWidth(col, w)
        # No sort column until the user clicks a header: the rows stay in import order.
        self.results.header().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.results.setSortingEnabled(True)
        self.summary_label.setText(intake.summary(self.outcomes, self.total))
        self.copy_button.setEnabled(bool(self.outcomes))

    def text(self) -> str:
        return intake.results_text(self.outcomes, self.total, self.reasons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())


class LogPage(QWidget):
    """Every import attempt, newest first."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        lv = QVBoxLayout(self)
        self.log = table_tree(LOG_COLUMNS, "log")
        self.log.setSortingEnabled(True)
        lv.addWidget(self.log, 1)
        reload_row = QHBoxLayout()
        reload_row.addStretch(1)
        reload = QPushButton(tr("Muat &ulang"))
        reload.setAutoDefault(False)
        reload.clicked.connect(self.refresh)
        reload_row.addWidget(reload)
        lv.addLayout(reload_row)

    def refresh(self) -> None:
        with self.db.begin() as s:
            entries = intake.recent_log(s)
        self.log.setSortingEnabled(False)
        self.log.clear()
        for e in entries:
            item = table_item(
                [
                    f"{e.at:%Y-%m-%d %H:%M:%S}",
                    e.file_name,
                    tr(e.outcome),
                    e.opd_code,
                    e.year,
                    e.revision,
                    e.reason,
                ]
            )
            item.setToolTip(6, e.reason)
            colour_cell(item, 2, OUTCOME_COLOURS.get(e.outcome, ERROR_COLOUR), bold=True)
            self.log.addTopLevelItem(item)
        for col, w in enumerate([140, 230, 110, 130, 50, 55]):
            self.log.setColumnWidth(col, w)
        # No sort column until the user clicks a header: the rows stay newest first.
        self.log.header().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.log.setSortingEnabled(True)


__all__ = ["LogPage", "ResultsPage"]
