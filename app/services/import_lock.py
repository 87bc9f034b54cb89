"""Two clients importing for the same OPD and year at once: the database decides the order.

On a server two Pokja members may import the same signed file (or two revisions of one
OPD and year) at the same moment. Each file's transaction first takes a transaction-level
advisory lock named after the OPD, plan and year (``pg_advisory_xact_lock``), so the
second waits until the first has committed and then sees its submission: the same file
becomes "sama" (already received), another revision is ordered by the usual rule, and
exactly one submission stays ``current``. The lock ends with the transaction, also when
a client dies. SQLite needs none: its file admits one writer at a time.

A race that slips past the lock (a client of an older release, or two files of one OPD
pinning the same new key for two years) makes the server refuse the loser's write
(unique key, stale version, serialization); :func:`once_more_on_race` runs that file's
transaction a second time, when it sees the winner's data and decides accordingly.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

T = TypeVar("T")
log = logging.getLogger(__name__)

# PostgreSQL's SQLSTATEs of a write that lost to a concurrent one.
RACE_STATES = {"40001", "40P01", "23505"}  # serialization, deadlock, unique violation


def lock_key(opd_code: str, plan_code: str, year: int) -> int:
    """A stable signed 64-bit key for the advisory lock of one OPD, plan and year."""
    digest = hashlib.sha256(f"{opd_code}\x1f{plan_code}\x1f{year}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def lock_opd_year(session: Session, opd_code: str, plan_code: str, year: int) -> None:
    """Wait, inside the file's transaction, until no other import of this OPD, plan and
    year is under way (PostgreSQL); a no-op on SQLite, whose file lock already serialises."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(
        text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(opd_code, plan_code, year)}
    )


def lost_race(exc: BaseException) -> bool:
    """Whether a failed transaction lost to a concurrent writer (worth one more try)."""
    if isinstance(exc, StaleDataError):
        return True
    if isinstance(exc, DBAPIError):
        state = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
        # SQLite names no state: a unique clash there is a real error, not a race.
        return state in RACE_STATES
    return False


def once_more_on_race(run: Callable[[], T]) -> T:
    """Run one file's transaction; when it lost a race, run it once more."""
    try:
        return run()
    except Exception as exc:
        if not lost_race(exc):
            raise
        log.info("Import lost a race to another client (%s); trying once more", exc)
        return run()


__all__ = ["lock_key", "lock_opd_year", "lost_race", "once_more_on_race"]
