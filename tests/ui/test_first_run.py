"""The profile dialog shown on first run and from "Profil pengguna…"."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import event, select

from app.models.db import Database, open_database
from app.models.schema import Opd, OpdAlias
from app.services.profile import ROLE_FOCAL, ROLE_POKJA, Profile, load_profile
from app.services.settings_store import store_profile
from app.ui.first_run import (
    ProfileDialog,
    RestoreRequest,
    edit_profile,
    match_opds,
    opd_spellings,
)

OPDS = [("DINKES", "Dinkes PP & KB — Dinas Kesehatan"), ("BAPPEDA", "Bappeda")]
YEARS = [2022, 2023, 2024]
NIP = "198001012005011001"


def _dialog(qtbot: QtBot, current: Profile | None = None) -> ProfileDialog:
    dlg = ProfileDialog(OPDS, YEARS, current, first_run=current is None)
    qtbot.addWidget(dlg)
    return dlg


def _fill(qtbot: QtBot, dlg: ProfileDialog, nip: str) -> None:
    qtbot.keyClicks(dlg.name, "Budi Santoso")
    qtbot.keyClicks(dlg.nip, nip)
    dlg.opd.setCurrentIndex(1)


def test_a_17_digit_nip_is_refused_with_a_message_and_18_digits_are_accepted(
    qtbot: QtBot,
) -> None:
    dlg = _dialog(qtbot)
    _fill(qtbot, dlg, "19790515200312100")
    dlg.accept()
    assert dlg.result() != QDialog.DialogCode.Accepted and dlg.profile is None
    error = dlg.errors["nip"]
    assert not error.isHidden()
    assert "18 digit" in error.text() and "17" in error.text()
    assert dlg.nip.text() == "19790515200312100"  # the typed text stays
    assert dlg.nip.property("invalid")

    qtbot.keyClick(dlg.nip, Qt.Key.Key_End)
    qtbot.keyClicks(dlg.nip, "2")
    dlg.accept()
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert dlg.profile == Profile(ROLE_FOCAL, "Budi Santoso", "197905152003121002", "DINKES", 2024)
    assert error.isHidden()


def test_focal_point_must_choose_an_opd_pokja_needs_none(qtbot: QtBot) -> None:
    dlg = _dialog(qtbot)
    qtbot.keyClicks(dlg.name, "Siti Aminah")
    qtbot.keyClicks(dlg.nip, "1980 0101 2005 01 1 001")  # spaces are fine
    dlg.accept()
    assert "Perangkat Daerah" in dlg.errors["opd"].text()
    assert dlg.profile is None
    dlg.pokja.setChecked(True)
    assert not dlg.opd.isEnabled()
    dlg.accept()
    assert dlg.profile is not None
    assert (dlg.profile.role, dlg.profile.opd_code) == (ROLE_POKJA, None)
    assert dlg.profile.nip == "198001012005011001"


def test_the_opd_can_be_found_by_typing_part_of_its_name(qtbot: QtBot) -> None:
    dlg = _dialog(qtbot)
    completer = dlg.opd.completer()
    completer.setCompletionPrefix("kesehatan")
    assert completer.completionCount() == 1
    assert completer.currentCompletion() == OPDS[0][1]


def test_an_existing_profile_is_shown_for_editing(qtbot: QtBot) -> None:
    current = Profile(ROLE_FOCAL, "Budi Santoso", "197905152003121002", "BAPPEDA", 2022)
    dlg = _dialog(qtbot, current)
    assert dlg.windowTitle() == "Profil pengguna"
    assert dlg.opd.currentData() == "BAPPEDA"
    assert dlg.year.currentData() == 2022
    dlg.accept()
    assert dlg.profile == current


THREE = [
    ("DINKES", "Dinkes PP & KB — Dinas Kesehatan"),
    ("DINSOS", "Dinsos PPPA — Dinas Sosial"),
    ("RSUD", "RSUD dr. Haryoto — Rumah Sakit Umum Daerah"),
]
SPELLINGS = {"DINKES": ["DINKES PP&KB"], "RSUD": ["RSUD Dr. Haryoto Lumajang"]}


def _typed(qtbot: QtBot, text: str, tmp: Path | None = None) -> ProfileDialog:
    dlg = ProfileDialog(THREE, YEARS, None, first_run=True, spellings=SPELLINGS, db_path=tmp)
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.name, "Budi Santoso")
    qtbot.keyClicks(dlg.nip, "197905152003121002")
    dlg.opd.setEditText(text)
    return dlg


def test_simpan_on_part_of_a_name_picks_the_one_match(qtbot: QtBot) -> None:
    dlg = _typed(qtbot, "kesehatan")
    dlg.accept()
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert dlg.profile is not None and dlg.profile.opd_code == "DINKES"
    assert dlg.opd.currentText() == THREE[0][1]


def test_a_spelling_from_the_documents_finds_its_opd(qtbot: QtBot) -> None:
    dlg = _typed(qtbot, "dinkes pp & kb")  # spaces and ampersand as people type them
    dlg.accept()
    assert dlg.profile is not None and dlg.profile.opd_code == "DINKES"


def test_several_matches_are_listed_and_the_typed_text_stays(qtbot: QtBot) -> None:
    dlg = _typed(qtbot, "dinas")
    dlg.accept()
    assert dlg.result() != QDialog.DialogCode.Accepted and dlg.profile is None
    assert dlg.opd.currentText() == "dinas"  # nothing typed is lost
    assert dlg.name.text() == "Budi Santoso"
    assert not dlg.candidates.isHidden()
    shown = [dlg.candidates.item(i).text() for i in range(dlg.candidates.count())]
    assert shown == [THREE[0][1], THREE[1][1]]
    assert "2 Perangkat Daerah cocok" in dlg.errors["opd"].text()

    dlg.candidates.itemClicked.emit(dlg.candidates.item(1))
    assert dlg.candidates.isHidden() and dlg.errors["opd"].isHidden()
    dlg.accept()
    assert dlg.profile is not None and dlg.profile.opd_code == "DINSOS"


def test_no_match_says_so_and_keeps_the_text(qtbot: QtBot) -> None:
    dlg = _typed(qtbot, "perikanan")
    dlg.accept()
    assert dlg.profile is None and dlg.opd.currentText() == "perikanan"
    assert "Tidak ada Perangkat Daerah yang cocok dengan “perikanan”" in dlg.errors["opd"].text()


def test_match_opds_prefers_an_exact_spelling() -> None:
    spellings = {1: ["DPKP"], 2: ["DPKPP — Dinas Perumahan"]}
    assert match_opds("dpkp", spellings) == [1]
    assert match_opds("DPKPP", spellings) == [2]
    assert match_opds("dinas", spellings) == [2]
    assert match_opds("  ", spellings) == []


def test_a_new_pc_can_restore_the_old_backup_from_first_run(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.ui import backup_dialog

    file = tmp_path / "cadangan.monevcadangan"
    seen: list[tuple[Path, Path]] = []

    class Confirmed:
        def __init__(self, db_path: Path, chosen: Path, **_kw: object) -> None:
            seen.append((db_path, chosen))
            self.preview = object()

        def exec(self) -> QDialog.DialogCode:
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(backup_dialog, "choose_backup_file", lambda parent: file)
    monkeypatch.setattr(backup_dialog, "BackupFileDialog", Confirmed)
    # Only on first run, and only where there is a database file to replace.
    assert _dialog(qtbot).restore_button is None
    dlg = _typed(qtbot, "", tmp_path / "monev.sqlite")
    assert dlg.restore_button is not None
    assert "Pulihkan dari berkas" in dlg.restore_button.text()
    dlg.restore_button.click()
    assert seen == [(tmp_path / "monev.sqlite", file)]
    assert dlg.restore_request == RestoreRequest(file)
    assert dlg.result() == QDialog.DialogCode.Rejected and dlg.profile is None


def test_a_profile_saved_by_another_member_since_the_dialog_opened_is_refused(
    qtbot: QtBot, syn_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_profile(syn_db, Profile(ROLE_POKJA, "Siti Aminah", NIP, None, 2023))
    shown: list[ProfileDialog] = []

    def meanwhile_then_ok(dlg: ProfileDialog) -> int:
        qtbot.addWidget(dlg)
        shown.append(dlg)
        budi = open_database(tmp_path / "syn.sqlite")  # another Pokja member's app
        store_profile(budi, Profile(ROLE_POKJA, "Budi Hartono", NIP, None, 2024))
        budi.dispose()
        dlg.name.setText("Ani Lestari")
        dlg.accept()
        return int(dlg.result())

    monkeypatch.setattr(ProfileDialog, "exec", meanwhile_then_ok)
    assert edit_profile(syn_db) is None
    dlg = shown[0]
    assert dlg.result() != QDialog.DialogCode.Accepted  # the dialog stays open ...
    assert dlg.conflict.refused  # the banner, with Muat ulang
    assert "diubah oleh Budi Hartono pada" in dlg.conflict.message.text()
    assert dlg.name.text() == "Ani Lestari"  # ... with what was typed
    with syn_db.begin() as s:
        assert load_profile(s) == Profile(ROLE_POKJA, "Budi Hartono", NIP, None, 2024)

    # Muat ulang: Budi's profile in the fields, Ani's unsaved name offered back.
    dlg.conflict.reload_button.click()
    assert dlg.name.text() == "Budi Hartono" and dlg.year.currentData() == 2024
    assert not dlg.conflict.refused and "Nama: Ani Lestari" in dlg.conflict.message.text()
    assert "Tahun" not in dlg.conflict.message.text()  # not typed by Ani: not offered
    dlg.conflict.restore_button.click()
    assert dlg.name.text() == "Ani Lestari" and dlg.year.currentData() == 2024
    assert dlg.conflict.isHidden()
    dlg.accept()  # saved over Budi's now that it was seen
    assert dlg.result() == QDialog.DialogCode.Accepted
    with syn_db.begin() as s:
        assert load_profile(s) == Profile(ROLE_POKJA, "Ani Lestari", NIP, None, 2024)


def test_the_profile_is_stored_when_nobody_saved_meanwhile(
    qtbot: QtBot, syn_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_profile(syn_db, Profile(ROLE_POKJA, "Siti Aminah", NIP, None, 2023))

    def ok(dlg: ProfileDialog) -> int:
        qtbot.addWidget(dlg)
        dlg.name.setText("Siti Aminah Putri")
        dlg.accept()
        return int(dlg.result())

    monkeypatch.setattr(ProfileDialog, "exec", ok)
    saved = edit_profile(syn_db)
    assert saved is not None and saved.name == "Siti Aminah Putri"
    with syn_db.begin() as s:
        assert load_profile(s) == saved


def test_the_profile_dialogs_spellings_read_every_opds_aliases_in_one_query(
    syn_db: Database,
) -> None:
    """Every spelling of every OPD for the OPD field: one query for all the aliases (a
    province has 1,254 OPDs; read one OPD at a time they cost a query each)."""
    given: dict[str, str] = {}
    with syn_db.begin() as s:
        for opd in s.scalars(select(Opd)):
            variant = f"Ejaan lain {opd.code}"
            s.add(OpdAlias(opd_id=opd.id, variant=variant))
            given[variant] = opd.code
    seen: list[str] = []

    def count(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(syn_db.engine, "before_cursor_execute", count)
    try:
        spellings = opd_spellings(syn_db)
    finally:
        event.remove(syn_db.engine, "before_cursor_execute", count)
    assert len([q for q in seen if "FROM opd_alias" in q]) == 1, seen
    for variant, code in given.items():
        assert variant in spellings[code]
