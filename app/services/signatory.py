"""Who signs a printed report: the head of the OPD (or of Pokja), with NIP and place.

Kept per OPD in the ``setting`` table (``signer.<OPD code>.name`` …) so the window and
the command line fill the signature block the same way and a focal point types the
head's name once. The consolidated regency report uses the scope ``POKJA``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.nip import NipError, validate_nip
from app.models.db import Database
from app.models.schema import Setting
from app.services.region import load_region

POKJA_SCOPE = "POKJA"
_FIELDS = ("name", "nip", "position", "place")


class SignatoryError(ValueError):
    """Invalid signatory data; ``field`` names the input, the message is Indonesian."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Signatory:
    """The signature block's person; empty fields print as dotted lines to fill by hand."""

    name: str = ""
    nip: str = ""
    position: str = ""
    place: str = ""  # empty: the region profile's signature place

    def merged(self, **overrides: str | None) -> Signatory:
        """A copy with every override that is not ``None`` applied (CLI options)."""
        return replace(self, **{k: v.strip() for k, v in overrides.items() if v is not None})


def default_position(opd_name: str | None, pokja_position: str) -> str:
    """``Kepala Dinas Perikanan``; a Setda section is headed by a *Kepala Bagian*;
    without an OPD, ``pokja_position`` (the region profile's)."""
    if not opd_name:
        return pokja_position
    name = opd_name.strip()
    if name.startswith("Sekretariat Daerah – Bagian "):
        return "Kepala " + name.removeprefix("Sekretariat Daerah – ")
    if name.startswith("Kecamatan"):
        return "Camat " + name.removeprefix("Kecamatan").strip() if name != "Kecamatan" else "Camat"
    return f"Kepala {name}"


def check_signatory(s: Signatory) -> Signatory:
    """Normalise the NIP (18 digits when given); name and NIP may stay empty."""
    nip = s.nip.strip()
    if nip:
        try:
            nip = validate_nip(nip)
        except NipError as exc:
            raise SignatoryError(f"NIP penanda tangan: {exc}", "nip") from exc
    return Signatory(s.name.strip(), nip, s.position.strip(), s.place.strip())


def _key(scope: str, field: str) -> str:
    return f"signer.{scope}.{field}"


def load_signatory(session: Session, scope: str) -> Signatory | None:
    """The stored signatory for an OPD code (or ``POKJA``), ``None`` when never saved."""
    prefix = f"signer.{scope}."
    values = {
        s.key.removeprefix(prefix): s.value
        for s in session.scalars(select(Setting).where(Setting.key.startswith(prefix)))
    }
    if not values:
        return None
    return Signatory(
        values.get("name", ""),
        values.get("nip", ""),
        values.get("position", ""),
        values.get("place", ""),
    )


def save_signatory(session: Session, scope: str, signatory: Signatory) -> Signatory:
    s = check_signatory(signatory)
    if len(_key(scope, "position")) > 64:
        raise SignatoryError("Kode Perangkat Daerah terlalu panjang.", "scope")
    for field in _FIELDS:
        session.merge(Setting(key=_key(scope, field), value=getattr(s, field)))
    return s


def store_signatory(db: Database, scope: str, signatory: Signatory) -> Signatory:
    """Save the signatory of ``scope`` in its own transaction (for the window)."""
    with db.begin() as session:
        return save_signatory(session, scope, signatory)


def resolve_signatory(
    session: Session, scope: str, opd_name: str | None, **overrides: str | None
) -> Signatory:
    """Stored values, then the given overrides, then defaults for position and place
    (from the region profile)."""
    s = (load_signatory(session, scope) or Signatory()).merged(**overrides)
    region = load_region(session)
    if not s.position:
        s = replace(s, position=default_position(opd_name, region.pokja_title))
    if not s.place:
        s = replace(s, place=region.signature_place)
    return check_signatory(s)
