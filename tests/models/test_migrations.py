"""Migrations are the only way a schema is made; they must agree with the models."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from app.models import db as dbmod
from app.models.schema import Base


def test_head_constant_matches_the_scripts() -> None:
    script = ScriptDirectory.from_config(dbmod._alembic_config(dbmod.make_engine("sqlite://")))
    assert script.get_current_head() == dbmod.HEAD_REVISION


def test_empty_database_migrates_to_head_and_matches_models(tmp_path: Path) -> None:
    engine = dbmod.make_engine(f"sqlite:///{tmp_path / 'm.sqlite'}")
    dbmod.migrate(engine)
    assert dbmod._stored_revision(engine) == dbmod.HEAD_REVISION
    with engine.connect() as con:
        diff = compare_metadata(MigrationContext.configure(con), Base.metadata)
        tables = set(inspect(con).get_table_names())
    engine.dispose()
    assert diff == []
    assert {"plan", "plan_row", "target", "realisation", "audit_entry"} <= tables


def test_migrations_downgrade_to_empty_and_back(tmp_path: Path) -> None:
    from alembic import command

    engine = dbmod.make_engine(f"sqlite:///{tmp_path / 'm.sqlite'}")
    cfg = dbmod._alembic_config(engine)
    command.upgrade(cfg, "head")
    command.downgrade(cfg, "base")
    with engine.connect() as con:
        assert set(inspect(con).get_table_names()) <= {"alembic_version"}
    command.upgrade(cfg, "head")
    assert dbmod._stored_revision(engine) == dbmod.HEAD_REVISION
    engine.dispose()


def test_pragmas_for_durability(tmp_path: Path) -> None:
    db = dbmod.open_database(tmp_path / "p.sqlite", seed=False)
    with db.engine.connect() as con:
        assert con.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert con.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert con.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    db.dispose()
