"""append_rows: many rows of one table in the caller's transaction (COPY on a server)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

import pytest
from sqlalchemy import Table, func, select

from app.models.db import Database
from app.models.schema import AuditEntry, PlanRow, Realisation
from app.services.import_rows import append_rows

REALISATION = cast(Table, Realisation.__table__)
AUDIT = cast(Table, AuditEntry.__table__)
AT = datetime(2024, 1, 10, 9, 30, 15, 123456)


@pytest.fixture
def db(syn_db: Database) -> Iterator[Database]:
    yield syn_db


def _audit(i: int, old: str | None, new: str | None) -> dict[str, Any]:
    return {
        "at": AT,
        "user": "uji",
        "action": "impor kiriman r1",
        "row_key": f"K{i}",
        "year": 2023,
        "field": "note",
        "old_value": old,
        "new_value": new,
    }


def test_rows_arrive_with_their_values_even_awkward_text(db: Database) -> None:
    """COPY has its own text escapes: tabs, newlines, backslashes and a literal \\N must
    come back as written, None as NULL, and the timestamp to the microsecond."""
    awkward = ["a\tb", "baris1\nbaris2\r\n", "C:\\data\\N", "\\N", "", "Rp 1.000,- “kutip”"]
    rows = [_audit(i, None if i % 2 else "lama", v) for i, v in enumerate(awkward)]
    with db.begin() as s:
        append_rows(s, AUDIT, rows)
    with db.begin() as s:
        got = s.execute(
            select(AuditEntry.row_key, AuditEntry.old_value, AuditEntry.new_value, AuditEntry.at)
            .where(AuditEntry.action == "impor kiriman r1")
            .order_by(AuditEntry.id)
        ).all()
    assert [tuple(g) for g in got] == [
        (r["row_key"], r["old_value"], r["new_value"], AT) for r in rows
    ]


def test_numbers_stay_exact_and_the_version_takes_its_server_default(db: Database) -> None:
    with db.begin() as s:
        row_id = s.scalars(select(PlanRow.id).order_by(PlanRow.id)).first()
        append_rows(
            s,
            REALISATION,
            [
                {  # not in the table's order: values must still land in their columns
                    "updated_by": "Budi",
                    "row_id": row_id,
                    "year": 2023,
                    "semester": 0,
                    "total": Decimal("12.3456"),
                    "male": Decimal("0"),
                    "female": None,
                    "disabled": None,
                    "budget": Decimal("987654321000"),
                    "spending": None,
                    "evidence": "",
                    "note": "catatan",
                    "updated_at": AT,
                }
            ],
        )
    with db.begin() as s:
        r = s.scalars(select(Realisation).where(Realisation.row_id == row_id)).one()
        assert (r.total, r.male, r.female, r.budget) == (
            Decimal("12.3456"),
            Decimal("0"),
            None,
            Decimal("987654321000"),
        )
        assert (r.note, r.updated_by, r.updated_at, r.version) == ("catatan", "Budi", AT, 1)


def test_rows_go_back_with_a_failed_transaction(db: Database) -> None:
    with pytest.raises(RuntimeError), db.begin() as s:
        append_rows(s, AUDIT, [_audit(1, None, "baru")])
        raise RuntimeError("berkas ditolak di tengah")
    with db.begin() as s:
        assert s.scalars(select(AuditEntry).where(AuditEntry.row_key == "K1")).first() is None


def test_a_column_with_only_a_python_default_must_be_named(db: Database) -> None:
    """The ORM (and Core) would fill ``field`` with ''; COPY would leave it NULL."""
    row = _audit(1, None, "baru")
    del row["field"]
    with db.begin() as s, pytest.raises(ValueError, match="field"):
        append_rows(s, AUDIT, [row])


def test_no_rows_write_nothing(db: Database) -> None:
    with db.begin() as s:
        before = s.scalar(select(func.count()).select_from(AuditEntry))
        append_rows(s, AUDIT, [])
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == before
