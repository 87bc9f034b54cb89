"""The profile dialog shown on first run and from "Profil pengguna…"."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.services.profile import ROLE_FOCAL, ROLE_POKJA, Profile
from app.ui.first_run import ProfileDialog, default_year

OPDS = [("DINKES", "Dinkes PP & KB — Dinas Kesehatan"), ("BAPPEDA", "Bappeda")]
YEARS = [2022, 2023, 2024]


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


def test_default_year_is_this_year_clamped_into_the_plan() -> None:
    assert default_year(YEARS, date(2023, 5, 1)) == 2023
    assert default_year(YEARS, date(2026, 1, 1)) == 2024
    assert default_year(YEARS, date(2020, 1, 1)) == 2022
