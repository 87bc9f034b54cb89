"""Telaah PPRG: Pokja's list of received GAP/GBS, its verdict and file; the OPD's view."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.formats import keys
from app.models.schema import PprgReview
from app.services import importer
from app.services.trust import pin_pokja_key
from app.ui.pprg_review_dialog import PprgReviewDialog, SendReviewDialog
from tests.services.pprg_helpers import write_documents
from tests.services.submission_helpers import PASSPHRASE, YEAR, Pair, make_pair, submit


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    write_documents(p.focal, 2)
    assert importer.import_file(p.pokja, submit(p, tmp_path / "k.xlsx"), accept_new_key=True).ok
    yield p
    p.dispose()


def _dialog(qtbot: QtBot, pair: Pair, received: bool = True, **kw: object) -> PprgReviewDialog:
    db = pair.pokja if received else pair.focal
    dialog = PprgReviewDialog(db, received=received, user="Siti", **kw)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    return dialog


def _statuses(d: PprgReviewDialog) -> list[str]:
    return [d.table.item(r, 4).text() for r in range(d.table.rowCount())]


def test_pokja_lists_received_documents_and_reviews_one(qtbot: QtBot, pair: Pair) -> None:
    d = _dialog(qtbot, pair)
    assert d.table.rowCount() == 4
    assert _statuses(d) == ["belum ditelaah"] * 4
    assert "Data Pembuka Wawasan" in d.view.toPlainText()  # the first is a GAP, read-only
    assert d.view.isReadOnly()
    d.table.selectRow(1)  # the GBS
    assert "Rp 15.000.000" in d.view.toPlainText()
    d.fix_radio.setChecked(True)
    assert not d.save_review()  # "perlu perbaikan" needs remarks; nothing saved
    assert "memerlukan catatan" in d.message.text()
    d.remarks.setPlainText("Lengkapi data terpilah")
    assert d.save_review()
    assert _statuses(d)[1] == "perlu perbaikan"
    assert d.current() is not None and d.current()[0] == "gbs"  # the selection stayed
    assert "Lengkapi data terpilah" in d.table.item(1, 5).text()
    assert "perlu perbaikan" in d.history_label.text()
    assert d.summary.text() == "4 dokumen · 1 ditelaah · 0 diterima"


def test_reviewer_role_is_remembered(qtbot: QtBot, pair: Pair) -> None:
    d = _dialog(qtbot, pair)
    d.role_box.setCurrentIndex(d.role_box.findData("inspektorat"))
    d.accept_radio.setChecked(True)
    assert d.save_review()
    with pair.pokja.begin() as s:
        assert s.scalars(select(PprgReview.reviewer_role)).one() == "inspektorat"
    again = _dialog(qtbot, pair)
    assert again.role_box.currentData() == "inspektorat"


def test_send_and_the_opd_receives(qtbot: QtBot, pair: Pair, tmp_path: Path) -> None:
    d = _dialog(qtbot, pair)
    d.table.selectRow(1)
    d.accept_radio.setChecked(True)
    assert d.save_review()
    key = keys.generate_key(PASSPHRASE, tmp_path / "kunci-pokja")
    send = SendReviewDialog(pair.pokja, "OPD-001", YEAR, key_folder=tmp_path / "kunci-pokja")
    qtbot.addWidget(send)
    assert not send.send()  # no passphrase
    send.passphrase.setText(PASSPHRASE)
    out = tmp_path / "telaah.monevtelaah"
    send.out.setText(str(out))
    assert send.send() and out.exists()

    with pair.focal.begin() as s:
        pin_pokja_key(s, key.public)
    opd = _dialog(qtbot, pair, received=False)
    assert opd.save_button.isHidden() and opd.remarks.isReadOnly()
    assert not d.save_button.isHidden()
    assert _statuses(opd) == ["belum ditelaah"] * 4
    messages = opd.import_review_files([out])
    assert "diterima: 1 dokumen" in messages[0]
    assert _statuses(opd)[1] == "diterima"
    refused = opd.import_review_files([tmp_path / "k.xlsx"])
    assert "bukan berkas hasil telaah" in refused[0]


def test_the_list_opens_the_document_in_the_editor_read_only_at_pokja(
    qtbot: QtBot, pair: Pair
) -> None:
    d = _dialog(qtbot, pair)
    d.table.selectRow(1)
    d.fix_radio.setChecked(True)
    d.remarks.setPlainText("Anggaran disabilitas belum ada")
    assert d.save_review()
    editor = d.open_selected()
    assert editor is not None
    qtbot.addWidget(editor)
    assert editor.read_only and editor.tabs.currentWidget() is editor.gbs_page
    panel = editor.review_panel.text()
    assert "GBS: perlu perbaikan" in panel and "Anggaran disabilitas belum ada" in panel
    assert "GAP: belum ditelaah" in panel


def test_the_opd_editor_says_when_a_verdict_was_for_an_earlier_version(
    qtbot: QtBot, pair: Pair, tmp_path: Path
) -> None:
    from app.ui.pprg_review_dialog import open_editor

    d = _dialog(qtbot, pair)
    d.table.selectRow(1)
    d.accept_radio.setChecked(True)
    assert d.save_review()
    key = keys.generate_key(PASSPHRASE, tmp_path / "kunci-pokja")
    out = tmp_path / "telaah.monevtelaah"
    from app.services.pprg_review import export_review_file, import_review_file

    export_review_file(pair.pokja, "OPD-001", YEAR, key, out)
    with pair.focal.begin() as s:
        pin_pokja_key(s, key.public)
    import_review_file(pair.focal, out)
    node = d.states[1].stored.document.node_key
    editor = open_editor(pair.focal, node, YEAR, "Budi", pokja=False, parent=None)
    qtbot.addWidget(editor)
    assert not editor.read_only
    assert "<b>GBS: diterima</b>" in editor.review_panel.text()
    editor.gbs_page.fields["gbs-situation"].setPlainText("Diperbaiki setelah telaah")
    assert editor.save()
    assert "GBS: telaah untuk versi sebelumnya (diterima)" in editor.review_panel.text()
