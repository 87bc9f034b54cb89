"""Pokja sends its current plan as a signed matrix package (docs/matrix-distribution.md).

The package is rebuilt from Pokja's database, so a correction made there travels;
official targets only, never an OPD's proposals. Pokja's region profile and whole OPD
catalogue travel with it (format version 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from app.domain.text_policy import TextError, clean_text
from app.formats import keys
from app.formats.matrix_package import MatrixError, write_matrix
from app.models.db import Database
from app.models.schema import AuditEntry, Plan
from app.services.matrix_region import add_region_and_catalogue
from app.services.matrix_state import plan_data


@dataclass(frozen=True)
class ExportResult:
    path: Path
    plan_code: str
    data_version: str
    rows: int
    key_id: str
    created_at: str


def export_matrix(
    db: Database,
    plan_code: str,
    key: keys.SigningKey,
    out: Path,
    note: str = "",
    *,
    user: str = "",
    now: datetime | None = None,
) -> ExportResult:
    """Write Pokja's current plan as a signed package at ``out`` (replaced only when whole).

    Pokja's own ``plan.data_version`` becomes the package's, so submissions made against
    the distributed matrix and Pokja's database name the same version.
    """
    try:  # the reader applies the same policy: a note it refuses would spoil the package
        note = clean_text(note, 2000)
    except TextError as exc:
        raise MatrixError(f"Catatan paket: {exc}") from None
    created = (now or datetime.now()).replace(microsecond=0)
    with db.begin() as session:
        plan = session.scalar(select(Plan).where(Plan.code == plan_code))
        if plan is None:
            raise MatrixError(f"Rencana {plan_code} tidak ada di basis data ini.")
        data = add_region_and_catalogue(session, plan_data(session, plan))
    if not data["rows"]:
        raise MatrixError(f"Rencana {plan_code} tidak memuat baris; tidak ada yang dikirim.")
    out = Path(out)
    version = write_matrix(out, data, key, note, created)
    with db.begin() as session:
        plan = session.scalars(select(Plan).where(Plan.code == plan_code)).one()
        old = plan.data_version
        plan.data_version = version
        session.add(
            AuditEntry(
                at=datetime.now(),
                user=user,
                action="ekspor-matriks",
                row_key=None,
                year=None,
                field=plan_code[:40],
                old_value=old,
                new_value=version,
            )
        )
    return ExportResult(out, plan_code, version, len(data["rows"]), key.key_id, created.isoformat())


__all__ = ["ExportResult", "export_matrix"]
