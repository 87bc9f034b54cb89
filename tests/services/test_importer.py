"""What one imported file costs does not grow with the plan nor with the files before it.

A province database holds 1,254 OPDs and 32,000 rows (``bench/bench_province.py``);
an import that reads the whole plan per file, or one statement per file already
received, turns a one-minute batch into an afternoon. Counted here with SQLAlchemy
events (statements, and rows handed back to the importer), never timed.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState

from app.formats import keys
from app.formats.synthetic import synthetic_plan
from app.models.db import Database, open_database
from app.services import importer
from app.services.export import export_report
from app.services.sample import fill_sample
from app.services.seeding import load_plan_data
from tests.services.submission_helpers import YEAR, content_of, forge

ROWS_PER_OPD = 12


def _key() -> keys.SigningKey:
    private = Ed25519PrivateKey.generate()
    public = keys.public_bytes(private)
    return keys.SigningKey(private, public, keys.fingerprint(public))


@contextmanager
def _rows_read(db: Database) -> Iterator[list[int]]:
    """Rows each statement of ``db``'s sessions handed back, one entry per statement."""
    counts: list[int] = []

    def count(state: ORMExecuteState) -> Any:
        result = state.invoke_statement()
        if not getattr(result, "returns_rows", True):  # DML: nothing handed back
            return result
        try:
            frozen = result.freeze()
        except NotImplementedError:  # an ORM DML result: no rows either
            return result
        counts.append(len(frozen().all()))
        return frozen()

    event.listen(db.sessions, "do_orm_execute", count)
    try:
        yield counts
    finally:
        event.remove(db.sessions, "do_orm_execute", count)


@contextmanager
def _statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _with_other_opds(plan: dict[str, Any], extra: int) -> dict[str, Any]:
    """``plan`` plus ``extra`` OPDs, each with a copy of OPD-001's rows under new keys:
    OPD-001's own rows and kegiatan stay exactly as they were."""
    big = copy.deepcopy(plan)
    own = [r for r in plan["rows"] if r["opd"] == "OPD-001"]
    seq = len(plan["rows"])
    for n in range(extra):
        code = f"OPD-{101 + n:03d}"
        big["opds"].append(
            {"code": code, "name": f"Dinas Tambahan {n}", "short": f"Tambahan {n}", "variants": []}
        )
        for r in own:
            seq += 1
            big["rows"].append(
                {**copy.deepcopy(r), "key": f"extra-{seq:07d}", "seq": seq, "opd": code}
                | {"opd_text": code}
            )
    return big


def test_one_file_reads_as_many_rows_whatever_the_size_of_the_plan(tmp_path: Path) -> None:
    small = synthetic_plan(3 * ROWS_PER_OPD, opds=3)
    focal = open_database(tmp_path / "focal.sqlite")
    load_plan_data(focal, small)
    fill_sample(focal, YEAR, full_opds=("OPD-001",), others=0.0, arg_nodes=2, proposals=1)
    base = tmp_path / "dasar.xlsx"
    export_report(focal, YEAR, opd="OPD-001", xlsx=base)
    key = _key()
    content = content_of(focal, "OPD-001")
    assert content["rows"] and content["arg"]
    file = forge(base, tmp_path / "OPD-001.xlsx", content, key)
    read: dict[str, int] = {}
    for name, plan in (("kecil", small), ("besar", _with_other_opds(small, 30))):
        pokja = open_database(tmp_path / f"pokja-{name}.sqlite")
        load_plan_data(pokja, plan)
        with _rows_read(pokja) as counts:
            out = importer.import_files(pokja, [file], accept_keys={("OPD-001", key.key_id)})
        assert out[0].outcome == importer.ACCEPTED, out[0].reason
        read[name] = sum(counts)
        pokja.dispose()
    focal.dispose()
    # 30 more OPDs with 360 more rows: not one more row read for OPD-001's file.
    assert read["besar"] == read["kecil"], read


def _as_opd(content: dict[str, Any], plan: dict[str, Any], code: str, n: int) -> dict[str, Any]:
    """OPD-001's content relabelled for ``code``'s copy of its rows (same figures)."""
    keys_of = [r["key"] for r in plan["rows"] if r["opd"] == code]
    c = copy.deepcopy(content)
    c["opd"]["code"] = code
    c["submission_id"] = f"00000000-0000-4000-8000-{n:012d}"
    for r, key in zip(c["rows"], keys_of, strict=True):
        r["key"] = key
    return c


def test_the_tenth_file_costs_what_the_first_did(tmp_path: Path) -> None:
    """Statements and rows read per file: no scan nor loop over what came in before."""
    # Ten OPDs with the same rows and figures: files alike statement for statement (a
    # bulk insert groups its rows by which values are empty).
    plan = _with_other_opds(synthetic_plan(ROWS_PER_OPD, opds=1), 9)
    opds = [o["code"] for o in plan["opds"]]
    focal = open_database(tmp_path / "focal.sqlite")
    load_plan_data(focal, plan)
    fill_sample(focal, YEAR, full_opds=("OPD-001",), others=0.0, arg_nodes=0, proposals=0)
    base = tmp_path / "dasar.xlsx"
    export_report(focal, YEAR, opd="OPD-001", xlsx=base)
    first = content_of(focal, "OPD-001")
    focal.dispose()
    signer = {code: _key() for code in opds}
    files = [
        forge(base, tmp_path / f"{code}.xlsx", _as_opd(first, plan, code, n), signer[code])
        for n, code in enumerate(opds)
    ]
    pokja = open_database(tmp_path / "pokja.sqlite")
    load_plan_data(pokja, plan)
    cost: list[tuple[int, int]] = []
    for f, code in zip(files, opds, strict=True):
        with _statements(pokja) as seen, _rows_read(pokja) as counts:
            out = importer.import_files(pokja, [f], accept_keys={(code, signer[code].key_id)})
        assert out[0].outcome == importer.ACCEPTED, out[0].reason
        cost.append((len(seen), sum(counts)))
    pokja.dispose()
    # Every file is its OPD's first with the same rows: the same work, whatever came before.
    assert cost == [cost[0]] * len(files), cost
