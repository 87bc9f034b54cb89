"""Shared fixtures: every test gets its own data folder and temporary databases.

``--pg-url URL`` (or ``MONEV_TEST_PG_URL``) runs the same tests on a PostgreSQL server:
every database a test opens by file path becomes a fresh server database cloned from a
template that already holds the migrated (and, for ``open_seeded``, seeded) schema.
Tests about the SQLite file itself carry the ``sqlite_only`` marker and are skipped there.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Tests never need a screen; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

import app.models.db as models_db
from app.formats.synthetic import synthetic_plan
from app.models.db import Database, open_database
from app.services.seeding import load_plan_data

PG_URL_ENV = "MONEV_TEST_PG_URL"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--pg-url",
        default=os.environ.get(PG_URL_ENV) or None,
        help="run the database tests on this PostgreSQL server (an admin URL, e.g. "
        "postgresql+psycopg://postgres@127.0.0.1:55432/postgres); also " + PG_URL_ENV,
    )


def pg_url(config: pytest.Config) -> str | None:
    return config.getoption("--pg-url")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not pg_url(config):
        return
    skip = pytest.mark.skip(reason="about the SQLite file; this run is on PostgreSQL")
    for item in items:
        if "sqlite_only" in item.keywords:
            item.add_marker(skip)


class PgServer:
    """Clones one server database per file path a test opens, from two templates."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = make_url(admin_url)
        self.admin: Engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        tag = f"{os.getpid()}"
        self.templates = {False: f"monev_tpl_{tag}", True: f"monev_tpl_seeded_{tag}"}
        self.made: dict[Path, str] = {}
        # Engines the app made on our databases: a test need not dispose every one, but
        # a dropped database's pooled connections must be closed, not garbage-collected.
        self.engines: dict[str, list[Engine]] = {}
        self._build_templates()

    def url(self, name: str) -> str:
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def _run(self, sql: str) -> None:
        with self.admin.connect() as con:
            con.execute(text(sql))

    def _build_templates(self) -> None:
        from app.services.seeding import ensure_seeded

        for seeded, name in self.templates.items():
            self._run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self._run(f'CREATE DATABASE "{name}"')
            db = open_database(self.url(name))
            try:
                if seeded:
                    ensure_seeded(db)
            finally:
                db.dispose()

    def fresh(self, key: Path, seeded: bool | None) -> str:
        """The URL of the database for ``key``, made on first use (empty when ``seeded``
        is ``None``, else cloned from the migrated or the migrated-and-seeded template)."""
        name = self.made.get(key)
        if name is None:
            name = "t_" + hashlib.sha1(str(key).encode()).hexdigest()[:24]
            self._run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            tpl = "" if seeded is None else f' TEMPLATE "{self.templates[seeded]}"'
            self._run(f'CREATE DATABASE "{name}"{tpl}')
            self.made[key] = name
        return self.url(name)

    def clone(self, source: Path, target: Path) -> None:
        """Make ``target``'s database a copy of ``source``'s (closed, as a copied file is)."""
        name = self.made[source]
        for engine in self.engines.get(name, []):
            engine.dispose()
        self.drop([target] if target in self.made else [])
        copy = "t_" + hashlib.sha1(str(target).encode()).hexdigest()[:24]
        self._run(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        self._run(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
        self.made[target] = copy

    def track(self, engine: Engine) -> None:
        if engine.url.database in self.made.values():
            self.engines.setdefault(str(engine.url.database), []).append(engine)

    def drop(self, keys: list[Path]) -> None:
        for key in keys:
            name = self.made.pop(key)
            for engine in self.engines.pop(name, []):
                engine.dispose()
            self._run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        self.drop(list(self.made))
        for name in self.templates.values():
            self._run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.dispose()


def _called_from_open_seeded() -> bool:
    # open_seeded = open_database + ensure_seeded; cloning the seeded template instead
    # saves the seconds the official matrix takes to load on every such test.
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_name == "open_database":
        frame = frame.f_back
    return frame is not None and frame.f_code.co_name == "open_seeded"


@pytest.fixture(scope="session", autouse=True)
def pg_server(pytestconfig: pytest.Config) -> Iterator[PgServer | None]:
    """The server of ``--pg-url``, mapping every file path a test opens to a database.

    Set for the whole session so that module-scoped databases go to the server too.
    """
    url = pg_url(pytestconfig)
    if not url:
        yield None
        return
    server = PgServer(url)
    make_engine = models_db.make_engine

    def tracked(url: str) -> Engine:
        engine = make_engine(url)
        server.track(engine)
        return engine

    models_db.path_to_url = lambda path: server.fresh(path, _called_from_open_seeded())
    models_db.make_engine = tracked
    try:
        yield server
    finally:
        models_db.path_to_url = None
        models_db.make_engine = make_engine
        server.close()


@pytest.fixture(autouse=True)
def _drop_test_databases(pg_server: PgServer | None) -> Iterator[None]:
    """Drop the server databases this test made (a module's own stay until the end)."""
    before = set(pg_server.made) if pg_server else set()
    yield
    if pg_server is not None:
        pg_server.drop([k for k in pg_server.made if k not in before])


@pytest.fixture(scope="module")
def real_sqlite_files(pg_server: PgServer | None) -> Iterator[None]:
    """For a module about SQLite files and a server together (``db copy``): its file
    paths stay SQLite files on the PostgreSQL run too."""
    saved = models_db.path_to_url
    models_db.path_to_url = None
    yield
    models_db.path_to_url = saved


@pytest.fixture
def server_url(pg_server: PgServer | None, tmp_path: Path) -> str:
    """An empty server database of this test (PostgreSQL run only, else skipped)."""
    if pg_server is None:
        pytest.skip("needs a PostgreSQL server (--pg-url or " + PG_URL_ENV + ")")
    return pg_server.fresh(tmp_path / "server", None)


@pytest.fixture
def on_server(pg_server: PgServer | None) -> bool:
    """Whether this run maps file databases to the PostgreSQL server (no file is made)."""
    return pg_server is not None


@pytest.fixture
def copy_db(pg_server: PgServer | None) -> Callable[[Path, Path], None]:
    """Copy a closed database file to another path, or on the PostgreSQL run clone the
    server database of the one path into a new one for the other."""

    def copy(source: Path, target: Path) -> None:
        if pg_server is None:
            shutil.copyfile(source, target)
        else:
            pg_server.clone(source, target)

    return copy


@pytest.fixture
def empty_db_url(tmp_path: Path, pg_server: PgServer | None) -> str:
    """A URL of an empty database (no schema): a SQLite file, or on the PostgreSQL run an
    empty server database, for the tests that migrate by hand."""
    if pg_server is None:
        return f"sqlite:///{tmp_path / 'empty.sqlite'}"
    return pg_server.fresh(tmp_path / "empty.sqlite", None)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Never touch the developer's real database from a test.
    monkeypatch.setenv("MONEV_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def syn_db(tmp_path: Path) -> Iterator[Database]:
    """A fresh file database holding a 300-row synthetic plan over 5 OPDs."""
    db = open_database(tmp_path / "syn.sqlite")
    load_plan_data(db, synthetic_plan(300, opds=5))
    yield db
    db.dispose()
