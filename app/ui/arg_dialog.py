"""The ARG checklist dialog (Tabel 5.1–5.3) with the live Tabel 5.4/5.5 evaluation.

One page per stage; every answer is saved the moment it is given (its own transaction),
so the dialog can be closed half done and resumed. Keyboard: Y = Ya, T = Tidak,
D = Tidak dapat menjawab (then type the remark), Del = clear, ↑/↓ = previous/next question.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.arg import (
    ANSWER_LABELS,
    Answer,
    AnswerEntry,
    ArgError,
    Question,
    QuestionSet,
    Score,
    score,
)
from app.models.db import Database
from app.services.arg_store import (
    AssessableNode,
    answered_versions,
    answers_seen,
    load_answers,
    save_answer,
)
from app.services.concurrency import ConcurrentEditError, Seen
from app.services.pprg_review import gbs_line
from app.ui.window_size import remember_size

CLASS_COLOURS = {
    "Responsif Gender": "#1b7f3b",
    "Kurang Responsif Gender": "#b26a00",
    "Tidak Responsif Gender": "#b3261e",
    None: "#5f6368",
}
LEVEL_LABELS = {"kegiatan": "Kegiatan", "sub_kegiatan": "Sub Kegiatan"}


def tr(text: str) -> str:
    return QCoreApplication.translate("ArgDialog", text)


class QuestionRow(QFrame):
    """One question: the text, three exclusive choices and the remark (column 6, Ket)."""

    answerChosen = Signal(str, object)  # question id, Answer | None
    remarkEdited = Signal(str, str)  # question id, remark
    moveRequested = Signal(int)  # -1 up, +1 down
    reloadRequested = Signal(str)  # question id: another person answered it meanwhile

    def __init__(self, question: Question, read_only: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.question = question
        self.setObjectName(f"question-{question.id}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"{question.number}. {question.text}")
        layout = QGridLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        number = QLabel(f"<b>{question.number}.</b>")
        number.setAlignment(Qt.AlignmentFlag.AlignTop)
        text = QLabel(question.text + (f"<br><i>{question.note}</i>" if question.note else ""))
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(number, 0, 0)
        layout.addWidget(text, 0, 1, 1, 4)
        self.group = QButtonGroup(self)
        self.buttons: dict[Answer, QRadioButton] = {}
        for col, (ans, label) in enumerate(
            [
                (Answer.YA, tr("&Ya")),
                (Answer.TIDAK, tr("&Tidak")),
                (Answer.TIDAK_DAPAT, tr("Tidak &dapat menjawab")),
            ],
            start=1,
        ):
            b = QRadioButton(label.replace("&", ""))
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the row takes the keys
            b.setEnabled(not read_only)
            self.group.addButton(b)
            self.buttons[ans] = b
            layout.addWidget(b, 1, col)
        self.remark = QLineEdit()
        self.remark.setObjectName(f"remark-{question.id}")
        self.remark.setPlaceholderText(tr("Keterangan (wajib bila tidak dapat menjawab)"))
        self.remark.setReadOnly(read_only)
        self.remark.setMaxLength(2000)
        layout.addWidget(self.remark, 1, 4)
        layout.setColumnStretch(4, 1)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setVisible(False)
        layout.addWidget(self.message, 2, 1, 1, 3)
        # Offered only when a save lost to another person's answer (app.services.concurrency).
        self.reload = QPushButton(tr("Muat ulang"))
        self.reload.setObjectName(f"reload-{question.id}")
        self.reload.setVisible(False)
        self.reload.clicked.connect(lambda: self.reloadRequested.emit(self.question.id))
        layout.addWidget(self.reload, 2, 4, Qt.AlignmentFlag.AlignLeft)
        self._read_only = read_only
        self.group.buttonClicked.connect(self._clicked)
        self.remark.editingFinished.connect(
            lambda: self.remarkEdited.emit(self.question.id, self.remark.text())
        )

    def answer(self) -> Answer | None:
        for ans, b in self.buttons.items():
            if b.isChecked():
                return ans
        return None

    def show_entry(self, entry: AnswerEntry | None) -> None:
        self.group.setExclusive(False)
        for ans, b in self.buttons.items():
            b.setChecked(entry is not None and entry.answer is ans)
        self.group.setExclusive(True)
        self.remark.setText(entry.remark if entry else "")
        self.set_message("")

    def set_message(self, text: str, *, reload: bool = False) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.reload.setVisible(reload)
        self._set_flag("invalid", bool(text))

    def _set_flag(self, name: str, on: bool) -> None:
        self.setProperty(name, on)
        self.style().unpolish(self)
        self.style().polish(self)

    def _clicked(self, button: QRadioButton) -> None:
        ans = next(a for a, b in self.buttons.items() if b is button)
        self.answerChosen.emit(self.question.id, ans)

    def choose(self, ans: Answer | None) -> None:
        if self._read_only:
            return
        if ans is None:
            self.show_entry(None)
        else:
            self.buttons[ans].setChecked(True)
        self.answerChosen.emit(self.question.id, ans)
        if ans is Answer.TIDAK_DAPAT:
            self.remark.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Y:
            self.choose(Answer.YA)
        elif key == Qt.Key.Key_T:
            self.choose(Answer.TIDAK)
        elif key == Qt.Key.Key_D:
            self.choose(Answer.TIDAK_DAPAT)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.choose(None)
        elif key == Qt.Key.Key_Down:
            self.moveRequested.emit(1)
        elif key == Qt.Key.Key_Up:
            self.moveRequested.emit(-1)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._set_flag("current", True)
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._set_flag("current", False)
        super().focusOutEvent(event)


class _AnswerCommand(QUndoCommand):
    """Undo/redo of one answer: both directions go through ``save_answer`` (audited)."""

    def __init__(
        self, dialog: ArgDialog, qid: str, old: AnswerEntry | None, new: AnswerEntry | None
    ) -> None:
        super().__init__(tr("Jawaban ARG {q}").replace("{q}", qid))
        self.dialog, self.qid, self.old, self.new = dialog, qid, old, new
        self._first = True

    def redo(self) -> None:
        if self._first:  # already written when the user answered
            self._first = False
            return
        self.dialog.write_or_say(self.qid, self.new)

    def undo(self) -> None:
        self.dialog.write_or_say(self.qid, self.old)


def set_labels(qsets: list[QuestionSet], current: str) -> list[tuple[str, str]]:
    """(version, label) per question set: people see its title, never the version id.

    An older set says it is read-only; older sets sharing a title are numbered.
    """
    out: list[tuple[str, str]] = []
    old = [q for q in qsets if q.version != current]
    for q in qsets:
        title = q.title or tr("Instrumen ARG")
        if q.version == current:
            out.append((q.version, title))
            continue
        same = [o for o in old if (o.title or "") == (q.title or "")]
        n = f" {same.index(q) + 1}" if len(same) > 1 else ""
        out.append(
            (
                q.version,
                tr("{t} (versi lama{n}, hanya baca)").replace("{t}", title).replace("{n}", n),
            )
        )
    return out


class ArgDialog(QDialog):
    """The instrument for one kegiatan/sub kegiatan and year."""

    answersChanged = Signal()

    def __init__(
        self,
        db: Database,
        node: AssessableNode,
        year: int,
        qsets: dict[str, QuestionSet],
        current: QuestionSet,
        user: str,
        *,
        opd_id: int | None = None,
        undo_stack: QUndoStack | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.node, self.year, self.user, self.opd_id = db, node, year, user, opd_id
        self.qsets = {**qsets, current.version: current}
        self.current = current
        self.undo_stack = undo_stack or QUndoStack(self)
        self.setWindowTitle(tr("Instrumen ARG — {name}").replace("{name}", node.name))
        remember_size(self, "arg", 1000, 760)
        self.setStyleSheet(
            'QuestionRow[current="true"] { background: #e8f0fe; }'
            'QuestionRow[invalid="true"] { border: 1px solid #b3261e; }'
        )
        with db.begin() as s:
            versions = answered_versions(s, node.id, year)
        self.version = current.version
        self.answers: dict[str, AnswerEntry] = {}
        self.seen: dict[str, Seen] = {}  # the stored versions the pages show
        self.rows: dict[str, QuestionRow] = {}

        outer = QVBoxLayout(self)
        head = QGridLayout()
        head.addWidget(QLabel(tr("<b>(1) Unit Organisasi</b>")), 0, 0)
        head.addWidget(QLabel(node.opd_name), 0, 1)
        level = LEVEL_LABELS.get(node.level, node.level)
        head.addWidget(QLabel(tr("<b>(2) {level}</b>").replace("{level}", level)), 1, 0)
        name = QLabel(node.name)
        name.setWordWrap(True)
        head.addWidget(name, 1, 1)
        if node.level == "sub_kegiatan" and node.parent_name:
            head.addWidget(QLabel(tr("Bagian dari kegiatan")), 2, 0)
            parent_label = QLabel(node.parent_name)
            parent_label.setWordWrap(True)
            head.addWidget(parent_label, 2, 1)
        head.addWidget(QLabel(tr("<b>Tahun</b>")), 3, 0)
        head.addWidget(QLabel(str(year)), 3, 1)
        head.addWidget(QLabel(tr("<b>Set pertanyaan</b>")), 4, 0)
        self.version_box = QComboBox()
        self.version_box.setObjectName("version")
        shown = [v for v in sorted({*versions, current.version}) if v in self.qsets]
        for v, label in set_labels([self.qsets[v] for v in shown], current.version):
            self.version_box.addItem(label, v)
            self.version_box.setItemData(
                self.version_box.count() - 1, self.qsets[v].source, Qt.ItemDataRole.ToolTipRole
            )
        self.version_box.setCurrentIndex(self.version_box.findData(current.version))
        self.version_box.currentIndexChanged.connect(self._version_changed)
        head.addWidget(self.version_box, 4, 1)
        head.setColumnStretch(1, 1)
        outer.addLayout(head)

        self.tabs = QTabWidget()
        outer.addWidget(self.tabs, 1)

        self.totals = QGridLayout()
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box.setLayout(self.totals)
        outer.addWidget(box)
        self.class_label = QLabel()
        self.class_label.setObjectName("klass")
        self.class_label.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(self.class_label)
        hint = QLabel(
            tr(
                "Papan ketik: Y = Ya, T = Tidak, D = Tidak dapat menjawab, "
                "Del = hapus jawaban, ↑/↓ = pertanyaan sebelumnya/berikutnya. "
                "Jawaban tersimpan otomatis."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5f6368;")
        outer.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Tutup"))
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        for seq, slot in (
            (QKeySequence.StandardKey.Undo, self.undo_stack.undo),
            (QKeySequence.StandardKey.Redo, self.undo_stack.redo),
        ):
            QShortcut(QKeySequence(seq), self, slot)
        self._build_pages()

    # -- building ---------------------------------------------------------------------
    @property
    def qset(self) -> QuestionSet:
        return self.qsets[self.version]

    @property
    def read_only(self) -> bool:
        return self.version != self.current.version

    def _build_pages(self) -> None:
        with self.db.begin() as s:
            self.answers = load_answers(s, self.node.id, self.year, self.version)
            self.seen = answers_seen(s, self.node.id, self.year, self.version)
            gbs = gbs_line(s, self.node.key, self.year)
        self.gbs_label: QLabel | None = None
        self.tabs.clear()
        self.rows.clear()
        self.stage_labels: dict[str, QLabel] = {}
        ordered: list[QuestionRow] = []
        for stage in self.qset.stages:
            page = QWidget()
            lay = QVBoxLayout(page)
            title = QLabel(f"<b>{stage.table} — {stage.label}</b>")
            lay.addWidget(title)
            count = QLabel()
            self.stage_labels[stage.id] = count
            lay.addWidget(count)
            for q in stage.questions:
                row = QuestionRow(q, self.read_only)
                row.show_entry(self.answers.get(q.id))
                row.answerChosen.connect(self._answer_chosen)
                row.remarkEdited.connect(self._remark_edited)
                row.moveRequested.connect(lambda step, r=row: self._move(r, step))
                row.reloadRequested.connect(self.reload_answer)
                self.rows[q.id] = row
                ordered.append(row)
                lay.addWidget(row)
                if "gbs" in q.text.casefold().split() and self.gbs_label is None:
                    # Tabel 5.1 asks whether the GBS was the basis of the KAK/TOR: say
                    # whether this kegiatan has one, and its review, right under it.
                    self.gbs_label = QLabel(gbs)
                    self.gbs_label.setObjectName("gbs_line")
                    self.gbs_label.setStyleSheet(
                        "color:#1a5e20;" if "ada (" in gbs else "color:#5f6368;"
                    )
                    self.gbs_label.setContentsMargins(28, 0, 0, 4)
                    lay.addWidget(self.gbs_label)
            lay.addStretch(1)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(page)
            self.tabs.addTab(scroll, f"{stage.table} {stage.label}")
        self._ordered = ordered
        for a, b in itertools.pairwise(ordered):
            QWidget.setTabOrder(a.remark, b)
        for a in ordered:
            QWidget.setTabOrder(a, a.remark)
        self._refresh()
        if ordered:
            ordered[0].setFocus()

    def _version_changed(self) -> None:
        self.version = self.version_box.currentData()
        self._build_pages()

    # -- answering ---------------------------------------------------------------------
    def _move(self, row: QuestionRow, step: int) -> None:
        i = self._ordered.index(row) + step
        if 0 <= i < len(self._ordered):
            target = self._ordered[i]
            stage_index = [s.id for s in self.qset.stages].index(target.question.stage)
            self.tabs.setCurrentIndex(stage_index)
            target.setFocus()

    def _answer_chosen(self, qid: str, ans: Answer | None) -> None:
        row = self.rows[qid]
        self._submit(qid, ans, row.remark.text())

    def _remark_edited(self, qid: str, remark: str) -> None:
        ans = self.rows[qid].answer()
        if ans is None:
            if remark.strip():
                self.rows[qid].set_message(
                    tr("Pilih jawaban terlebih dahulu; keterangan disimpan bersama jawaban.")
                )
            return
        self._submit(qid, ans, remark)

    def _submit(self, qid: str, ans: Answer | None, remark: str) -> None:
        row = self.rows[qid]
        old = self.answers.get(qid)
        new = None if ans is None else AnswerEntry(ans, remark.strip())
        if new == old:
            row.set_message("")
            return
        try:
            self.write(qid, new, refresh_row=False)
        except ConcurrentEditError as exc:
            row.set_message(str(exc), reload=True)  # the choice and remark stay on screen
            return
        except ArgError as exc:
            # Keep the choice and the typed remark on screen; nothing was saved.
            row.set_message(str(exc))
            return
        row.set_message("")
        self.undo_stack.push(_AnswerCommand(self, qid, old, new))

    def write(self, qid: str, entry: AnswerEntry | None, *, refresh_row: bool = True) -> None:
        """Save one answer (raises ArgError with nothing written) and update the totals."""
        save_answer(
            self.db,
            self.node.id,
            self.year,
            self.qset,
            qid,
            None if entry is None else entry.answer,
            "" if entry is None else entry.remark,
            self.user,
            opd_id=self.opd_id,
            seen=self.seen.setdefault(qid, Seen()),
        )
        if entry is None:
            self.answers.pop(qid, None)
        else:
            self.answers[qid] = entry
        if refresh_row and qid in self.rows:
            self.rows[qid].show_entry(entry)
        self._refresh()
        self.answersChanged.emit()

    def write_or_say(self, qid: str, entry: AnswerEntry | None) -> None:
        """Undo/redo's write: a refusal is said on the question instead of raised."""
        try:
            self.write(qid, entry)
        except ConcurrentEditError as exc:
            if qid in self.rows:
                self.rows[qid].set_message(str(exc), reload=True)
        except ArgError as exc:
            if qid in self.rows:
                self.rows[qid].set_message(str(exc))

    def reload_answer(self, qid: str) -> None:
        """Show the answer another person saved; say what this user had chosen and typed."""
        row = self.rows[qid]
        mine, remark = row.answer(), row.remark.text().strip()
        with self.db.begin() as s:
            stored = load_answers(s, self.node.id, self.year, self.version).get(qid)
            self.seen[qid] = answers_seen(s, self.node.id, self.year, self.version).get(qid, Seen())
        if stored is None:
            self.answers.pop(qid, None)
        else:
            self.answers[qid] = stored
        row.show_entry(stored)
        typed = " — ".join(t for t in (ANSWER_LABELS[mine] if mine else "", remark) if t)
        if typed:
            row.set_message(
                tr("Jawaban terbaru sudah dimuat. Isian Anda yang belum tersimpan: {t}").replace(
                    "{t}", typed
                )
            )
        self._refresh()

    # -- the evaluation (Tabel 5.4 / 5.5) ----------------------------------------------
    def current_score(self) -> Score:
        return score(self.qset, self.answers)

    def _cell(self, name: str, row: int, col: int) -> QLabel:
        """A label of the totals grid, created once and then only updated."""
        lab = self._cells.get(name)
        if lab is None:
            lab = QLabel()
            lab.setObjectName(name)
            self.totals.addWidget(lab, row, col)
            self._cells[name] = lab
        return lab

    def _refresh(self) -> None:
        sc = self.current_score()
        if not hasattr(self, "_cells"):
            self._cells: dict[str, QLabel] = {}
        headers = [
            tr("Tabel 5.4 — Tahap"),
            tr("Ya"),
            tr("Tidak"),
            tr("Tidak dapat"),
            tr("Belum dijawab"),
        ]
        for c, h in enumerate(headers):
            self._cell(f"head-{c}", 0, c).setText(f"<b>{h}</b>")
        for r, st in enumerate(sc.stages, start=1):
            for c, v in enumerate([st.label, st.ya, st.tidak, st.tidak_dapat, st.unanswered]):
                self._cell(f"total-{r}-{c}", r, c).setText(str(v))
            self.stage_labels[st.stage].setText(
                tr("Ya: {ya} · Tidak: {tidak} · Tidak dapat: {td} · Belum: {b}")
                .replace("{ya}", str(st.ya))
                .replace("{tidak}", str(st.tidak))
                .replace("{td}", str(st.tidak_dapat))
                .replace("{b}", str(st.unanswered))
            )
        for i, (stage, st) in enumerate(zip(self.qset.stages, sc.stages, strict=True)):
            done = len(stage.questions) - st.unanswered
            self.tabs.setTabText(i, f"{stage.table} {stage.label} ({done}/{len(stage.questions)})")
        last = len(sc.stages) + 1
        self._cell("sum-label", last, 0).setText(tr("<b>Jumlah jawaban (√)</b>"))
        self._cell("sum-ya", last, 1).setText(f"<b>{sc.total_ya}</b>")
        self._cell("sum-tidak", last, 2).setText(f"<b>{sc.total_tidak}</b>")
        colour = CLASS_COLOURS.get(sc.klass, CLASS_COLOURS[None])
        self.class_label.setText(
            tr("Tabel 5.5 — Klasifikasi: ")
            + f"<span style='color:{colour}; font-weight:bold'>{sc.status_text}</span>"
            + f" ({tr('nilai')} {sc.total_ya})"
        )
        self.class_label.setProperty("klass", sc.klass or "")

    # -- leaving -------------------------------------------------------------------------
    def reject(self) -> None:
        # A remark typed but not yet confirmed with Enter/Tab is saved on close as well.
        focused = self.focusWidget()
        if isinstance(focused, QLineEdit):
            focused.editingFinished.emit()
        super().reject()
