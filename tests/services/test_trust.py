"""Key trust: one vocabulary for an OPD's submission key and Pokja's matrix key."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import event, select

from app.formats import keys
from app.formats.matrix_package import MatrixError
from app.models.db import Database, open_database
from app.models.schema import PinnedKey
from app.services.trust import (
    KeyState,
    classify,
    opd_key,
    opd_key_state,
    pin_opd_key,
    pin_pokja_key,
    pokja_key,
    pokja_key_state,
)

ONE = bytes(range(32))
TWO = bytes(range(1, 33))


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    d = open_database(tmp_path / "t.sqlite")
    yield d
    d.dispose()


def test_classify() -> None:
    assert classify(None, ONE) == KeyState.NEW
    assert classify(ONE.hex(), ONE) == KeyState.KNOWN
    assert classify(TWO.hex(), ONE) == KeyState.CHANGED


def test_opd_key_new_then_known_then_changed_keeps_the_old_one_inactive(db: Database) -> None:
    with db.begin() as s:
        assert opd_key_state(s, "OPD-001", ONE) == (KeyState.NEW, None)
        pin_opd_key(s, "OPD-001", ONE, "Siti")
    with db.begin() as s:
        state, pinned = opd_key_state(s, "OPD-001", ONE)
        assert state == KeyState.KNOWN and pinned is not None
        assert pinned.key_id == keys.fingerprint(ONE) and pinned.pinned_by == "Siti"
        # A key belongs to one OPD: another OPD's file signed with it is a conflict.
        state, owner = opd_key_state(s, "OPD-002", ONE)
        assert state == KeyState.OTHER_OPD and owner is not None
        assert owner.opd_code == "OPD-001"
        assert opd_key_state(s, "OPD-002", TWO) == (KeyState.NEW, None)  # per OPD
        state, pinned = opd_key_state(s, "OPD-001", TWO)
        assert state == KeyState.CHANGED and pinned is not None
        assert pinned.key_id == keys.fingerprint(ONE)
        pin_opd_key(s, "OPD-001", TWO)
    with db.begin() as s:
        active = opd_key(s, "OPD-001")
        assert active is not None and active.key_id == keys.fingerprint(TWO)
        rows = s.scalars(select(PinnedKey).order_by(PinnedKey.id)).all()
        assert [(r.key_id, r.active) for r in rows] == [
            (keys.fingerprint(ONE), False),
            (keys.fingerprint(TWO), True),
        ]


def test_a_key_pinned_for_its_own_opd_and_another_is_a_conflict_in_one_query(
    db: Database,
) -> None:
    """Every imported file asks both questions (pinned for another OPD? for this one?):
    one query answers them, and the conflict still wins over the OPD's own pin (as an
    older database may hold the same key active for two OPDs)."""
    with db.begin() as s:
        pin_opd_key(s, "OPD-002", ONE)
        pin_opd_key(s, "OPD-003", TWO)
        s.add(
            PinnedKey(
                opd_code="OPD-001",
                key_id=keys.fingerprint(ONE),
                public_key=ONE.hex(),
                active=True,
                pinned_at=datetime(2024, 1, 1),
            )
        )
    asked: list[str] = []

    def seen(_c: object, _cur: object, statement: str, *_rest: object) -> None:
        asked.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        with db.begin() as s:
            state, owner = opd_key_state(s, "OPD-001", ONE)
            assert state == KeyState.OTHER_OPD and owner is not None
            assert owner.opd_code == "OPD-002"
            state, pinned = opd_key_state(s, "OPD-003", TWO)
            assert state == KeyState.KNOWN and pinned is not None
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert len([q for q in asked if "pinned_key" in q]) == 2  # one per question asked


def test_pokja_key_new_then_known_then_changed_lists_the_previous_key(db: Database) -> None:
    with db.begin() as s:
        assert pokja_key_state(s, ONE) == (KeyState.NEW, None)
        pin_pokja_key(s, ONE, "Budi")
    with db.begin() as s:
        assert pokja_key_state(s, ONE)[0] == KeyState.KNOWN
        state, pinned = pokja_key_state(s, TWO)
        assert state == KeyState.CHANGED and pinned is not None and pinned.public_key == ONE
        pin_pokja_key(s, TWO)
    with db.begin() as s:
        now = pokja_key(s)
        assert now is not None and now.key_id == keys.fingerprint(TWO)
        assert now.previous == (keys.fingerprint(ONE),)
        with pytest.raises(MatrixError, match="32 bita"):
            pin_pokja_key(s, b"pendek")
