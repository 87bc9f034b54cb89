"""Who is using this installation: asked on first run, editable later ("Profil pengguna…").

The role decides what the window shows: a focal point sees and edits only their own
OPD's rows, Pokja sees every OPD. Validation is ``core.profile``'s; a refused value
stays in its field with the reason beside it.

The OPD field takes part of a name as typed ("kesehatan", a short name, a spelling from
the documents): Simpan picks the one OPD it matches, or lists the matches to choose
from, keeping the typed text until one is chosen. On a new PC the first-run dialog also
offers to restore a one-file backup instead (``backup_dialog``, ``services.restore``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import default_year
from app.domain.search import normalise
from app.models.db import Database
from app.services import catalog
from app.services.concurrency import ConcurrentEditError
from app.services.profile import (
    ROLE_FOCAL,
    ROLE_LABELS,
    ROLE_POKJA,
    Profile,
    ProfileError,
    load_profile,
    profile_seen,
    validate_profile,
)
from app.services.settings_store import store_profile
from app.ui.row_conflict import CONFLICT_STYLE, ConflictBanner, Typed, typed_values


def tr(text: str) -> str:
    return QCoreApplication.translate("ProfileDialog", text)


@dataclass(frozen=True)
class RestoreRequest:
    """The first-run answer "restore this backup file" instead of a new profile."""

    file: Path


def _squashed(text: str) -> str:
    """Letters and digits only: "PP&KB" and "pp & kb" compare equal."""
    return re.sub(r"[\W_]+", "", normalise(text))


def match_opds(text: str, spellings: Mapping[int, Iterable[str]]) -> list[int]:
    """The keys of ``spellings`` whose OPD ``text`` names, best first.

    An exact spelling (case, spaces and punctuation aside) wins alone; otherwise every
    OPD whose spellings together contain every typed word, or the typed letters in one
    run ("dinkes" in "Dinkes PP & KB").
    """
    words = re.sub(r"[\W_]+", " ", normalise(text)).split()
    squashed = "".join(words)
    if not squashed:
        return []
    exact: list[int] = []
    partial: list[int] = []
    for key, names in spellings.items():
        names = [n for n in names if n]
        if any(_squashed(n) == squashed for n in names):
            exact.append(key)
            continue
        plain = " ".join(re.sub(r"[\W_]+", " ", normalise(n)) for n in names)
        if all(w in plain for w in words) or any(squashed in _squashed(n) for n in names):
            partial.append(key)
    return exact if len(exact) == 1 else exact + partial


class ProfileDialog(QDialog):
    """Role, name, NIP, OPD and reporting year; :attr:`profile` is set on accept."""

    def __init__(
        self,
        opds: list[tuple[str, str]],
        years: list[int],
        current: Profile | None = None,
        *,
        first_run: bool = False,
        spellings: Mapping[str, Iterable[str]] | None = None,
        db_path: Path | None = None,
        parent: QWidget | None = None,
        store: Callable[[Profile], object] | None = None,
        reload: Callable[[], Profile | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.years = years
        # Saves on OK, so a refusal (another Pokja member saved the profile since the
        # dialog opened) keeps the dialog and its text open instead of losing them;
        # ``reload`` reads the profile as stored now, for the banner's "Muat ulang".
        self.store = store
        self.reload = reload
        self.profile: Profile | None = None
        self.db_path = db_path
        self.restore_request: RestoreRequest | None = None
        self.setWindowTitle(
            tr("Selamat datang di Monev RAD PUG") if first_run else tr("Profil pengguna")
        )
        self.setMinimumWidth(560)
        self.setStyleSheet(
            'QLineEdit[invalid="true"], QComboBox[invalid="true"]'
            " { border: 2px solid #b3261e; border-radius: 3px; }"
            ' QLabel[error="true"] { color: #b3261e; font-weight: bold; }'
        )
        layout = QVBoxLayout(self)
        if first_run:
            intro = QLabel(
                tr(
                    "Sebelum mulai, isi profil Anda. Profil disimpan di berkas basis data ini "
                    "dan tercantum pada setiap perubahan yang Anda simpan."
                )
            )
            intro.setWordWrap(True)
            layout.addWidget(intro)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(form)

        self.focal = QRadioButton(tr(ROLE_LABELS[ROLE_FOCAL]))
        self.pokja = QRadioButton(tr(ROLE_LABELS[ROLE_POKJA]))
        self.roles = QButtonGroup(self)
        self.roles.addButton(self.focal)
        self.roles.addButton(self.pokja)
        roles = QVBoxLayout()
        roles.addWidget(self.focal)
        roles.addWidget(self.pokja)
        self.errors: dict[str, QLabel] = {}
        form.addRow(tr("Peran:"), self._with_error("role", roles))

        self.name = QLineEdit()
        self.name.setObjectName("name")
        form.addRow(tr("&Nama:"), self._with_error("name", self.name))
        self.nip = QLineEdit()
        self.nip.setObjectName("nip")
        self.nip.setPlaceholderText(tr("18 digit, misalnya 198001012005011001"))
        self.nip.setMaxLength(30)  # room for the spaces and dots people type
        form.addRow(tr("N&IP:"), self._with_error("nip", self.nip))

        self.opd = QComboBox()
        self.opd.setObjectName("opd")
        self.opd.setEditable(True)
        self.opd.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # Long agency names must not push the labels out of the dialog.
        self.opd.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.opd.setMinimumContentsLength(32)
        self.opd.currentIndexChanged.connect(self._show_opd_start)
        self.opd.addItem("", None)
        for code, label in opds:
            self.opd.addItem(label, code)
        completer = QCompleter(self.opd.model(), self.opd)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.opd.setCompleter(completer)
        lineedit = self.opd.lineEdit()
        if lineedit is not None:
            lineedit.setPlaceholderText(tr("Ketik untuk mencari, misalnya “kesehatan”"))
        # Every spelling an OPD is known by, per combo index, for Simpan on typed text.
        extra = spellings or {}
        self.spellings: dict[int, list[str]] = {
            i: [label, code, *extra.get(code, ())] for i, (code, label) in enumerate(opds, 1)
        }
        self.candidates = QListWidget()
        self.candidates.setObjectName("candidates")
        self.candidates.setMaximumHeight(120)
        self.candidates.hide()
        self.candidates.itemActivated.connect(self._pick_candidate)
        self.candidates.itemClicked.connect(self._pick_candidate)
        opd_column = QVBoxLayout()
        opd_column.addWidget(self.opd)
        opd_column.addWidget(self.candidates)
        form.addRow(tr("&Perangkat Daerah:"), self._with_error("opd", opd_column))

        self.year = QComboBox()
        self.year.setObjectName("year")
        for y in years:
            self.year.addItem(str(y), y)
        form.addRow(tr("&Tahun pelaporan:"), self._with_error("year", self.year))

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(tr("Simpan"))
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(tr("Keluar") if first_run else tr("Batal"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.restore_button: QPushButton | None = None
        if first_run and db_path is not None:
            self.restore_button = buttons.addButton(
                tr("Pulihkan dari berkas &cadangan…"), QDialogButtonBox.ButtonRole.ActionRole
            )
            self.restore_button.setToolTip(
                tr("PC baru: pulihkan data dan kunci dari berkas .monevcadangan PC lama.")
            )
            self.restore_button.clicked.connect(self._restore_from_file)
        self.conflict = ConflictBanner()
        self.conflict.setStyleSheet(CONFLICT_STYLE)
        self.conflict.reloadRequested.connect(self.reload_after_conflict)
        self.conflict.restoreRequested.connect(self.conflict.put_back)
        layout.addWidget(self.conflict)
        layout.addWidget(buttons)

        self.focal.toggled.connect(self._role_changed)
        self._fill(current)
        self._shown = typed_values(self._fields())  # as stored when the dialog opened

    def _fields(self) -> dict[str, Typed]:
        """The form's values by their label, as the conflict banner lists and restores them."""
        pokja = self.pokja.isChecked()
        opd = self.opd.currentText().strip()
        return {
            tr("Peran"): (
                pokja,
                tr(ROLE_LABELS[ROLE_POKJA if pokja else ROLE_FOCAL]),
                lambda v: (self.pokja if v else self.focal).setChecked(True),
            ),
            tr("Nama"): (self.name.text(), self.name.text() or "–", self.name.setText),
            tr("NIP"): (self.nip.text(), self.nip.text() or "–", self.nip.setText),
            tr("Perangkat Daerah"): (opd, opd or "–", self.opd.setEditText),
            tr("Tahun pelaporan"): (
                self.year.currentText(),
                self.year.currentText(),
                self.year.setCurrentText,
            ),
        }

    def reload_after_conflict(self) -> None:
        """Show the profile as stored now; list what the user typed and did not save."""
        if self.reload is None:
            return
        before = self._fields()
        self._clear_errors()
        self._fill(self.reload())
        shown, self._shown = self._shown, typed_values(self._fields())
        self.conflict.offer_unsaved(before, shown, self._shown)

    def _with_error(self, name: str, field: QWidget | QVBoxLayout) -> QWidget:
        """The field with a red message line under it (hidden until needed)."""
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(2)
        if isinstance(field, QWidget):
            col.addWidget(field)
        else:
            col.addLayout(field)
        error = QLabel()
        error.setObjectName(f"error-{name}")
        error.setProperty("error", True)
        error.setWordWrap(True)
        error.hide()
        col.addWidget(error)
        self.errors[name] = error
        return box

    def _fill(self, current: Profile | None) -> None:
        role = current.role if current else ROLE_FOCAL
        (self.pokja if role == ROLE_POKJA else self.focal).setChecked(True)
        self._role_changed()
        if current is not None:
            self.name.setText(current.name)
            self.nip.setText(current.nip)
            if current.opd_code:
                self.opd.setCurrentIndex(max(0, self.opd.findData(current.opd_code)))
        year = current.year if current and current.year in self.years else None
        year = year or default_year(self.years)
        self.year.setCurrentIndex(max(0, self.year.findData(year)))

    def _show_opd_start(self) -> None:
        # A long name is more recognisable by its start than by its end.
        lineedit = self.opd.lineEdit()
        if lineedit is not None:
            lineedit.setCursorPosition(0)

    def _role_changed(self) -> None:
        # Pokja works on every OPD; the field stays visible so the choice is understood.
        self.opd.setEnabled(self.focal.isChecked())

    def _opd_code(self) -> str | None:
        if not self.focal.isChecked():
            return None
        i = self.opd.findText(self.opd.currentText().strip(), Qt.MatchFlag.MatchFixedString)
        return self.opd.itemData(i) if i > 0 else None

    def _resolve_typed_opd(self) -> str | None:
        """Pick the one OPD the typed text names; else why not (the text stays as typed)."""
        self.candidates.hide()
        text = self.opd.currentText().strip()
        if not self.focal.isChecked() or not text or self._opd_code() is not None:
            return None
        found = match_opds(text, self.spellings)
        if len(found) == 1:
            self.opd.setCurrentIndex(found[0])
            return None
        if not found:
            return tr(
                "Tidak ada Perangkat Daerah yang cocok dengan “{t}”. Ketik bagian lain "
                "namanya atau singkatannya, atau pilih dari daftar."
            ).replace("{t}", text)
        self.candidates.clear()
        for index in found:
            item = QListWidgetItem(self.opd.itemText(index))
            item.setData(Qt.ItemDataRole.UserRole, index)
            self.candidates.addItem(item)
        self.candidates.show()
        return (
            tr("{n} Perangkat Daerah cocok dengan “{t}”: pilih salah satu di bawah.")
            .replace("{n}", str(len(found)))
            .replace("{t}", text)
        )

    def _pick_candidate(self, item: QListWidgetItem) -> None:
        self.opd.setCurrentIndex(int(item.data(Qt.ItemDataRole.UserRole)))
        self.candidates.hide()
        self._clear_errors()

    def _restore_from_file(self) -> None:
        """A new PC: choose the old PC's backup file, read what it holds, confirm."""
        from app.ui.backup_dialog import BackupFileDialog, choose_backup_file

        assert self.db_path is not None
        file = choose_backup_file(self)
        if file is None:
            return
        dialog = BackupFileDialog(self.db_path, file, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.preview is not None:
            self.restore_request = RestoreRequest(file)
            self.reject()

    def _widget(self, field: str) -> QWidget:
        return {"name": self.name, "nip": self.nip, "opd": self.opd, "year": self.year}.get(
            field, self.focal
        )

    def _clear_errors(self) -> None:
        for name, label in self.errors.items():
            label.hide()
            w = self._widget(name)
            w.setProperty("invalid", False)
            w.style().polish(w)

    def _refuse(self, field: str, text: str) -> None:
        label = self.errors.get(field, self.errors["role"])
        label.setText(text)
        label.show()
        w = self._widget(field)
        w.setProperty("invalid", True)
        w.style().unpolish(w)
        w.style().polish(w)
        w.setFocus()

    def accept(self) -> None:
        self._clear_errors()
        problem = self._resolve_typed_opd()
        if problem is not None:
            self._refuse("opd", problem)
            return
        role = ROLE_POKJA if self.pokja.isChecked() else ROLE_FOCAL
        year = self.year.currentData()
        try:
            self.profile = validate_profile(
                role,
                self.name.text(),
                self.nip.text(),
                self._opd_code(),
                int(year) if year is not None else 0,
                self.years,
            )
            if self.store is not None:
                self.store(self.profile)
        except ProfileError as exc:
            self.profile = None
            self._refuse(exc.field, str(exc))
            return
        except ConcurrentEditError as exc:
            self.profile = None
            if self.reload is None:
                self._refuse("role", str(exc))  # shown at the top, every field kept
            else:
                self.conflict.show_conflict(str(exc))  # every field kept until Muat ulang
            return
        super().accept()


def opd_choices(db: Database) -> tuple[list[tuple[str, str]], list[int]]:
    """The canonical OPDs (code, label) and the RAD PUG plan's years."""
    with db.begin() as s:
        opds = [
            (o.code, o.name if o.short_name == o.name else f"{o.short_name} — {o.name}")
            for o in catalog.opds(s)
        ]
        years = catalog.get_plan(s).years
    return opds, years


def opd_spellings(db: Database) -> dict[str, list[str]]:
    """Every OPD's other names (canonical, short, spellings seen in documents) by code."""
    with db.begin() as s:
        return {
            o.code: [o.name, o.short_name, *(a.variant for a in o.aliases)]
            for o in catalog.opds(s, with_aliases=True)
        }


def profile_dialog(
    db: Database,
    parent: QWidget | None = None,
    *,
    first_run: bool = False,
    db_path: Path | None = None,
) -> ProfileDialog:
    """The dialog on ``db``'s stored profile, saving on OK (refused when another Pokja
    member saved since it opened, with "Muat ulang" reading theirs)."""
    opds, years = opd_choices(db)
    with db.begin() as s:
        current = load_profile(s)
        seen = profile_seen(s)  # the version the dialog shows; a later save is refused

    def reload() -> Profile | None:
        with db.begin() as s:
            latest = load_profile(s)
            seen.version = profile_seen(s).version  # the reloaded one is what it shows now
        return latest

    dialog = ProfileDialog(
        opds,
        years,
        current,
        first_run=first_run,
        spellings=opd_spellings(db),
        db_path=db_path,
        parent=parent,
        store=lambda profile: store_profile(db, profile, seen),
        reload=reload,
    )
    return dialog


def _ask_profile(
    db: Database, parent: QWidget | None, *, first_run: bool, db_path: Path | None
) -> ProfileDialog:
    """The dialog after it closed: its ``profile`` or ``restore_request`` say the answer."""
    dialog = profile_dialog(db, parent, first_run=first_run, db_path=db_path)
    dialog.exec()
    return dialog


def edit_profile(
    db: Database, parent: QWidget | None = None, *, first_run: bool = False
) -> Profile | None:
    """Ask for the profile and store it; the new :class:`Profile`, or ``None`` on cancel."""
    dialog = _ask_profile(db, parent, first_run=first_run, db_path=None)
    return dialog.profile  # stored by the dialog's OK


def first_run_profile(db: Database) -> Profile | RestoreRequest | None:
    """First run: a new profile (stored), a backup file to restore, or ``None`` to leave."""
    dialog = _ask_profile(db, None, first_run=True, db_path=db.path)
    if dialog.restore_request is not None:
        return dialog.restore_request
    return dialog.profile  # stored by the dialog's OK


__all__ = [
    "ProfileDialog",
    "RestoreRequest",
    "edit_profile",
    "first_run_profile",
    "match_opds",
    "opd_choices",
    "opd_spellings",
    "profile_dialog",
]
