"""Alembic environment: the engine comes from the app (``config.attributes``)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from app.models.schema import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    engine = config.attributes.get("engine")
    if engine is None:  # `alembic` CLI use by maintainers
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # Batch mode lets later migrations alter SQLite tables (copy-and-move); a
            # server alters tables in place, so it gets plain ALTER statements.
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported.")
run_migrations()
