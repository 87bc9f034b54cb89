"""Two people editing the same thing: the later save is refused with who and when, and
nothing the first one saved is overwritten (issue 14, item 2). Runs on both engines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.domain.arg import Answer
from app.domain.pprg import GapDocument, Kind
from app.domain.realisation import parse_realisation
from app.formats.arg_questions import current_question_set
from app.models.db import Database
from app.models.schema import ArgAnswer, PlanRow, Realisation, Target
from app.services import arg_store, catalog, entry, plan_edit, pprg_store, region
from app.services.concurrency import (
    ConcurrentEditError,
    Seen,
    refused_on_race,
    versioned_write,
    who_when,
)
from app.services.corrections import correct_realisation
from app.services.realisation_write import realisation_seen, realisation_writer
from tests.services.submission_helpers import YEAR, Pair, make_pair, submit

REASON = "salah ketik di Perbup, dikonfirmasi Bappeda"


def _row(db: Database) -> catalog.RowSummary:
    with db.begin() as s:
        return catalog.load_rows(s, catalog.get_plan(s).id)[0]


def _seen_real(db: Database, row_id: int, year: int = 2023) -> Seen:
    with db.begin() as s:
        return realisation_seen(s, row_id, year)


def _total(db: Database, row_id: int, year: int = 2023) -> Decimal | None:
    with db.begin() as s:
        got = entry.get_realisation(s, row_id, year)
    return None if got is None else got.breakdown.total


def test_the_message_names_who_and_when_and_asks_to_reload() -> None:
    err = ConcurrentEditError("Budi", datetime(2026, 12, 1, 9, 5))
    assert str(err) == (
        "Data ini diubah oleh Budi pada 01-12-2026 09:05. Muat ulang untuk melihat "
        "perubahan itu, lalu ulangi isian Anda."
    )
    assert "pengguna lain" in str(ConcurrentEditError("", None))


def test_a_realisation_saved_by_someone_else_refuses_the_stale_save(syn_db: Database) -> None:
    row = _row(syn_db)
    entry.save_realisation(syn_db, row.id, 2023, parse_realisation({"total": "10"}), "Ani")
    ani, budi = _seen_real(syn_db, row.id), _seen_real(syn_db, row.id)
    entry.save_realisation(
        syn_db, row.id, 2023, parse_realisation({"total": "20"}), "Budi", seen=budi
    )
    with pytest.raises(ConcurrentEditError) as caught:
        entry.save_realisation(
            syn_db, row.id, 2023, parse_realisation({"total": "30"}), "Ani", seen=ani
        )
    assert caught.value.who == "Budi"
    assert caught.value.when is not None and caught.value.when.date() == datetime.now().date()
    assert "diubah oleh Budi pada" in str(caught.value)
    assert _total(syn_db, row.id) == 20  # Budi's figure stands
    # After "Muat ulang" Ani's form holds the new version and her save goes through.
    ani = _seen_real(syn_db, row.id)
    entry.save_realisation(
        syn_db, row.id, 2023, parse_realisation({"total": "30"}), "Ani", seen=ani
    )
    assert _total(syn_db, row.id) == 30


def test_the_same_form_saves_again_and_again(syn_db: Database) -> None:
    """A save moves its Seen to the version it wrote: one person is never refused."""
    row = _row(syn_db)
    seen = _seen_real(syn_db, row.id)
    assert seen.version == 0
    for total in ("1", "2", "3"):
        entry.save_realisation(
            syn_db, row.id, 2023, parse_realisation({"total": total}), "Ani", seen=seen
        )
    entry.save_realisation(syn_db, row.id, 2023, None, "Ani", seen=seen)
    assert seen.version == 0 and _total(syn_db, row.id) is None


def test_a_first_entry_made_meanwhile_is_not_overwritten(syn_db: Database) -> None:
    row = _row(syn_db)
    ani = _seen_real(syn_db, row.id)  # empty form
    entry.save_realisation(syn_db, row.id, 2023, parse_realisation({"total": "7"}), "Budi")
    with pytest.raises(ConcurrentEditError, match="Budi"):
        entry.save_realisation(
            syn_db, row.id, 2023, parse_realisation({"total": "8"}), "Ani", seen=ani
        )
    assert _total(syn_db, row.id) == 7


def test_a_realisation_cleared_meanwhile_names_who_cleared_it(syn_db: Database) -> None:
    row = _row(syn_db)
    entry.save_realisation(syn_db, row.id, 2023, parse_realisation({"total": "7"}), "Ani")
    ani = _seen_real(syn_db, row.id)
    entry.save_realisation(syn_db, row.id, 2023, None, "Budi")
    with pytest.raises(ConcurrentEditError, match="Budi"):
        entry.save_realisation(
            syn_db, row.id, 2023, parse_realisation({"total": "8"}), "Ani", seen=ani
        )
    assert _total(syn_db, row.id) is None


def test_a_proposal_changed_meanwhile_refuses_the_stale_one(syn_db: Database) -> None:
    from app.domain.breakdown import Breakdown

    row = _row(syn_db)
    with syn_db.begin() as s:
        ani = entry.target_seen(s, row.id, 2023)
    entry.propose_target(syn_db, row.id, 2023, "12 orang", Breakdown(Decimal(12)), "Budi")
    with pytest.raises(ConcurrentEditError, match="Budi"):
        entry.propose_target(
            syn_db, row.id, 2023, "15 orang", Breakdown(Decimal(15)), "Ani", seen=ani
        )
    with syn_db.begin() as s:
        t = s.scalar(select(Target).where(Target.row_id == row.id, Target.year == 2023))
        assert t is not None and t.proposed_text == "12 orang" and t.updated_by == "Budi"


def test_an_arg_answer_given_meanwhile_is_kept(syn_db: Database) -> None:
    qset = current_question_set()
    q = qset.questions[0].id
    with syn_db.begin() as s:
        node = arg_store.assessable_nodes(s, catalog.get_plan(s).id)[0]
        ani = arg_store.answers_seen(s, node.id, 2023, qset.version).get(q, Seen())
    arg_store.save_answer(syn_db, node.id, 2023, qset, q, Answer.YA, "", "Budi")
    with pytest.raises(ConcurrentEditError, match="Budi"):
        arg_store.save_answer(syn_db, node.id, 2023, qset, q, Answer.TIDAK, "", "Ani", seen=ani)
    with syn_db.begin() as s:
        assert arg_store.load_answers(s, node.id, 2023, qset.version)[q].answer == Answer.YA
        budi = arg_store.answers_seen(s, node.id, 2023, qset.version)[q]
    arg_store.save_answer(syn_db, node.id, 2023, qset, q, Answer.TIDAK, "", "Budi", seen=budi)
    assert budi.version == 2


def test_a_pprg_document_saved_meanwhile_is_kept(syn_db: Database) -> None:
    doc = GapDocument(node_key="n-1", opd_code="DINKES", year=2025, policy="Program A")
    pprg_store.save_document(syn_db, doc, "Ani")
    with syn_db.begin() as s:
        ani = pprg_store.document_seen(s, Kind.GAP, "n-1", 2025)
    pprg_store.save_document(
        syn_db, GapDocument(node_key="n-1", opd_code="DINKES", year=2025, policy="B"), "Budi"
    )
    with pytest.raises(ConcurrentEditError, match="Budi"):
        pprg_store.save_document(syn_db, doc, "Ani", seen=ani)
    with syn_db.begin() as s:
        stored = pprg_store.load_document(s, Kind.GAP, "n-1", 2025)
    assert stored is not None and stored.document.policy == "B"


def test_plan_corrections_by_two_pokja_members(syn_db: Database) -> None:
    row = _row(syn_db)
    with syn_db.begin() as s:
        ani_row = plan_edit_seen(s, row.id)
        ani_target = entry.target_seen(s, row.id, 2023)
    plan_edit.edit_field(syn_db, row.id, "indikator", "Indikator Budi", REASON, "Budi")
    plan_edit.edit_target(syn_db, row.id, 2023, "40 orang", REASON, "Budi")
    with pytest.raises(ConcurrentEditError, match="Budi"):
        plan_edit.edit_field(syn_db, row.id, "indikator", "Indikator Ani", REASON, "Ani", ani_row)
    with pytest.raises(ConcurrentEditError, match="Budi"):
        plan_edit.edit_target(syn_db, row.id, 2023, "50 orang", REASON, "Ani", ani_target)
    with syn_db.begin() as s:
        r = s.get(PlanRow, row.id)
        assert r is not None and r.indikator == "Indikator Budi" and r.updated_by == "Budi"
        assert catalog.row_detail(s, row.id).targets[2023].text == "40 orang"


def plan_edit_seen(s, row_id: int) -> Seen:  # type: ignore[no-untyped-def]
    return Seen(s.get(PlanRow, row_id).version)


def test_the_region_profile_saved_meanwhile_is_kept(syn_db: Database) -> None:
    from dataclasses import replace

    with syn_db.begin() as s:
        ani = region.region_seen(s)
        current = region.load_region(s)
    region.store_region(syn_db, replace(current, address="Jl. Budi 1"), user="Budi")
    with pytest.raises(ConcurrentEditError, match="Budi"):
        region.store_region(syn_db, replace(current, address="Jl. Ani 2"), user="Ani", seen=ani)
    with syn_db.begin() as s:
        assert region.load_region(s).address == "Jl. Budi 1"
        budi = region.region_seen(s)
    # Saving what is already stored changes no key: the version stays.
    region.store_region(syn_db, replace(current, address="Jl. Budi 1"), user="Budi", seen=budi)
    with syn_db.begin() as s:
        assert region.region_seen(s).version == budi.version


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


def test_two_pokja_corrections_of_signed_figures(pair: Pair, tmp_path: Path) -> None:
    from app.services import importer

    path = submit(pair, tmp_path / "r1.xlsx")
    assert importer.import_file(pair.pokja, path, accept_new_key=True).outcome == "diterima"
    with pair.pokja.begin() as s:
        rid, sem = s.execute(
            select(Realisation.row_id, Realisation.semester).where(Realisation.year == YEAR)
        ).first()  # type: ignore[misc]
        ani = realisation_seen(s, rid, YEAR, sem)
        values = entry.get_realisation(s, rid, YEAR, sem)
    assert values is not None
    from dataclasses import replace

    correct_realisation(
        pair.pokja, rid, YEAR, replace(values, note="Budi"), REASON, "Budi", semester=sem
    )
    with pytest.raises(ConcurrentEditError, match="Budi"):
        correct_realisation(
            pair.pokja,
            rid,
            YEAR,
            replace(values, note="Ani"),
            REASON,
            "Ani",
            semester=sem,
            seen=ani,
        )
    with pair.pokja.begin() as s:
        got = entry.get_realisation(s, rid, YEAR, sem)
    assert got is not None and got.note == "Budi"


def _stale_copy(db: Database, row_id: int) -> Realisation:
    with db.begin() as s:
        copy = s.scalar(select(Realisation).where(Realisation.row_id == row_id))
    assert copy is not None
    return copy


def test_a_stale_update_is_refused_by_the_database_itself(syn_db: Database) -> None:
    """The ORM's check, for two saves that both read before either wrote: the UPDATE says
    ``WHERE version = :seen`` and the loser's changes nothing (StaleDataError)."""
    row = _row(syn_db)
    entry.save_realisation(syn_db, row.id, 2023, parse_realisation({"total": "5"}), "Ani")
    stale = _stale_copy(syn_db, row.id)  # Ani's copy, read before Budi wrote
    entry.save_realisation(syn_db, row.id, 2023, parse_realisation({"total": "6"}), "Budi")
    with pytest.raises(StaleDataError), syn_db.begin() as s:
        s.add(stale)
        stale.total = Decimal(9)
    # Through the services the same race reads as the refusal that names the winner.
    stale = _stale_copy(syn_db, row.id)
    entry.save_realisation(syn_db, row.id, 2023, parse_realisation({"total": "7"}), "Citra")
    winner = realisation_writer(row.id, 2023, 0)
    with (
        pytest.raises(ConcurrentEditError, match="Citra"),
        refused_on_race(syn_db, winner),
        syn_db.begin() as s,
    ):
        s.add(stale)
        stale.total = Decimal(9)
    assert _total(syn_db, row.id) == 7


def test_versioned_write_updates_seen_after_a_plain_return(syn_db: Database) -> None:
    row = _row(syn_db)
    seen = Seen(1)
    with versioned_write(syn_db, seen, lambda s: s.get(PlanRow, row.id)) as s:
        r = s.get(PlanRow, row.id)
        assert r is not None
        r.keterangan = "diubah"
        assert who_when(None) == (None, None)
    assert seen.version == 2


def test_an_import_continues_the_versions_it_replaces(pair: Pair, tmp_path: Path) -> None:
    """A form that showed Pokja's copy before an import is refused after it, even though
    the import wrote the realisation anew (a new row would restart at version 1)."""
    from app.services import importer

    path = submit(pair, tmp_path / "r1.xlsx")
    assert importer.import_file(pair.pokja, path, accept_new_key=True).outcome == "diterima"
    with pair.pokja.begin() as s:
        versions = list(s.scalars(select(Realisation.version).where(Realisation.year == YEAR)))
    assert versions and set(versions) == {1}
    path2 = submit(pair, tmp_path / "r2.xlsx")
    assert importer.import_file(pair.pokja, path2).outcome == "menggantikan"
    with pair.pokja.begin() as s:
        after = list(s.scalars(select(Realisation.version).where(Realisation.year == YEAR)))
        answers = list(s.scalars(select(ArgAnswer.version).where(ArgAnswer.year == YEAR)))
    assert after and set(after) == {2}
    assert answers and set(answers) == {2}


def test_two_clients_saving_one_row_at_once(
    syn_db: Database, tmp_path: Path, on_server: bool
) -> None:
    """Two processes load the same version and save together: one wins, the other is
    refused naming the winner, and the winner's figure is what the database holds."""
    if not on_server:
        pytest.skip("two clients at once need a server (--pg-url); SQLite has one writer")
    from tests.services.race import race

    row = _row(syn_db)
    entry.save_realisation(syn_db, row.id, 2023, parse_realisation({"total": "5"}), "Awal")
    seen = _seen_real(syn_db, row.id)
    got = race(
        syn_db.url,
        tmp_path / "barrier",
        {
            name: ["save", str(row.id), "2023", total, str(seen.version)]
            for name, total in (("Ani", "11"), ("Budi", "22"))
        },
    )
    assert sorted(r["outcome"] for r in got.values()) == ["ok", "refused"], got
    winner = next(n for n, r in got.items() if r["outcome"] == "ok")
    loser = next(n for n, r in got.items() if r["outcome"] == "refused")
    assert f"diubah oleh {winner} pada" in got[loser]["reason"]
    assert _total(syn_db, row.id) == {"Ani": 11, "Budi": 22}[winner]
