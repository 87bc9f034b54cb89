"""row continuation: a row continues a row of the previous period

Revision ID: 0009_row_continuation
Revises: 0008_pokja_corrections
Create Date: 2026-12-01

A new table only: no row continued another before this release (nothing to backfill).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_row_continuation"
down_revision = "0008_pokja_corrections"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "row_continuation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("previous_row_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["previous_row_id"],
            ["plan_row.id"],
            name=op.f("fk_row_continuation_previous_row_id_plan_row"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["row_id"],
            ["plan_row.id"],
            name=op.f("fk_row_continuation_row_id_plan_row"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_row_continuation")),
        sa.UniqueConstraint("row_id", name=op.f("uq_row_continuation_row_id")),
    )
    with op.batch_alter_table("row_continuation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_row_continuation_previous_row_id"), ["previous_row_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("row_continuation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_row_continuation_previous_row_id"))
    op.drop_table("row_continuation")
