"""What the migration tests ask of a database: its indexes, and how it would run a query."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text


def indexes(engine: Engine, table: str) -> dict[str, list[str | None]]:
    """Index name → its columns, for ``table``."""
    with engine.connect() as con:
        return {str(i["name"]): i["column_names"] for i in inspect(con).get_indexes(table)}


def query_plan(engine: Engine, query: str) -> str:
    """The engine's plan for ``query``, as one line of text."""
    with engine.connect() as con:
        if engine.dialect.name == "sqlite":
            return " ".join(r[3] for r in con.execute(text("EXPLAIN QUERY PLAN " + query)))
        # Without rows the server would scan anyway; ask as if scans were dear.
        con.execute(text("SET enable_seqscan = off"))
        return " ".join(r[0] for r in con.execute(text("EXPLAIN " + query)))
