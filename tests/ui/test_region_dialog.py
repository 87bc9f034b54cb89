"""Pokja's region dialog: edits the stored profile; the window title follows it."""

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.models.db import Database, open_database
from app.services.region import load_region, store_region
from app.ui.main_window import MainWindow
from app.ui.region_dialog import RegionDialog
from tests.ui.conftest import POKJA

Make = Callable[..., MainWindow]
PNG = b"\x89PNG\r\n\x1a\n"


def _fill(dlg: RegionDialog) -> None:
    dlg.kind.setCurrentText("Kota")
    dlg.name.setText("Contoh")
    dlg.letterhead.setPlainText("PEMERINTAH KOTA CONTOH\nBADAN PERENCANAAN PEMBANGUNAN DAERAH")
    dlg.address.setText("Jl. Merdeka No. 1, Contoh")


def test_saving_stores_the_profile_and_retitles_the_window(
    qtbot: QtBot, syn_db: Database, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(syn_db, POKJA)
    assert window.windowTitle() == "Monev RAD PUG — Kabupaten Lumajang"
    assert window.region_action in window.pokja_menu.actions()

    def run(self: RegionDialog) -> int:
        _fill(self)
        self.accept()
        return int(self.result())

    monkeypatch.setattr(RegionDialog, "exec", run)
    window.open_region()
    assert window.windowTitle() == "Monev RAD PUG — Kota Contoh"
    with syn_db.begin() as s:
        r = load_region(s)
    assert r.full_name == "Kota Contoh"
    assert r.letterhead_lines[-1] == "Jl. Merdeka No. 1, Contoh"


def test_a_refused_value_keeps_the_dialog_and_the_text(qtbot: QtBot, syn_db: Database) -> None:
    dlg = RegionDialog(syn_db)
    qtbot.addWidget(dlg)
    dlg.name.setText("Kota Contoh")  # the kind typed into the name
    dlg.kind.setCurrentText("Kota")
    dlg.accept()
    assert dlg.result() != RegionDialog.DialogCode.Accepted and dlg.region is None
    assert "tanpa jenisnya" in dlg.error.text()
    assert dlg.name.text() == "Kota Contoh"
    with syn_db.begin() as s:
        assert load_region(s).full_name == "Kabupaten Lumajang"


def test_logo_must_be_png_or_jpeg(qtbot: QtBot, syn_db: Database, tmp_path: Path) -> None:
    dlg = RegionDialog(syn_db)
    qtbot.addWidget(dlg)
    gif = tmp_path / "x.gif"
    gif.write_bytes(b"GIF89a" + b"\0" * 20)
    assert not dlg.load_logo(gif) and "PNG atau JPEG" in dlg.error.text()
    png = tmp_path / "x.png"
    png.write_bytes(PNG + b"\0" * 20)
    assert dlg.load_logo(png) and dlg.error.text() == ""


def test_empty_fields_show_the_derived_defaults(qtbot: QtBot, syn_db: Database) -> None:
    dlg = RegionDialog(syn_db)
    qtbot.addWidget(dlg)
    _fill(dlg)
    assert dlg.place.placeholderText() == "Contoh"
    assert dlg.pokja_position.placeholderText() == "Ketua Pokja PUG Kota Contoh"


def test_a_profile_saved_meanwhile_by_another_member_is_not_overwritten(
    qtbot: QtBot, syn_db: Database
) -> None:
    mine, other = RegionDialog(syn_db, user="Ani"), RegionDialog(syn_db, user="Budi")
    qtbot.addWidget(mine)
    qtbot.addWidget(other)
    other.address.setText("Jl. Budi 1")
    other.accept()
    _fill(mine)
    mine.accept()
    assert "Data ini diubah oleh Budi pada" in mine.conflict.message.text()  # the banner
    assert mine.name.text() == "Contoh"  # the typed profile stays in the dialog
    with syn_db.begin() as s:
        assert load_region(s).address == "Jl. Budi 1"


def test_a_profile_saved_meanwhile_is_reloaded_and_the_typing_offered(
    qtbot: QtBot, syn_db: Database, tmp_path: Path
) -> None:
    ani = RegionDialog(syn_db, user="Ani")
    qtbot.addWidget(ani)
    budi = open_database(tmp_path / "syn.sqlite")  # another Pokja member's app
    with budi.begin() as s:
        stored = load_region(s)
    store_region(budi, replace(stored, address="Jl. Budi 1"), user="Budi")
    budi.dispose()

    ani.place.setText("Tempeh")
    ani.accept()
    assert ani.result() != RegionDialog.DialogCode.Accepted and ani.region is None
    assert ani.conflict.refused and "Data ini diubah oleh Budi pada" in ani.conflict.message.text()
    assert ani.place.text() == "Tempeh" and not ani.error.text()
    ani.conflict.reload_button.click()
    assert ani.address.text() == "Jl. Budi 1"  # Budi's change is shown
    assert ani.place.text() == stored.place
    kept = ani.conflict.message.text()
    assert "Tempat tanda tangan: Tempeh" in kept and "Alamat" not in kept
    ani.conflict.restore_button.click()
    assert ani.place.text() == "Tempeh" and ani.conflict.isHidden()
    ani.accept()
    assert ani.result() == RegionDialog.DialogCode.Accepted
    with syn_db.begin() as s:
        now = load_region(s)
    assert (now.place, now.address) == ("Tempeh", "Jl. Budi 1")  # both people's work kept
