"""The form for one plan row: the official text, the targets and the year's realisation.

Nothing typed is lost and nothing wrong is stored: every field is saved when the user
leaves it (its own transaction, through ``app.services.entry``), a refused value stays in
the field with the reason beside it, and every save is a command on the window's undo
stack whose undo writes the previous values back through the same audited path.

The form composes its sections (``row_realisation``, ``row_targets``, ``row_sections``);
they show values and say when a field was left, and the form decides what to save.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from app.domain.breakdown import Breakdown, BreakdownError
from app.domain.realisation import FIELD_LABELS, FormError, RealisationValues, parse_realisation
from app.models.db import Database
from app.resources import units
from app.services import catalog, corrections, entry, plan_edit, provenance, row_place
from app.services.catalog import RowDetail
from app.services.concurrency import ConcurrentEditError, Seen
from app.services.links import LinkedRow, LinkError, candidates, link_rows, linked_rows, unlink_rows
from app.services.realisation_write import REAL_FIELDS, realisation_seen
from app.ui.correction_dialog import CORRECTED_STYLE, CorrectionBanner, CorrectionDialog
from app.ui.link_dialog import LinkDialog
from app.ui.row_conflict import CONFLICT_STYLE, ConflictBanner
from app.ui.row_earlier import EarlierYearsSection
from app.ui.row_fields import MISMATCH, PARTS, focus_within, set_invalid
from app.ui.row_realisation import RealisationSection
from app.ui.row_sections import POLARITY_LABELS, HistorySection, LinksSection, OfficialSection
from app.ui.row_targets import Proposal, TargetBlock, TargetsSection
from app.ui.row_undo import RealisationCommand, TargetCommand

FAILED = object()  # what a writer returns when the service refused: nothing to undo


def tr(text: str) -> str:
    return QCoreApplication.translate("RowForm", text)


class RowForm(QWidget):
    """Shows and edits one row for one year; emits :attr:`saved` after every write."""

    saved = Signal(int, int)  # row id, year whose data changed in the database
    revealRequested = Signal(int, int)  # undo/redo touched this row/year: show it

    def __init__(
        self,
        db: Database,
        user: str,
        *,
        opd_id: int | None = None,
        undo_stack: QUndoStack | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.user, self.opd_id = db, user, opd_id
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self.row_id: int | None = None
        self.year: int | None = None
        self.detail: RowDetail | None = None
        self._saved_real: RealisationValues | None = None
        self._links: list[LinkedRow] = []
        # The versions this visit showed (another person may save the same row meanwhile).
        self._real_seen: Seen | None = None
        self._target_seen: dict[int, Seen] = {}
        self._kept: dict[str, str] = {}  # typed, not saved, kept across "Muat ulang"
        # Figures from an OPD's signed submission: read-only until Pokja starts a correction
        # (with a reason) for this visit to the row (app.services.corrections).
        self._signed_source = ""  # what the banner names; "" = not signed figures
        self._correction_reason: str | None = None
        self.session = 0  # counts loads: edits of one visit to a row share a number
        self.setObjectName("RowForm")
        self.setStyleSheet(
            'QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"]'
            " { border: 2px solid #b3261e; border-radius: 3px; }"
            " QLabel#error { color: #b3261e; font-weight: bold; }"
            " QLabel#muted { color: #5f6368; }"
            " QLabel#unsigned { color: #5c3800; background: #fff4d6;"
            " border: 1px solid #b26a00; border-radius: 3px; padding: 4px 6px; }"
            + CORRECTED_STYLE
            + CONFLICT_STYLE
        )
        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 8, 10, 8)

        self.title = QLabel(tr("Pilih baris di pohon untuk melihat dan mengisi realisasinya."))
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.title)
        self.indicator = QLabel()
        self.indicator.setObjectName("indicator")
        self.indicator.setWordWrap(True)
        self.indicator.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.indicator)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("muted")
        self.subtitle.setWordWrap(True)
        outer.addWidget(self.subtitle)
        # Figures imported from a fill-in workbook carry no signature: say so (docs/fillin.md).
        self.unsigned_label = QLabel()
        self.unsigned_label.setObjectName("unsigned")
        self.unsigned_label.setWordWrap(True)
        self.unsigned_label.hide()
        outer.addWidget(self.unsigned_label)
        self.correction_banner = CorrectionBanner()
        self.correction_banner.correctionRequested.connect(self.start_correction)
        outer.addWidget(self.correction_banner)
        self.conflict = ConflictBanner()
        self.conflict.reloadRequested.connect(self.reload_after_conflict)
        self.conflict.restoreRequested.connect(self.restore_typed)
        outer.addWidget(self.conflict)

        self.real_box = RealisationSection()
        self.real_box.fieldFinished.connect(self._real_finished)
        self.real_box.commitRequested.connect(self._commit_realisation)
        self.real_box.edited.connect(self._preview)
        outer.addWidget(self.real_box)
        self.targets_box = TargetsSection()
        self.targets_box.fieldFinished.connect(self._target_finished)
        self.targets_box.commitRequested.connect(self._commit_target)
        outer.addWidget(self.targets_box)
        self.earlier_box = EarlierYearsSection(db, user, pokja=opd_id is None)
        self.earlier_box.changed.connect(self.show_history)
        outer.addWidget(self.earlier_box)
        self.official_box = OfficialSection()
        outer.addWidget(self.official_box)
        self.links_box = LinksSection()
        self.links_box.linkRequested.connect(self.choose_link)
        self.links_box.unlinkRequested.connect(self.remove_links)
        outer.addWidget(self.links_box)
        self.history_box = HistorySection()
        outer.addWidget(self.history_box)
        outer.addStretch(1)
        self._set_editable(False)

    # --- links and history -----------------------------------------------------------------

    def show_links(self) -> None:
        """The rows of other plans this one shares its realisations with."""
        self._links = []
        if self.row_id is not None:
            with self.db.begin() as s:
                self._links = linked_rows(s, self.row_id)
        self.links_box.show_links(self._links, self.row_id is not None)

    def choose_link(self) -> None:
        if self.row_id is None or self.detail is None or not self.commit():
            return
        with self.db.begin() as s:
            options = candidates(s, self.row_id)
        dialog = LinkDialog(self.title.text(), options, self)
        if dialog.exec() != LinkDialog.DialogCode.Accepted or dialog.chosen is None:
            return
        self.make_link(dialog.chosen.row_id)

    def make_link(self, other_id: int) -> bool:
        assert self.row_id is not None and self.year is not None
        try:
            link_rows(self.db, self.row_id, other_id, self.user, opd_id=self.opd_id)
        except LinkError as exc:
            self.links_box.show_error(str(exc))
            return False
        self.load(self.row_id, self.year)  # a copied figure may have arrived on this row
        self.saved.emit(self.row_id, self.year)
        return True

    def remove_links(self) -> None:
        if self.row_id is None:
            return
        for link in list(self._links):
            unlink_rows(self.db, self.row_id, link.row_id, self.user, opd_id=self.opd_id)
        self.show_links()
        self.show_history()

    def show_history(self) -> None:
        """The row's audit trail, newest first: who changed what, when, old → new."""
        if self.detail is None:
            self.history_box.clear()
            return
        with self.db.begin() as s:
            entries = catalog.row_history(s, self.detail.key)
        self.history_box.show_entries(entries)

    # --- loading -------------------------------------------------------------------------

    def load(self, row_id: int | None, year: int) -> None:
        """Show a row (``None``: nothing) for a year, dropping anything not yet saved."""
        self.row_id, self.year = row_id, year
        self.session += 1
        self.real_box.set_year(year)
        self.conflict.hide()
        if row_id is None:
            self.detail = None
            self._saved_real = None
            self.title.setText(tr("Pilih baris di pohon untuk melihat dan mengisi realisasinya."))
            self.indicator.clear()
            self.subtitle.clear()
            self.unsigned_label.hide()
            self._signed_source, self._correction_reason = "", None
            self.correction_banner.hide()
            for edit in self._all_fields():
                edit.setText("")  # type: ignore[attr-defined]
            self._clear_errors()
            self._set_editable(False)
            self.show_links()
            self.earlier_box.show_row(None)
            self.history_box.clear()
            return
        with self.db.begin() as s:
            detail = catalog.row_detail(s, row_id)
            real = entry.get_realisation(s, row_id, year)
            source = provenance.source_info(s, detail.plan_code, detail.opd_code, year)
            signed = corrections.signed_source(s, row_id, year)
            marks = (plan_edit.corrected_fields(s, detail.key), row_place.is_retired(s, row_id))
            self._real_seen = realisation_seen(s, row_id, year)
            self._target_seen = {y: entry.target_seen(s, row_id, y) for y in detail.targets}
        self.detail = detail
        self._correction_reason = None
        self._signed_source = (
            ""
            if signed is None
            else tr("Kiriman bertanda tangan {o}, revisi {r} (diterima {d})")
            .replace("{o}", detail.opd_name)
            .replace("{r}", str(signed.revision))
            .replace("{d}", f"{signed.received_at:%d-%m-%Y}")
        )
        if source is not None and source.state == provenance.UNSIGNED:
            self.unsigned_label.setText(
                tr("Data dari berkas isian TANPA tanda tangan elektronik (diterima {d})").replace(
                    "{d}", f"{source.received_at:%d-%m-%Y}"
                )
            )
            self.unsigned_label.show()
        else:
            self.unsigned_label.hide()
        self._saved_real = real
        # Named as in the tree (aktivitas), with the indikator the figures answer to.
        self.title.setText(detail.aktivitas or detail.indikator or tr("(tanpa uraian)"))
        self.indicator.setText(
            tr("Indikator: {i}").replace("{i}", detail.indikator) if detail.indikator else ""
        )
        self.subtitle.setText(
            f"{detail.opd_name} · {tr('Satuan')}: {detail.satuan or '–'} · "
            + tr(POLARITY_LABELS.get(detail.polarity, detail.polarity))
        )
        self.official_box.show_row(detail, *marks)
        self.real_box.show_values(real)
        self.targets_box.build([*detail.targets])
        for y, block in self.targets_box.blocks.items():
            block.show(detail.targets.get(y))
        self.targets_box.fold(year)
        self._clear_errors()
        self._set_editable(True)
        self.show_corrections()
        self._preview()
        self.show_links()
        self.earlier_box.show_row(row_id, self.title.text())
        self.show_history()

    def _all_fields(self) -> list[QWidget]:
        return [*self.real_box.fields(), *self.targets_box.fields()]

    def _set_editable(self, on: bool) -> None:
        for w in self._all_fields():
            w.setEnabled(on)

    # --- Pokja corrections of signed figures ----------------------------------------------

    @property
    def signed_read_only(self) -> bool:
        """The realisation shown is an OPD's signed word and no correction was started."""
        return bool(self._signed_source) and self._correction_reason is None

    def show_corrections(self) -> None:
        """Banner, read-only state and the amber mark of every corrected field."""
        fixes: list[corrections.Correction] = []
        if self.row_id is not None and self.year is not None and self._signed_source:
            with self.db.begin() as s:
                fixes = corrections.row_corrections(s, self.row_id, self.year)
        by_field = {c.field: c for c in fixes}
        for name in REAL_FIELDS:
            w = self.real_box.field(name)
            fix = by_field.get(name)
            if bool(w.property("corrected")) != (fix is not None):
                w.setProperty("corrected", fix is not None)
                w.style().unpolish(w)
                w.style().polish(w)
            w.setToolTip(fix.text if fix is not None else "")
        if not self._signed_source:
            self.correction_banner.hide()
            return
        self.correction_banner.show_state(
            self._signed_source,
            fixes,
            editing=self._correction_reason is not None,
            reason=self._correction_reason or "",
        )
        for w in self.real_box.fields():
            w.setEnabled(not self.signed_read_only)

    def start_correction(self) -> None:
        """Ask why; with a reason the realisation fields become editable for this visit."""
        if self.row_id is None or not self._signed_source:
            return
        dialog = CorrectionDialog(self.title.text(), self._signed_source, self)
        if dialog.exec() != CorrectionDialog.DialogCode.Accepted:
            return
        self.begin_correction(dialog.reason)

    def begin_correction(self, reason: str) -> None:
        self._correction_reason = reason
        self.show_corrections()
        self.focus_first()

    def focus_first(self) -> None:
        """Where Enter in the tree lands: the realisation total."""
        if self.row_id is not None:
            total = self.real_box.edits["total"]
            total.setFocus(Qt.FocusReason.OtherFocusReason)
            total.selectAll()

    def focus_error(self) -> None:
        """Put the cursor in the first refused field, so it can be fixed at once."""
        for w in self._all_fields():
            if w.property("invalid"):
                w.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    # --- errors --------------------------------------------------------------------------

    def _clear_errors(self) -> None:
        for w in self._all_fields():
            set_invalid(w, False)
        self.real_box.error.hide()
        self.real_box.error.clear()
        for block in self.targets_box.blocks.values():
            block.error.hide()
            block.error.clear()

    @property
    def has_error(self) -> bool:
        """A refused value is still in a field (shown in red, not saved)."""
        return any(bool(w.property("invalid")) for w in self._all_fields())

    def error_text(self) -> str:
        texts = [self.conflict.message.text() if self.conflict.refused else ""]
        texts += [self.real_box.error.text()]
        texts += [b.error.text() for b in self.targets_box.blocks.values()]
        return "\n".join(t for t in texts if t)

    # --- realisation ---------------------------------------------------------------------

    def _real_finished(self, name: str) -> None:
        # Typing a total and then its parts passes through sums that do not add up yet;
        # while the focus stays among the four figures, that is not worth a red alarm.
        edits = self.real_box.edits
        parts: list[QWidget] = [edits[p] for p in PARTS]
        lenient = name in PARTS and not edits[name].hasFocus()
        self._commit_realisation(lenient=lenient and focus_within(parts))

    def _commit_realisation(self, lenient: bool = False) -> bool:
        """Save the realisation when it changed; ``False`` when a value was refused."""
        if self.row_id is None or self.year is None:
            return True
        box = self.real_box
        try:
            values = parse_realisation(box.texts(), counted_unit=self.counted_unit())
        except FormError as exc:
            box.clear_error()
            if lenient and str(exc).startswith(MISMATCH):
                return False
            box.show_error(box.field(exc.field), str(exc))
            return False
        box.clear_error()
        new = None if values.is_empty else values
        if new == self._saved_real:
            return True
        old = self.write_realisation(self.row_id, self.year, new)
        if old is FAILED:
            return False
        assert old is None or isinstance(old, RealisationValues)  # FAILED is the only other
        self.undo_stack.push(RealisationCommand(self, self.row_id, self.year, old, new))
        return True

    def write_realisation(
        self, row_id: int, year: int, values: RealisationValues | None, *, reveal: bool = False
    ) -> RealisationValues | object | None:
        """Store through ``entry`` (audited); returns the previous values or ``FAILED``."""
        seen = self._real_seen if (row_id, year) == (self.row_id, self.year) else None
        try:
            with self.db.begin() as s:
                signed = corrections.is_signed(s, row_id, year)
            if signed:
                # Undo of a correction after leaving the row has no reason typed: say so.
                reason = (
                    self._correction_reason
                    if row_id == self.row_id and self._correction_reason
                    else tr("urungkan koreksi sebelumnya")
                )
                old = corrections.correct_realisation(
                    self.db, row_id, year, values, reason, self.user, seen=seen
                )
            else:
                old = entry.save_realisation(
                    self.db, row_id, year, values, self.user, opd_id=self.opd_id, seen=seen
                )
        except ConcurrentEditError as exc:
            self.conflict.show_conflict(str(exc))  # the typed text stays in the fields
            return FAILED
        except (entry.EntryError, corrections.CorrectionError, BreakdownError) as exc:
            self.real_box.show_error(None, str(exc))
            return FAILED
        if row_id == self.row_id and year == self.year:
            self._saved_real = values
            if reveal:
                self.real_box.show_values(values)
                self._clear_errors()
        self._stamp()
        if row_id == self.row_id and year == self.year:
            self.show_corrections()
        self.saved.emit(row_id, year)
        if reveal:
            self.revealRequested.emit(row_id, year)
        self._preview()
        return old

    def _stamp(self) -> None:
        self.show_history()
        self.real_box.saved_label.setText(
            tr("Tersimpan {t}").replace("{t}", datetime.now().strftime("%H:%M:%S"))
        )

    def counted_unit(self) -> str | None:
        """The row's unit when it is counted one by one (whole figures only)."""
        unit = self.detail.satuan if self.detail is not None else ""
        return unit if units().is_counted(unit) else None

    def _effective_target(self) -> Decimal | None:
        if self.detail is None or self.year is None:
            return None
        info = self.detail.targets.get(self.year)
        return info.effective.effective_total if info else None

    def _preview(self) -> None:
        """Capaian and serapan from what is typed now (updated as the user types)."""
        if self.detail is None:
            self.real_box.clear_preview()
            return
        self.real_box.preview(self._effective_target(), self.detail.polarity, self.counted_unit())

    # --- target proposals ----------------------------------------------------------------

    def _target_finished(self, block: TargetBlock, widget: QLineEdit) -> None:
        lenient = not widget.hasFocus() and focus_within(block.fields())
        self._commit_target(block, lenient=lenient)

    def _commit_target(self, block: TargetBlock, lenient: bool = False) -> bool:
        if self.row_id is None:
            return True
        texts = {name: edit.text() for name, edit in block.edits.items()}
        text = block.text.text().strip()
        for w in block.fields():
            set_invalid(w, False)
        block.error.hide()
        new: Proposal | None
        if not text and not any(t.strip() for t in texts.values()):
            new = None  # everything cleared: the official target applies again
        else:
            try:
                bd = Breakdown.from_texts(
                    texts["total"], texts["male"], texts["female"], texts["disabled"]
                ).completed()
            except BreakdownError as exc:
                if lenient and str(exc).startswith(MISMATCH):
                    return False
                block.fail(str(exc))
                set_invalid(block.edits[exc.field or "total"], True)
                return False
            new = (text, bd)
        if new == block.saved:
            return True
        old = self.write_target(self.row_id, block.year, new)
        if old is FAILED:
            return False
        assert old is None or isinstance(old, tuple)  # FAILED is the only other
        self.undo_stack.push(TargetCommand(self, self.row_id, block.year, old, new))
        return True

    def write_target(
        self, row_id: int, year: int, proposal: Proposal | None, *, reveal: bool = False
    ) -> Proposal | object | None:
        """Propose (``None``: withdraw) through ``entry``; the previous proposal or ``FAILED``."""
        text, bd = proposal if proposal is not None else (None, None)
        block = self.targets_box.blocks.get(year)
        seen = self._target_seen.get(year) if row_id == self.row_id else None
        try:
            old_text, old_bd = entry.propose_target(
                self.db, row_id, year, text, bd, self.user, opd_id=self.opd_id, seen=seen
            )
        except ConcurrentEditError as exc:
            self.conflict.show_conflict(str(exc))
            return FAILED
        except (entry.EntryError, BreakdownError) as exc:
            if block is not None:
                block.fail(str(exc))
            return FAILED
        if row_id == self.row_id:
            with self.db.begin() as s:
                self.detail = catalog.row_detail(s, row_id)
            if block is not None:
                if reveal:
                    block.show(self.detail.targets.get(year))
                else:
                    block.saved = proposal
                    block.mark_proposed()
        self._stamp()
        self.saved.emit(row_id, year)
        if reveal:
            self.revealRequested.emit(row_id, year)
        self._preview()
        return None if old_bd is None else (old_text or "", old_bd)

    # --- another person saved first ----------------------------------------------------------

    def _typed(self) -> dict[str, tuple[str, QWidget]]:
        """Every field's text now, by a key that names the field in the kept list."""
        out: dict[str, tuple[str, QWidget]] = {}
        for name in REAL_FIELDS:
            w = self.real_box.field(name)
            out[FIELD_LABELS.get(name, name)] = (w.text(), w)  # type: ignore[attr-defined]
        for y, block in self.targets_box.blocks.items():
            label = tr("Usulan target {y}").replace("{y}", str(y))
            out[label] = (block.text.text(), block.text)
            for name, edit in block.edits.items():
                out[f"{label} ({FIELD_LABELS.get(name, name)})"] = (edit.text(), edit)
        return out

    def reload_after_conflict(self) -> None:
        """Load the other person's values; list what the user typed and did not save."""
        if self.row_id is None or self.year is None:
            return
        before = {k: text for k, (text, _w) in self._typed().items()}
        self.load(self.row_id, self.year)
        now = self._typed()
        self._kept = {k: t for k, t in before.items() if k in now and now[k][0] != t}
        self.conflict.show_kept([f"{k}: {t or '–'}" for k, t in self._kept.items()])

    def restore_typed(self) -> None:
        """Put the kept typed values back into the fields (saved when a field is left)."""
        fields = self._typed()
        for key, text in self._kept.items():
            if key in fields:
                fields[key][1].setText(text)  # type: ignore[attr-defined]
        self._kept = {}
        self.conflict.hide()
        self._preview()

    # --- the whole form --------------------------------------------------------------------

    def commit(self) -> bool:
        """Save whatever is pending (before switching rows); ``False`` if a value is refused."""
        if self.row_id is None:
            return True
        ok = self._commit_realisation()
        for block in self.targets_box.blocks.values():
            ok = self._commit_target(block) and ok
        return ok
