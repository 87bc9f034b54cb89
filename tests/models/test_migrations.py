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


def test_data_survives_the_upgrade_from_the_first_revision(tmp_path: Path) -> None:
    """A focal point's 0001 database keeps its realisations after the ARG tables arrive."""
    from alembic import command

    from app.core import catalog, entry
    from app.core.realisation import parse_realisation
    from app.core.seeding import load_plan
    from app.core.synthetic import synthetic_plan

    path = tmp_path / "old.sqlite"
    engine = dbmod.make_engine(f"sqlite:///{path}")
    command.upgrade(dbmod._alembic_config(engine), "0001_initial")
    with engine.begin() as con:
        tables = set(inspect(con).get_table_names())
    assert "arg_answer" not in tables
    from sqlalchemy.orm import Session

    with Session(engine) as s, s.begin():
        load_plan(s, synthetic_plan(20, opds=2), "")
    engine.dispose()
    db = dbmod.open_database(path, seed=False)
    with db.begin() as s:
        row = catalog.load_rows(s, catalog.get_plan(s).id)[0]
    entry.save_realisation(db, row.id, 2022, parse_realisation({"total": "4"}), "u")
    db.dispose()
    assert dbmod.list_backups(path), "the upgrade must be preceded by a backup"
    db = dbmod.open_database(path, seed=False)
    with db.begin() as s:
        got = entry.get_realisation(s, row.id, 2022)
        assert inspect(s.connection()).has_table("arg_answer")
    db.dispose()
    assert got is not None and got.breakdown.total == 4
