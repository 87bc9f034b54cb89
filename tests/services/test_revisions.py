"""Comparing two stored revisions of an OPD's submission, value by value."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.formats import keys
from app.models.schema import PlanNode, PlanRow, Submission
from app.services import catalog, importer
from app.services.revisions import (
    RevisionError,
    changes_json,
    compare_contents,
    compare_revisions,
    list_revisions,
)
from tests.services.submission_helpers import OPD, YEAR, Pair, content_of, forge, make_pair, submit


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


@pytest.fixture
def first(pair: Pair, tmp_path: Path) -> Path:
    path = submit(pair, tmp_path / "r1.xlsx")
    assert importer.import_file(pair.pokja, path, accept_new_key=True).ok
    return path


def _stored(pair: Pair, revision: int) -> tuple[int, dict[str, Any]]:
    with pair.pokja.begin() as s:
        sub = s.scalars(
            select(Submission).where(Submission.opd_code == OPD, Submission.revision == revision)
        ).one()
        assert sub.content is not None
        return sub.id, json.loads(sub.content)


def _revised(pair: Pair, first: Path, tmp_path: Path) -> dict[str, Any]:
    """Revision 2 with a handful of changed values; imported into Pokja."""
    _, old = _stored(pair, 1)
    new = copy.deepcopy(old)
    new["revision"] = 2
    r0, r1 = new["rows"][0], new["rows"][1]
    r0["realisations"]["0"].update(total="999", male=None, female=None, disabled=None)
    r0["realisations"]["0"]["updated_at"] = "2024-02-01T10:00:00"  # a stamp, not a value
    r1["realisations"]["0"]["note"] = "Data dikoreksi sesuai SPJ"
    r1["realisations"]["1"] = {
        **r1["realisations"]["0"],
        "budget": "1250000",
        "evidence": "Laporan semester",
    }
    r1["proposed_target"] = {
        "text": "40 orang",
        "total": "40",
        "male": None,
        "female": None,
        "disabled": None,
        "at": None,
        "by": "Budi",
    }
    arg0 = new["arg"][0]
    arg0["answer"] = "tidak" if arg0["answer"] == "ya" else "ya"
    new["arg"][1]["remark"] = "Menunggu DPA perubahan"
    path = forge(first, tmp_path / "r2.xlsx", new, pair.key)
    out = importer.import_file(pair.pokja, path)
    assert out.outcome == importer.SUPERSEDED, out.reason
    return new


def test_changed_values_are_listed_with_labels_and_unchanged_ones_are_not(
    pair: Pair, first: Path, tmp_path: Path
) -> None:
    new = _revised(pair, first, tmp_path)
    old_id, old = _stored(pair, 1)
    new_id, _ = _stored(pair, 2)
    with pair.pokja.begin() as s:
        changes = compare_revisions(s, old_id, new_id)
        r0, r1 = new["rows"][0]["key"], new["rows"][1]["key"]
        labels = {
            k: ind or akt
            for k, ind, akt in s.execute(
                select(PlanRow.key, PlanRow.indikator, PlanRow.aktivitas).where(
                    PlanRow.key.in_([r0, r1])
                )
            )
        }
        node = new["arg"][0]["node"]
        node_name = s.scalar(select(PlanNode.name).where(PlanNode.key == node))
    real0 = old["rows"][0]["realisations"]["0"]
    got = [(c.key, c.field, c.old, c.new) for c in changes if c.kind == "row"]
    expected = [
        (r0, "Realisasi total", real0["total"], "999"),
        *[
            (r0, f"Realisasi {lbl}", real0[f], None)
            for f, lbl in (
                ("male", "laki-laki"),
                ("female", "perempuan"),
                ("disabled", "disabilitas"),
            )
            if real0[f] is not None
        ],
        (r1, "Catatan", old["rows"][1]["realisations"]["0"]["note"] or None, None),
    ]
    # Row 1: the note changed; semester I is new (every value of it listed); a proposal.
    assert got[: len(expected) - 1] == expected[:-1]
    r1_fields = [f for k, f, _, _ in got if k == r1]
    assert r1_fields[0] == "Catatan"
    assert "Realisasi total (semester I)" in r1_fields
    assert "Pagu anggaran (semester I)" in r1_fields
    assert r1_fields[-2:] == ["Usulan target (teks)", "Usulan target total"]
    assert not any("updated" in f for f in r1_fields)
    note = next(c for c in changes if c.key == r1 and c.field == "Catatan")
    assert note.new == "Data dikoreksi sesuai SPJ"
    budget = next(c for c in changes if c.field == "Pagu anggaran (semester I)")
    assert budget.old_text == "–" and budget.new_text == "Rp 1.250.000"
    # Labels come from the database; no row other than the two edited ones is listed.
    assert {c.key for c in changes if c.kind == "row"} == {r0, r1}
    assert all(c.label == labels[c.key] for c in changes if c.kind == "row")
    arg = [c for c in changes if c.kind == "arg"]
    assert arg[0].key == node and arg[0].label == node_name
    assert arg[0].field == f"Jawaban ARG {new['arg'][0]['question']}"
    assert {arg[0].old_text, arg[0].new_text} == {"Ya", "Tidak"}
    assert arg[1].field.startswith("Keterangan ARG") and arg[1].new == "Menunggu DPA perubahan"
    assert len(arg) == 2
    assert changes_json(changes)[0] == {
        "kind": "row",
        "key": r0,
        "label": labels[r0],
        "field": "Realisasi total",
        "old": real0["total"],
        "new": "999",
    }


def test_identical_contents_give_no_differences(pair: Pair, first: Path) -> None:
    rid, content = _stored(pair, 1)
    with pair.pokja.begin() as s:
        assert compare_revisions(s, rid, rid) == []
        # The same figure written differently is not a change.
        other = copy.deepcopy(content)
        real = other["rows"][0]["realisations"]["0"]
        real["total"] = real["total"] + ".0" if "." not in real["total"] else real["total"] + "0"
        assert compare_contents(s, content, other) == []


def test_revisions_are_listed_oldest_first_with_the_current_one_marked(
    pair: Pair, first: Path, tmp_path: Path
) -> None:
    _revised(pair, first, tmp_path)
    with pair.pokja.begin() as s:
        plan = catalog.get_plan(s)
        revs = list_revisions(s, plan.code, OPD, YEAR)
        assert list_revisions(s, plan.code, OPD, 2022) == []
        assert list_revisions(s, plan.code, "OPD-002", YEAR) == []
    assert [(r.revision, r.current) for r in revs] == [(1, False), (2, True)]
    assert revs[0].file_name == "r1.xlsx"
    assert revs[1].label.startswith("Revisi 2 — diterima ") and revs[1].label.endswith("(berlaku)")


def test_revisions_that_cannot_be_compared_say_why(pair: Pair, first: Path, tmp_path: Path) -> None:
    # Another OPD's file, and a refused file (no content kept).
    second_key = keys.generate_key("kunci-opd-dua", tmp_path / "dua")  # one key per OPD
    other = forge(first, tmp_path / "opd2.xlsx", content_of(pair.focal, "OPD-002"), second_key)
    assert importer.import_file(pair.pokja, other, accept_new_key=True).ok
    stranger = keys.generate_key("kunci-orang-lain", tmp_path / "lain")
    bad = forge(first, tmp_path / "bad.xlsx", content_of(pair.focal, revision=5), stranger)
    assert importer.import_file(pair.pokja, bad).outcome == importer.REFUSED
    rid, _ = _stored(pair, 1)
    with pair.pokja.begin() as s:
        two = s.scalar(select(Submission.id).where(Submission.opd_code == "OPD-002"))
        refused = s.scalar(select(Submission.id).where(Submission.signature_state == "refused"))
        assert two is not None and refused is not None
        with pytest.raises(RevisionError, match="Perangkat Daerah dan tahun yang sama"):
            compare_revisions(s, rid, two)
        with pytest.raises(RevisionError, match="tidak tersimpan"):
            compare_revisions(s, refused, rid)
        with pytest.raises(RevisionError, match="tidak ada"):
            compare_revisions(s, rid, 999_999)
