"""The "Terima Berkas" dialog driven as Pokja would: add, check keys, import, read results."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QTreeWidget, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.formats import keys
from app.models.schema import PinnedKey, Submission
from app.services import importer
from app.services.submission_export import export_submission
from app.ui import import_tables
from app.ui.import_dialog import FileDropFilter, ImportDialog
from tests.services.submission_helpers import (
    OPD,
    PASSPHRASE,
    YEAR,
    Pair,
    dump_bytes,
    make_pair,
    opd_parts,
    submit,
)


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path, full=(OPD, "OPD-002", "OPD-003"))
    yield p
    p.dispose()


@pytest.fixture
def dialog(qtbot: QtBot, pair: Pair) -> ImportDialog:
    dlg = ImportDialog(pair.pokja, "Siti Aminah")
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def _idle(qtbot: QtBot, dlg: ImportDialog) -> None:
    qtbot.waitUntil(lambda: not dlg.busy, timeout=30_000)


def _add(qtbot: QtBot, dlg: ImportDialog, *paths: Path) -> None:
    dlg.add_files(list(paths))
    _idle(qtbot, dlg)


def _rows(tree: QTreeWidget) -> list[list[str]]:
    out = []
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        assert item is not None
        out.append([item.text(c) for c in range(tree.columnCount())])
    return out


def _drag_drop(widget: QWidget, urls: list[QUrl]) -> tuple[bool, bool]:
    """A drag entering ``widget`` and, if taken, dropped: (enter accepted, drop accepted).

    Qt delivers a drop only to a widget that accepted the drag's enter event, as with a
    real mouse drag, so both are sent.
    """
    mime = QMimeData()
    mime.setUrls(urls)
    rest = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    # Qt's enter event takes a whole-pixel point, the drop a fractional one.
    enter = QDragEnterEvent(QPoint(5, 5), *rest)
    enter.setAccepted(False)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False, False
    drop = QDropEvent(QPointF(5, 5), *rest)
    drop.setAccepted(False)
    QApplication.sendEvent(widget, drop)
    return True, drop.isAccepted()


def _colour(tree: QTreeWidget, row: int, col: int) -> str:
    item = tree.topLevelItem(row)
    assert item is not None
    return item.foreground(col).color().name()


def _import(qtbot: QtBot, dlg: ImportDialog) -> None:
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, dlg)


def _count(pair: Pair, model: type) -> int:
    with pair.pokja.begin() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _truncated(good: Path, out: Path) -> Path:
    out.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    return out


def test_preview_asks_for_the_key_then_imports_good_and_refuses_damaged(
    qtbot: QtBot, dialog: ImportDialog, pair: Pair, tmp_path: Path
) -> None:
    good = submit(pair, tmp_path / "dinas-001.xlsx")
    bad = _truncated(submit(pair, tmp_path / "tmp.xlsx", opd="OPD-002"), tmp_path / "rusak.xlsx")
    before_other = opd_parts(pair.pokja, "OPD-002")
    _add(qtbot, dialog, good, bad)

    rows = _rows(dialog.preview)
    fp = keys.grouped(pair.key.key_id)
    assert rows[0][:6] == ["dinas-001.xlsx", rows[0][1], "2023", "1", fp, "kunci baru"]
    assert rows[0][1].startswith("OPD-001 Dinas Uji 001")
    assert "tidak akan diimpor" in rows[0][6]
    assert rows[1][0] == "rusak.xlsx" and "bukan buku kerja Excel" in rows[1][6]
    assert _colour(dialog.preview, 1, 6) == import_tables.ERROR_COLOUR
    # The key question: fingerprint shown, phone/letter check asked, nothing ticked.
    assert dialog.keys_box.isVisible()
    assert "telepon atau surat" in dialog.keys_note.text()
    (row,) = dialog.key_rows.values()
    assert row.findChild(QWidget, "fingerprint").text() == fp  # type: ignore[union-attr]
    assert not row.box.isChecked()
    assert dialog.import_button.text() == "&Impor (0 berkas)"

    qtbot.mouseClick(row.box, Qt.MouseButton.LeftButton)
    assert row.box.isChecked()
    assert _rows(dialog.preview)[0][6] == "Kunci diterima; siap diimpor."
    assert dialog.import_button.text() == "&Impor (1 berkas)"

    with qtbot.waitSignal(dialog.imported, timeout=30_000) as blocker:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, dialog)
    assert blocker.args == [[(OPD, 2023)]]
    assert dialog.tabs.currentIndex() == 1
    results = _rows(dialog.results)
    assert [r[:5] for r in results] == [
        ["dinas-001.xlsx", "diterima", OPD, "2023", "1"],
        ["rusak.xlsx", "ditolak", "", "", ""],
    ]
    assert "kunci baru diterima" in results[0][5]
    assert "bukan buku kerja Excel" in results[1][5]
    assert _colour(dialog.results, 0, 1) == "#1b7f3b"  # green
    assert _colour(dialog.results, 1, 1) == "#b3261e"  # red
    assert dialog.summary_label.text() == "2 berkas: 1 diterima, 1 ditolak"
    # The database changed for the good file only.
    assert opd_parts(pair.pokja) == opd_parts(pair.focal)
    assert opd_parts(pair.pokja, "OPD-002") == before_other
    assert _count(pair, Submission) == 1
    assert dialog.preview.topLevelItemCount() == 0 and not dialog.keys_box.isVisible()

    # Copy the summary; the log tab lists both attempts, newest first.
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    text = QGuiApplication.clipboard().text()
    assert text.startswith("2 berkas: 1 diterima, 1 ditolak\n")
    assert "dinas-001.xlsx\tditerima\tOPD-001\t2023\t1\t" in text
    dialog.tabs.setCurrentIndex(2)
    log = _rows(dialog.log)
    assert len(log) == 2 and {r[2] for r in log} == {"diterima", "ditolak"}
    assert log[0][0] >= log[1][0]


def test_unaccepted_new_key_is_not_imported(
    qtbot: QtBot, dialog: ImportDialog, pair: Pair, tmp_path: Path
) -> None:
    good = submit(pair, tmp_path / "kiriman.xlsx")
    _add(qtbot, dialog, good)
    before = dump_bytes(pair.pokja)
    with qtbot.assertNotEmitted(dialog.imported):
        dialog.import_button.setFocus()
        qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Enter: the default button, Impor
        qtbot.waitUntil(lambda: dialog.results.topLevelItemCount() == 1, timeout=30_000)
        _idle(qtbot, dialog)
    (row,) = _rows(dialog.results)
    assert row[1] == "ditolak"
    assert "belum diterima" in row[5] and "Terima kunci ini" in row[5]
    assert dump_bytes(pair.pokja) == before
    assert _count(pair, PinnedKey) == 0


def test_the_same_file_dropped_again_is_sama(
    qtbot: QtBot, dialog: ImportDialog, pair: Pair, tmp_path: Path
) -> None:
    good = submit(pair, tmp_path / "kiriman.xlsx")
    importer.import_file(pair.pokja, good, accept_new_key=True)
    assert _drag_drop(dialog, [QUrl.fromLocalFile(str(good))]) == (True, True)
    _idle(qtbot, dialog)
    (row,) = _rows(dialog.preview)
    assert row[5] == "kunci dikenal" and "Sudah pernah diterima" in row[6]
    assert not dialog.keys_box.isVisible()
    before = dump_bytes(pair.pokja)
    with qtbot.assertNotEmitted(dialog.imported):
        _import(qtbot, dialog)
    (res,) = _rows(dialog.results)
    assert res[1] == "sama" and "tidak ada yang diubah" in res[5]
    assert _colour(dialog.results, 0, 1) == "#6b6b6b"  # grey
    assert dump_bytes(pair.pokja) == before


def test_drops_of_folders_add_their_xlsx_files_and_other_drags_are_ignored(
    qtbot: QtBot, dialog: ImportDialog, pair: Pair, tmp_path: Path
) -> None:
    folder = tmp_path / "masuk"
    folder.mkdir()
    submit(pair, folder / "b.xlsx", opd="OPD-002")
    submit(pair, folder / "a.xlsx")
    (folder / "catatan.txt").write_text("bukan kiriman")

    assert _drag_drop(dialog, [QUrl.fromLocalFile(str(folder / "catatan.txt"))]) == (
        False,
        False,
    )
    assert _drag_drop(dialog, [QUrl("https://contoh.id/kiriman.xlsx")]) == (False, False)
    assert dialog.preview.topLevelItemCount() == 0
    assert _drag_drop(dialog, [QUrl.fromLocalFile(str(folder))]) == (True, True)
    _idle(qtbot, dialog)
    assert [r[0] for r in _rows(dialog.preview)] == ["a.xlsx", "b.xlsx"]
    # Two OPDs: one question each, even though the same key signed both.
    assert sorted(dialog.key_rows) == [(OPD, pair.key.key_id), ("OPD-002", pair.key.key_id)]


def test_file_drop_filter_works_on_any_widget(qtbot: QtBot, tmp_path: Path) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    drops = FileDropFilter(host)
    drops.install(host)
    assert host.acceptDrops()
    (tmp_path / "x.xlsx").write_bytes(b"x")
    with qtbot.waitSignal(drops.files_dropped) as blocker:
        urls = [QUrl.fromLocalFile(str(tmp_path / "x.xlsx")), QUrl("https://contoh.id/a.xlsx")]
        assert _drag_drop(host, urls) == (True, True)
    assert blocker.args == [[tmp_path / "x.xlsx"]]


def test_buttons_use_the_file_dialogs(
    qtbot: QtBot,
    dialog: ImportDialog,
    pair: Pair,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    one = submit(pair, tmp_path / "satu.xlsx")
    folder = tmp_path / "folder"
    folder.mkdir()
    submit(pair, folder / "dua.xlsx", opd="OPD-002")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(one)], "Buku kerja Excel (*.xlsx)")
    )
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    qtbot.mouseClick(dialog.pick_files, Qt.MouseButton.LeftButton)
    _idle(qtbot, dialog)
    qtbot.mouseClick(dialog.pick_folder, Qt.MouseButton.LeftButton)
    _idle(qtbot, dialog)
    assert [r[0] for r in _rows(dialog.preview)] == ["satu.xlsx", "dua.xlsx"]
    # Picking the same file again does not list it twice.
    qtbot.mouseClick(dialog.pick_files, Qt.MouseButton.LeftButton)
    assert dialog.preview.topLevelItemCount() == 2
    assert "sudah ada" in dialog.status.text()


def test_cancel_during_import_leaves_whole_files_only(
    qtbot: QtBot,
    dialog: ImportDialog,
    pair: Pair,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One key per OPD: a key belongs to one OPD (issue 11).
    files = [
        export_submission(
            pair.focal,
            2023,
            pair.key if i == 1 else keys.generate_key(PASSPHRASE, tmp_path / f"kunci{i}"),
            xlsx=tmp_path / f"k{i}.xlsx",
            opd=f"OPD-00{i}",
        ).xlsx
        for i in (1, 2, 3)
    ]
    untouched = {o: opd_parts(pair.pokja, o) for o in ("OPD-002", "OPD-003")}
    _add(qtbot, dialog, *files)
    for row in dialog.key_rows.values():
        row.box.setChecked(True)
    real = importer.import_file
    calls: list[Path] = []

    def import_then_cancel(*args: object, **kwargs: object) -> importer.ImportOutcome:
        out = real(*args, **kwargs)  # type: ignore[arg-type]
        calls.append(out.file)
        assert dialog.task is not None
        dialog.task.cancel()  # as if Batalkan were pressed while the first file ran
        return out

    monkeypatch.setattr(importer, "import_file", import_then_cancel)
    _import(qtbot, dialog)
    assert calls == files[:1]
    assert [r[1] for r in _rows(dialog.results)] == ["diterima"]
    assert dialog.summary_label.text() == (
        "1 berkas: 1 diterima; dibatalkan, 2 berkas tidak diproses"
    )
    assert opd_parts(pair.pokja) == opd_parts(pair.focal)
    for opd, parts in untouched.items():
        assert opd_parts(pair.pokja, opd) == parts
    assert _count(pair, Submission) == 1
    # The files left out are listed again, their keys still ticked, ready for another run.
    qtbot.waitUntil(lambda: dialog.preview.topLevelItemCount() == 2, timeout=30_000)
    _idle(qtbot, dialog)
    assert [r[0] for r in _rows(dialog.preview)] == ["k2.xlsx", "k3.xlsx"]
    assert all(r.box.isChecked() for r in dialog.key_rows.values())


def test_escape_while_importing_cancels_instead_of_closing(
    qtbot: QtBot,
    dialog: ImportDialog,
    pair: Pair,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = [submit(pair, tmp_path / f"k{i}.xlsx", opd=f"OPD-00{i}") for i in (1, 2)]
    _add(qtbot, dialog, *files)
    real = importer.import_file
    pressed: list[bool] = []

    def slow(*args: object, **kwargs: object) -> importer.ImportOutcome:
        if not pressed:
            pressed.append(True)
            # Esc is pressed on the UI thread while this file is being imported.
            deadline = time.monotonic() + 10
            while not (dialog.task is not None and dialog.task.is_cancelled):
                assert time.monotonic() < deadline
                time.sleep(0.01)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importer, "import_file", slow)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(pressed), timeout=10_000)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    _idle(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.results.topLevelItemCount() == 1
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # idle: Esc closes
    assert not dialog.isVisible()


def _claimed(pair: Pair, tmp_path: Path) -> Path:
    """OPD-001's key, already pinned, signing a file that claims to be OPD-002."""
    from tests.services.submission_helpers import content_of, forge

    own = submit(pair, tmp_path / "bappeda.xlsx")
    assert importer.import_file(pair.pokja, own, accept_new_key=True).ok
    c = content_of(pair.focal, "OPD-002")
    c["opd"]["name"] = "Dinas Kesehatan (nama dari berkas)"
    return forge(own, tmp_path / "dinkes.xlsx", c, pair.key)


def test_a_key_of_another_opd_is_flagged_and_only_moved_after_confirming(
    qtbot: QtBot,
    dialog: ImportDialog,
    pair: Pair,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.ui import import_consent

    claimed = _claimed(pair, tmp_path)
    _add(qtbot, dialog, claimed)
    (row,) = _rows(dialog.preview)
    assert row[1] == "OPD-002 Dinas Uji 002 Perlindungan fasilitasi"  # the database's name
    assert row[5] == "KUNCI OPD LAIN" and _colour(dialog.preview, 0, 5) == "#b3261e"
    assert row[6].startswith("KUNCI MILIK OPD-001 (Dinas Uji 001")
    (question,) = dialog.key_rows.values()
    assert question.box.objectName() == "reassign"
    warning = question.findChild(QWidget, "warning")
    assert "sudah diterima untuk OPD-001" in warning.text()  # type: ignore[union-attr]
    assert dialog.import_button.text() == "&Impor (0 berkas)"
    asked: list[str] = []

    def answer(yes: bool):  # type: ignore[no-untyped-def]
        def confirm(parent: QWidget, q: object) -> bool:
            asked.append(q.owner)  # type: ignore[attr-defined]
            return yes

        return confirm

    monkeypatch.setattr(import_consent, "confirm_reassign", answer(False))
    question.box.click()
    assert not question.box.isChecked() and dialog.import_button.text() == "&Impor (0 berkas)"
    monkeypatch.setattr(import_consent, "confirm_reassign", answer(True))
    question.box.click()
    assert question.box.isChecked() and dialog.import_button.text() == "&Impor (1 berkas)"
    assert asked == ["OPD-001 (Dinas Uji 001 Pertanian disabilitas)"] * 2
    assert "dipindahkan" in _rows(dialog.preview)[0][6]
    _import(qtbot, dialog)
    (res,) = _rows(dialog.results)
    assert res[1] == "diterima" and "kunci dipindahkan" in res[5]
    with pair.pokja.begin() as s:
        pins = s.execute(select(PinnedKey.opd_code, PinnedKey.active)).all()
    assert sorted(pins) == [("OPD-001", False), ("OPD-002", True)]


def test_an_unconfirmed_key_of_another_opd_is_refused_with_the_window_reason(
    qtbot: QtBot, dialog: ImportDialog, pair: Pair, tmp_path: Path
) -> None:
    _add(qtbot, dialog, _claimed(pair, tmp_path))
    before = dump_bytes(pair.pokja)
    _import(qtbot, dialog)
    (res,) = _rows(dialog.results)
    assert res[1] == "ditolak" and "Pindahkan kunci ke Perangkat Daerah ini" in res[5]
    assert dump_bytes(pair.pokja) == before


def test_ganti_paksa_asks_a_reason_and_replaces_with_the_selected_file(
    qtbot: QtBot,
    dialog: ImportDialog,
    pair: Pair,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.ui import import_consent

    good = submit(pair, tmp_path / "kiriman.xlsx")
    assert importer.import_file(pair.pokja, good, accept_new_key=True).ok
    fresh = submit(pair, tmp_path / "baru.xlsx")  # revision 2: imports without forcing
    _add(qtbot, dialog, good, fresh)
    assert not dialog.force_button.isEnabled()  # nothing selected
    dialog.preview.setCurrentItem(dialog.preview.topLevelItem(1))
    assert not dialog.force_button.isEnabled()  # would replace anyway: nothing to force
    dialog.preview.setCurrentItem(dialog.preview.topLevelItem(0))
    assert dialog.force_button.isEnabled()
    monkeypatch.setattr(import_consent, "ask_force_reason", lambda *a: None)
    qtbot.mouseClick(dialog.force_button, Qt.MouseButton.LeftButton)
    assert "Sudah pernah diterima" in _rows(dialog.preview)[0][6]
    why = "kembalikan nilai bertanda tangan"
    monkeypatch.setattr(import_consent, "ask_force_reason", lambda *a: why)
    qtbot.mouseClick(dialog.force_button, Qt.MouseButton.LeftButton)
    assert _rows(dialog.preview)[0][6].startswith(f"GANTI PAKSA (alasan: {why})")
    assert dialog.force_button.text() == "Batalkan &ganti paksa"
    _import(qtbot, dialog)
    results = _rows(dialog.results)
    assert [r[1] for r in results] == ["menggantikan", "menggantikan"]
    assert why in results[0][5]
    with pair.pokja.begin() as s:
        current = s.scalars(select(Submission).where(Submission.current.is_(True))).one()
        assert current.file_name == "baru.xlsx"


def test_a_corrected_file_says_so_and_ganti_paksa_restores_the_signed_values(
    qtbot: QtBot,
    dialog: ImportDialog,
    pair: Pair,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 11, item 6: re-importing the OPD's file offers to restore what it signed."""
    from dataclasses import replace
    from decimal import Decimal

    from app.services import corrections, entry
    from app.ui import import_consent
    from tests.services.test_corrections import _filled_row

    good = submit(pair, tmp_path / "kiriman.xlsx")
    assert importer.import_file(pair.pokja, good, accept_new_key=True).ok
    rid, signed = _filled_row(pair)
    assert signed.budget is not None
    corrected = replace(signed, budget=signed.budget + Decimal(1000))
    corrections.correct_realisation(
        pair.pokja, rid, YEAR, corrected, "salah ketik, dikonfirmasi OPD", "Pokja"
    )
    _add(qtbot, dialog, good)
    assert "1 nilainya sudah dikoreksi Pokja" in _rows(dialog.preview)[0][6]
    dialog.preview.setCurrentItem(dialog.preview.topLevelItem(0))
    monkeypatch.setattr(import_consent, "ask_force_reason", lambda *a: "pulihkan nilai OPD")
    qtbot.mouseClick(dialog.force_button, Qt.MouseButton.LeftButton)
    _import(qtbot, dialog)
    assert [r[1] for r in _rows(dialog.results)] == ["menggantikan"]
    with pair.pokja.begin() as s:
        assert entry.get_realisation(s, rid, YEAR) == signed
        assert corrections.count_for(s, pair.plan["plan"]["code"], OPD, YEAR) == 0
