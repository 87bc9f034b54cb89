"""Scoring of the ARG checklist (Tabel 5.4) and its classes (Tabel 5.5)."""

import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.arg import Answer, AnswerEntry, ArgError, check_answer, score
from app.formats.arg_questions import current_question_set, parse_question_set
from app.resources import resource

QSET = current_question_set()
QIDS = [q.id for q in QSET.questions]
SEED = (
    Path(
        os.environ.get("MONEV_SEEDS_DIR", Path(__file__).resolve().parents[3] / "shared" / "seeds")
    )
    / "000_a1fe802cd249cbe9.txt"
)


def test_twenty_questions_eight_six_six() -> None:
    assert [len(s.questions) for s in QSET.stages] == [8, 6, 6]
    assert [s.label for s in QSET.stages] == [
        "Tahap Perencanaan",
        "Tahap Pelaksanaan",
        "Tahap Pertanggungjawaban",
    ]
    assert len(set(QIDS)) == 20


@pytest.mark.skipif(not SEED.exists(), reason="seed documents not beside the repository")
def test_question_texts_are_verbatim_from_the_seed() -> None:
    seed_lines = {line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()}
    for q in QSET.questions:
        assert q.text in seed_lines, q.id


@pytest.mark.parametrize(
    ("ya", "expected"),
    [
        (0, "Tidak Responsif Gender"),
        (1, "Tidak Responsif Gender"),
        (7, "Tidak Responsif Gender"),
        (8, "Kurang Responsif Gender"),
        (14, "Kurang Responsif Gender"),
        (15, "Responsif Gender"),
        (20, "Responsif Gender"),
    ],
)
def test_class_boundaries(ya: int, expected: str) -> None:
    answers = {
        qid: AnswerEntry(Answer.YA if i < ya else Answer.TIDAK) for i, qid in enumerate(QIDS)
    }
    s = score(QSET, answers)
    assert s.total_ya == ya and s.total_tidak == 20 - ya
    assert s.klass == expected


answer_maps = st.dictionaries(
    st.sampled_from(QIDS),
    st.sampled_from(list(Answer)).map(
        lambda a: AnswerEntry(a, "tidak ada dokumen" if a is Answer.TIDAK_DAPAT else "")
    ),
)


@given(answer_maps)
def test_totals_equal_the_count_of_ya(answers: dict[str, AnswerEntry]) -> None:
    s = score(QSET, answers)
    assert s.total_ya == sum(1 for a in answers.values() if a.answer is Answer.YA)
    assert s.total_tidak == sum(1 for a in answers.values() if a.answer is Answer.TIDAK)
    assert sum(st.ya for st in s.stages) == s.total_ya
    assert s.missing == 20 - len(answers)


@given(answer_maps)
def test_incomplete_instruments_are_never_classified(answers: dict[str, AnswerEntry]) -> None:
    s = score(QSET, answers)
    if len(answers) < 20:
        assert s.klass is None and "belum dijawab" in s.status_text
    else:
        assert s.klass is not None


def test_cannot_answer_requires_a_remark() -> None:
    with pytest.raises(ArgError, match="keterangan"):
        check_answer(Answer.TIDAK_DAPAT, "  ")
    assert check_answer("tidak_dapat", " belum ada TOR ").remark == "belum ada TOR"


def test_a_question_file_with_a_gap_in_its_classes_is_refused() -> None:
    data = json.loads((resource("arg") / "pertanyaan_arg_v1.json").read_text(encoding="utf-8"))
    data["classes"][2]["min"] = 1  # the seed's own Tabel 5.5, with no class for 0
    with pytest.raises(ArgError, match="0 sampai 20"):
        parse_question_set(data)
