"""Linked rows of two plans share their realisations for the years both periods cover."""

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.realisation import parse_realisation
from app.models.db import Database
from app.models.schema import AuditEntry
from app.services import catalog, entry
from app.services.database import open_seeded
from app.services.links import LinkError, candidates, link_rows, linked_rows, unlink_rows

RENSTRA = "RENSTRA-SETDA-LMJ-2024-2026"


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("links") / "both.sqlite"
    open_seeded(path).dispose()
    return path


@pytest.fixture
def db(seeded_file: Path, tmp_path: Path, copy_db: Callable[[Path, Path], None]) -> Database:
    copy = tmp_path / "both.sqlite"
    copy_db(seeded_file, copy)
    database = open_seeded(copy)
    yield database
    database.dispose()


def _rows(db: Database, opd: str) -> tuple[int, int]:
    with db.begin() as s:
        unit = catalog.find_opd(s, opd)
        radpug = catalog.load_rows(s, catalog.get_plan(s).id, unit.id)
        renstra = catalog.load_rows(s, catalog.get_plan(s, RENSTRA).id, unit.id)
    return radpug[0].id, renstra[0].id


def test_a_linked_entry_serves_both_plans_in_the_shared_year(db: Database) -> None:
    a, b = _rows(db, "SETDA-BAG-PBJ")
    with db.begin() as s:
        assert b in {c.row_id for c in candidates(s, a)}
    assert link_rows(db, a, b, "Rahmat") == [2024]
    values = parse_realisation({"male": "3", "female": "5", "budget": "2.000.000"})
    entry.save_realisation(db, a, 2024, values, "Rahmat")
    entry.save_realisation(db, a, 2023, parse_realisation({"total": "9"}), "Rahmat")
    with db.begin() as s:
        mirrored = entry.get_realisation(s, b, 2024)
        assert [r.row_id for r in linked_rows(s, b)] == [a]
        actions = set(s.scalars(select(AuditEntry.action)))
    assert mirrored is not None and mirrored.breakdown.total == Decimal(8)
    assert mirrored.budget == Decimal(2_000_000)
    assert "tautan" in actions and any(x.startswith("realisasi-tautan:") for x in actions)
    # Undo goes through the same path, so the mirror follows it too.
    entry.save_realisation(db, a, 2024, None, "Rahmat")
    with db.begin() as s:
        assert entry.get_realisation(s, b, 2024) is None


def test_linking_copies_figures_one_side_already_has(db: Database) -> None:
    a, b = _rows(db, "SETDA-BAG-PBJ")
    entry.save_realisation(db, b, 2024, parse_realisation({"total": "4"}), "u")
    link_rows(db, a, b, "u")
    with db.begin() as s:
        got = entry.get_realisation(s, a, 2024)
    assert got is not None and got.breakdown.total == Decimal(4)


def test_different_figures_on_both_sides_are_refused_and_nothing_changes(db: Database) -> None:
    a, b = _rows(db, "SETDA-BAG-PBJ")
    entry.save_realisation(db, a, 2024, parse_realisation({"total": "4"}), "u")
    entry.save_realisation(db, b, 2024, parse_realisation({"total": "5"}), "u")
    with pytest.raises(LinkError, match="berbeda"):
        link_rows(db, a, b, "u")
    with db.begin() as s:
        assert linked_rows(s, a) == []
        assert entry.get_realisation(s, b, 2024).breakdown.total == Decimal(5)  # type: ignore[union-attr]


def test_links_need_the_same_opd_and_another_plan(db: Database) -> None:
    a, b = _rows(db, "SETDA-BAG-PBJ")
    c, d = _rows(db, "SETDA-BAG-UMUM")
    with pytest.raises(LinkError, match="Perangkat Daerah yang sama"):
        link_rows(db, a, d, "u")
    with pytest.raises(LinkError, match="rencana yang berbeda"):
        link_rows(db, b, b, "u")
    with db.begin() as s:
        pbj = catalog.find_opd(s, "SETDA-BAG-PBJ").id
        umum = catalog.find_opd(s, "SETDA-BAG-UMUM").id
    with pytest.raises(LinkError, match="Perangkat Daerah lain"):
        link_rows(db, c, d, "u", opd_id=pbj)
    link_rows(db, c, d, "u", opd_id=umum)


def test_unlinking_keeps_both_rows_figures(db: Database) -> None:
    a, b = _rows(db, "SETDA-BAG-PBJ")
    link_rows(db, a, b, "u")
    entry.save_realisation(db, a, 2024, parse_realisation({"total": "6"}), "u")
    unlink_rows(db, a, b, "u")
    entry.save_realisation(db, a, 2024, parse_realisation({"total": "7"}), "u")
    with db.begin() as s:
        assert linked_rows(s, a) == []
        assert entry.get_realisation(s, b, 2024).breakdown.total == Decimal(6)  # type: ignore[union-attr]


def _mark_signed(db: Database, opd: str, year: int) -> None:
    """Record that the RAD PUG figures of ``opd`` for ``year`` are an OPD's signed word,
    as an accepted signed submission does (``submission`` row, current, signed)."""
    from datetime import datetime

    from app.models.schema import Submission

    with db.begin() as s:
        s.add(
            Submission(
                submission_id="00000000-0000-4000-8000-000000000001",
                opd_code=opd,
                plan_code=catalog.get_plan(s).code,
                year=year,
                revision=1,
                content_hash="0" * 64,
                created_at="2024-06-30T09:00:00",
                received_at=datetime(2024, 7, 1, 8, 0),
                signature_state="signed",
                key_id="0" * 16,
                file_name="kiriman.xlsx",
                current=True,
            )
        )


def test_a_linked_edit_never_changes_signed_figures(db: Database) -> None:
    # Issue 11, item 6: signed figures change only by a Pokja correction or the OPD's
    # next file, not as the mirror of another plan's row.
    a, b = _rows(db, "SETDA-BAG-PBJ")
    entry.save_realisation(db, a, 2024, parse_realisation({"total": "4"}), "u")
    link_rows(db, a, b, "u")
    _mark_signed(db, "SETDA-BAG-PBJ", 2024)
    entry.save_realisation(db, b, 2024, parse_realisation({"total": "9"}), "u")
    with db.begin() as s:
        signed, renstra = entry.get_realisation(s, a, 2024), entry.get_realisation(s, b, 2024)
    assert signed is not None and signed.breakdown.total == Decimal(4)
    assert renstra is not None and renstra.breakdown.total == Decimal(9)


def test_linking_never_copies_onto_signed_figures(db: Database) -> None:
    a, b = _rows(db, "SETDA-BAG-PBJ")
    entry.save_realisation(db, b, 2024, parse_realisation({"total": "4"}), "u")
    _mark_signed(db, "SETDA-BAG-PBJ", 2024)
    with pytest.raises(LinkError, match="kiriman bertanda tangan"):
        link_rows(db, a, b, "u")
    with db.begin() as s:
        assert entry.get_realisation(s, a, 2024) is None
        assert linked_rows(s, a) == []
