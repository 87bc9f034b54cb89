"""Where a plan row stands: its program / kegiatan / sub kegiatan and whether it is retired.

Read by the row form and the matrix-correction dialog; kept apart from ``plan_edit``,
which changes the plan, so that module stays about edits.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.formats.plan_data import OPD_LEVELS
from app.models.schema import PlanNode, PlanRow
from app.services.concurrency import Seen, version_of


def row_nodes(session: Session, row_id: int) -> dict[str, tuple[int, str]]:
    """The row's program / kegiatan / sub kegiatan: level → (node id, name)."""
    out: dict[str, tuple[int, str]] = {}
    nid = session.scalar(select(PlanRow.node_id).where(PlanRow.id == row_id))
    while nid is not None:
        node = session.get(PlanNode, nid)
        if node is None:
            break
        if node.level in OPD_LEVELS:
            out[node.level] = (node.id, node.name)
        nid = node.parent_id
    return out


def is_retired(session: Session, row_id: int) -> bool:
    return session.scalar(select(PlanRow.retired_at).where(PlanRow.id == row_id)) is not None


def row_seen(session: Session, row_id: int) -> Seen:
    """The version of a row's official texts a correction dialog is about to show."""
    return Seen(version_of(session.get(PlanRow, row_id)))


__all__ = ["is_retired", "row_nodes", "row_seen"]
