"""pokja corrections: values Pokja changed on figures from a signed submission

Revision ID: 0008_pokja_corrections
Revises: 0007_matrix_distribution
Create Date: 2026-12-01

A new table only; existing realisations have no correction (nothing to backfill: before
this release a Pokja edit of signed figures left only the audit trail).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_pokja_corrections"
down_revision = "0007_matrix_distribution"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pokja_correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("semester", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("signed_value", sa.Text(), nullable=True),
        sa.Column("corrected_value", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("corrected_at", sa.DateTime(), nullable=False),
        sa.Column("corrected_by", sa.Text(), nullable=False),
        sa.Column("submission_ref", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("ended_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["row_id"],
            ["plan_row.id"],
            name=op.f("fk_pokja_correction_row_id_plan_row"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submission_ref"],
            ["submission.id"],
            name=op.f("fk_pokja_correction_submission_ref_submission"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pokja_correction")),
    )
    with op.batch_alter_table("pokja_correction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pokja_correction_row_id"), ["row_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pokja_correction_active"), ["active"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pokja_correction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pokja_correction_active"))
        batch_op.drop_index(batch_op.f("ix_pokja_correction_row_id"))
    op.drop_table("pokja_correction")
