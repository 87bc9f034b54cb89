"""Opening a database for use: the models' open, then the official plans when it is new.

``app.models.db.open_database`` only opens and migrates (the ORM layer must not reach up
to the seeding use case); every way in that wants a usable database calls this.
"""

from __future__ import annotations

from pathlib import Path

from app.models.db import Database, open_database
from app.services.seeding import ensure_seeded


def open_seeded(
    url_or_path: str | Path | None = None,
    *,
    backup_on_open: bool = False,
    defer_check: bool = False,
) -> Database:
    """Open (creating and migrating if needed) and load the shipped plans a new file lacks.

    ``defer_check``: see ``open_database``; the window passes it and checks after painting.
    """
    db = open_database(url_or_path, backup_on_open=backup_on_open, defer_check=defer_check)
    try:
        ensure_seeded(db)
    except BaseException:
        db.dispose()
        raise
    return db
