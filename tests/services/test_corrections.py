"""Pokja corrections of signed figures: explicit, with a reason, visible, superseded by
the OPD's next signed revision (issue 11, item 6)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.domain.breakdown import Breakdown
from app.domain.numbers import decimal_text
from app.domain.realisation import RealisationValues
from app.models.schema import AuditEntry, PlanRow, PokjaCorrection, Submission
from app.services import corrections, entry, importer, intake
from app.services.corrections import CorrectionError, correct_realisation
from tests.services.submission_helpers import OPD, YEAR, Pair, forge, make_pair, submit

REASON = "salah ketik, dikonfirmasi OPD lewat telepon"


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


@pytest.fixture
def signed_file(pair: Pair, tmp_path: Path) -> Path:
    path = submit(pair, tmp_path / "r1.xlsx")
    assert importer.import_file(pair.pokja, path, accept_new_key=True).outcome == "diterima"
    return path


def _filled_row(pair: Pair) -> tuple[int, RealisationValues]:
    """A row of the OPD whose signed realisation has a total (the sample fills them all)."""
    with pair.pokja.begin() as s:
        for rid in s.scalars(
            select(PlanRow.id).where(PlanRow.key.is_not(None)).order_by(PlanRow.id)
        ):
            v = entry.get_realisation(s, rid, YEAR)
            row = s.get(PlanRow, rid)
            assert row is not None
            if (
                v is not None
                and v.breakdown.total is not None
                and v.budget is not None
                and row.opd.code == OPD
            ):
                return rid, v
    raise AssertionError("no filled row")


def _with_total(v: RealisationValues, total: str) -> RealisationValues:
    """Only the total corrected (the parts cleared): one value per part changes too."""
    return replace(v, breakdown=Breakdown(Decimal(total)))


def _with_budget(v: RealisationValues, budget: int) -> RealisationValues:
    """Exactly one value corrected."""
    return replace(v, budget=Decimal(budget))


def test_signed_figures_are_read_only_for_an_ordinary_edit(pair: Pair, signed_file: Path) -> None:
    rid, v = _filled_row(pair)
    with pytest.raises(entry.EntryError, match="Koreksi Pokja"):
        entry.save_realisation(pair.pokja, rid, YEAR, _with_total(v, "60"), "Pokja")
    with pair.pokja.begin() as s:
        assert entry.get_realisation(s, rid, YEAR) == v


def test_rows_without_a_signed_source_stay_ordinary_edits(pair: Pair, signed_file: Path) -> None:
    with pair.pokja.begin() as s:
        other = s.scalars(
            select(PlanRow.id).where(PlanRow.opd.has(code="OPD-002")).order_by(PlanRow.id)
        ).first()
        assert other is not None and not corrections.is_signed(s, other, YEAR)
    values = RealisationValues(Breakdown(Decimal(7)))
    entry.save_realisation(pair.pokja, other, YEAR, values, "Pokja")
    with pair.pokja.begin() as s:
        assert entry.get_realisation(s, other, YEAR) == values
        assert corrections.row_corrections(s, other, YEAR) == []
    with pytest.raises(CorrectionError, match="tidak berasal dari kiriman bertanda tangan"):
        correct_realisation(pair.pokja, other, YEAR, values, REASON, "Pokja")


def test_a_correction_needs_a_reason(pair: Pair, signed_file: Path) -> None:
    rid, v = _filled_row(pair)
    for reason in ("", "   ", "ok"):
        with pytest.raises(CorrectionError, match="alasan"):
            correct_realisation(pair.pokja, rid, YEAR, _with_total(v, "60"), reason, "Pokja")
    with pair.pokja.begin() as s:
        assert entry.get_realisation(s, rid, YEAR) == v


def test_a_correction_keeps_the_signed_value_who_when_and_why(
    pair: Pair, signed_file: Path
) -> None:
    rid, v = _filled_row(pair)
    signed_total = v.breakdown.total
    old = correct_realisation(pair.pokja, rid, YEAR, _with_total(v, "60"), REASON, "Rina (Pokja)")
    assert old == v
    with pair.pokja.begin() as s:
        assert entry.get_realisation(s, rid, YEAR).breakdown.total == Decimal(60)  # type: ignore[union-attr]
        found = corrections.row_corrections(s, rid, YEAR)
        sub_id = s.scalar(select(Submission.id).where(Submission.current.is_(True)))
        stored = s.scalars(select(PokjaCorrection)).all()
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == corrections.ACTION)).all()
    fields = {c.field for c in found}
    assert "total" in fields
    total = next(c for c in found if c.field == "total")
    assert total.signed_value == decimal_text(signed_total)
    assert total.corrected_value == "60"
    assert (total.reason, total.by) == (REASON, "Rina (Pokja)")
    assert total.text.startswith(
        f"Dikoreksi Pokja: Total {corrections.shown('total', total.signed_value)} → 60"
    )
    assert "alasan: salah ketik" in total.text and "oleh Rina (Pokja)" in total.text
    assert all(c.submission_ref == sub_id for c in stored)
    assert {a.field for a in audit} == fields


def test_the_signed_value_is_read_from_the_signed_content(pair: Pair, signed_file: Path) -> None:
    """A second correction of the same field still names what the OPD signed."""
    rid, v = _filled_row(pair)
    signed_total = decimal_text(v.breakdown.total)
    correct_realisation(pair.pokja, rid, YEAR, _with_total(v, "60"), REASON, "Pokja")
    correct_realisation(pair.pokja, rid, YEAR, _with_total(v, "61"), "salah lagi, 61", "Pokja")
    with pair.pokja.begin() as s:
        total = [c for c in corrections.row_corrections(s, rid, YEAR) if c.field == "total"]
        history = s.scalars(select(PokjaCorrection).where(PokjaCorrection.field == "total")).all()
    assert [(c.signed_value, c.corrected_value) for c in total] == [(signed_total, "61")]
    assert [h.active for h in history] == [False, True]
    assert history[0].ended_reason == "diganti koreksi berikutnya"


def test_correcting_back_to_the_signed_value_ends_the_correction(
    pair: Pair, signed_file: Path
) -> None:
    rid, v = _filled_row(pair)
    correct_realisation(pair.pokja, rid, YEAR, _with_total(v, "60"), REASON, "Pokja")
    correct_realisation(pair.pokja, rid, YEAR, v, "kembali ke angka OPD", "Pokja")
    with pair.pokja.begin() as s:
        assert corrections.row_corrections(s, rid, YEAR) == []
        ended = s.scalars(select(PokjaCorrection)).all()
        assert entry.get_realisation(s, rid, YEAR) == v
    assert ended and all(not c.active for c in ended)
    assert any(c.ended_reason == "dikembalikan ke nilai bertanda tangan" for c in ended)


def test_counts_per_opd_and_year(pair: Pair, signed_file: Path) -> None:
    rid, v = _filled_row(pair)
    correct_realisation(
        pair.pokja, rid, YEAR, replace(_with_budget(v, 1), note="dikoreksi"), REASON, "Pokja"
    )
    with pair.pokja.begin() as s:
        row = s.get(PlanRow, rid)
        assert row is not None
        plan_code = s.scalar(select(Submission.plan_code).where(Submission.current.is_(True)))
        assert plan_code is not None
        n = corrections.count_for(s, plan_code, OPD, YEAR)
        by_row = corrections.plan_corrections(s, row.plan_id, YEAR)
    expected = 2 if v.note != "dikoreksi" else 1
    assert n == expected
    assert list(by_row) == [rid] and len(by_row[rid]) == expected
    assert corrections.corrections_note(n) == f"+ {n} koreksi Pokja"


def test_reimporting_the_same_file_says_how_many_values_pokja_corrected(
    pair: Pair, signed_file: Path
) -> None:
    rid, v = _filled_row(pair)
    correct_realisation(pair.pokja, rid, YEAR, _with_budget(v, 1), REASON, "Pokja")
    out = importer.import_file(pair.pokja, signed_file)
    assert out.outcome == importer.DUPLICATE
    assert "1 nilai dari berkas ini sudah dikoreksi Pokja" in out.reason
    assert "'Ganti paksa…'" in out.reason and "--" not in out.reason
    assert out.action == "replace-anyway"
    check = intake.check_file(pair.pokja, signed_file)
    assert check.already_received and check.pokja_corrections == 1


def test_reimport_without_corrections_stays_plain_sama(pair: Pair, signed_file: Path) -> None:
    out = importer.import_file(pair.pokja, signed_file)
    assert out.outcome == importer.DUPLICATE and "dikoreksi" not in out.reason
    assert intake.check_file(pair.pokja, signed_file).pokja_corrections == 0


def _stored_content(pair: Pair) -> dict[str, Any]:
    with pair.pokja.begin() as s:
        text = s.scalar(select(Submission.content).where(Submission.current.is_(True)))
    assert text is not None
    return json.loads(text)


def test_a_newer_signed_revision_supersedes_corrections_in_the_audit(
    pair: Pair, signed_file: Path, tmp_path: Path
) -> None:
    rid, v = _filled_row(pair)
    correct_realisation(pair.pokja, rid, YEAR, _with_budget(v, 60), REASON, "Pokja")
    content = copy.deepcopy(_stored_content(pair))
    content["revision"] = 2
    r2 = forge(signed_file, tmp_path / "r2.xlsx", content, pair.key)
    assert importer.import_file(pair.pokja, r2, user="Pokja").outcome == importer.SUPERSEDED
    with pair.pokja.begin() as s:
        assert corrections.row_corrections(s, rid, YEAR) == []
        # The OPD's signed figure is back; the correction is ended, not deleted.
        assert entry.get_realisation(s, rid, YEAR) == v
        ended = s.scalars(select(PokjaCorrection)).all()
        audit = s.scalars(
            select(AuditEntry).where(AuditEntry.action == corrections.ENDED_ACTION)
        ).all()
    assert ended and not any(c.active for c in ended)
    assert all(c.ended_reason and "r2" in c.ended_reason for c in ended)
    assert [(a.field, a.old_value) for a in audit] == [("budget", "60")]


def test_signed_arg_answers_and_proposals_are_read_only_for_pokja(
    pair: Pair, signed_file: Path
) -> None:
    """ARG answers and proposed targets come in the same signed file as the figures: Pokja
    does not change them in the OPD's name (there is no correction act for them)."""
    from app.domain.arg import ArgError
    from app.formats.arg_questions import current_question_set
    from app.models.schema import Opd, PlanNode
    from app.services import arg_store

    rid, _values = _filled_row(pair)
    qset = current_question_set()
    with pair.pokja.begin() as s:
        node_id = s.scalars(
            select(PlanNode.id)
            .join(Opd, Opd.id == PlanNode.opd_id)
            .where(PlanNode.level == "kegiatan", Opd.code == OPD)
        ).first()
        other = s.scalars(
            select(PlanNode.id)
            .join(Opd, Opd.id == PlanNode.opd_id)
            .where(PlanNode.level == "kegiatan", Opd.code != OPD)
        ).first()
    assert node_id is not None and other is not None
    q = qset.questions[0].id
    with pytest.raises(ArgError, match="kiriman bertanda tangan"):
        arg_store.save_answer(pair.pokja, node_id, YEAR, qset, q, "ya", "", "Pokja")
    with pytest.raises(entry.EntryError, match="kiriman bertanda tangan"):
        entry.propose_target(pair.pokja, rid, YEAR, "12 orang", Breakdown(Decimal(12)), "Pokja")
    # Another OPD, which sent nothing signed, is still Pokja's to fill in.
    arg_store.save_answer(pair.pokja, other, YEAR, qset, q, "ya", "", "Pokja")
