"""Who uses this installation: role, name, NIP, OPD and the reporting year.

Stored in the database's ``setting`` table, so that a copied database file carries its
owner with it and a Pokja reviewer can see whose file it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.nip import NipError, validate_nip
from app.domain.text_policy import PERSON_NAME_MAX, TextError, clean_text
from app.models.schema import Opd, Setting
from app.services.concurrency import Seen, settings_seen, settings_writer

PREFIX = "profile."
ROLE_FOCAL = "focal_point"
ROLE_POKJA = "pokja"
ROLE_LABELS = {ROLE_FOCAL: "Focal Point PUG Perangkat Daerah", ROLE_POKJA: "Pokja PUG"}


class ProfileError(ValueError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Profile:
    role: str
    name: str
    nip: str
    opd_code: str | None
    year: int

    @property
    def is_pokja(self) -> bool:
        return self.role == ROLE_POKJA

    @property
    def user_label(self) -> str:
        return f"{self.name} ({self.nip})"


def validate_profile(
    role: str, name: str, nip: str, opd_code: str | None, year: int, years: list[int]
) -> Profile:
    if role not in ROLE_LABELS:
        raise ProfileError("Pilih peran: Focal Point atau Pokja PUG.", "role")
    try:
        # The name is signed into every submission (prepared_by): the same text policy.
        name = clean_text(name, PERSON_NAME_MAX)
    except TextError as exc:
        raise ProfileError(f"Nama: {exc}", "name") from exc
    if len(name) < 3:
        raise ProfileError("Nama wajib diisi (minimal 3 huruf).", "name")
    try:
        nip = validate_nip(nip)
    except NipError as exc:
        raise ProfileError(str(exc), "nip") from exc
    if role == ROLE_FOCAL and not opd_code:
        raise ProfileError("Focal Point harus memilih Perangkat Daerah.", "opd")
    if years and year not in years:
        raise ProfileError(f"Tahun pelaporan harus antara {years[0]} dan {years[-1]}.", "year")
    return Profile(
        role=role, name=name, nip=nip, opd_code=opd_code if role == ROLE_FOCAL else None, year=year
    )


def load_profile(session: Session) -> Profile | None:
    values = {
        s.key: s.value
        for s in session.scalars(select(Setting).where(Setting.key.startswith(PREFIX)))
    }
    if "profile.role" not in values:
        return None
    return Profile(
        role=values["profile.role"],
        name=values.get("profile.name", ""),
        nip=values.get("profile.nip", ""),
        opd_code=values.get("profile.opd") or None,
        year=int(values.get("profile.year", "0") or 0),
    )


def save_profile(session: Session, profile: Profile) -> None:
    """Write ``profile`` in the caller's transaction. Only the keys whose value changed
    are written (naming the person saving), so :func:`profile_seen` moves only when
    something did."""
    if (
        profile.opd_code
        and session.scalar(select(Opd.id).where(Opd.code == profile.opd_code)) is None
    ):
        raise ProfileError("Perangkat Daerah tidak dikenal.", "opd")
    now = datetime.now()
    for key, value in (
        ("role", profile.role),
        ("name", profile.name),
        ("nip", profile.nip),
        ("opd", profile.opd_code or ""),
        ("year", str(profile.year)),
    ):
        found = session.get(Setting, PREFIX + key)
        if found is None:
            session.add(
                Setting(key=PREFIX + key, value=value, updated_at=now, updated_by=profile.name)
            )
        elif found.value != value:
            found.value, found.updated_at, found.updated_by = value, now, profile.name


def profile_seen(session: Session) -> Seen:
    """The profile's version as the dialog shows it (see ``settings_seen``)."""
    return settings_seen(session, PREFIX)


def profile_writer(session: Session) -> tuple[str | None, datetime | None]:
    """Who saved the profile last, and when (for the refusal of a later save)."""
    return settings_writer(session, PREFIX)
