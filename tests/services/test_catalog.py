from app.domain.realisation import parse_realisation
from app.models.db import Database
from app.services import catalog, entry


def test_rows_carry_their_hierarchy_and_opd(syn_db: Database) -> None:
    with syn_db.begin() as s:
        plan = catalog.get_plan(s)
        rows = catalog.load_rows(s, plan.id)
        only = catalog.load_rows(s, plan.id, catalog.find_opd(s, "Dinas Uji 002").id)
    assert len(rows) == 300
    assert all(r.path.get("program") and r.path.get("sub_kegiatan") for r in rows)
    assert only and {r.opd_code for r in only} == {"OPD-002"}


def test_find_opd_by_any_spelling(syn_db: Database) -> None:
    with syn_db.begin() as s:
        assert catalog.find_opd(s, "dinas uji 004").code == "OPD-004"
        assert catalog.find_opd(s, "OPD-004").code == "OPD-004"


def test_summary_counts_filled_rows(syn_db: Database) -> None:
    with syn_db.begin() as s:
        plan = catalog.get_plan(s)
        rows = catalog.load_rows(s, plan.id)
    for r in rows[:7]:
        entry.save_realisation(syn_db, r.id, 2023, parse_realisation({"total": "3"}), "u")
    entry.save_realisation(syn_db, rows[8].id, 2023, parse_realisation({"note": "x"}), "u")
    with syn_db.begin() as s:
        data = catalog.summary(s, catalog.get_plan(s), 2023)
        other_year = catalog.summary(s, catalog.get_plan(s), 2022)
    assert data["rows"] == 300 and data["filled"] == 7
    assert sum(o["rows"] for o in data["opds"]) == 300
    assert other_year["filled"] == 0


def test_dump_gives_exact_figures_and_achievement(syn_db: Database) -> None:
    with syn_db.begin() as s:
        plan = catalog.get_plan(s)
        row = catalog.load_rows(s, plan.id)[0]
        target = catalog.row_detail(s, row.id).targets[2022].official.total
    entry.save_realisation(
        syn_db,
        row.id,
        2022,
        parse_realisation({"total": "268,08", "budget": "1.000", "spending": "250"}),
        "u",
    )
    with syn_db.begin() as s:
        d = catalog.dump(s, catalog.get_plan(s))
    first = d["rows"][0]
    assert first["key"] == row.key
    real = first["realisations"]["2022"]
    assert real["total"] == "268.08" and real["absorption_pct"] == "25"
    if target:
        assert real["achievement_pct"] is not None


def test_retired_rows_leave_the_tree_and_the_counts(syn_db: Database) -> None:
    from datetime import datetime

    from app.models.schema import PlanRow

    with syn_db.begin() as s:
        rows = catalog.load_rows(s, catalog.get_plan(s).id)
    gone = rows[0]
    entry.save_realisation(syn_db, gone.id, 2023, parse_realisation({"total": "3"}), "u")
    with syn_db.begin() as s:
        s.get_one(PlanRow, gone.id).retired_at = datetime(2026, 11, 30)
    with syn_db.begin() as s:
        plan = catalog.get_plan(s)
        after = catalog.load_rows(s, plan.id, year=2022)
        held = catalog.load_rows(s, plan.id, year=2023)
        data = catalog.summary(s, plan, 2023)
        kept = catalog.realisations(s, gone.id)
    assert gone.id not in {r.id for r in after} and len(after) == 299
    # Issue 12: still shown (marked retired) for the year whose realisation it holds.
    assert [r.retired for r in held if r.id == gone.id] == [True] and len(held) == 300
    assert data["rows"] == 299 and data["filled"] == 0
    assert kept  # the realisation stays attached to the retired row


def test_one_opds_rows_are_the_same_as_read_with_the_plan(syn_db: Database) -> None:
    """One OPD's rows read alone (their nodes fetched by id) equal those rows of the
    whole plan's read, names up the hierarchy included."""
    with syn_db.begin() as s:
        plan = catalog.get_plan(s)
        every = catalog.load_rows(s, plan.id)
        opd_id = every[-1].opd_id
        alone = catalog.load_rows(s, plan.id, opd_id)
    assert alone == [r for r in every if r.opd_id == opd_id]
    assert all(r.path.get("sub_kegiatan") and r.path_nodes.get("program") for r in alone)
