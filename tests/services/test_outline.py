"""The tree's top level before its rows: each OPD's rows and filled rows, by the same
rules as the listing and as completeness."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from app.domain.realisation import parse_realisation
from app.models.db import Database
from app.models.schema import PlanRow
from app.services import catalog, entry
from app.services.outline import opd_outline


def test_each_opd_counts_its_listed_and_filled_rows(syn_db: Database) -> None:
    with syn_db.begin() as s:
        plan_id = catalog.get_plan(s).id
        rows = catalog.load_rows(s, plan_id)
    filled = rows[:3] + [r for r in rows if r.opd_code == "OPD-004"][:2]
    for r in filled:
        entry.save_realisation(syn_db, r.id, 2023, parse_realisation({"total": "2"}), "u")
    # A note without a figure is not a filled row (as completeness counts it).
    entry.save_realisation(syn_db, rows[5].id, 2023, parse_realisation({"note": "x"}), "u")
    with syn_db.begin() as s:
        found = {o.code: o for o in opd_outline(s, plan_id, 2023)}
        other_year = opd_outline(s, plan_id, 2024)
        filled_ids = catalog.filled_rows(s, plan_id, 2023)
    assert {c: o.rows for c, o in found.items()} == dict(Counter(r.opd_code for r in rows))
    assert {c: o.filled for c, o in found.items() if o.filled} == dict(
        Counter(r.opd_code for r in rows if r.id in filled_ids)
    )
    assert sum(o.filled for o in found.values()) == 5
    assert found["OPD-004"].name == rows[0].opd_name.replace("001", "004")
    assert sum(o.filled for o in other_year) == 0


def test_a_retired_row_counts_where_the_listing_shows_it(syn_db: Database) -> None:
    with syn_db.begin() as s:
        plan_id = catalog.get_plan(s).id
        retired = catalog.load_rows(s, plan_id)[0]
        s.get_one(PlanRow, retired.id).retired_at = datetime(2024, 1, 1)
    with syn_db.begin() as s:
        plain = opd_outline(s, plan_id, 2023)
        pokja = opd_outline(s, plan_id, 2023, all_retired=True)
        focal = opd_outline(s, plan_id, 2023, retired.opd_id)
        listed = catalog.load_rows(s, plan_id)
    assert sum(o.rows for o in plain) == len(listed) == 299  # no realisation: not listed
    assert sum(o.rows for o in pokja) == 300  # Pokja's tree lists it, to reactivate it
    assert [o.opd_id for o in focal] == [retired.opd_id]
