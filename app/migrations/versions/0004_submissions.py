"""submissions: pinned OPD keys, submissions received and the import log

Revision ID: 0004_submissions
Revises: 0003_renstra
Create Date: 2026-11-29

New tables only; existing data is untouched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_submissions"
down_revision = "0003_renstra"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pinned_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opd_code", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("pinned_at", sa.DateTime(), nullable=False),
        sa.Column("pinned_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pinned_key")),
        sa.UniqueConstraint("opd_code", "key_id", name=op.f("uq_pinned_key_opd_code")),
    )
    op.create_index(op.f("ix_pinned_key_opd_code"), "pinned_key", ["opd_code"], unique=False)
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.String(length=36), nullable=False),
        sa.Column("opd_code", sa.String(length=64), nullable=False),
        sa.Column("plan_code", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("signature_state", sa.String(length=12), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=True),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission")),
    )
    op.create_index(
        op.f("ix_submission_submission_id"), "submission", ["submission_id"], unique=False
    )
    op.create_index(op.f("ix_submission_opd_code"), "submission", ["opd_code"], unique=False)
    op.create_index(
        op.f("ix_submission_content_hash"), "submission", ["content_hash"], unique=False
    )
    op.create_table(
        "import_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("opd_code", sa.String(length=64), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("submission_id", sa.String(length=36), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_log")),
    )
    op.create_index(op.f("ix_import_log_at"), "import_log", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_import_log_at"), table_name="import_log")
    op.drop_table("import_log")
    op.drop_index(op.f("ix_submission_content_hash"), table_name="submission")
    op.drop_index(op.f("ix_submission_opd_code"), table_name="submission")
    op.drop_index(op.f("ix_submission_submission_id"), table_name="submission")
    op.drop_table("submission")
    op.drop_index(op.f("ix_pinned_key_opd_code"), table_name="pinned_key")
    op.drop_table("pinned_key")
