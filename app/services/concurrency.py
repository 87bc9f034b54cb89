"""Two people editing the same thing at once: the later save is refused, never lost.

Every table a person edits through a form carries a ``version`` (migration 0012, the
ORM's ``version_id_col``). A form remembers the version it showed in a :class:`Seen`
and hands it to the save; the save compares it with the stored one and, when someone
else wrote in between, raises :class:`ConcurrentEditError` naming who and when, so the
form keeps what the user typed and offers to load the other person's values. The ORM
check (``UPDATE … WHERE version = :seen``) catches the race that is left: two saves
that both read the same version before either committed (on PostgreSQL; SQLite has one
writer at a time). On a single-user SQLite file nobody else writes, so nothing changes.

``Seen(0)`` means the form showed no record (nothing entered yet): a record someone
created meanwhile is a conflict too. A save updates its ``Seen`` to the version it
wrote, so the next save from the same form checks against its own write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.models.db import Database
from app.models.schema import AuditEntry, Setting

MESSAGE = (
    "Data ini diubah oleh {who} pada {when}. Muat ulang untuk melihat perubahan itu, "
    "lalu ulangi isian Anda."
)


# Reads, in a fresh transaction, who wrote a record last and when.
Winner = Callable[[Session], tuple[str | None, datetime | None]]


class ConcurrentEditError(RuntimeError):
    """Someone else saved this record after the form showed it (Indonesian message)."""

    def __init__(self, who: str | None, when: datetime | None) -> None:
        self.who = (who or "").strip() or "pengguna lain"
        self.when = when
        super().__init__(
            MESSAGE.replace("{who}", self.who).replace(
                "{when}",
                f"{when:%d-%m-%Y %H:%M}" if when is not None else "waktu yang tidak tercatat",
            )
        )


@dataclass
class Seen:
    """The version of one record as a form showed it (0: there was none)."""

    version: int = 0


def version_of(record: object | None) -> int:
    """The stored version of a loaded record, 0 for none."""
    return 0 if record is None else int(record.version)  # type: ignore[attr-defined]


def last_change(
    session: Session, row_key: str, year: int | None, field: str | None = None
) -> tuple[str, datetime] | None:
    """Who last wrote the audit trail of a row (or node) and year: the name to give when
    the record itself is gone (the other person cleared it)."""
    q = select(AuditEntry.user, AuditEntry.at).where(AuditEntry.row_key == row_key)
    if year is not None:
        q = q.where(AuditEntry.year == year)
    if field is not None:
        q = q.where(AuditEntry.field == field)
    found = session.execute(q.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())).first()
    return None if found is None else (found[0], found[1])


def check_seen(
    seen: Seen | None,
    record: object | None,
    who: str | None,
    when: datetime | None,
    *,
    gone: Callable[[], tuple[str, datetime] | None] | None = None,
) -> None:
    """Refuse when the stored record is not the one the form showed.

    ``who``/``when`` name the last writer of ``record``; ``gone`` reads who removed it
    (from the audit trail) when the form showed a record that no longer exists; it is
    called only then, so an ordinary save costs no audit query.
    """
    if seen is None:
        return  # a caller that does not edit from a form (CLI, undo of an older action)
    if version_of(record) == seen.version:
        return
    if record is None:
        raise ConcurrentEditError(*((gone() if gone else None) or (None, None)))
    raise ConcurrentEditError(who, when)


@contextmanager
def refused_on_race(db: Database, winner: Winner) -> Iterator[None]:
    """Turn the ORM's lost race into the same refusal the version check gives.

    Two saves that read the same version before either committed: the second UPDATE
    matches no row (``StaleDataError``), or two first entries of one record collide on
    its unique key (``IntegrityError``). The failed transaction is rolled back by then;
    ``winner`` reads, in a new one, who and when the record was written.
    """
    try:
        yield
    except (StaleDataError, IntegrityError) as exc:
        with db.begin() as session:
            who, when = winner(session)
        raise ConcurrentEditError(who, when) from exc


def who_when(record: object | None) -> tuple[str | None, datetime | None]:
    """The ``updated_by``/``updated_at`` of a record that keeps them (None: no record)."""
    if record is None:
        return None, None
    return record.updated_by, record.updated_at  # type: ignore[attr-defined]


@contextmanager
def versioned_write(
    db: Database,
    seen: Seen | None,
    find: Callable[[Session], object | None],
    gone: Callable[[Session], tuple[str, datetime] | None] | None = None,
) -> Iterator[Session]:
    """One save's transaction, checked against the version the form showed.

    ``find`` reads the edited record (``None``: not there); its ``updated_by`` and
    ``updated_at`` name the other person. ``gone`` names who removed a record the form
    showed. After the body (a plain ``return`` included) ``seen`` holds the version written.
    """
    with refused_on_race(db, lambda s: who_when(find(s))), db.begin() as session:
        record = find(session)
        if seen is not None and version_of(record) != seen.version:
            check_seen(
                seen, record, *who_when(record), gone=(lambda: gone(session)) if gone else None
            )
        yield session
        session.flush()
        written = version_of(find(session))
    if seen is not None:
        seen.version = written


def settings_seen(session: Session, prefix: str) -> Seen:
    """A group of settings' version as a dialog shows it (the profile, the region): the
    sum of its keys' versions, which grows with every key written (keys are never
    deleted), so one number tells whether anyone saved any of them since."""
    total = session.scalar(
        select(func.coalesce(func.sum(Setting.version), 0)).where(Setting.key.startswith(prefix))
    )
    return Seen(int(total or 0))


def settings_writer(session: Session, prefix: str) -> tuple[str | None, datetime | None]:
    """Who saved a group of settings last, and when (for the refusal of a later save)."""
    last = session.scalars(
        select(Setting)
        .where(Setting.key.startswith(prefix), Setting.updated_at.is_not(None))
        .order_by(Setting.updated_at.desc())
    ).first()
    return who_when(last)


__all__ = [
    "MESSAGE",
    "ConcurrentEditError",
    "Seen",
    "Winner",
    "check_seen",
    "last_change",
    "refused_on_race",
    "settings_seen",
    "settings_writer",
    "version_of",
    "versioned_write",
    "who_when",
]
