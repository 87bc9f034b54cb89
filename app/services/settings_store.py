"""Storing what the window asks of its user (the profile) in one transaction per answer.

The window writes only through services. The convention, as everywhere in
``app.services``: a writer takes the :class:`Database` and opens its own
``with db.begin()`` transaction, so a refused value (``ProfileError``) leaves nothing
half-written; a reader takes the caller's ``Session``.
"""

from __future__ import annotations

from app.models.db import Database
from app.services.concurrency import ConcurrentEditError, Seen, refused_on_race
from app.services.profile import Profile, profile_seen, profile_writer, save_profile


def store_profile(db: Database, profile: Profile, seen: Seen | None = None) -> None:
    """Keep ``profile`` as this installation's user (raises ``ProfileError``, nothing saved).

    ``seen`` is the profile's version the dialog showed (:func:`profile_seen`): on a
    server database two Pokja members share one profile, and a save made by the other
    since is refused (``ConcurrentEditError``) instead of silently overwritten."""
    with refused_on_race(db, profile_writer), db.begin() as s:
        if seen is not None and profile_seen(s).version != seen.version:
            raise ConcurrentEditError(*profile_writer(s))
        save_profile(s, profile)
        s.flush()
        written = profile_seen(s).version
    if seen is not None:
        seen.version = written
