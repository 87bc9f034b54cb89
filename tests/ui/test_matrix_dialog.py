"""The two matrix dialogs: a focal point previews and applies, Pokja creates the package."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.formats import keys
from app.formats.matrix_package import read_matrix
from app.models.schema import PlanRow, Realisation
from app.services.matrix_export import export_matrix
from app.services.trust import pin_pokja_key, pokja_key
from app.ui.matrix_dialog import MatrixExportDialog, MatrixImportDialog
from tests.services.submission_helpers import PASSPHRASE, Pair, dump_bytes, make_pair

PLAN = "SYN-2022-2024"


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


@pytest.fixture
def infos(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []

    def information(_parent: object, _title: str, text: str, *a: object) -> None:
        said.append(text)

    monkeypatch.setattr(QMessageBox, "information", information)
    return said


def _correct(pair: Pair) -> str:
    """Pokja corrects the first filled row's indicator; returns the row key."""
    with pair.focal.begin() as s:
        key = s.scalars(
            select(PlanRow.key).join(Realisation, Realisation.row_id == PlanRow.id).limit(1)
        ).one()
    with pair.pokja.begin() as s:
        s.scalars(select(PlanRow).where(PlanRow.key == key)).one().indikator = "Indikator baru"
    return key


def test_preview_shows_the_signer_and_changes_then_applies(
    qtbot: QtBot, pair: Pair, tmp_path: Path, infos: list[str]
) -> None:
    key = _correct(pair)
    pkg = export_matrix(pair.pokja, PLAN, pair.key, tmp_path / "m.monevmatriks", "Koreksi")
    with pair.focal.begin() as s:
        reals = sorted((r.row_id, r.year, r.total) for r in s.scalars(select(Realisation)))

    dialog = MatrixImportDialog(pair.focal, user="Budi", path=pkg.path)
    qtbot.addWidget(dialog)
    assert dialog.fingerprint.text() == keys.grouped(pair.key.key_id)
    assert "belum disematkan" in dialog.key_status.text()
    assert dialog.note_label.text() == "Koreksi"
    assert "0 baris baru, 1 baris berubah" in dialog.summary.text()
    top = dialog.changes.topLevelItem(0)
    assert top is not None and top.text(0).startswith("[Berubah] OPD-001 — Indikator baru")
    child = top.child(0)
    assert child is not None
    assert (child.text(0), child.text(2)) == ("Indikator", "Indikator baru")
    # Not before the user says the fingerprint was compared.
    assert not dialog.apply_button.isEnabled()
    dialog.accept_key.setChecked(True)
    assert dialog.apply_button.isEnabled()

    with qtbot.waitSignal(dialog.applied, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    outcome = blocker.args[0]
    assert outcome.changed and outcome.key_pinned
    assert infos and "diperbarui" in infos[0] and "disematkan" in infos[0]
    with pair.focal.begin() as s:
        assert s.scalars(select(PlanRow).where(PlanRow.key == key)).one().indikator == (
            "Indikator baru"
        )
        assert sorted((r.row_id, r.year, r.total) for r in s.scalars(select(Realisation))) == (
            reals
        )
        assert pokja_key(s) is not None

    # The same package again: said plainly, nothing to apply.
    again = MatrixImportDialog(pair.focal, path=pkg.path)
    qtbot.addWidget(again)
    assert "Cocok dengan kunci Pokja" in again.key_status.text()
    assert not again.accept_key.isVisibleTo(again)
    assert "sudah diterapkan" in again.summary.text()
    assert not again.apply_button.isEnabled()


def test_tampered_package_is_refused_in_the_dialog(
    qtbot: QtBot, pair: Pair, tmp_path: Path
) -> None:
    pkg = export_matrix(pair.pokja, PLAN, pair.key, tmp_path / "m.monevmatriks").path
    data = bytearray(pkg.read_bytes())
    data[len(data) // 2] ^= 0x55
    bad = tmp_path / "rusak.monevmatriks"
    bad.write_bytes(bytes(data))
    before = dump_bytes(pair.focal)
    dialog = MatrixImportDialog(pair.focal, path=bad)
    qtbot.addWidget(dialog)
    assert "ditolak" in dialog.message.text() or "bukan paket" in dialog.message.text()
    assert dialog.changes.topLevelItemCount() == 0
    assert dialog.fingerprint.text() == "–"
    assert not dialog.apply_button.isEnabled()
    assert dump_bytes(pair.focal) == before


def test_a_different_key_is_flagged_and_needs_explicit_acceptance(
    qtbot: QtBot, pair: Pair, tmp_path: Path
) -> None:
    with pair.focal.begin() as s:
        pin_pokja_key(s, pair.key.public)
    other = keys.generate_key(PASSPHRASE, tmp_path / "lain")
    _correct(pair)
    pkg = export_matrix(pair.pokja, PLAN, other, tmp_path / "m.monevmatriks").path
    dialog = MatrixImportDialog(pair.focal, path=pkg)
    qtbot.addWidget(dialog)
    assert "BERBEDA" in dialog.key_status.text()
    assert keys.grouped(pair.key.key_id) in dialog.key_status.text()
    assert dialog.accept_key.isVisibleTo(dialog)
    assert not dialog.apply_button.isEnabled()


def test_pokja_creates_a_signed_package(
    qtbot: QtBot, pair: Pair, tmp_path: Path, infos: list[str]
) -> None:
    dialog = MatrixExportDialog(pair.pokja, key_folder=tmp_path / "kunci", folder=tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.fingerprint.text() == keys.grouped(pair.key.key_id)
    assert dialog.out.text().endswith(".monevmatriks")
    dialog.note.setPlainText("Koreksi target")

    # A wrong passphrase is said in the dialog; no file appears.
    dialog.passphrase.setText("sandi-yang-salah")
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None and bool(dialog.message.text()), timeout=10_000)
    assert "Kata sandi kunci salah" in dialog.message.text()
    assert not Path(dialog.out.text()).exists()

    dialog.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.exported, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    pkg = read_matrix(result.path)
    assert pkg.note == "Koreksi target" and pkg.key_id == pair.key.key_id
    assert infos and "60 baris" in infos[0]
    assert dialog.passphrase.text() == ""


def test_without_a_key_the_dialog_offers_to_make_one(
    qtbot: QtBot, pair: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.ui import key_dialog

    folder = tmp_path / "kunci-baru"
    dialog = MatrixExportDialog(pair.pokja, key_folder=folder, folder=tmp_path)
    qtbot.addWidget(dialog)
    assert "belum dibuat" in dialog.fingerprint.text()
    assert "python -m app" not in dialog.fingerprint.text()  # no command line in a window
    assert not dialog.make_key.isHidden() and not dialog.send_button.isEnabled()

    made: list[Path | None] = []

    def make(self: key_dialog.KeyDialog) -> int:
        made.append(self.folder)
        keys.generate_key(PASSPHRASE, self.folder)
        return 1

    monkeypatch.setattr(key_dialog.KeyDialog, "exec", make)
    dialog.make_key.click()
    assert made == [folder]
    assert dialog.make_key.isHidden() and dialog.send_button.isEnabled()
    assert dialog.public_button.isEnabled()
    assert dialog.fingerprint.text() == keys.grouped(keys.stored_key_id(folder) or "")
