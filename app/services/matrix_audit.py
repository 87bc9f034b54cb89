"""How a Pokja correction of the matrix is written into the audit trail, and read back.

The audit table has no reason column, so :mod:`app.services.plan_edit` writes the action
:data:`ACTION` (an undo :data:`UNDO_ACTION`) and the reason after :data:`REASON_MARK` in
``new_value``; the row form and its history read them here. Split from ``plan_edit``,
which re-exports these names, to keep that module about the edits themselves.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.schema import AuditEntry

ACTION = "koreksi-matriks"
UNDO_ACTION = "koreksi-matriks-urung"
REASON_MARK = " — alasan: "


def split_reason(new_value: str | None) -> tuple[str, str]:
    """An audit ``new_value`` of a matrix correction as (value, reason)."""
    text = new_value or ""
    value, _, reason = text.partition(REASON_MARK)
    return value, reason


def corrected_fields(session: Session, row_key: str) -> dict[str, str]:
    """Official values of the row Pokja corrected and did not undo: field (``target:2023``
    for a target) → the line the form shows beside it."""
    out: dict[str, str] = {}
    for a in session.scalars(
        select(AuditEntry)
        .where(AuditEntry.row_key == row_key, AuditEntry.action.in_((ACTION, UNDO_ACTION)))
        .order_by(AuditEntry.id)
    ):
        name = f"target:{a.year}" if a.field == "target" else a.field
        value, reason = split_reason(a.new_value)
        if a.action == UNDO_ACTION:
            out.pop(name, None)
            continue
        out[name] = (
            f"Dikoreksi Pokja: {a.old_value or '–'} → {value}, alasan: {reason}, "
            f"oleh {a.user or '–'}, tanggal {a.at:%d-%m-%Y %H:%M}"
        )
    return out


__all__ = ["ACTION", "REASON_MARK", "UNDO_ACTION", "corrected_fields", "split_reason"]
