"""Appending many rows of one table at once, as a merge does for every imported file.

A signed file brings a few dozen realisations and a hundred or more audit lines. Core's
executemany sends them as one statement per row: cheap in SQLite, which runs inside
this process, but on PostgreSQL every row is a message to the server and back, a few
milliseconds per file that made up a good part of a province's import. There the rows
go in with ``COPY … FROM STDIN`` on the session's own connection, so they belong to the
file's transaction like any INSERT and a refused or failing file still leaves nothing.
SQLite, in this process, takes a plain INSERT through the DB-API's executemany, without
the bookkeeping SQLAlchemy's executemany does for every row (a tenth of a millisecond
each, for hundreds of rows per file).

Values pass through each column type's bind processing first, as SQLAlchemy would do
for an INSERT; columns a row does not name get their server default (the id, a
version's ``1``) exactly as they would from an INSERT that leaves them out, so callers
name every column that has only a Python-side default.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session


def append_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts naming the same columns) into ``table``
    in the session's transaction: ``COPY`` on PostgreSQL, the DB-API's executemany on
    SQLite, SQLAlchemy's elsewhere."""
    if not rows:
        return
    names = list(rows[0])
    # COPY applies no Python-side default: a column that has only one must be named, on
    # every engine, so a caller that forgets one fails in the SQLite tests as well.
    missing = [
        c.name
        for c in table.c
        if c.name not in names and c.default is not None and c.server_default is None
    ]
    if missing:
        raise ValueError(f"{table.name}: rows must name {', '.join(missing)}")
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name not in ("postgresql", "sqlite"):
        connection.execute(insert(table), list(rows))
        return
    processors = [table.c[n].type.dialect_impl(dialect).bind_processor(dialect) for n in names]
    values = [
        [
            row[n] if p is None or row[n] is None else p(row[n])
            for n, p in zip(names, processors, strict=True)
        ]
        for row in rows
    ]
    quote = dialect.identifier_preparer
    into = f"{quote.format_table(table)} ({', '.join(quote.quote(n) for n in names)})"
    cursor = connection.connection.cursor()
    try:
        if dialect.name == "postgresql":
            with cursor.copy(f"COPY {into} FROM STDIN") as copy:
                for v in values:
                    copy.write_row(v)
        else:  # the DB-API's qmark style, values in the order of ``names``
            cursor.executemany(f"INSERT INTO {into} VALUES ({', '.join('?' * len(names))})", values)
    finally:
        cursor.close()


__all__ = ["append_rows"]
