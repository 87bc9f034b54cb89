"""Migrations are the only way a schema is made; they must agree with the models."""

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from app.models import db as dbmod
from app.models.schema import Base


def test_head_constant_matches_the_scripts() -> None:
    script = ScriptDirectory.from_config(dbmod._alembic_config(dbmod.make_engine("sqlite://")))
    assert script.get_current_head() == dbmod.HEAD_REVISION


def test_empty_database_migrates_to_head_and_matches_models(empty_db_url: str) -> None:
    engine = dbmod.make_engine(empty_db_url)
    dbmod.migrate(engine)
    assert dbmod._stored_revision(engine) == dbmod.HEAD_REVISION
    with engine.connect() as con:
        diff = compare_metadata(MigrationContext.configure(con), Base.metadata)
        tables = set(inspect(con).get_table_names())
    engine.dispose()
    assert diff == []
    assert {"plan", "plan_row", "target", "realisation", "audit_entry"} <= tables


def test_migrations_downgrade_to_empty_and_back(empty_db_url: str) -> None:
    from alembic import command

    engine = dbmod.make_engine(empty_db_url)
    cfg = dbmod._alembic_config(engine)
    command.upgrade(cfg, "head")
    command.downgrade(cfg, "base")
    with engine.connect() as con:
        assert set(inspect(con).get_table_names()) <= {"alembic_version"}
    command.upgrade(cfg, "head")
    assert dbmod._stored_revision(engine) == dbmod.HEAD_REVISION
    engine.dispose()


@pytest.mark.sqlite_only
def test_pragmas_for_durability(tmp_path: Path) -> None:
    db = dbmod.open_database(tmp_path / "p.sqlite")
    with db.engine.connect() as con:
        assert con.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert con.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert con.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    db.dispose()


def _write_like_release_0001(engine: Engine) -> None:
    """Rows as the first release wrote them: its own columns only, in plain SQL.

    Today's ORM classes describe the newest schema, so they cannot write an old one;
    this is the data a focal point's 0001 database really holds.
    """
    now = "2026-01-05 09:00:00.000000"
    stmts = [
        "INSERT INTO plan (id, code, kind, title, start_year, end_year, source, data_version)"
        " VALUES (1, 'RADPUG-LMJ-2022-2024', 'radpug', 'RAD PUG', 2022, 2024, '', '')",
        "INSERT INTO opd (id, code, name, short_name) VALUES (1, 'DINKES-PPKB', 'Dinas"
        " Kesehatan, Pengendalian Penduduk dan Keluarga Berencana', 'Dinkes PP & KB')",
        "INSERT INTO plan_node (id, plan_id, parent_id, opd_id, level, key, code, name,"
        " position) VALUES (1, 1, NULL, 1, 'program', 'n-1', NULL, 'PROGRAM UJI', 0)",
        "INSERT INTO plan_row (id, plan_id, key, node_id, opd_id, seq, no, aktivitas,"
        " indikator, satuan, polarity, keterangan, opd_text, seed_line) VALUES (1, 1,"
        " 'rp-000000000001', 1, 1, 1, '1', 'Pelatihan kader', 'Jumlah kader', 'orang',"
        " 'higher', '', 'Dinkes', 1011)",
        "INSERT INTO target (id, row_id, year, text, is_percent, total, male, female,"
        " disabled, proposed) VALUES (1, 1, 2022, '30 orang', FALSE, 30, NULL, NULL, NULL, FALSE)",
        "INSERT INTO realisation (id, row_id, year, semester, total, male, female, disabled,"
        " budget, spending, evidence, note, updated_at, updated_by) VALUES (1, 1, 2022, 0,"
        f" 25, 10, 14, 1, 5000000, 4500000, 'daftar hadir', '', '{now}', 'Siti')",
    ]
    with engine.begin() as con:
        for sql in stmts:
            con.exec_driver_sql(sql)


def test_data_survives_the_upgrade_from_the_first_revision(
    tmp_path: Path, empty_db_url: str
) -> None:
    """A focal point's 0001 database keeps its realisations through every later migration
    (and a server database made by that release too: the migrations run on both)."""
    from alembic import command

    from app.services import catalog, entry

    engine = dbmod.make_engine(empty_db_url)
    command.upgrade(dbmod._alembic_config(engine), "0001_initial")
    _write_like_release_0001(engine)
    engine.dispose()
    on_file = engine.dialect.name == "sqlite"
    path = tmp_path / "empty.sqlite"  # the file of empty_db_url on SQLite
    db = dbmod.open_database(path if on_file else empty_db_url)
    db.dispose()
    assert not on_file or any("sebelum-migrasi" in b.name for b in dbmod.list_backups(path)), (
        "the upgrade of a file must be preceded by a backup"
    )
    db = dbmod.open_database(path if on_file else empty_db_url)
    with db.begin() as s:
        assert inspect(s.connection()).has_table("arg_answer")
        got = entry.get_realisation(s, 1, 2022)
        detail = catalog.row_detail(s, 1)
        assert dbmod._stored_revision(db.engine) == dbmod.HEAD_REVISION
    db.dispose()
    assert got is not None
    assert (got.breakdown.total, got.breakdown.female, got.spending) == (25, 14, 4500000)
    assert got.evidence == "daftar hadir"
    assert detail.targets[2022].text == "30 orang" and detail.targets[2022].official.total == 30


def test_row_versions_start_at_one_and_keep_every_row(empty_db_url: str) -> None:
    """0012 adds the concurrency counter in place: rows written before it keep their data
    (no table copy whose DROP would cascade into targets and realisations) and start at 1."""
    from alembic import command

    engine = dbmod.make_engine(empty_db_url)
    cfg = dbmod._alembic_config(engine)
    command.upgrade(cfg, "0001_initial")
    _write_like_release_0001(engine)
    command.upgrade(cfg, "head")
    with engine.connect() as con:
        got = {
            t: con.exec_driver_sql(f"SELECT count(*), min(version), max(version) FROM {t}").one()
            for t in ("plan_row", "target", "realisation")
        }
        who = con.exec_driver_sql("SELECT updated_by FROM target").scalar()
    engine.dispose()
    assert got == {t: (1, 1, 1) for t in ("plan_row", "target", "realisation")}
    assert who is None  # nobody is named for an edit made before versions were kept
