"""Who uses this installation: role, name, NIP, OPD and the reporting year.

Stored in the database's ``setting`` table, so that a copied database file carries its
owner with it and a Pokja reviewer can see whose file it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.nip import NipError, validate_nip
from app.domain.text_policy import PERSON_NAME_MAX, TextError, clean_text
from app.models.schema import Opd, Setting

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
        for s in session.scalars(select(Setting).where(Setting.key.startswith("profile.")))
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
    if (
        profile.opd_code
        and session.scalar(select(Opd.id).where(Opd.code == profile.opd_code)) is None
    ):
        raise ProfileError("Perangkat Daerah tidak dikenal.", "opd")
    for key, value in (
        ("role", profile.role),
        ("name", profile.name),
        ("nip", profile.nip),
        ("opd", profile.opd_code or ""),
        ("year", str(profile.year)),
    ):
        session.merge(Setting(key=f"profile.{key}", value=value))
