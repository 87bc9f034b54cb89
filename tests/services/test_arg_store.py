import json

import pytest

from app.domain.arg import Answer, ArgError
from app.formats.arg_questions import current_question_set, parse_question_set
from app.models.db import Database, open_database
from app.resources import resource
from app.services import catalog
from app.services.arg_store import (
    answered_versions,
    assessable_nodes,
    class_counts,
    load_answers,
    recap,
    save_answer,
)

QSET = current_question_set()


def _node(db: Database):
    with db.begin() as s:
        plan = catalog.get_plan(s)
        nodes = assessable_nodes(s, plan.id)
    return plan.id, nodes[0], nodes


def test_answers_persist_and_recap_scores_them(syn_db: Database) -> None:
    plan_id, node, _ = _node(syn_db)
    for i, q in enumerate(QSET.questions):
        save_answer(
            syn_db, node.id, 2023, QSET, q.id, Answer.YA if i < 16 else Answer.TIDAK, "", "Siti"
        )
    assert syn_db.path is not None
    syn_db.dispose()
    db = open_database(syn_db.path)
    with db.begin() as s:
        answers = load_answers(s, node.id, 2023, QSET.version)
        rows = recap(s, plan_id, 2023, {QSET.version: QSET})
    db.dispose()
    assert len(answers) == 20
    assert len(rows) == 1 and rows[0].score.total_ya == 16
    assert rows[0].score.klass == "Responsif Gender"
    assert class_counts(rows, {})[node.opd_name]["Responsif Gender"] == 1


def test_half_done_instrument_is_shown_as_incomplete(syn_db: Database) -> None:
    plan_id, node, _ = _node(syn_db)
    save_answer(syn_db, node.id, 2023, QSET, "PR1", Answer.YA, "", "u")
    save_answer(syn_db, node.id, 2023, QSET, "PR2", Answer.TIDAK_DAPAT, "TOR belum ada", "u")
    with syn_db.begin() as s:
        (row,) = recap(s, plan_id, 2023, {QSET.version: QSET})
    assert row.score.klass is None and row.score.missing == 18
    assert row.score.stages[0].tidak_dapat == 1


def test_refusals_write_nothing(syn_db: Database) -> None:
    plan_id, node, nodes = _node(syn_db)
    with pytest.raises(ArgError, match="keterangan"):
        save_answer(syn_db, node.id, 2023, QSET, "PR1", Answer.TIDAK_DAPAT, "", "u")
    other = next(n for n in nodes if n.opd_id != node.opd_id)
    with pytest.raises(ArgError, match="Perangkat Daerah lain"):
        save_answer(syn_db, other.id, 2023, QSET, "PR1", Answer.YA, "", "u", opd_id=node.opd_id)
    with syn_db.begin() as s:
        assert recap(s, plan_id, 2023, {QSET.version: QSET}) == []


def test_new_question_version_keeps_old_answers_attributed(syn_db: Database) -> None:
    plan_id, node, _ = _node(syn_db)
    save_answer(syn_db, node.id, 2023, QSET, "PR1", Answer.YA, "", "u")
    data = json.loads((resource("arg") / "pertanyaan_arg_v1.json").read_text(encoding="utf-8"))
    data["version"] = "perbup-lmj-3-2023.v2"
    data["stages"][0]["questions"][1]["text"] = "Apakah data terpilah digunakan?"
    v2 = parse_question_set(data)
    save_answer(syn_db, node.id, 2023, v2, "PR2", Answer.TIDAK, "", "u")
    with syn_db.begin() as s:
        assert answered_versions(s, node.id, 2023) == [QSET.version, v2.version]
        old = load_answers(s, node.id, 2023, QSET.version)
        new = load_answers(s, node.id, 2023, v2.version)
        rows = recap(s, plan_id, 2023, {QSET.version: QSET, v2.version: v2})
    assert set(old) == {"PR1"} and set(new) == {"PR2"}
    assert {r.version for r in rows} == {QSET.version, v2.version}
