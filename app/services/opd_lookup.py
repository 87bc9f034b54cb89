"""Finding an OPD by whatever a person or a file calls it (code, name, short name,
a spelling seen in documents), at the scale of a province's thousand-odd OPDs.

Split from :mod:`app.services.catalog`, which re-exports :func:`find_opd` for its many
callers.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, LargeBinary, cast, func, or_, select, union_all
from sqlalchemy.orm import Session

from app.models.schema import Opd, OpdAlias


def find_opd(session: Session, text: str) -> Opd:
    """An OPD by code, canonical name, short name or any known spelling.

    The match is the one it always was: the typed text, trimmed, equal to one of those
    names when both are case-folded; when two OPDs answer to it, the first one made (the
    lowest id). A province holds over a thousand OPDs, so the database narrows the names
    to compare instead of every OPD and its aliases being loaded per call: an ASCII name
    is compared lowercased in SQL (for ASCII that is exactly ``casefold``), and the
    rare name with other characters (``ß`` folds to ``ss``, SQLite's ``lower`` leaves
    non-ASCII alone) is always fetched and folded here.
    """
    needle = text.strip().casefold()
    names = union_all(
        select(Opd.id.label("opd_id"), Opd.code.label("name")),
        select(Opd.id, Opd.name),
        select(Opd.id, Opd.short_name),
        select(OpdAlias.opd_id, OpdAlias.variant),
    ).subquery()
    wanted = _non_ascii(session, names.c.name)
    if needle.isascii():  # a non-ASCII needle can only equal a non-ASCII name folded
        wanted = or_(func.lower(names.c.name) == needle, wanted)
    found = session.execute(select(names.c.opd_id, names.c.name).where(wanted)).all()
    ids = [oid for oid, name in found if name.casefold() == needle]
    opd = session.get(Opd, min(ids)) if ids else None
    if opd is None:
        raise LookupError(f"Perangkat Daerah tidak dikenal: {text}")
    return opd


def _non_ascii(session: Session, column: ColumnElement[str]) -> ColumnElement[bool]:
    """``column`` holds a character outside ASCII (more bytes than characters)."""
    if session.get_bind().dialect.name == "sqlite":  # no octet_length before SQLite 3.43
        return func.length(column) != func.length(cast(column, LargeBinary))
    return func.char_length(column) != func.octet_length(column)


__all__ = ["find_opd"]
