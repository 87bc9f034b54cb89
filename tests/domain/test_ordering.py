"""Which received file wins: aware times, the future check and bounded revision jumps."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.domain.ordering import (
    MAX_REVISION_STEP,
    Held,
    Incoming,
    Verdict,
    ahead,
    aware,
    decide,
    future_stamps,
    revision_jump,
)

WIB = timezone(timedelta(hours=7))
NOW = datetime(2024, 3, 1, 12, 0, tzinfo=WIB)
SID = "00000000-0000-4000-8000-000000000001"
OTHER = "00000000-0000-4000-8000-000000000002"


def test_times_are_instants_not_text() -> None:
    # As text "2024-01-10T09:00:00+07:00" > "2024-01-10T03:00:00+00:00", yet it is earlier.
    a, b = "2024-01-10T09:00:00+07:00", "2024-01-10T03:00:00+00:00"
    assert a > b and aware(a, NOW) < aware(b, NOW)
    # A naive stamp is the receiving machine's local time (the zone of ``now``).
    assert aware("2024-01-10T09:00:00", NOW) == aware(a, NOW)
    assert aware(datetime(2024, 1, 10, 9), NOW).utcoffset() == timedelta(hours=7)
    with pytest.raises(ValueError):
        aware("kemarin", NOW)


def test_a_stamp_more_than_a_day_ahead_is_in_the_future() -> None:
    assert not ahead(NOW + timedelta(hours=23), NOW)
    assert ahead(NOW + timedelta(days=1, minutes=1), NOW)
    assert ahead("2099-12-31T00:00:00", NOW)
    # An offset far west of the receiver can move a stamp past the limit.
    assert not ahead("2024-03-02T10:00:00+07:00", NOW)
    assert ahead("2024-03-02T10:00:00-05:00", NOW)
    assert future_stamps(
        [("created_at", "2024-03-01T00:00:00"), ("baris x", "2099-12-31T00:00:00"), ("y", None)],
        NOW,
    ) == [("baris x", "2099-12-31T00:00:00")]


def test_revision_jumps_are_bounded() -> None:
    assert not revision_jump(3, 3 + MAX_REVISION_STEP)
    assert revision_jump(3, 4 + MAX_REVISION_STEP)
    assert revision_jump(0, 1_000_000)


def test_which_file_wins() -> None:
    held = Held(SID, 3, "2024-02-01T09:00:00")
    # The same submission: only a higher revision, and not too far above.
    assert decide(held, Incoming(SID, 4, "2024-01-01T00:00:00"), NOW) == Verdict.NEWER
    assert decide(held, Incoming(SID, 3, "2024-02-20T00:00:00"), NOW) == Verdict.NOT_NEWER
    assert decide(held, Incoming(SID, 2, "2024-02-20T00:00:00"), NOW) == Verdict.NOT_NEWER
    assert decide(held, Incoming(SID, 1_000_000, "2024-02-20T00:00:00"), NOW) == Verdict.JUMP
    # Another submission id (a reinstalled app): the later instant wins.
    assert decide(held, Incoming(OTHER, 1, "2024-02-01T10:00:00"), NOW) == Verdict.NEWER
    assert decide(held, Incoming(OTHER, 1, "2024-02-01T08:00:00"), NOW) == Verdict.NOT_NEWER
    # 09:00+07:00 held; 03:00Z is 10:00+07:00, later, although it sorts earlier as text.
    zoned = Held(SID, 3, "2024-02-01T09:00:00+07:00")
    assert decide(zoned, Incoming(OTHER, 1, "2024-02-01T03:00:00+00:00"), NOW) == Verdict.NEWER
    assert decide(zoned, Incoming(OTHER, 200, "2024-02-02T00:00:00"), NOW) == Verdict.JUMP
    # First file, or only unsigned data held: a signed file wins unless it jumps.
    assert decide(None, Incoming(SID, 7, "2024-02-01T00:00:00"), NOW) == Verdict.NEWER
    assert decide(None, Incoming(SID, 1_000_000, "2024-02-01T00:00:00"), NOW) == Verdict.JUMP
    unsigned = Held(OTHER, 1, "2099-01-01T00:00:00", signed=False)
    assert decide(unsigned, Incoming(SID, 1, "2020-01-01T00:00:00"), NOW) == Verdict.NEWER


def test_a_held_stamp_from_the_future_never_blocks() -> None:
    # Received before the future check existed: a later genuine export must still win.
    poisoned = Held(OTHER, 1, "2099-12-31T00:00:00")
    assert decide(poisoned, Incoming(SID, 1, "2024-02-01T00:00:00"), NOW) == Verdict.NEWER
    broken = Held(OTHER, 1, "bukan waktu")
    assert decide(broken, Incoming(SID, 1, "2024-02-01T00:00:00"), NOW) == Verdict.NEWER
