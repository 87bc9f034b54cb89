"""The plan tree's top level before its rows are read: each OPD with its row counts.

A window showing 100,000 rows paints its OPDs first and reads an OPD's rows only when
it is opened (``ui.plan_model``). One grouped query gives what the top level shows,
"filled of rows" per OPD, counted by the same rules as the listing
(``catalog.shown_rows``) and as completeness (``catalog.filled_rows``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from app.models.schema import Opd, PlanRow, Realisation
from app.services.catalog import shown_rows


@dataclass(frozen=True, slots=True)
class OpdCount:
    """One OPD of the tree's top level."""

    opd_id: int
    code: str
    name: str  # the short name, as the tree labels the OPD
    rows: int
    filled: int  # rows with the year's realisation figure


def opd_outline(
    session: Session,
    plan_id: int,
    year: int,
    opd_id: int | None = None,
    *,
    all_retired: bool = False,
) -> list[OpdCount]:
    """Every OPD with rows in the listing (``load_rows`` with the same arguments)."""
    # One realisation per row, year and semester (a unique constraint): counting the
    # joined ids counts filled rows.
    filled = and_(
        Realisation.row_id == PlanRow.id,
        Realisation.year == year,
        Realisation.semester == 0,
        Realisation.total.is_not(None),
    )
    stmt = shown_rows(
        select(
            PlanRow.opd_id,
            Opd.code,
            Opd.short_name,
            func.count(PlanRow.id),
            func.count(Realisation.id),
        )
        .join(Opd, Opd.id == PlanRow.opd_id)
        .outerjoin(Realisation, filled)
        .group_by(PlanRow.opd_id, Opd.code, Opd.short_name),
        plan_id,
        opd_id,
        all_retired=all_retired,
    )
    return [OpdCount(*found) for found in session.connection().execute(stmt)]
