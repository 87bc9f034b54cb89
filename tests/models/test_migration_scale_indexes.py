"""Migration 0013: the indexes an imported file needs on a province-sized database."""

from __future__ import annotations

from alembic import command

from app.models import db as dbmod
from tests.models.index_helpers import indexes, query_plan


def test_upgrade_adds_and_downgrade_removes_theindexes(empty_db_url: str) -> None:
    engine = dbmod.make_engine(empty_db_url)
    cfg = dbmod._alembic_config(engine)
    command.upgrade(cfg, "0010_count_precision")
    assert "ix_plan_row_plan_id_opd_id" not in indexes(engine, "plan_row")
    command.upgrade(cfg, "0013_scale_indexes")
    assert indexes(engine, "plan_row")["ix_plan_row_plan_id_opd_id"] == ["plan_id", "opd_id"]
    assert indexes(engine, "pinned_key")["ix_pinned_key_public_key"] == ["public_key"]
    filled = ["row_id", "year", "semester", "total"]
    assert indexes(engine, "realisation")["ix_realisation_filled"] == filled
    command.downgrade(cfg, "0010_count_precision")
    assert "ix_plan_row_plan_id_opd_id" not in indexes(engine, "plan_row")
    assert "ix_pinned_key_public_key" not in indexes(engine, "pinned_key")
    assert "ix_realisation_filled" not in indexes(engine, "realisation")
    engine.dispose()


def test_an_opds_rows_of_a_plan_are_found_through_the_index(empty_db_url: str) -> None:
    """SQLite picked ``ix_plan_row_plan_id`` and walked the whole plan for one OPD."""
    engine = dbmod.make_engine(empty_db_url)
    dbmod.migrate(engine)
    plan = query_plan(engine, "SELECT id FROM plan_row WHERE plan_id = 1 AND opd_id = 7")
    engine.dispose()
    assert "ix_plan_row_in_force" in plan, plan  # 0014 widened it; same first columns
