"""Pokja's catalogue of Perangkat Daerah (OPD): names, short names, spellings, codes.

Pokja renames an OPD, edits its short name, adds or removes the variants (spellings seen
in documents, which plan and submission imports match), and adds new OPDs. The code is
never changed: submissions, pinned keys and the profile name an OPD by code. Every change
of one save is audited and written in one transaction; the catalogue then travels to focal
points in the matrix package (``matrix_region``).

A spelling is compared as plan import compares it (``plan_import.opd_key``: case, spacing
and punctuation ignored), and no spelling may name two OPDs: an import would have to guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.domain.text_policy import TextError, clean_text
from app.models.db import Database
from app.models.schema import AuditEntry, Opd, OpdAlias, PlanRow
from app.services.plan_import import opd_key

NAME_MAX = 500
SHORT_MAX = 120
VARIANT_MAX = 500
MAX_VARIANTS = 100
_CODE = re.compile(r"[A-Za-z0-9._:\-]{1,64}")


class CatalogueError(ValueError):
    """A refused catalogue change; the message (Indonesian) says why and what to do."""


@dataclass(frozen=True)
class OpdEntry:
    code: str
    name: str
    short_name: str
    rows: int  # current (not retired) rows of every plan
    variants: tuple[str, ...]


def list_opds(session: Session) -> list[OpdEntry]:
    """Every OPD by name, with its number of current rows and its variants."""
    counts = dict(
        session.execute(
            select(PlanRow.opd_id, func.count())
            .where(PlanRow.retired_at.is_(None))
            .group_by(PlanRow.opd_id)
        ).all()
    )
    return [
        OpdEntry(
            o.code,
            o.name,
            o.short_name,
            int(counts.get(o.id, 0)),
            tuple(sorted(a.variant for a in o.aliases)),
        )
        for o in session.scalars(select(Opd).options(selectinload(Opd.aliases)).order_by(Opd.name))
    ]


def new_opd_code(name: str, taken: Iterable[str]) -> str:
    """A code from the name (``DINAS-PARIWISATA``), numbered when already used."""
    used = set(taken)
    base = re.sub(r"[^A-Z0-9]+", "-", name.upper()).strip("-")[:40] or "OPD"
    code, n = base, 1
    while code in used:
        n += 1
        code = f"{base}-{n}"
    return code


def _clean(text: str, limit: int, label: str) -> str:
    try:
        value = " ".join(clean_text(text, limit).split())
    except TextError as exc:
        raise CatalogueError(f"{label}: {exc}") from None
    if not value:
        raise CatalogueError(f"{label} wajib diisi.")
    return value


def _spellings(session: Session, skip: int | None) -> dict[str, Opd]:
    """Every compared spelling of every OPD but ``skip`` → that OPD."""
    out: dict[str, Opd] = {}
    for o in session.scalars(select(Opd).options(selectinload(Opd.aliases))):
        if o.id == skip:
            continue
        for text in (o.name, o.short_name, o.code, *(a.variant for a in o.aliases)):
            out.setdefault(opd_key(text or ""), o)
    out.pop("", None)
    return out


def _check_unique(session: Session, skip: int | None, texts: list[tuple[str, str]]) -> None:
    others = _spellings(session, skip)
    for label, text in texts:
        other = others.get(opd_key(text))
        if other is not None:
            raise CatalogueError(
                f"{label} '{text}' sudah menunjuk OPD lain: {other.name} ({other.code}). "
                "Satu ejaan hanya boleh menunjuk satu OPD; ubah ejaannya, atau hapus "
                "dulu dari OPD tersebut."
            )


def _variants(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for v in values:
        if not v.strip():
            continue
        text = _clean(v, VARIANT_MAX, "Varian nama")
        if text not in seen:
            seen.add(text)
            out.append(text)
    if len(out) > MAX_VARIANTS:
        raise CatalogueError(f"Paling banyak {MAX_VARIANTS} varian nama untuk satu OPD.")
    return out


def audit_catalogue(session: Session, now: datetime, user: str, action: str, code: str,
                    old: str | None, new: str | None) -> None:  # fmt: skip
    """One audit line of a catalogue change (no row, no year; the OPD code as field)."""
    session.add(
        AuditEntry(
            at=now,
            user=user,
            action=action,
            row_key=None,
            year=None,
            field=code[:40],
            old_value=old,
            new_value=new,
        )
    )


def update_opd(
    db: Database,
    code: str,
    *,
    name: str,
    short_name: str,
    variants: Iterable[str],
    user: str = "",
) -> list[str]:
    """Save one OPD's name, short name and variants in one transaction, each change
    audited; returns the Indonesian list of what changed (empty: nothing to save)."""
    name = _clean(name, NAME_MAX, "Nama OPD")
    short_name = _clean(short_name, SHORT_MAX, "Nama singkat")
    wanted = _variants(variants)
    now = datetime.now().replace(microsecond=0)
    done: list[str] = []
    with db.begin() as session:
        opd = session.scalars(
            select(Opd).where(Opd.code == code).options(selectinload(Opd.aliases))
        ).one_or_none()
        if opd is None:
            raise CatalogueError(f"OPD berkode {code} tidak ada di basis data ini.")
        # Only what is new is checked: an old clash of the shipped catalogue must not
        # block every later edit of the OPD.
        have = {a.variant: a for a in opd.aliases}
        checks = [("Nama", name)] if name != opd.name else []
        checks += [("Nama singkat", short_name)] if short_name != opd.short_name else []
        checks += [("Varian", v) for v in wanted if v not in have]
        _check_unique(session, opd.id, checks)
        if opd.name != name:
            audit_catalogue(session, now, user, "katalog-opd-nama", code, opd.name, name)
            done.append(f"nama: {opd.name} → {name}")
            opd.name = name
        if opd.short_name != short_name:
            audit_catalogue(
                session, now, user, "katalog-opd-singkat", code, opd.short_name, short_name
            )
            done.append(f"nama singkat: {opd.short_name} → {short_name}")
            opd.short_name = short_name
        for v, alias in have.items():
            if v not in wanted:
                opd.aliases.remove(alias)
                audit_catalogue(session, now, user, "katalog-opd-varian-hapus", code, v, None)
                done.append(f"varian dihapus: {v}")
        for v in wanted:
            if v not in have:
                opd.aliases.append(OpdAlias(variant=v))
                audit_catalogue(session, now, user, "katalog-opd-varian", code, None, v)
                done.append(f"varian baru: {v}")
    return done


def add_opd(
    db: Database,
    *,
    name: str,
    short_name: str = "",
    code: str = "",
    variants: Iterable[str] = (),
    user: str = "",
) -> OpdEntry:
    """Add an OPD (code typed, or made from the name when empty); audited, one transaction."""
    name = _clean(name, NAME_MAX, "Nama OPD")
    short_name = _clean(short_name or name[:SHORT_MAX], SHORT_MAX, "Nama singkat")
    wanted = _variants(variants)
    code = code.strip()
    if code and not _CODE.fullmatch(code):
        raise CatalogueError(
            "Kode OPD hanya boleh huruf, angka, titik, titik dua, garis bawah dan tanda "
            "hubung (paling banyak 64); contoh: DINAS-PARIWISATA."
        )
    now = datetime.now().replace(microsecond=0)
    with db.begin() as session:
        taken = set(session.scalars(select(Opd.code)))
        if code and code in taken:
            raise CatalogueError(f"Kode {code} sudah dipakai OPD lain; pilih kode lain.")
        code = code or new_opd_code(short_name, taken)
        checks = [("Nama", name), ("Nama singkat", short_name), ("Kode", code)]
        _check_unique(session, None, checks + [("Varian", v) for v in wanted])
        opd = Opd(code=code, name=name, short_name=short_name)
        opd.aliases = [OpdAlias(variant=v) for v in wanted]
        session.add(opd)
        audit_catalogue(session, now, user, "katalog-opd-baru", code, None, name)
    return OpdEntry(code, name, short_name, 0, tuple(sorted(wanted)))


__all__ = [
    "CatalogueError",
    "OpdEntry",
    "add_opd",
    "audit_catalogue",
    "list_opds",
    "new_opd_code",
    "update_opd",
]
