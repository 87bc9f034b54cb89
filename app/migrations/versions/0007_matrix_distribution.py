"""matrix distribution: retired plan rows and the log of applied matrix packages

Revision ID: 0007_matrix_distribution
Revises: 0006_submission_content
Create Date: 2026-11-30

Existing rows stay current (``retired_at`` NULL); nothing else is touched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_matrix_distribution"
down_revision = "0006_submission_content"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plan_row", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retired_at", sa.DateTime(), nullable=True))
    op.create_table(
        "matrix_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_code", sa.String(length=64), nullable=False),
        sa.Column("data_version", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
        sa.Column("applied_by", sa.Text(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matrix_update")),
    )
    op.create_index(
        op.f("ix_matrix_update_plan_code"), "matrix_update", ["plan_code"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_matrix_update_plan_code"), table_name="matrix_update")
    op.drop_table("matrix_update")
    with op.batch_alter_table("plan_row", schema=None) as batch_op:
        batch_op.drop_column("retired_at")
