"""A focal point exports the signed submission from the window; Pokja imports it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from app.formats import keys
from app.formats.submission import read_package
from app.formats.synthetic import synthetic_plan
from app.models.db import Database, open_database
from app.services import catalog, importer
from app.services.seeding import load_plan_data
from app.ui.export_dialog import ExportDialog
from app.ui.export_result import describe_result
from app.ui.main_window import MainWindow
from tests.ui.conftest import FOCAL

SECRET = "rahasia-dinas-2023"
NIP = "197001011990032005"


def _dialog(qtbot: QtBot, db: Database, tmp: Path, settings: QSettings) -> ExportDialog:
    with db.begin() as s:
        years = catalog.get_plan(s).years
    dialog = ExportDialog(
        db,
        years,
        2023,
        opd_code="OPD-002",
        is_pokja=False,
        folder=tmp,
        settings=settings,
        key_folder=tmp / "kunci",
    )
    qtbot.addWidget(dialog)
    dialog.signer_name.setText("Dra. Rina")
    dialog.signer_nip.setText(NIP)
    dialog.open_after.setChecked(False)
    return dialog


def test_without_a_key_the_option_is_off_and_offers_to_make_one(
    qtbot: QtBot, syn_db: Database, tmp_path: Path, settings: QSettings
) -> None:
    dialog = _dialog(qtbot, syn_db, tmp_path, settings)
    assert dialog.submit is not None
    assert not dialog.submit.isEnabled() and not dialog.submit.isChecked()
    assert "belum ada kunci" in dialog.key_label.text()
    assert not dialog.make_key.isHidden()
    assert dialog.choice().submission_key is None  # an ordinary report


def test_signed_submission_from_the_window_imports_at_pokja(
    qtbot: QtBot,
    syn_db: Database,
    make_window: Callable[..., MainWindow],
    tmp_path: Path,
    settings: QSettings,
) -> None:
    key = keys.generate_key(SECRET, tmp_path / "kunci")
    window = make_window(syn_db, FOCAL)
    dialog = _dialog(qtbot, syn_db, tmp_path, settings)
    assert dialog.submit is not None and dialog.submit.isChecked()  # the default with a key
    assert keys.grouped(key.key_id) in dialog.key_label.text()

    # A wrong passphrase keeps the dialog open and names the problem; no file is written.
    dialog.key_password.setText("salah-sekali")
    dialog._accept()
    assert dialog.result() != ExportDialog.DialogCode.Accepted
    assert "Kata sandi kunci salah" in dialog.message.text()
    # Excel is where the signed content lives.
    dialog.key_password.setText(SECRET)
    dialog.want_xlsx.setChecked(False)
    dialog._accept()
    assert "berkas Excel" in dialog.message.text()
    dialog.want_xlsx.setChecked(True)
    dialog._accept()
    assert dialog.result() == ExportDialog.DialogCode.Accepted
    assert dialog.key_password.text() == ""  # the passphrase does not linger

    choice = dialog.choice()
    exporter = window.start_export(choice)
    with qtbot.waitSignal(exporter.done, timeout=60_000) as blocker:
        pass
    result = blocker.args[0]
    assert result.xlsx == choice.xlsx and result.pdf is not None and result.pdf.exists()
    signed = read_package(result.xlsx)
    assert (signed.opd_code, signed.year, signed.key_id) == ("OPD-002", 2023, key.key_id)
    assert "kiriman revisi 1, kode verifikasi" in describe_result(result)

    pokja = open_database(tmp_path / "pokja.sqlite")
    try:
        with syn_db.begin() as s:
            plan_code = catalog.get_plan(s).code
        assert plan_code == signed.content["plan"]["code"]
        load_plan_data(pokja, synthetic_plan(300, opds=5))
        out = importer.import_file(pokja, result.xlsx, accept_new_key=True)
        assert out.outcome == importer.ACCEPTED, out.reason
    finally:
        pokja.dispose()
