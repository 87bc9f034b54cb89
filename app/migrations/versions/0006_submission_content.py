"""keep each received submission's content, so revisions can be compared

Revision ID: 0006_submission_content
Revises: 0005_row_links
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_submission_content"
down_revision = "0005_row_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: submissions received before this revision have no stored content and
    # simply cannot be compared.
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_column("content")
