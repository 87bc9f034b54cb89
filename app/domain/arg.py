"""The gender-responsive budgeting (ARG) checklist: question sets, scoring and classes.

Tabel 5.1–5.3 ask yes/no questions per stage; Tabel 5.4 counts the Ya and Tidak answers
per stage; Tabel 5.5 classifies the Ya total. The question texts and the class bounds
live in versioned data files (``resources/arg``, read by ``app.formats.arg_questions``) so
Pokja can correct them without a new release; every stored answer names the version it
answered.

Errata handled here (see DOMAIN.md): a total of 0 on a complete instrument is *Tidak
Responsif Gender*; an instrument with unanswered questions has no class yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from app.domain.text_policy import REMARK_MAX

MAX_REMARK = REMARK_MAX  # one limit for the form and signed submissions (text_policy)


class Answer(StrEnum):
    YA = "ya"
    TIDAK = "tidak"
    TIDAK_DAPAT = "tidak_dapat"  # neither: a written remark (column 6 "Ket") is required


ANSWER_LABELS = {Answer.YA: "Ya", Answer.TIDAK: "Tidak", Answer.TIDAK_DAPAT: "Tidak dapat menjawab"}


class ArgError(ValueError):
    """An invalid answer or question file; the message is Indonesian."""


@dataclass(frozen=True)
class Question:
    id: str
    stage: str
    number: int
    text: str
    note: str = ""


@dataclass(frozen=True)
class Stage:
    id: str
    label: str
    table: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class ClassBand:
    min: int
    max: int
    label: str


@dataclass(frozen=True)
class QuestionSet:
    version: str
    title: str
    source: str
    stages: tuple[Stage, ...]
    classes: tuple[ClassBand, ...]
    notes: tuple[str, ...] = ()

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.stages for q in s.questions]

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise ArgError(f"Pertanyaan {qid} tidak ada di set pertanyaan {self.version}.")

    def classify(self, total_ya: int) -> str:
        for band in self.classes:
            if band.min <= total_ya <= band.max:
                return band.label
        raise ArgError(f"Nilai {total_ya} di luar skala klasifikasi.")


@dataclass(frozen=True)
class AnswerEntry:
    answer: Answer
    remark: str = ""


@dataclass(frozen=True)
class StageScore:
    stage: str
    label: str
    ya: int
    tidak: int
    tidak_dapat: int
    unanswered: int


@dataclass(frozen=True)
class Score:
    """Tabel 5.4 for one kegiatan/sub kegiatan, with the Tabel 5.5 class when complete."""

    stages: tuple[StageScore, ...]
    total_ya: int
    total_tidak: int
    missing: int
    klass: str | None

    @property
    def complete(self) -> bool:
        return self.missing == 0

    @property
    def status_text(self) -> str:
        if self.klass:
            return self.klass
        return f"Belum lengkap ({self.missing} pertanyaan belum dijawab)"


def check_answer(answer: Answer | str, remark: str) -> AnswerEntry:
    a = Answer(answer)
    remark = (remark or "").strip()
    if a is Answer.TIDAK_DAPAT and not remark:
        raise ArgError("Jawaban 'Tidak dapat menjawab' wajib disertai keterangan (kolom Ket).")
    if len(remark) > MAX_REMARK:
        raise ArgError(f"Keterangan terlalu panjang (maksimal {MAX_REMARK} huruf).")
    return AnswerEntry(a, remark)


def score(qset: QuestionSet, answers: Mapping[str, AnswerEntry]) -> Score:
    stages = []
    for s in qset.stages:
        got = [answers.get(q.id) for q in s.questions]
        stages.append(
            StageScore(
                s.id,
                s.label,
                ya=sum(1 for a in got if a and a.answer is Answer.YA),
                tidak=sum(1 for a in got if a and a.answer is Answer.TIDAK),
                tidak_dapat=sum(1 for a in got if a and a.answer is Answer.TIDAK_DAPAT),
                unanswered=sum(1 for a in got if a is None),
            )
        )
    total_ya = sum(s.ya for s in stages)
    missing = sum(s.unanswered for s in stages)
    return Score(
        tuple(stages),
        total_ya,
        sum(s.tidak for s in stages),
        missing,
        qset.classify(total_ya) if missing == 0 else None,
    )
