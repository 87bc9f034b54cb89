"""Migration 0014: the board counts rows in force and ARG answers from indexes alone."""

from __future__ import annotations

from alembic import command

from app.models import db as dbmod
from tests.models.index_helpers import indexes, query_plan


def test_upgrade_widens_the_indexes_and_downgrade_restores_them(empty_db_url: str) -> None:
    engine = dbmod.make_engine(empty_db_url)
    cfg = dbmod._alembic_config(engine)
    command.upgrade(cfg, "0013_scale_indexes")
    command.upgrade(cfg, "0014_board_indexes")
    rows = indexes(engine, "plan_row")
    assert rows["ix_plan_row_in_force"] == ["plan_id", "opd_id", "retired_at"]
    assert "ix_plan_row_plan_id_opd_id" not in rows
    answers = ["node_id", "year", "qset_version", "question_id", "answer"]
    assert indexes(engine, "arg_answer")["ix_arg_answer_classes"] == answers
    command.downgrade(cfg, "0013_scale_indexes")
    rows = indexes(engine, "plan_row")
    assert rows["ix_plan_row_plan_id_opd_id"] == ["plan_id", "opd_id"]
    assert "ix_plan_row_in_force" not in rows
    assert "ix_arg_answer_classes" not in indexes(engine, "arg_answer")
    engine.dispose()


def test_the_boards_counts_read_no_table_row(empty_db_url: str) -> None:
    """Rows in force per OPD, and answers per instrument, come from a covering index."""
    engine = dbmod.make_engine(empty_db_url)
    dbmod.migrate(engine)
    rows = query_plan(
        engine,
        "SELECT opd_id, count(*), count(retired_at) FROM plan_row WHERE plan_id = 1 "
        "GROUP BY opd_id",
    )
    answers = query_plan(
        engine,
        "SELECT node_id, year, qset_version, sum(CASE WHEN answer = 'ya' THEN 1 ELSE 0 END) "
        "FROM arg_answer WHERE year IN (2024, 2025) AND question_id IN ('PR1', 'PR2') "
        "GROUP BY node_id, year, qset_version",
    )
    engine.dispose()
    if engine.dialect.name == "sqlite":
        assert "COVERING INDEX ix_plan_row_in_force" in rows, rows
        assert "COVERING INDEX ix_arg_answer_classes" in answers, answers
    else:
        assert "Index Only Scan using ix_plan_row_in_force" in rows, rows
        assert "ix_arg_answer_classes" in answers, answers
