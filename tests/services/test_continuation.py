"""A row of the next period continues a row of the previous one (issue #12, item 4)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.realisation import parse_realisation
from app.models.db import Database
from app.models.schema import Opd, Plan, PlanRow, RowContinuation, Target
from app.services import catalog, entry
from app.services.continuation import (
    ContinuationError,
    candidates_previous,
    earlier_years,
    link_previous,
    previous_of,
    unlink_previous,
)
from app.services.database import open_seeded
from app.services.plan_import import import_plan
from tests.formats.test_plan_workbook import _handmade

OLD = "RADPUG-LMJ-2022-2024"
NEXT = "RADPUG-LMJ-2025-2029"
LATER = "RADPUG-LMJ-2030-2034"
RENSTRA = "RENSTRA-SETDA-LMJ-2024-2026"


@dataclass(frozen=True)
class Periods:
    """Row ids of one indicator over three periods, and a Renstra row that overlaps."""

    old: int  # RAD PUG 2022–2024, a seeded row with a numeric 2023 target
    new: int  # RAD PUG 2025–2029, imported from a workbook
    later: int  # RAD PUG 2030–2034, made here
    renstra: int  # Renstra 2024–2026: overlaps the new plan


def build_periods(db: Database, tmp: Path) -> Periods:
    """The seeded plans plus a 2025–2029 plan from a workbook and a 2030–2034 plan."""
    import_plan(
        db, _handmade(tmp / "matriks.xlsx"), code=NEXT, region="Kabupaten Lumajang",
        create_opds=True,
    )  # fmt: skip
    with db.begin() as s:
        old_plan = catalog.get_plan(s, OLD)
        old = s.scalars(
            select(PlanRow.id)
            .join(Target, Target.row_id == PlanRow.id)
            .where(PlanRow.plan_id == old_plan.id, Target.year == 2023, Target.total > 0)
            .order_by(PlanRow.id)
        ).first()
        new_plan = catalog.get_plan(s, NEXT)
        new = s.scalars(
            select(PlanRow.id).where(PlanRow.plan_id == new_plan.id).order_by(PlanRow.id)
        ).first()
        renstra = s.scalars(
            select(PlanRow.id).where(PlanRow.plan_id == catalog.get_plan(s, RENSTRA).id)
        ).first()
        later_plan = Plan(
            code=LATER, kind="radpug", title="RAD PUG 2030–2034", start_year=2030,
            end_year=2034,
        )  # fmt: skip
        s.add(later_plan)
        s.flush()
        opd = s.scalars(select(Opd.id)).first()
        assert opd is not None
        row = PlanRow(
            plan_id=later_plan.id, key="rp-later-000001", opd_id=opd, seq=1,
            aktivitas="Penimbangan balita", indikator="Jumlah balita ditimbang", satuan="orang",
        )  # fmt: skip
        s.add(row)
        s.flush()
        later = row.id
    assert old is not None and new is not None and renstra is not None
    return Periods(old, new, later, renstra)


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Periods]:
    tmp = tmp_path_factory.mktemp("cont")
    path = tmp / "pokja.sqlite"
    db = open_seeded(path)
    periods = build_periods(db, tmp)
    db.dispose()
    return path, periods


@pytest.fixture
def periods_db(
    seeded_file: tuple[Path, Periods], tmp_path: Path, copy_db: Callable[[Path, Path], None]
) -> Iterator[tuple[Database, Periods]]:
    copy = tmp_path / "pokja.sqlite"
    copy_db(seeded_file[0], copy)
    db = open_seeded(copy)
    yield db, seeded_file[1]
    db.dispose()


def test_a_new_period_row_links_to_its_previous_row_and_the_history_says_so(
    periods_db: tuple[Database, Periods],
) -> None:
    db, p = periods_db
    with db.begin() as s:
        options = candidates_previous(s, p.new, limit=5000)
        assert p.old in {c.row_id for c in options}
        # Only plans that ended before 2025: no row of the 2025 plan, none of the Renstra.
        plans = {c.plan_code for c in options}
        assert plans == {OLD}
        assert previous_of(s, p.new) is None
    link_previous(db, p.new, p.old, "Pokja")
    with db.begin() as s:
        prev = previous_of(s, p.new)
        key_new = s.get(PlanRow, p.new).key  # type: ignore[union-attr]
        history = catalog.row_history(s, key_new)
    assert prev is not None and prev.row_id == p.old and prev.plan_label == "RAD PUG 2022–2024"
    assert any(e.action == "tautan-periode" and e.user == "Pokja" for e in history)
    unlink_previous(db, p.new, "Pokja")
    with db.begin() as s:
        assert previous_of(s, p.new) is None
        history = catalog.row_history(s, key_new)
        assert s.scalar(select(RowContinuation.id)) is None
    assert any(e.action == "lepas-tautan-periode" for e in history)


def test_candidates_put_the_same_opd_first(periods_db: tuple[Database, Periods]) -> None:
    db, p = periods_db
    with db.begin() as s:
        mine = s.get(PlanRow, p.new)
        assert mine is not None
        options = candidates_previous(s, p.new, limit=5000)
        opds = [s.get(PlanRow, c.row_id).opd_id for c in options]  # type: ignore[union-attr]
    same = [o == mine.opd_id for o in opds]
    assert same == sorted(same, reverse=True)  # every same-OPD row before any other


def test_refusals_say_why_in_indonesian(periods_db: tuple[Database, Periods]) -> None:
    db, p = periods_db
    with pytest.raises(ContinuationError, match="berakhir sebelum 2025"):
        link_previous(db, p.new, p.renstra, "Pokja")  # Renstra 2024–2026 overlaps
    with pytest.raises(ContinuationError, match="berakhir sebelum 2022"):
        link_previous(db, p.old, p.new, "Pokja")  # backwards in time
    with pytest.raises(ContinuationError, match="tidak ditemukan"):
        link_previous(db, p.new, 10**9, "Pokja")
    link_previous(db, p.new, p.old, "Pokja")
    link_previous(db, p.new, p.old, "Pokja")  # the same again changes nothing
    with db.begin() as s:
        other = s.scalars(
            select(PlanRow.id).where(
                PlanRow.plan_id == catalog.get_plan(s, OLD).id, PlanRow.id != p.old
            )
        ).first()
    assert other is not None
    with pytest.raises(ContinuationError, match="Lepas tautan itu dulu"):
        link_previous(db, p.new, other, "Pokja")  # one previous row per row
    with db.begin() as s:
        assert previous_of(s, p.new).row_id == p.old  # type: ignore[union-attr]


def test_a_cycle_is_refused_even_if_periods_were_corrected_after_linking(
    periods_db: tuple[Database, Periods],
) -> None:
    db, p = periods_db
    link_previous(db, p.later, p.new, "Pokja")
    with db.begin() as s:  # a plan's years corrected so that the later plan comes first
        later = catalog.get_plan(s, LATER)
        later.start_year, later.end_year = 2018, 2019
    with pytest.raises(ContinuationError, match="berputar"):
        link_previous(db, p.new, p.later, "Pokja")


def test_earlier_years_follow_the_chain_back_with_targets_figures_and_capaian(
    periods_db: tuple[Database, Periods],
) -> None:
    db, p = periods_db
    with db.begin() as s:
        target = s.scalars(select(Target).where(Target.row_id == p.old, Target.year == 2023)).one()
        goal, text = target.total, target.text
    assert goal is not None
    entry.save_realisation(
        db, p.old, 2023, parse_realisation({"male": "7", "female": "5", "disabled": "1"}), "Siti"
    )
    entry.save_realisation(db, p.new, 2025, parse_realisation({"total": "3"}), "Ani")
    with db.begin() as s:
        assert earlier_years(s, p.later) == []
    link_previous(db, p.later, p.new, "Pokja")
    link_previous(db, p.new, p.old, "Pokja")
    with db.begin() as s:
        years = earlier_years(s, p.later)
        from_new = earlier_years(s, p.new)
    assert [e.year for e in years] == list(range(2022, 2030))
    assert [e.year for e in from_new] == [2022, 2023, 2024]
    y2023 = next(e for e in years if e.year == 2023)
    assert y2023.plan_code == OLD and y2023.row_id == p.old and y2023.target_text == text
    assert y2023.realisation is not None
    bd = y2023.realisation.breakdown
    assert (bd.male, bd.female, bd.disabled, bd.effective_total) == (7, 5, 1, 13)
    assert y2023.achievement == (Decimal(13) / goal * 100).quantize(Decimal("0.01"))
    y2025 = next(e for e in years if e.year == 2025)
    assert y2025.plan_code == NEXT and y2025.realisation is not None
    assert y2025.realisation.breakdown.effective_total == 3
    assert y2025.target_text  # the workbook's first target, "20 orang dari …"
    assert next(e for e in years if e.year == 2024).realisation is None


def test_deleting_a_plan_row_drops_its_continuation(periods_db: tuple[Database, Periods]) -> None:
    db, p = periods_db
    link_previous(db, p.new, p.old, "Pokja")
    with db.begin() as s:
        s.delete(s.get(PlanRow, p.old))
    with db.begin() as s:
        assert previous_of(s, p.new) is None
        assert earlier_years(s, p.new) == []


def test_a_0008_database_upgrades_and_keeps_its_rows(tmp_path: Path, empty_db_url: str) -> None:
    """The release before this one (revision 0008) opens, gains the table, keeps its data."""
    from alembic import command
    from sqlalchemy import inspect

    from app.models import db as dbmod

    engine = dbmod.make_engine(empty_db_url)
    command.upgrade(dbmod._alembic_config(engine), "0008_pokja_corrections")
    with engine.begin() as con:
        for sql in (
            "INSERT INTO plan (id, code, kind, title, start_year, end_year, source,"
            " data_version) VALUES (1, 'A', 'radpug', 'A', 2022, 2024, '', ''),"
            " (2, 'B', 'radpug', 'B', 2025, 2029, '', '')",
            "INSERT INTO opd (id, code, name, short_name) VALUES (1, 'X', 'Dinas X', 'X')",
            "INSERT INTO plan_row (id, plan_id, key, opd_id, seq, no, aktivitas, indikator,"
            " satuan, polarity, keterangan) VALUES (1, 1, 'r-a', 1, 1, '1', 'Kader', 'Jumlah',"
            " 'orang', 'higher', ''), (2, 2, 'r-b', 1, 1, '1', 'Kader', 'Jumlah', 'orang',"
            " 'higher', '')",
        ):
            con.exec_driver_sql(sql)
        assert not inspect(con).has_table("row_continuation")
    on_file = engine.dialect.name == "sqlite"
    engine.dispose()
    db = dbmod.open_database(tmp_path / "empty.sqlite" if on_file else empty_db_url)
    try:
        assert dbmod._stored_revision(db.engine) == dbmod.HEAD_REVISION
        link_previous(db, 2, 1, "Pokja")
        with db.begin() as s:
            prev = previous_of(s, 2)
            assert inspect(s.connection()).has_table("row_continuation")
        assert prev is not None and prev.key == "r-a" and prev.plan_label == "RAD PUG 2022–2024"
    finally:
        db.dispose()
