from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.breakdown import Breakdown, BreakdownError
from app.domain.realisation import parse_realisation
from app.models.db import Database
from app.models.schema import AuditEntry
from app.services import catalog, entry


def _first_row(db: Database, opd_code: str | None = None) -> catalog.RowSummary:
    with db.begin() as s:
        rows = catalog.load_rows(s, catalog.get_plan(s).id)
    return next(r for r in rows if opd_code is None or r.opd_code == opd_code)


def test_realisation_saved_audited_and_previous_returned(syn_db: Database) -> None:
    row = _first_row(syn_db)
    v1 = parse_realisation({"male": "10", "female": "12", "budget": "1.000.000"})
    assert entry.save_realisation(syn_db, row.id, 2023, v1, "Siti") is None
    v2 = parse_realisation({"total": "25", "male": "10", "female": "15"})
    old = entry.save_realisation(syn_db, row.id, 2023, v2, "Siti")
    assert old is not None and old.breakdown.total == Decimal(22)
    with syn_db.begin() as s:
        got = entry.get_realisation(s, row.id, 2023)
        audit = s.scalars(
            select(AuditEntry).where(AuditEntry.row_key == row.key).order_by(AuditEntry.id)
        ).all()
    assert got is not None and got.breakdown == v2.breakdown
    assert got.budget is None
    changes = {(a.field, a.old_value, a.new_value) for a in audit}
    assert ("female", "12", "15") in changes
    assert ("budget", "1000000", None) in changes
    assert all(a.user == "Siti" for a in audit)


def test_saving_nothing_removes_and_undo_restores(syn_db: Database) -> None:
    row = _first_row(syn_db)
    v = parse_realisation({"total": "5"})
    entry.save_realisation(syn_db, row.id, 2022, v, "u")
    old = entry.save_realisation(syn_db, row.id, 2022, None, "u")
    with syn_db.begin() as s:
        assert entry.get_realisation(s, row.id, 2022) is None
    entry.save_realisation(syn_db, row.id, 2022, old, "u")
    with syn_db.begin() as s:
        assert entry.get_realisation(s, row.id, 2022) == v


def test_invalid_breakdown_writes_nothing(syn_db: Database) -> None:
    row = _first_row(syn_db)
    bad = parse_realisation({}).__class__(breakdown=Breakdown(Decimal(10), Decimal(3)))
    with pytest.raises(BreakdownError):
        entry.save_realisation(syn_db, row.id, 2022, bad, "u")
    with syn_db.begin() as s:
        assert entry.get_realisation(s, row.id, 2022) is None
        assert s.scalar(select(AuditEntry.id)) is None


def test_focal_point_cannot_write_another_opds_row(syn_db: Database) -> None:
    row = _first_row(syn_db, "OPD-002")
    with syn_db.begin() as s:
        other = catalog.find_opd(s, "OPD-003").id
    with pytest.raises(entry.EntryError, match="Perangkat Daerah lain"):
        entry.save_realisation(
            syn_db, row.id, 2022, parse_realisation({"total": "1"}), "u", opd_id=other
        )


def test_year_outside_the_period_is_refused(syn_db: Database) -> None:
    row = _first_row(syn_db)
    with pytest.raises(entry.EntryError, match="di luar periode"):
        entry.save_realisation(syn_db, row.id, 2030, parse_realisation({"total": "1"}), "u")


def test_proposed_target_kept_beside_official(syn_db: Database) -> None:
    row = _first_row(syn_db)
    with syn_db.begin() as s:
        before = catalog.row_detail(s, row.id).targets[2024]
    entry.propose_target(
        syn_db, row.id, 2024, "12 orang", Breakdown(None, Decimal(5), Decimal(7)), "Siti"
    )
    with syn_db.begin() as s:
        after = catalog.row_detail(s, row.id).targets[2024]
        assert row.id in catalog.proposed_rows(s, catalog.get_plan(s).id)
    assert after.official == before.official and after.text == before.text
    assert after.proposed and after.effective.total == Decimal(12)
    assert after.effective_text == "12 orang"
    old = entry.propose_target(syn_db, row.id, 2024, None, None, "Siti")
    assert old == ("12 orang", Breakdown(Decimal(12), Decimal(5), Decimal(7)))
    with syn_db.begin() as s:
        assert not catalog.row_detail(s, row.id).targets[2024].proposed
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.row_key == row.key)).all()
    assert actions == ["usulan-target", "batal-usulan-target"]


def test_first_save_audits_only_what_was_typed(syn_db: Database) -> None:
    row = _first_row(syn_db)
    entry.save_realisation(syn_db, row.id, 2024, parse_realisation({"budget": "7.000"}), "u")
    with syn_db.begin() as s:
        fields = s.scalars(select(AuditEntry.field).where(AuditEntry.row_key == row.key)).all()
    assert fields == ["budget"]
