"""Storing what the window asks of its user (the profile) in one transaction per answer.

The window writes only through services. The convention, as everywhere in
``app.services``: a writer takes the :class:`Database` and opens its own
``with db.begin()`` transaction, so a refused value (``ProfileError``) leaves nothing
half-written; a reader takes the caller's ``Session``.
"""

from __future__ import annotations

from app.models.db import Database
from app.services.profile import Profile, save_profile


def store_profile(db: Database, profile: Profile) -> None:
    """Keep ``profile`` as this installation's user (raises ``ProfileError``, nothing saved)."""
    with db.begin() as s:
        save_profile(s, profile)
