"""Koreksi matriks: Pokja's forms for correcting the official matrix in the window.

One dialog per action (edit a row's official cells, add a row under a node, retire or
reactivate a row, move it to another OPD). Each asks for a reason, keeps OK disabled
until the form is valid, and on a refusal shows the service's Indonesian message while
keeping what the user typed. A change another Pokja member saved after the dialog opened
is refused (the row's version it showed) with the shared :class:`ConflictBanner`: "Muat
ulang" shows the other person's values and offers back what was typed. The rules live in
``app.services.plan_edit``; every change
is pushed on the window's undo stack as a :class:`MatrixCommand` whose undo and redo call
the service again, so they are audited like the first change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from app.domain.achievement import Polarity
from app.models.db import Database
from app.models.schema import Opd, Plan, PlanNode, PlanRow
from app.services import catalog, entry, plan_edit, row_place
from app.services.catalog import LEVEL_LABELS
from app.services.concurrency import ConcurrentEditError
from app.services.plan_edit import PlanEditError, undo_reason
from app.ui.row_conflict import CONFLICT_STYLE, ConflictBanner, Typed

POLARITIES = [
    (Polarity.HIGHER.value, "Semakin tinggi semakin baik"),
    (Polarity.LOWER.value, "Semakin rendah semakin baik"),
]
EDIT, ADD, RETIRE, REACTIVATE, MOVE = "ubah", "tambah", "pensiun", "aktifkan", "pindah"


def tr(text: str) -> str:
    return QCoreApplication.translate("PlanEdit", text)


class MatrixCommand(QUndoCommand):
    """Undo/redo of one matrix correction; the change itself was made by the dialog."""

    def __init__(
        self,
        label: str,
        undo: Callable[[], object],
        redo: Callable[[], object],
        changed: Callable[[], object],
    ) -> None:
        super().__init__(label)
        self._undo, self._redo, self._changed = undo, redo, changed
        self._first = True
        self.error = ""
        self.report: Callable[[str], object] | None = None

    def redo(self) -> None:
        if self._first:  # done already when the dialog was accepted
            self._first = False
            return
        self._run(self._redo)

    def undo(self) -> None:
        self._run(self._undo)

    def _run(self, step: Callable[[], object]) -> None:
        try:
            step()
        except PlanEditError as exc:
            # Refused (e.g. undoing "add row" once a figure was typed on it): the command
            # no longer describes the database, so the stack drops it, and the user is
            # told why instead of seeing Ctrl+Z silently do nothing.
            self.error = str(exc)
            self.setObsolete(True)
            if self.report is not None:
                self.report(self.error)
        self._changed()


class ReasonDialog(QDialog):
    """The shared frame: the form, a required reason, an error line, OK and Batal."""

    def __init__(self, title: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.reason_text = ""  # the cleaned reason, once the change is made
        lay = QVBoxLayout(self)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        lay.addWidget(self.intro)
        self.form = QFormLayout()
        lay.addLayout(self.form)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(tr("Wajib: mengapa matriks resmi dikoreksi"))
        self.reason.textChanged.connect(self.revalidate)
        self.form_tail = QFormLayout()
        self.form_tail.addRow(tr("&Alasan:"), self.reason)
        lay.addLayout(self.form_tail)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.error.hide()
        lay.addWidget(self.error)
        self.conflict = ConflictBanner()
        self.conflict.setStyleSheet(CONFLICT_STYLE)
        self.conflict.reloadRequested.connect(self.reload_after_conflict)
        self.conflict.restoreRequested.connect(self.restore_typed)
        lay.addWidget(self.conflict)
        self._shown: dict[str, str] = {}  # the stored values the form last showed
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(tr("&Simpan koreksi"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("&Batal"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

    def changed(self) -> bool:
        return True

    def revalidate(self) -> None:
        enough = len(" ".join(self.reason.text().split())) >= plan_edit.MIN_REASON
        self.ok.setEnabled(enough and self.changed())

    def apply(self) -> None:
        raise NotImplementedError

    def typed(self) -> dict[str, Typed]:
        """The form's values by label (those "Muat ulang" may replace)."""
        return {}

    def reload(self) -> None:
        """Read the row again as it is stored now, with its version."""

    def remember_shown(self) -> dict[str, str]:
        self._shown = {k: text for k, (text, _line, _put) in self.typed().items()}
        return self._shown

    def accept(self) -> None:
        try:
            self.apply()
        except ConcurrentEditError as exc:  # everything typed stays in the fields
            self.error.hide()
            self.conflict.show_conflict(str(exc))
        except PlanEditError as exc:
            self.error.setText(str(exc))
            self.error.show()
        else:
            super().accept()

    def reload_after_conflict(self) -> None:
        """Show the other person's values; list what the user typed and did not save."""
        before, shown = self.typed(), self._shown
        self.reload()
        now = self.remember_shown()
        self.conflict.offer_unsaved(before, shown, now)
        self.revalidate()

    def restore_typed(self) -> None:
        """Put the kept typed values back into the form, to check and save again."""
        self.conflict.put_back()
        self.revalidate()


def _typed(text: str, put: Callable[[str], None]) -> Typed:
    """A text field's value as the conflict banner names it ("–" when empty)."""
    return (text, text or "–", put)


class RowEditDialog(ReasonDialog):
    """Ubah isi baris: the official cells, the targets per year and the node names."""

    def __init__(self, db: Database, row_id: int, user: str, parent: QWidget | None = None):
        super().__init__(
            tr("Koreksi matriks — ubah isi baris"),
            tr(
                "Ubah isi resmi baris ini. Koreksi tercatat di riwayat baris dengan alasannya "
                "dan ikut terkirim pada 'Kirim matriks bertanda tangan' berikutnya."
            ),
            parent,
        )
        self.db, self.row_id, self.user = db, row_id, user
        with db.begin() as s:
            detail = catalog.row_detail(s, row_id)
            nodes = row_place.row_nodes(s, row_id)
            # What this dialog shows: another Pokja member's correction since is refused.
            self.row_seen = row_place.row_seen(s, row_id)
            self.target_seen = {y: entry.target_seen(s, row_id, y) for y in detail.targets}
        self.nodes = nodes
        self.fields: dict[str, QLineEdit] = {}
        self.old: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        for level, (_nid, name) in sorted(
            nodes.items(), key=lambda x: list(LEVEL_LABELS).index(x[0])
        ):
            self._line(f"node:{level}", LEVEL_LABELS[level], name)
        for fld in ("aktivitas", "indikator", "satuan", "keterangan"):
            self._line(fld, plan_edit.FIELD_LABELS[fld], getattr(detail, fld) or "")
        self.polarity = QComboBox()
        self.polarity.setObjectName("polarity")
        for value, label in POLARITIES:
            self.polarity.addItem(tr(label), value)
        self.polarity.setCurrentIndex(max(0, self.polarity.findData(detail.polarity)))
        self.old_polarity = detail.polarity
        self.polarity.currentIndexChanged.connect(self.revalidate)
        self.form.addRow(tr("Polaritas:"), self.polarity)
        for year, t in sorted(detail.targets.items()):
            self._line(f"target:{year}", tr("Target {y}").replace("{y}", str(year)), t.text)
        self.edits: list[Any] = []
        self.remember_shown()
        self.revalidate()

    def _line(self, name: str, label: str, value: str) -> None:
        edit = QLineEdit(value)
        edit.setObjectName(name)
        edit.setCursorPosition(0)
        edit.textChanged.connect(self.revalidate)
        self.fields[name], self.old[name] = edit, value
        self.labels[name] = label
        self.form.addRow(label + ":", edit)

    def typed(self) -> dict[str, Typed]:
        out = {self.labels[n]: _typed(e.text(), e.setText) for n, e in self.fields.items()}

        def polarity(label: str) -> None:
            self.polarity.setCurrentIndex(max(0, self.polarity.findText(label)))

        out[tr("Polaritas")] = _typed(self.polarity.currentText(), polarity)
        return out

    def reload(self) -> None:
        with self.db.begin() as s:
            detail = catalog.row_detail(s, self.row_id)
            self.nodes = row_place.row_nodes(s, self.row_id)
            self.row_seen = row_place.row_seen(s, self.row_id)
            self.target_seen = {y: entry.target_seen(s, self.row_id, y) for y in detail.targets}
        stored = {f"node:{lvl}": name for lvl, (_nid, name) in self.nodes.items()}
        stored |= {f: getattr(detail, f) or "" for f in plan_edit.ROW_FIELDS}
        stored |= {f"target:{y}": t.text for y, t in detail.targets.items()}
        for name, edit in self.fields.items():
            self.old[name] = stored.get(name, self.old[name])
            edit.setText(self.old[name])
            edit.setCursorPosition(0)
        self.old_polarity = detail.polarity
        self.polarity.setCurrentIndex(max(0, self.polarity.findData(detail.polarity)))

    def changes(self) -> dict[str, str]:
        out = {n: e.text() for n, e in self.fields.items() if e.text().strip() != self.old[n]}
        if self.polarity.currentData() != self.old_polarity:
            out["polarity"] = str(self.polarity.currentData())
        return out

    def changed(self) -> bool:
        return bool(self.changes())

    def apply(self) -> None:
        reason = plan_edit.check_reason(self.reason.text())
        changes = self.changes()
        # Check every value before writing any, so a refusal leaves the row untouched.
        for name, value in changes.items():
            if name.startswith("target:"):
                plan_edit.parsed_target(value, int(name.split(":")[1]))
            elif name != "polarity":
                label = name.split(":")[-1]
                plan_edit.checked_text(
                    value,
                    plan_edit.FIELD_LABELS.get(label, label),
                    required=name == "indikator" or name.startswith("node:"),
                )
        self.edits = []
        try:
            self._write(changes, reason)
        except (PlanEditError, ConcurrentEditError):
            # A later value was refused (a sibling's name): take back the ones written, so
            # the row is as it was and the user's text stays in the dialog to fix.
            undo_edits(self.db, self.edits, reason, self.user, back=True)
            self.edits = []
            raise
        self.reason_text = reason

    def _write(self, changes: dict[str, str], reason: str) -> None:
        # Names last: only they can still be refused once every value has passed its check.
        for name, value in sorted(changes.items(), key=lambda c: c[0].startswith("node:")):
            if name.startswith("target:"):
                year = int(name.split(":")[1])
                edit: Any = plan_edit.edit_target(
                    self.db, self.row_id, year, value, reason, self.user, self.target_seen.get(year)
                )
            elif name.startswith("node:"):
                node_id = self.nodes[name.split(":")[1]][0]
                shown = self.old[name]  # nodes have no version: the name shown is checked
                edit = plan_edit.rename_node(self.db, node_id, value, reason, self.user, shown)
            else:
                edit = plan_edit.edit_field(
                    self.db, self.row_id, name, value, reason, self.user, self.row_seen
                )
            self.edits.append(edit)


def undo_edits(db: Database, edits: list[Any], reason: str, user: str, back: bool) -> None:
    """Apply ``edits`` backwards (undo) or again (redo), through the audited service."""
    why = undo_reason(reason) if back else reason
    for e in reversed(edits) if back else edits:
        value = e.old if back else e.new
        if isinstance(e, plan_edit.NodeEdit):
            plan_edit.rename_node(db, e.node_id, value, why, user)
        elif e.field == "target":
            assert e.year is not None
            plan_edit.edit_target(db, e.row_id, e.year, value, why, user)
        else:
            plan_edit.edit_field(db, e.row_id, e.field, value, why, user)


class AddRowDialog(ReasonDialog):
    """Tambah baris di bawah a kegiatan / sub kegiatan."""

    def __init__(self, db: Database, node_id: int, user: str, parent: QWidget | None = None):
        with db.begin() as s:
            node = s.get(PlanNode, node_id)
            assert node is not None
            plan = s.get(Plan, node.plan_id)
            assert plan is not None
            years, name, level = plan.years, node.name, node.level
        super().__init__(
            tr("Koreksi matriks — tambah baris"),
            tr("Baris baru di bawah {l} \u201c{n}\u201d, sesudah baris terakhirnya.")
            .replace("{l}", LEVEL_LABELS.get(level, level).lower())
            .replace("{n}", name),
            parent,
        )
        self.db, self.node_id, self.user = db, node_id, user
        self.fields: dict[str, QLineEdit] = {}
        for fld in ("indikator", "aktivitas", "satuan", "keterangan"):
            edit = QLineEdit()
            edit.setObjectName(fld)
            edit.textChanged.connect(self.revalidate)
            self.fields[fld] = edit
            self.form.addRow(plan_edit.FIELD_LABELS[fld] + ":", edit)
        self.polarity = QComboBox()
        for value, label in POLARITIES:
            self.polarity.addItem(tr(label), value)
        self.form.addRow(tr("Polaritas:"), self.polarity)
        self.targets: dict[int, QLineEdit] = {}
        for year in years:
            edit = QLineEdit()
            edit.setObjectName(f"target:{year}")
            edit.setPlaceholderText(tr("mis. 30 orang terdiri dari 20 laki-laki, 10 perempuan"))
            self.targets[year] = edit
            self.form.addRow(tr("Target {y}:").replace("{y}", str(year)), edit)
        self.added: plan_edit.RowAdded | None = None
        self.revalidate()

    def changed(self) -> bool:
        return bool(self.fields["indikator"].text().strip())

    def arguments(self) -> dict[str, Any]:
        return {
            **{f: e.text() for f, e in self.fields.items()},
            "polarity": str(self.polarity.currentData()),
            "targets": {y: e.text() for y, e in self.targets.items()},
        }

    def apply(self) -> None:
        self.reason_text = plan_edit.check_reason(self.reason.text())
        self.args = self.arguments()
        self.added = plan_edit.add_row(
            self.db, self.node_id, **self.args, reason=self.reason_text, user=self.user
        )


class RetireDialog(ReasonDialog):
    """Pensiunkan baris… / Aktifkan kembali…"""

    def __init__(
        self, db: Database, row_id: int, user: str, retire: bool, parent: QWidget | None = None
    ):
        with db.begin() as s:
            detail = catalog.row_detail(s, row_id)
            n = plan_edit.realisation_count(s, row_id)
        intro = (
            tr(
                "Pensiunkan \u201c{t}\u201d: baris ini tidak diminta lagi dan tidak ikut di "
                "matriks yang dikirim. {n} realisasi yang sudah ada tetap disimpan dan tetap "
                "dilaporkan untuk tahunnya."
            )
            if retire
            else tr(
                "Aktifkan kembali \u201c{t}\u201d: baris ini diminta lagi dan ikut di matriks "
                "yang dikirim. ({n} realisasi tersimpan.)"
            )
        )
        super().__init__(
            tr("Koreksi matriks — pensiunkan baris")
            if retire
            else tr("Koreksi matriks — aktifkan kembali"),
            intro.replace("{t}", detail.indikator or detail.aktivitas).replace("{n}", str(n)),
            parent,
        )
        self.db, self.row_id, self.user, self.retire = db, row_id, user, retire
        self.reload()
        self.revalidate()

    def reload(self) -> None:
        with self.db.begin() as s:
            self.seen = row_place.row_seen(s, self.row_id)

    def apply(self) -> None:
        self.reason_text = plan_edit.check_reason(self.reason.text())
        plan_edit.set_retired(
            self.db, self.row_id, self.retire, self.reason_text, self.user, self.seen
        )


class MoveDialog(ReasonDialog):
    """Pindahkan ke OPD lain: the row goes under the other OPD's same-named chain."""

    def __init__(self, db: Database, row_id: int, user: str, parent: QWidget | None = None):
        with db.begin() as s:
            detail = catalog.row_detail(s, row_id)
            n = plan_edit.realisation_count(s, row_id)
            own = s.scalar(select(PlanRow.opd_id).where(PlanRow.id == row_id))
            opds = [
                (o.id, o.short_name)
                for o in s.scalars(select(Opd).order_by(Opd.short_name))
                if o.id != own
            ]
        super().__init__(
            tr("Koreksi matriks — pindahkan ke OPD lain"),
            tr(
                "Pindahkan \u201c{t}\u201d dari {o} ke OPD lain. Baris ini masuk ke program, "
                "kegiatan dan sub kegiatan bernama sama milik OPD tujuan (dibuat bila belum "
                "ada). {n} realisasinya ikut pindah ke OPD tujuan."
            )
            .replace("{t}", detail.indikator or detail.aktivitas)
            .replace("{o}", detail.opd_name)
            .replace("{n}", str(n)),
            parent,
        )
        self.db, self.row_id, self.user = db, row_id, user
        self.opd = QComboBox()
        self.opd.setObjectName("opd")
        self.opd.addItem(tr("(pilih OPD tujuan)"), None)
        for oid, name in opds:
            self.opd.addItem(name, oid)
        self.opd.currentIndexChanged.connect(self.revalidate)
        self.form.addRow(tr("OPD &tujuan:"), self.opd)
        self.moved: plan_edit.RowMove | None = None
        self.reload()
        self.revalidate()

    def reload(self) -> None:
        with self.db.begin() as s:
            self.seen = row_place.row_seen(s, self.row_id)

    def changed(self) -> bool:
        return self.opd.currentData() is not None

    def apply(self) -> None:
        self.reason_text = plan_edit.check_reason(self.reason.text())
        self.moved = plan_edit.move_row(
            self.db,
            self.row_id,
            int(self.opd.currentData()),
            self.reason_text,
            self.user,
            self.seen,
        )


def command_for(
    dialog: ReasonDialog, db: Database, user: str, changed: Callable[[int | None], None]
) -> MatrixCommand:
    """The undo command of an accepted dialog; ``changed(row_id)`` refreshes the window."""
    reason = dialog.reason_text
    if isinstance(dialog, RowEditDialog):
        edits, rid = dialog.edits, dialog.row_id
        return MatrixCommand(
            tr("Koreksi matriks: ubah isi baris"),
            lambda: undo_edits(db, edits, reason, user, back=True),
            lambda: undo_edits(db, edits, reason, user, back=False),
            lambda: changed(rid),
        )
    if isinstance(dialog, AddRowDialog):
        assert dialog.added is not None
        state = {"row": dialog.added.row_id}
        node_id, args = dialog.node_id, dialog.args

        def remove() -> None:
            plan_edit.remove_added_row(db, state["row"], undo_reason(reason), user)

        def add() -> None:
            state["row"] = plan_edit.add_row(db, node_id, **args, reason=reason, user=user).row_id

        return MatrixCommand(
            tr("Koreksi matriks: tambah baris"), remove, add, lambda: changed(state["row"])
        )
    if isinstance(dialog, RetireDialog):
        rid, retire = dialog.row_id, dialog.retire
        return MatrixCommand(
            tr("Koreksi matriks: pensiunkan baris")
            if retire
            else tr("Koreksi matriks: aktifkan kembali"),
            lambda: plan_edit.set_retired(db, rid, not retire, undo_reason(reason), user),
            lambda: plan_edit.set_retired(db, rid, retire, reason, user),
            lambda: changed(rid),
        )
    assert isinstance(dialog, MoveDialog) and dialog.moved is not None
    moved = {"move": dialog.moved}

    def back() -> None:
        plan_edit.undo_move(db, moved["move"], undo_reason(reason), user)

    def again() -> None:
        m = moved["move"]
        moved["move"] = plan_edit.move_row(db, m.row_id, m.new_opd_id, reason, user)

    rid = dialog.row_id
    return MatrixCommand(
        tr("Koreksi matriks: pindahkan ke OPD lain"), back, again, lambda: changed(rid)
    )


def make_dialog(
    kind: str, db: Database, ident: int, user: str, parent: QWidget | None = None
) -> ReasonDialog:
    """The dialog for a context-menu entry; ``ident`` is a row id (a node id for ADD)."""
    if kind == EDIT:
        return RowEditDialog(db, ident, user, parent)
    if kind == ADD:
        return AddRowDialog(db, ident, user, parent)
    if kind in (RETIRE, REACTIVATE):
        return RetireDialog(db, ident, user, kind == RETIRE, parent)
    return MoveDialog(db, ident, user, parent)


def run_matrix_edit(
    kind: str,
    db: Database,
    ident: int,
    user: str,
    stack: QUndoStack,
    changed: Callable[[int | None], None],
    parent: QWidget | None = None,
) -> ReasonDialog:
    """Open the dialog modally; on OK push its undo command and refresh."""
    dialog = make_dialog(kind, db, ident, user, parent)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        command = command_for(dialog, db, user, changed)
        command.report = lambda text: QMessageBox.warning(
            parent,
            tr("Koreksi matriks"),
            tr("Tidak dapat diurungkan/diulangi: {e}").replace("{e}", text),
        )
        stack.push(command)
        row = dialog.added.row_id if isinstance(dialog, AddRowDialog) and dialog.added else None
        changed(row if row is not None else getattr(dialog, "row_id", None))
    return dialog


__all__ = [
    "ADD",
    "EDIT",
    "MOVE",
    "REACTIVATE",
    "RETIRE",
    "AddRowDialog",
    "MatrixCommand",
    "MoveDialog",
    "ReasonDialog",
    "RetireDialog",
    "RowEditDialog",
    "command_for",
    "make_dialog",
    "run_matrix_edit",
    "undo_edits",
]
