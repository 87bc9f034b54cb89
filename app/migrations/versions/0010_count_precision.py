"""count precision: counts keep 15 whole digits on PostgreSQL too

Revision ID: 0010_count_precision
Revises: 0009_row_continuation
Create Date: 2026-12-01

The figure rule (app.domain.numbers) allows whole counts of 15 digits, but NUMERIC(18, 4)
leaves 14 digits before the comma, which PostgreSQL enforces ("numeric field overflow").
SQLite stores every NUMERIC alike and never checks the declared size, so a focal point's
file is left untouched (no table copy for nothing); only a server widens the columns.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_count_precision"
down_revision = "0009_row_continuation"
branch_labels = None
depends_on = None

BREAKDOWN = ("total", "male", "female", "disabled")
COUNTS = {
    "plan_row": ("baseline", "end_target", "share_male", "share_female", "share_disabled"),
    "realisation": BREAKDOWN,
    "target": (*BREAKDOWN, *(f"proposed_{c}" for c in BREAKDOWN)),
}


def _resize(precision: int) -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, columns in COUNTS.items():
        for column in columns:
            op.alter_column(
                table,
                column,
                type_=sa.Numeric(precision=precision, scale=4),
                existing_nullable=True,
            )


def upgrade() -> None:
    _resize(19)


def downgrade() -> None:
    _resize(18)
