"""Reading every OPD with its aliases costs a fixed number of queries, not one per OPD.

A province has 1,254 OPDs: the plan import's catalogue of spellings and the matrix
export each read all of them, and loading each OPD's aliases lazily sent one query per
OPD (counted here, never timed). The profile dialog's OPD field: tests/ui/test_first_run.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.models.db import Database
from app.models.schema import Opd, OpdAlias
from app.services import catalog
from app.services.matrix_state import plan_data
from app.services.plan_import import catalogue, opd_key


@contextmanager
def _counted(session: Session) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(*args: object) -> None:
        seen.append(str(args[2]))

    connection = session.connection()
    event.listen(connection, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(connection, "before_cursor_execute", count)


def _with_aliases(db: Database) -> dict[str, str]:
    """Two spellings for each OPD; returns spelling → OPD code."""
    given: dict[str, str] = {}
    with db.begin() as s:
        for opd in s.scalars(select(Opd)):
            for n in (1, 2):
                variant = f"Ejaan lain {n} {opd.code}"
                s.add(OpdAlias(opd_id=opd.id, variant=variant))
                given[variant] = opd.code
    return given


def test_the_catalogue_reads_every_opd_and_alias_in_two_queries(syn_db: Database) -> None:
    given = _with_aliases(syn_db)
    with syn_db.begin() as s:
        with _counted(s) as seen:
            known = catalogue(s)
        opds = len(catalog.opds(s))
    assert opds >= 5 and len(seen) == 2, seen  # the OPDs, then all their aliases
    for variant, code in given.items():
        assert known[opd_key(variant)].code == code


def test_the_matrix_export_reads_every_opds_aliases_in_one_query(syn_db: Database) -> None:
    given = _with_aliases(syn_db)
    with syn_db.begin() as s:
        plan = catalog.get_plan(s)
        data = plan_data(s, plan)
        with _counted(s) as seen:
            again = plan_data(s, plan)
    assert again == data
    alias_reads = [q for q in seen if "FROM opd_alias" in q]
    assert len(alias_reads) == 1, alias_reads  # all OPDs' aliases at once
    variants = {v: o["code"] for o in data["opds"] for v in o["variants"]}
    assert given.items() <= variants.items()  # beside the spellings the plan came with
