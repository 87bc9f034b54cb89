"""Imports of one OPD and year by two clients at once give one result (issue 14, item 2):
the lock rule on both engines, and two real processes on the PostgreSQL run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from app.models.schema import ImportLog, Realisation, Submission
from app.services.import_lock import lock_key, lock_opd_year, lost_race, once_more_on_race
from tests.services.race import race
from tests.services.submission_helpers import OPD, YEAR, Pair, content_of, make_pair, submit


class _Orig(Exception):
    def __init__(self, sqlstate: str | None) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


def test_the_lock_is_named_by_opd_plan_and_year() -> None:
    key = lock_key("DINKES", "RADPUG", 2025)
    assert key == lock_key("DINKES", "RADPUG", 2025)
    assert -(2**63) <= key < 2**63  # PostgreSQL's bigint
    others = {lock_key("DINSOS", "RADPUG", 2025), lock_key("DINKES", "RENSTRA", 2025)}
    others.add(lock_key("DINKES", "RADPUG", 2026))
    assert key not in others and len(others) == 3


def test_only_a_lost_race_is_tried_again() -> None:
    assert lost_race(StaleDataError("UPDATE matched 0 rows"))
    assert lost_race(IntegrityError("INSERT", {}, _Orig("23505")))  # unique violation
    assert lost_race(OperationalError("UPDATE", {}, _Orig("40001")))  # serialization
    assert not lost_race(IntegrityError("INSERT", {}, _Orig(None)))  # SQLite: a real error
    assert not lost_race(OperationalError("SELECT", {}, _Orig("08006")))  # connection lost
    assert not lost_race(ValueError("x"))
    calls: list[int] = []

    def lose_once() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise StaleDataError("lost")
        return "second"

    assert once_more_on_race(lose_once) == "second" and len(calls) == 2

    def always_broken() -> str:
        raise ValueError("broken file")

    with pytest.raises(ValueError):
        once_more_on_race(always_broken)


def test_locking_costs_nothing_on_a_file_and_is_taken_on_a_server(
    pair: Pair, on_server: bool
) -> None:
    with pair.pokja.begin() as s:
        lock_opd_year(s, OPD, "RADPUG", YEAR)
        held = s.execute(
            select(func.count()).select_from(Submission)  # the transaction is still usable
        ).scalar()
        if on_server:
            from sqlalchemy import text

            held = s.execute(
                text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")
            ).scalar()
    assert held == (1 if on_server else 0)


def _results(pair: Pair) -> tuple[list[tuple[int, bool]], list[str], int]:
    with pair.pokja.begin() as s:
        subs = [
            (r, c)
            for r, c in s.execute(
                select(Submission.revision, Submission.current)
                .where(Submission.opd_code == OPD, Submission.year == YEAR)
                .order_by(Submission.id)
            )
        ]
        outcomes = sorted(s.scalars(select(ImportLog.outcome)))
        reals = s.scalar(
            select(func.count()).select_from(Realisation).where(Realisation.year == YEAR)
        )
    return subs, outcomes, int(reals or 0)


def test_two_clients_importing_the_same_file_give_one_result(
    pair: Pair, tmp_path: Path, on_server: bool
) -> None:
    if not on_server:
        pytest.skip("two clients at once need a server (--pg-url); SQLite has one writer")
    path = submit(pair, tmp_path / "r1.xlsx")
    content = content_of(pair.focal)
    expected = sum(len(r["realisations"]) for r in content["rows"])
    got = race(
        pair.pokja.url,
        tmp_path / "barrier",
        {"ani": ["import", str(path)], "budi": ["import", str(path)]},
    )
    assert sorted(r["outcome"] for r in got.values()) == ["diterima", "sama"], got
    subs, outcomes, reals = _results(pair)
    assert subs == [(1, True)]  # one submission, current
    assert outcomes == ["diterima", "sama"]
    assert reals == expected  # one set of figures


def test_two_clients_importing_two_revisions_keep_the_newest(
    pair: Pair, tmp_path: Path, on_server: bool
) -> None:
    if not on_server:
        pytest.skip("two clients at once need a server (--pg-url); SQLite has one writer")
    first = submit(pair, tmp_path / "r1.xlsx")
    second = submit(pair, tmp_path / "r2.xlsx")
    got = race(
        pair.pokja.url,
        tmp_path / "barrier",
        {"ani": ["import", str(first)], "budi": ["import", str(second)]},
    )
    outcomes = sorted(r["outcome"] for r in got.values())
    # Whoever got the lock first, the order rule decides: r2 replaces r1, or r1 is old.
    assert outcomes in (["diterima", "menggantikan"], ["diterima", "usang"]), got
    subs, _, _ = _results(pair)
    assert [r for r, current in subs if current] == [2]
