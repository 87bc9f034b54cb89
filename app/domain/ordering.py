"""Which received file wins: time stamps, the future check and revision bounds (pure).

Sender clocks are not trusted (docs/submissions.md, "Urutan kiriman"). Every stamp is
compared as an aware datetime, never as text: ``2024-01-10T09:00:00+07:00`` and
``2024-01-10T02:00:00+00:00`` are the same instant. A stamp without an offset is the
sender's local time; the app is used within one regency, so sender and receiver share a
time zone and a naive stamp is read in the zone of the receiving machine's ``now``.

A file is refused when any of its stamps lies more than :data:`FUTURE_SLACK` ahead of
the receiving machine's clock (a wrong or hostile clock would otherwise make the file
outrank every later genuine one), and when its revision jumps more than
:data:`MAX_REVISION_STEP` above the one held (revision 1,000,000 would do the same).
Pokja can still replace anyway, explicitly and logged (``importer``); these functions
only say what the rules give.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

# A day covers time zones (WIB/WITA/WIT and a mis-set zone) and a slightly fast clock.
FUTURE_SLACK = timedelta(days=1)
# An OPD rarely signs more than a few exports between two files Pokja receives; a
# larger jump is a broken counter or a forged file, which would block later genuine ones.
MAX_REVISION_STEP = 100


def aware(value: datetime | str, now: datetime) -> datetime:
    """``value`` (a datetime or ISO text) as an aware datetime; naive is ``now``'s zone.

    Raises ValueError for text that is not an ISO time.
    """
    t = datetime.fromisoformat(value) if isinstance(value, str) else value
    if t.tzinfo is not None and t.utcoffset() is not None:
        return t
    zone = now.tzinfo if now.tzinfo is not None else now.astimezone().tzinfo
    return t.replace(tzinfo=zone)


def local_now(now: datetime | None = None) -> datetime:
    """The receiving machine's clock as an aware datetime (``now`` if given, made aware)."""
    return (now or datetime.now()).astimezone()


def ahead(stamp: datetime | str, now: datetime) -> bool:
    """Whether ``stamp`` is more than :data:`FUTURE_SLACK` ahead of ``now``."""
    now = local_now(now)
    return aware(stamp, now) > now + FUTURE_SLACK


def future_stamps(
    stamps: Iterable[tuple[str, datetime | str | None]], now: datetime
) -> list[tuple[str, str]]:
    """The (where, stamp) pairs more than a day ahead of ``now``; None stamps are skipped."""
    out: list[tuple[str, str]] = []
    for where, stamp in stamps:
        if stamp is not None and ahead(stamp, now):
            out.append((where, stamp if isinstance(stamp, str) else stamp.isoformat()))
    return out


def revision_jump(held: int, incoming: int) -> bool:
    """Whether ``incoming`` is more than :data:`MAX_REVISION_STEP` above ``held``."""
    return incoming - held > MAX_REVISION_STEP


class Verdict(StrEnum):
    """What the ordering rules give for an incoming signed file against the one held."""

    NEWER = "newer"  # the incoming file replaces the one held (or is the first)
    NOT_NEWER = "not-newer"  # an equal or older revision, or made earlier: nothing changes
    JUMP = "jump"  # a revision too far above the one held: refused


@dataclass(frozen=True)
class Held:
    """The submission whose figures are in the database for the OPD and year."""

    submission_id: str
    revision: int
    created_at: str
    signed: bool = True


@dataclass(frozen=True)
class Incoming:
    """A verified signed file as its content names itself."""

    submission_id: str
    revision: int
    created_at: str


def decide(held: Held | None, incoming: Incoming, now: datetime) -> Verdict:
    """Which file wins.

    * Nothing held, or only unsigned data: the signed file wins if its revision is
      within :data:`MAX_REVISION_STEP` (counted from 0 for a first file).
    * The same submission id: a higher revision wins, within the bound.
    * Another submission id (a reinstalled app): the later ``created_at`` wins, compared
      as instants; its revision is bounded from 0. A held stamp that is itself more
      than a day ahead of ``now`` (received before this rule) never blocks.
    """
    same_id = held is not None and held.signed and held.submission_id == incoming.submission_id
    base = held.revision if same_id and held is not None else 0
    if revision_jump(base, incoming.revision):
        return Verdict.JUMP
    if held is None or not held.signed:
        return Verdict.NEWER
    if same_id:
        return Verdict.NEWER if incoming.revision > held.revision else Verdict.NOT_NEWER
    now = local_now(now)
    try:
        held_at = aware(held.created_at, now)
    except ValueError:
        return Verdict.NEWER  # an unreadable stored stamp cannot outrank a verified one
    if held_at > now + FUTURE_SLACK:
        return Verdict.NEWER
    return Verdict.NEWER if aware(incoming.created_at, now) > held_at else Verdict.NOT_NEWER


__all__ = [
    "FUTURE_SLACK",
    "MAX_REVISION_STEP",
    "Held",
    "Incoming",
    "Verdict",
    "ahead",
    "aware",
    "decide",
    "future_stamps",
    "local_now",
    "revision_jump",
]
