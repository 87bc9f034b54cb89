"""The figures the tree shows, read for the whole plan or for one OPD's rows."""

from __future__ import annotations

from app.domain.realisation import parse_realisation
from app.models.db import Database
from app.services import catalog, entry
from app.services.figures import year_figures


def test_one_opds_figures_are_those_of_the_whole_plan(syn_db: Database) -> None:
    with syn_db.begin() as s:
        plan_id = catalog.get_plan(s).id
        rows = catalog.load_rows(s, plan_id)
    opd_id = rows[0].opd_id
    for r in rows[:4] + rows[-2:]:  # some of this OPD's rows, some of another's
        entry.save_realisation(syn_db, r.id, 2023, parse_realisation({"total": "5"}), "u")
    with syn_db.begin() as s:
        every = year_figures(s, plan_id, 2023)
        one = year_figures(s, plan_id, 2023, opd_id=opd_id)
    own = {r.id for r in rows if r.opd_id == opd_id}
    assert one == {rid: fig for rid, fig in every.items() if rid in own}
    assert sum(1 for fig in one.values() if fig.filled) == 4
