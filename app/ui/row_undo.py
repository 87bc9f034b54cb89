"""Undo and redo of the row form's saves, on the window's undo stack.

Both directions write through the same audited service path as the first save (the
form's ``write_realisation`` / ``write_target``), so an undo is recorded in the row's
history like any other change.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from app.domain.realisation import RealisationValues
from app.ui.row_targets import Proposal


def tr(text: str) -> str:
    return QCoreApplication.translate("RowForm", text)


class RowWriter(Protocol):
    """What the commands need of the form: its visit counter and its two writers."""

    session: int

    def write_realisation(
        self, row_id: int, year: int, values: RealisationValues | None, *, reveal: bool = False
    ) -> object: ...

    def write_target(
        self, row_id: int, year: int, proposal: Proposal | None, *, reveal: bool = False
    ) -> object: ...


class RealisationCommand(QUndoCommand):
    """Undo/redo of one realisation save; both directions go through ``save_realisation``."""

    def __init__(
        self,
        form: RowWriter,
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


class TargetCommand(QUndoCommand):
    """Undo/redo of a target proposal (or its withdrawal) through ``propose_target``.

    A proposal is typed over several fields (text, total, L, P, disabilitas), each saved
    as it is left; consecutive saves of one row's year merge, so Urungkan takes back the
    proposal as the user thinks of it, not one field of it.
    """

    ID = 1001

    def __init__(
        self,
        form: RowWriter,
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
        if not isinstance(other, TargetCommand) or (other.row_id, other.year, other.session) != (
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
