"""The export dialog's PAdES option: certificate checked up front, PDF signed in the export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.models.db import Database
from app.reports.pades import PadesError, verify_pdf
from app.services import catalog, export_and_sign
from app.ui.export_dialog import PADES_P12_KEY, ExportDialog
from app.ui.export_result import describe_result
from app.ui.main_window import MainWindow
from tests.reports.pades_helpers import PASSPHRASE, SIGNER_CN, Pki, make_pki
from tests.ui.conftest import FOCAL

Make = Callable[..., MainWindow]
NIP = "197001011990032005"


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


def _dialog(qtbot: QtBot, db: Database, folder: Path, settings: QSettings) -> ExportDialog:
    with db.begin() as s:
        years = catalog.get_plan(s).years
    dialog = ExportDialog(
        db, years, 2023, opd_code="OPD-002", is_pokja=False, folder=folder, settings=settings
    )
    qtbot.addWidget(dialog)
    dialog.signer_name.setText("Dra. Rina")
    dialog.signer_nip.setText(NIP)
    dialog.want_xlsx.setChecked(False)
    dialog.open_after.setChecked(False)
    return dialog


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_the_option_is_off_and_its_fields_follow_the_checkboxes(
    qtbot: QtBot, syn_db: Database, tmp_path: Path, settings: QSettings
) -> None:
    dialog = _dialog(qtbot, syn_db, tmp_path, settings)
    assert dialog.findChild(type(dialog.pades), "pades") is dialog.pades
    assert not dialog.pades.isChecked()
    assert not dialog.p12_path.isEnabled() and not dialog.p12_password.isEnabled()
    dialog.pades.setChecked(True)
    assert dialog.p12_path.isEnabled() and dialog.p12_password.isEnabled()
    dialog.want_pdf.setChecked(False)  # nothing to sign without a PDF
    assert not dialog.pades.isEnabled() and not dialog.p12_password.isEnabled()
    dialog.want_xlsx.setChecked(True)
    assert dialog.choice().pades is None


def test_wrong_password_keeps_the_dialog_open_and_writes_nothing(
    qtbot: QtBot, syn_db: Database, tmp_path: Path, settings: QSettings, pki: Pki
) -> None:
    out = tmp_path / "keluar"
    out.mkdir()
    dialog = _dialog(qtbot, syn_db, out, settings)
    dialog.pades.setChecked(True)
    dialog.p12_path.setText(str(pki.p12))
    dialog.p12_password.setText("salah")
    dialog._accept()
    assert dialog.result() == 0
    assert "Kata sandi sertifikat kepala-opd.p12 salah" in dialog.message.text()
    assert dialog.p12_path.text() == str(pki.p12)  # what was typed stays
    assert settings.value(PADES_P12_KEY) is None
    assert list(out.iterdir()) == []

    dialog.p12_path.setText(str(pki.ca_pem))
    dialog._accept()
    assert "bukan berkas sertifikat PKCS#12" in dialog.message.text()


def test_accepted_choice_carries_the_opened_certificate_never_the_password(
    qtbot: QtBot, syn_db: Database, tmp_path: Path, settings: QSettings, pki: Pki
) -> None:
    dialog = _dialog(qtbot, syn_db, tmp_path, settings)
    dialog.pades.setChecked(True)
    dialog.p12_path.setText(str(pki.p12))
    dialog.p12_password.setText(PASSPHRASE.decode())
    dialog._accept()
    assert dialog.result() == ExportDialog.DialogCode.Accepted
    assert dialog.p12_password.text() == ""
    choice = dialog.choice()  # what the window asks for after exec()
    assert choice.pades is not None and choice.pades.identity.name == SIGNER_CN
    assert choice.pades.location == "Lumajang"
    settings.sync()
    stored = Path(settings.fileName()).read_text(encoding="utf-8")
    assert "kepala-opd.p12" in stored and PASSPHRASE.decode() not in stored

    again = _dialog(qtbot, syn_db, tmp_path, settings)
    assert again.p12_path.text() == str(pki.p12)  # remembered for next time
    assert not again.pades.isChecked() and again.p12_password.text() == ""


def test_export_from_the_window_signs_the_pdf(
    qtbot: QtBot,
    syn_db: Database,
    make_window: Make,
    tmp_path: Path,
    settings: QSettings,
    pki: Pki,
) -> None:
    window = make_window(syn_db, FOCAL)
    dialog = _dialog(qtbot, syn_db, tmp_path, settings)
    dialog.pades.setChecked(True)
    dialog.p12_path.setText(str(pki.p12))
    dialog.p12_password.setText(PASSPHRASE.decode())
    dialog.want_xlsx.setChecked(True)
    dialog._accept()
    exporter = window.start_export(dialog.choice())
    with qtbot.waitSignal(exporter.done, timeout=60_000) as blocker:
        pass
    result = blocker.args[0]
    assert result.pdf == dialog.choice().pdf and result.xlsx.exists()
    report = verify_pdf(result.pdf, [pki.ca_pem])
    assert report.ok and report.signatures[0].trusted
    assert report.signatures[0].signer == SIGNER_CN
    assert _hidden(tmp_path) == []
    assert exporter.signed_by == SIGNER_CN
    assert "ditandatangani elektronik oleh " + SIGNER_CN in describe_result(
        result, exporter.signed_by
    )


def test_when_signing_fails_the_unsigned_report_is_kept_and_said_so(
    qtbot: QtBot,
    syn_db: Database,
    make_window: Make,
    tmp_path: Path,
    settings: QSettings,
    pki: Pki,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))

    def fail(*_args: object, **_kwargs: object) -> None:
        raise PadesError("Sertifikat ditolak (uji).")

    monkeypatch.setattr(export_and_sign, "sign_pdf", fail)
    window = make_window(syn_db, FOCAL)
    dialog = _dialog(qtbot, syn_db, tmp_path, settings)
    dialog.pades.setChecked(True)
    dialog.p12_path.setText(str(pki.p12))
    dialog.p12_password.setText(PASSPHRASE.decode())
    dialog._accept()
    choice = dialog.choice()
    exporter = window.start_export(choice)
    with qtbot.waitSignal(exporter.error, timeout=60_000) as blocker:
        pass
    assert "BELUM ditandatangani" in blocker.args[0] and "Sertifikat ditolak" in blocker.args[0]
    assert shown == [blocker.args[0]]
    assert choice.pdf is not None and choice.pdf.read_bytes().startswith(b"%PDF")
    assert not verify_pdf(choice.pdf).has_signatures
    assert _hidden(tmp_path) == []


def test_cancelled_signed_export_leaves_nothing(
    qtbot: QtBot,
    syn_db: Database,
    make_window: Make,
    tmp_path: Path,
    settings: QSettings,
    pki: Pki,
) -> None:
    window = make_window(syn_db, FOCAL)
    out = tmp_path / "keluar"
    out.mkdir()
    dialog = _dialog(qtbot, syn_db, out, settings)
    dialog.pades.setChecked(True)
    dialog.p12_path.setText(str(pki.p12))
    dialog.p12_password.setText(PASSPHRASE.decode())
    dialog._accept()
    exporter = window.start_export(dialog.choice())
    assert exporter.task is not None
    exporter.task.cancel()
    with qtbot.waitSignal(exporter.cancelled, timeout=60_000):
        pass
    assert list(out.iterdir()) == []
