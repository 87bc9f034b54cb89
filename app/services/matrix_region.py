"""The region profile and OPD catalogue a version-2 matrix package carries.

Pokja edits both (``region``, ``opd_catalogue``); the package takes them to every focal
point, where they are compared (the preview lists each change) and stored in the same
transaction as the rows. The catalogue only grows: an OPD is added or renamed and gains
variants, never deleted, since rows, submissions, keys and the profile name OPDs by code.
A version-1 package carries neither, and nothing about them changes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.domain.region import Region, RegionError
from app.formats.matrix_package import MatrixError, MatrixPackage
from app.formats.region_part import check_image
from app.models.schema import Opd, OpdAlias
from app.services.opd_catalogue import audit_catalogue
from app.services.region import load_region, region_to_json, save_region

Change = tuple[str, str, str]  # Indonesian label, old, new

REGION_LABELS = {
    "name": "Nama wilayah",
    "kind": "Jenis wilayah",
    "letterhead": "Kop surat",
    "address": "Alamat",
    "place": "Tempat penandatanganan",
    "pokja_position": "Jabatan Ketua Pokja",
    "logo": "Logo",
}


def catalogue_entries(session: Session) -> list[dict[str, Any]]:
    """Every OPD of this database in the package's ``opds`` shape, by code."""
    return [
        {
            "code": o.code,
            "name": o.name,
            "short": o.short_name,
            "variants": sorted({a.variant for a in o.aliases}),
        }
        for o in session.scalars(select(Opd).options(selectinload(Opd.aliases)).order_by(Opd.code))
    ]


def add_region_and_catalogue(session: Session, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (``matrix_state.plan_data``) as a version-2 package carries it: with this
    database's region profile and its whole OPD catalogue.

    A stored logo that is not a whole image is refused here: every reader would refuse
    the package (``formats.region_part``)."""
    region = load_region(session)
    if region.logo:
        try:
            check_image(region.logo)
        except RegionError:
            raise MatrixError(
                "Logo di profil wilayah bukan gambar PNG atau JPEG yang utuh, sehingga paket "
                "akan ditolak oleh perangkat daerah. Ganti logo di Pokja → Profil wilayah, "
                "lalu kirim matriks lagi."
            ) from None
    return {
        **data,
        "opds": catalogue_entries(session),
        "region": region_to_json(region),
    }


def _shown(field: str, value: Any) -> str:
    if field == "letterhead":
        return " / ".join(value) or "–"
    if field == "logo":
        return f"gambar {len(value) // 1024 + 1} KiB" if value else "tanpa logo"
    return str(value) or "–"


def region_changes(session: Session, region: Region | None) -> list[Change]:
    """What storing ``region`` would change in this database's profile."""
    if region is None:
        return []
    old, new = load_region(session), region
    out: list[Change] = []
    for f, label in REGION_LABELS.items():
        a, b = getattr(old, f), getattr(new, f)
        if a != b:
            if f == "logo" and a and b:
                out.append((label, _shown(f, a), f"diganti ({_shown(f, b)})"))
            else:
                out.append((label, _shown(f, a), _shown(f, b)))
    return out


def catalogue_changes(session: Session, pkg: MatrixPackage) -> list[Change]:
    """New OPDs, renamed ones, new short names and new variants the package brings."""
    if not pkg.carries_catalogue:
        return []
    have = {o.code: o for o in session.scalars(select(Opd).options(selectinload(Opd.aliases)))}
    taken = {a.variant: a.opd.code for o in have.values() for a in o.aliases}
    out: list[Change] = []
    for e in pkg.data["opds"]:
        opd = have.get(e["code"])
        if opd is None:
            out.append((f"OPD baru {e['code']}", "–", e["name"]))
            continue
        if opd.name != e["name"]:
            out.append((f"Nama {e['code']}", opd.name, e["name"]))
        if opd.short_name != e["short"]:
            out.append((f"Nama singkat {e['code']}", opd.short_name, e["short"]))
        added = [v for v in e["variants"] if taken.get(v, e["code"]) == e["code"]]
        added = [v for v in added if v not in {a.variant for a in opd.aliases}]
        if added:
            out.append((f"Varian baru {e['code']}", "–", "; ".join(added)))
    return out


def apply_region_and_catalogue(
    session: Session, pkg: MatrixPackage, now: datetime, user: str
) -> int:
    """Store the package's region and catalogue in the caller's transaction, each change
    audited; returns the number of changes. Nothing happens for a version-1 package."""
    changes = 0

    def audit(action: str, field: str, old: str | None, new: str | None) -> None:
        nonlocal changes
        changes += 1
        audit_catalogue(session, now, user, action, field, old, new)

    for label, old, new in region_changes(session, pkg.region):
        audit("matriks-wilayah", label, old, new)
    if pkg.region is not None and changes:
        save_region(session, pkg.region)
    if pkg.carries_catalogue:
        have = {o.code: o for o in session.scalars(select(Opd).options(selectinload(Opd.aliases)))}
        taken = {a.variant: o.code for o in have.values() for a in o.aliases}
        for e in pkg.data["opds"]:
            opd = have.get(e["code"])
            if opd is None:
                opd = Opd(code=e["code"], name=e["name"], short_name=e["short"])
                session.add(opd)
                have[opd.code] = opd
                audit("matriks-opd-baru", e["code"], None, e["name"])
            if opd.name != e["name"]:
                audit("matriks-opd-nama", e["code"], opd.name, e["name"])
                opd.name = e["name"]
            if opd.short_name != e["short"]:
                audit("matriks-opd-singkat", e["code"], opd.short_name, e["short"])
                opd.short_name = e["short"]
            for v in e["variants"]:
                # A spelling this database already gives another OPD stays with it:
                # matching must never find two OPDs for one name.
                if taken.setdefault(v, e["code"]) != e["code"]:
                    continue
                if v not in {a.variant for a in opd.aliases}:
                    opd.aliases.append(OpdAlias(variant=v))
                    audit("matriks-opd-varian", e["code"], None, v)
        session.flush()
    return changes


__all__ = [
    "REGION_LABELS",
    "add_region_and_catalogue",
    "apply_region_and_catalogue",
    "catalogue_changes",
    "catalogue_entries",
    "region_changes",
]
