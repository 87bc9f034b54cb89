"""What is left for a year: unfilled rows, kegiatan without ARG, unlikely figures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.arg import Answer
from app.domain.breakdown import Breakdown
from app.domain.realisation import RealisationValues
from app.formats.arg_questions import current_question_set
from app.models.db import Database
from app.models.schema import PlanNode, PlanRow, Target
from app.services import catalog, entry
from app.services.arg_store import save_answer
from app.services.remaining import Remaining, recount_arg, recount_row, remaining

YEAR = 2023


def _state(db: Database, opd_id: int | None = None, year: int = YEAR) -> Remaining:
    with db.begin() as s:
        return remaining(s, catalog.get_plan(s).id, year, opd_id)


def _rows(db: Database) -> list[catalog.RowSummary]:
    with db.begin() as s:
        return catalog.load_rows(s, catalog.get_plan(s).id)


def _targeted_row(db: Database) -> int:
    with db.begin() as s:
        row_id = s.scalars(
            select(Target.row_id).where(Target.year == YEAR, Target.total > 10).order_by(Target.id)
        ).first()
        assert row_id is not None
        return row_id


def test_nothing_filled_counts_every_row_and_every_kegiatan(syn_db: Database) -> None:
    rows = _rows(syn_db)
    left = _state(syn_db)
    assert left.rows == left.unfilled == len(rows) == 300
    assert left.without_arg == {r.path_nodes["kegiatan"] for r in rows}
    assert left.warnings == 0


def test_a_saved_figure_leaves_one_row_fewer(syn_db: Database) -> None:
    row_id = _rows(syn_db)[0].id
    entry.save_realisation(syn_db, row_id, YEAR, RealisationValues(Breakdown(Decimal(1))), "u")
    assert _state(syn_db).unfilled == 299
    assert _state(syn_db, year=2024).unfilled == 300  # another year is still empty


def test_a_focal_point_counts_only_their_own_rows(syn_db: Database) -> None:
    rows = _rows(syn_db)
    opd = rows[0].opd_id
    own = [r for r in rows if r.opd_id == opd]
    left = _state(syn_db, opd)
    assert left.unfilled == len(own) < 300
    assert left.without_arg == {r.path_nodes["kegiatan"] for r in own}


def test_an_answer_on_a_sub_kegiatan_counts_for_its_kegiatan(syn_db: Database) -> None:
    rows = _rows(syn_db)
    sub = rows[0].path_nodes["sub_kegiatan"]
    kegiatan = rows[0].path_nodes["kegiatan"]
    save_answer(syn_db, sub, YEAR, current_question_set(), "PR1", Answer.YA, "", "u")
    left = _state(syn_db)
    assert kegiatan not in left.without_arg
    assert left.kegiatan_without_arg == len({r.path_nodes["kegiatan"] for r in rows}) - 1
    assert kegiatan in _state(syn_db, year=2024).without_arg  # answered for 2023 only


def test_a_kegiatan_answered_itself_is_not_left(syn_db: Database) -> None:
    kegiatan = _rows(syn_db)[-1].path_nodes["kegiatan"]
    save_answer(syn_db, kegiatan, YEAR, current_question_set(), "PR1", Answer.YA, "", "u")
    assert kegiatan not in _state(syn_db).without_arg


def test_unlikely_figures_are_counted_as_the_form_warns(syn_db: Database) -> None:
    row_id = _targeted_row(syn_db)
    huge = RealisationValues(Breakdown(Decimal(10_000_000)))
    entry.save_realisation(syn_db, row_id, YEAR, huge, "u")
    assert _state(syn_db).warnings == 1  # capaian above 200 %
    over_budget = RealisationValues(
        Breakdown(Decimal(10_000_000)), budget=Decimal(1000), spending=Decimal(2000)
    )
    entry.save_realisation(syn_db, row_id, YEAR, over_budget, "u")
    assert _state(syn_db).warnings == 2  # and spending above pagu
    entry.save_realisation(syn_db, row_id, YEAR, None, "u")
    assert _state(syn_db).warnings == 0


def test_retired_rows_are_not_asked_for(syn_db: Database) -> None:
    from datetime import datetime

    row_id = _rows(syn_db)[0].id
    with syn_db.begin() as s:
        row = s.get(PlanRow, row_id)
        assert row is not None
        row.retired_at = datetime(2024, 1, 1)
    assert _state(syn_db).unfilled == 299


def test_kegiatan_without_rows_are_not_counted(syn_db: Database) -> None:
    rows = _rows(syn_db)
    with syn_db.begin() as s:
        plan_id = catalog.get_plan(s).id
        all_kegiatan = set(
            s.scalars(
                select(PlanNode.id).where(PlanNode.plan_id == plan_id, PlanNode.level == "kegiatan")
            )
        )
    with_rows = {r.path_nodes["kegiatan"] for r in rows}
    assert _state(syn_db).without_arg == with_rows <= all_kegiatan


def test_recounting_one_row_agrees_with_a_full_count(syn_db: Database) -> None:
    row_id = _targeted_row(syn_db)
    with syn_db.begin() as s:
        plan_id = catalog.get_plan(s).id
        before = remaining(s, plan_id, YEAR)
    over = RealisationValues(
        Breakdown(Decimal(10_000_000)), budget=Decimal(1000), spending=Decimal(2000)
    )
    entry.save_realisation(syn_db, row_id, YEAR, over, "u")
    with syn_db.begin() as s:
        after = recount_row(s, before, plan_id, row_id)
        assert after == remaining(s, plan_id, YEAR)
    assert (after.unfilled, after.warnings) == (before.unfilled - 1, 2)
    entry.save_realisation(syn_db, row_id, YEAR, None, "u")  # an undo removes it again
    with syn_db.begin() as s:
        assert recount_row(s, after, plan_id, row_id) == before


def test_recounting_a_row_of_another_opd_changes_nothing(syn_db: Database) -> None:
    rows = _rows(syn_db)
    mine, other = rows[0], next(r for r in rows if r.opd_id != rows[0].opd_id)
    with syn_db.begin() as s:
        plan_id = catalog.get_plan(s).id
        left = remaining(s, plan_id, YEAR, mine.opd_id)
    entry.save_realisation(syn_db, other.id, YEAR, RealisationValues(Breakdown(Decimal(1))), "u")
    with syn_db.begin() as s:
        assert recount_row(s, left, plan_id, other.id) is left


def test_recounting_the_arg_answers_agrees_with_a_full_count(syn_db: Database) -> None:
    rows = _rows(syn_db)
    opd = rows[0].opd_id
    with syn_db.begin() as s:
        plan_id = catalog.get_plan(s).id
        before = remaining(s, plan_id, YEAR, opd)
    qset = current_question_set()
    save_answer(syn_db, rows[0].path_nodes["sub_kegiatan"], YEAR, qset, "PR1", Answer.YA, "", "u")
    with syn_db.begin() as s:
        after = recount_arg(s, before, plan_id, opd)
        assert after == remaining(s, plan_id, YEAR, opd)
    assert after.kegiatan_without_arg == before.kegiatan_without_arg - 1
    save_answer(syn_db, rows[0].path_nodes["sub_kegiatan"], YEAR, qset, "PR1", None, "", "u")
    with syn_db.begin() as s:
        assert recount_arg(s, after, plan_id, opd) == before


def test_figures_already_read_are_used_instead_of_read_again(
    syn_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services import remaining as remaining_mod
    from app.services.figures import year_figures

    row_id = _targeted_row(syn_db)
    huge = RealisationValues(Breakdown(Decimal(10_000_000)))
    entry.save_realisation(syn_db, row_id, YEAR, huge, "u")
    with syn_db.begin() as s:
        plan_id = catalog.get_plan(s).id
        figures = year_figures(s, plan_id, YEAR)
    reads: list[object] = []
    monkeypatch.setattr(remaining_mod, "year_figures", lambda *a: reads.append(a) or {})
    with syn_db.begin() as s:
        left = remaining(s, plan_id, YEAR, None, figures)
    assert reads == [] and left.warnings == 1  # the same count, no second read
