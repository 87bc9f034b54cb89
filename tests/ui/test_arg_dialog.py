"""The ARG checklist dialog, driven through its widgets as a focal point would."""

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain.arg import Answer
from app.formats.arg_questions import current_question_set, load_question_sets, parse_question_set
from app.models.db import Database, open_database
from app.services import catalog
from app.services.arg_store import assessable_nodes, load_answers, recap, save_answer
from app.ui.arg_dialog import ArgDialog

QSET = current_question_set()


def _dialog(qtbot: QtBot, db: Database, year: int = 2023, **kw) -> ArgDialog:
    with db.begin() as s:
        node = assessable_nodes(s, catalog.get_plan(s).id)[0]
    dlg = ArgDialog(db, node, year, load_question_sets(), kw.pop("current", QSET), "Siti", **kw)
    qtbot.addWidget(dlg)
    return dlg


def _key(qtbot: QtBot, dlg: ArgDialog, qid: str, key: Qt.Key) -> None:
    row = dlg.rows[qid]
    row.setFocus()
    qtbot.keyClick(row, key)


def test_full_instrument_by_keyboard_gives_total_and_class(qtbot: QtBot, syn_db: Database) -> None:
    dlg = _dialog(qtbot, syn_db)
    ids = [q.id for q in QSET.questions]
    # 15 Ya is the lower bound of "Responsif Gender" in Tabel 5.5.
    for i, qid in enumerate(ids):
        _key(qtbot, dlg, qid, Qt.Key.Key_Y if i < 15 else Qt.Key.Key_T)
    sc = dlg.current_score()
    assert (sc.total_ya, sc.total_tidak, sc.missing) == (15, 5, 0)
    assert dlg.class_label.property("klass") == "Responsif Gender"
    assert "Responsif Gender" in dlg.class_label.text()
    assert dlg.findChild(type(dlg.class_label), "total-1-1").text() == "8"  # planning: Ya
    assert dlg.findChild(type(dlg.class_label), "sum-ya").text() == "<b>15</b>"
    # One more Tidak drops it to the class below.
    _key(qtbot, dlg, ids[0], Qt.Key.Key_T)
    assert dlg.class_label.property("klass") == "Kurang Responsif Gender"
    with syn_db.begin() as s:
        (row,) = recap(s, catalog.get_plan(s).id, 2023, {QSET.version: QSET})
    assert row.score.total_ya == 14 and row.score.klass == "Kurang Responsif Gender"


def test_cannot_answer_demands_a_remark(qtbot: QtBot, syn_db: Database) -> None:
    dlg = _dialog(qtbot, syn_db)
    row = dlg.rows["PL3"]
    row.setFocus()
    qtbot.keyClick(row, Qt.Key.Key_D)
    assert "keterangan" in row.message.text().lower()
    assert row.answer() is Answer.TIDAK_DAPAT  # the choice stays on screen
    with syn_db.begin() as s:
        assert load_answers(s, dlg.node.id, 2023, QSET.version) == {}
    qtbot.keyClicks(row.remark, "Outcome RKA belum ditetapkan")
    qtbot.keyClick(row.remark, Qt.Key.Key_Return)
    assert not row.message.isVisible()
    with syn_db.begin() as s:
        saved = load_answers(s, dlg.node.id, 2023, QSET.version)["PL3"]
    assert saved.answer is Answer.TIDAK_DAPAT and saved.remark == "Outcome RKA belum ditetapkan"
    assert dlg.class_label.property("klass") == ""
    assert "19 pertanyaan belum dijawab" in dlg.class_label.text()


def test_half_done_answers_survive_a_restart(
    qtbot: QtBot, tmp_path: Path, syn_db: Database
) -> None:
    dlg = _dialog(qtbot, syn_db)
    for qid in ("PR1", "PR2", "PJ6"):
        _key(qtbot, dlg, qid, Qt.Key.Key_Y)
    dlg.close()
    assert syn_db.path is not None
    syn_db.dispose()
    db = open_database(syn_db.path)
    again = _dialog(qtbot, db)
    assert {q for q, r in again.rows.items() if r.answer() is Answer.YA} == {"PR1", "PR2", "PJ6"}
    assert again.current_score().missing == 17
    db.dispose()


def test_undo_and_redo_an_answer(qtbot: QtBot, syn_db: Database) -> None:
    dlg = _dialog(qtbot, syn_db)
    _key(qtbot, dlg, "PR4", Qt.Key.Key_Y)
    _key(qtbot, dlg, "PR4", Qt.Key.Key_T)
    dlg.undo_stack.undo()
    assert dlg.rows["PR4"].answer() is Answer.YA
    with syn_db.begin() as s:
        assert load_answers(s, dlg.node.id, 2023, QSET.version)["PR4"].answer is Answer.YA
    dlg.undo_stack.undo()
    assert dlg.rows["PR4"].answer() is None
    dlg.undo_stack.redo()
    assert dlg.rows["PR4"].answer() is Answer.YA


def test_old_version_answers_stay_readable(qtbot: QtBot, syn_db: Database) -> None:
    with syn_db.begin() as s:
        node = assessable_nodes(s, catalog.get_plan(s).id)[0]
    save_answer(syn_db, node.id, 2023, QSET, "PR1", Answer.YA, "", "u")
    data = {
        "format": "monev-radpug-arg-questions",
        "format_version": 1,
        "version": "uji.v2",
        "stages": [
            {
                "id": s.id,
                "label": s.label,
                "table": s.table,
                "questions": [{"id": q.id, "text": q.text} for q in s.questions],
            }
            for s in QSET.stages
        ],
        "classes": [{"min": c.min, "max": c.max, "label": c.label} for c in QSET.classes],
    }
    v2 = parse_question_set(data)
    dlg = _dialog(qtbot, syn_db, current=v2)
    assert dlg.rows["PR1"].answer() is None  # v2 starts empty
    old_index = dlg.version_box.findData(QSET.version)
    assert old_index >= 0 and "versi lama" in dlg.version_box.itemText(old_index)
    dlg.version_box.setCurrentIndex(old_index)
    assert dlg.read_only and dlg.rows["PR1"].answer() is Answer.YA
    _key(qtbot, dlg, "PR2", Qt.Key.Key_Y)  # ignored: old versions are read-only
    with syn_db.begin() as s:
        assert set(load_answers(s, node.id, 2023, QSET.version)) == {"PR1"}


def test_the_question_set_is_shown_by_its_title_not_its_version_id(
    qtbot: QtBot, syn_db: Database
) -> None:
    dlg = _dialog(qtbot, syn_db)
    shown = [dlg.version_box.itemText(i) for i in range(dlg.version_box.count())]
    assert shown == [QSET.title]
    assert all(QSET.version not in text for text in shown)
    assert dlg.version_box.itemData(0, Qt.ItemDataRole.ToolTipRole) == QSET.source


def test_older_sets_with_the_same_title_are_numbered() -> None:
    from dataclasses import replace

    from app.ui.arg_dialog import set_labels

    old1, old2 = replace(QSET, version="a.v0"), replace(QSET, version="a.v00")
    labels = dict(set_labels([old1, old2, QSET], QSET.version))
    assert labels[QSET.version] == QSET.title
    assert labels["a.v0"] == f"{QSET.title} (versi lama 1, hanya baca)"
    assert labels["a.v00"] == f"{QSET.title} (versi lama 2, hanya baca)"


def test_the_gbs_question_says_whether_a_gbs_exists(qtbot: QtBot, syn_db: Database) -> None:
    from app.domain.pprg import GbsDocument, Kind, Review, ReviewStatus
    from app.services import pprg_store

    dlg = _dialog(qtbot, syn_db)
    assert dlg.gbs_label is not None and dlg.gbs_label.text() == "GBS: belum ada"
    node = dlg.node
    stored = pprg_store.save_document(
        syn_db, GbsDocument(node_key=node.key, opd_code=node.opd_code, year=2023), "Siti"
    )
    dlg = _dialog(qtbot, syn_db)
    assert dlg.gbs_label is not None and dlg.gbs_label.text() == "GBS: ada (belum ditelaah)"
    review = Review(
        Kind.GBS, node.key, node.opd_code, 2023, stored.content_hash, ReviewStatus.DITERIMA
    )
    pprg_store.add_review(syn_db, review)
    dlg = _dialog(qtbot, syn_db)
    assert dlg.gbs_label is not None and dlg.gbs_label.text() == "GBS: ada (diterima)"
    # The line sits on the page of Tabel 5.1's question on the GBS and the KAK/TOR.
    page = dlg.rows["PR3"].parentWidget()
    assert dlg.gbs_label.parentWidget() is page


def test_an_answer_given_meanwhile_by_someone_else_is_kept(qtbot: QtBot, syn_db: Database) -> None:
    """Two Pokja members on one checklist: the later answer is refused naming the first
    person, the remark typed stays on screen, and "Muat ulang" shows the stored answer."""
    siti = _dialog(qtbot, syn_db)
    with syn_db.begin() as s:
        node = assessable_nodes(s, catalog.get_plan(s).id)[0]
    budi = ArgDialog(syn_db, node, 2023, load_question_sets(), QSET, "Budi")
    qtbot.addWidget(budi)
    qid = QSET.questions[0].id
    _key(qtbot, budi, qid, Qt.Key.Key_Y)
    row = siti.rows[qid]
    row.remark.setText("menurut notulen rapat")
    _key(qtbot, siti, qid, Qt.Key.Key_T)
    assert "Data ini diubah oleh Budi pada" in row.message.text()
    assert not row.reload.isHidden()
    assert row.answer() is Answer.TIDAK and row.remark.text() == "menurut notulen rapat"
    with syn_db.begin() as s:
        assert load_answers(s, node.id, 2023, QSET.version)[qid].answer is Answer.YA

    row.reload.click()
    assert row.answer() is Answer.YA  # Budi's answer now shown
    assert "Tidak — menurut notulen rapat" in row.message.text()
    assert row.reload.isHidden()
    _key(qtbot, siti, qid, Qt.Key.Key_T)  # answering again, now knowingly: saved
    with syn_db.begin() as s:
        assert load_answers(s, node.id, 2023, QSET.version)[qid].answer is Answer.TIDAK
