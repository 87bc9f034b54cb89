"""The region profile of a database, kept in the ``setting`` table (``region.*`` keys).

A database seeded with the shipped plans gets the profile of
``resources/region_lumajang.json`` written at seeding; a database that has none (made
before the profile existed) reads the same defaults, so its reports do not change.
Writers take the :class:`Database` and own their transaction; readers take a session.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.region import Region, RegionError, check_region
from app.models.db import Database
from app.models.schema import Setting
from app.resources import resource
from app.services.concurrency import (
    ConcurrentEditError,
    Seen,
    refused_on_race,
    settings_seen,
    settings_writer,
)

__all__ = [
    "DEFAULT_REGION_FILE",
    "default_region",
    "ensure_region",
    "load_region",
    "region_from_json",
    "region_seen",
    "region_to_json",
    "save_region",
    "shipped_organisation",
    "store_region",
]

DEFAULT_REGION_FILE = "region_lumajang.json"
PREFIX = "region."
_TEXT_FIELDS = ("name", "kind", "address", "place", "pokja_position")


def region_from_json(data: dict[str, Any]) -> Region:
    """A checked region from its JSON form (the resource file, a matrix package)."""
    try:
        logo = base64.b64decode(data.get("logo") or "", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise RegionError("Logo wilayah rusak (bukan base64).", "logo") from exc
    return check_region(
        Region(
            name=str(data.get("name", "")),
            kind=str(data.get("kind", "Kabupaten")),
            letterhead=tuple(str(x) for x in data.get("letterhead") or ()),
            address=str(data.get("address", "")),
            place=str(data.get("place", "")),
            pokja_position=str(data.get("pokja_position", "")),
            logo=logo,
        )
    )


def region_to_json(region: Region) -> dict[str, Any]:
    return {
        "name": region.name,
        "kind": region.kind,
        "letterhead": list(region.letterhead),
        "address": region.address,
        "place": region.place,
        "pokja_position": region.pokja_position,
        "logo": base64.b64encode(region.logo).decode("ascii"),
    }


@lru_cache(maxsize=1)
def default_region() -> Region:
    """The shipped profile (the region whose plans ``resources/plans`` holds)."""
    raw = json.loads(resource(DEFAULT_REGION_FILE).read_text(encoding="utf-8"))
    return region_from_json(raw)


def shipped_organisation() -> tuple[str, str]:
    """The organisation name and web domain QSettings files its data under (they
    name the shipped region, and must not change under current users)."""
    raw = json.loads(resource(DEFAULT_REGION_FILE).read_text(encoding="utf-8"))
    return f"Pemerintah {default_region().full_name}", str(raw.get("organisation_domain", ""))


def load_region(session: Session) -> Region:
    """The stored profile, or the shipped defaults when none was ever stored."""
    values = {
        s.key.removeprefix(PREFIX): s.value
        for s in session.scalars(select(Setting).where(Setting.key.startswith(PREFIX)))
    }
    if not values.get("name"):
        return default_region()
    data: dict[str, Any] = {f: values.get(f, "") for f in _TEXT_FIELDS}
    data["letterhead"] = json.loads(values.get("letterhead") or "[]")
    data["logo"] = values.get("logo", "")
    return region_from_json(data)


def save_region(session: Session, region: Region, user: str = "") -> Region:
    """Check and write ``region`` in the caller's transaction; returns what was kept.

    Only the keys whose value changed are written (and name ``user``), so the profile's
    version (:func:`region_seen`) moves only when something did."""
    r = check_region(region)
    data = region_to_json(r)
    values = {PREFIX + f: data[f] for f in _TEXT_FIELDS}
    values[PREFIX + "letterhead"] = json.dumps(data["letterhead"])
    values[PREFIX + "logo"] = data["logo"]
    now = datetime.now()
    for key, value in values.items():
        found = session.get(Setting, key)
        if found is None:
            session.add(Setting(key=key, value=value, updated_at=now, updated_by=user))
        elif found.value != value:
            found.value, found.updated_at, found.updated_by = value, now, user
    return r


def region_seen(session: Session) -> Seen:
    """The region profile's version as a dialog shows it (see ``settings_seen``)."""
    return settings_seen(session, PREFIX)


def _region_writer(session: Session) -> tuple[str | None, datetime | None]:
    return settings_writer(session, PREFIX)


def store_region(
    db: Database, region: Region, *, user: str = "", seen: Seen | None = None
) -> Region:
    """Save the profile in its own transaction (raises ``RegionError``, nothing saved).

    ``seen`` is the profile's version the dialog showed: a profile another Pokja member
    saved since is refused (``ConcurrentEditError``) instead of overwritten."""
    with refused_on_race(db, _region_writer), db.begin() as session:
        if seen is not None and region_seen(session).version != seen.version:
            raise ConcurrentEditError(*_region_writer(session))
        kept = save_region(session, region, user)
        session.flush()
        written = region_seen(session).version
    if seen is not None:
        seen.version = written
    return kept


def ensure_region(session: Session) -> None:
    """Write the shipped defaults when the database has no profile yet (at seeding)."""
    if session.get(Setting, PREFIX + "name") is None:
        save_region(session, default_region())
