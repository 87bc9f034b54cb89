"""The versioned ARG question files shipped in ``resources/arg``: reading and checking them.

The question texts and class bounds are data so that Pokja can correct them without a new
release (DOMAIN.md, erratum 1); the rules that score answers live in ``app.domain.arg``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.domain.arg import ArgError, ClassBand, Question, QuestionSet, Stage
from app.resources import resource

QUESTION_FORMAT = "monev-radpug-arg-questions"


def parse_question_set(data: Mapping[str, Any]) -> QuestionSet:
    if data.get("format") != QUESTION_FORMAT or data.get("format_version") != 1:
        raise ArgError("Berkas pertanyaan ARG tidak dikenali (format atau versi format salah).")
    stages = []
    seen: set[str] = set()
    for s in data["stages"]:
        qs = []
        for i, q in enumerate(s["questions"], start=1):
            if q["id"] in seen:
                raise ArgError(f"Nomor pertanyaan {q['id']} ganda.")
            seen.add(q["id"])
            qs.append(Question(q["id"], s["id"], i, q["text"], q.get("note", "")))
        stages.append(Stage(s["id"], s["label"], s.get("table", ""), tuple(qs)))
    classes = tuple(ClassBand(int(c["min"]), int(c["max"]), c["label"]) for c in data["classes"])
    n = len(seen)
    covered = sorted(v for c in classes for v in range(c.min, c.max + 1))
    if covered != list(range(n + 1)):
        raise ArgError(f"Kelas klasifikasi harus mencakup tepat nilai 0 sampai {n}.")
    return QuestionSet(
        str(data["version"]),
        data.get("title", ""),
        data.get("source", ""),
        tuple(stages),
        classes,
        tuple(data.get("notes", ())),
    )


def question_set_files() -> list[Path]:
    return sorted(resource("arg").glob("*.json"))


def load_question_sets() -> dict[str, QuestionSet]:
    """Every shipped version, by version id (old answers stay readable)."""
    sets = {}
    for f in question_set_files():
        qs = parse_question_set(json.loads(f.read_text(encoding="utf-8")))
        sets[qs.version] = qs
    return sets


def current_question_set() -> QuestionSet:
    """The newest shipped version (file names sort by version)."""
    files = question_set_files()
    if not files:
        raise ArgError("Tidak ada set pertanyaan ARG.")
    return parse_question_set(json.loads(files[-1].read_text(encoding="utf-8")))
