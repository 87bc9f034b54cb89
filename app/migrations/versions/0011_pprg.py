"""pprg: GAP and GBS documents and their reviews

Revision ID: 0011_pprg
Revises: 0010_count_precision
Create Date: 2026-12-01

Two new tables only: no PPRG document existed before this release (nothing to backfill).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_pprg"
down_revision = "0010_count_precision"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pprg_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=3), nullable=False),
        sa.Column("node_key", sa.String(length=64), nullable=False),
        sa.Column("opd_code", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column("submission_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pprg_document")),
        sa.UniqueConstraint(
            "kind", "node_key", "year", "origin", name=op.f("uq_pprg_document_kind")
        ),
    )
    with op.batch_alter_table("pprg_document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pprg_document_node_key"), ["node_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_pprg_document_opd_code"), ["opd_code"], unique=False)
    op.create_table(
        "pprg_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=3), nullable=False),
        sa.Column("node_key", sa.String(length=64), nullable=False),
        sa.Column("opd_code", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("remarks", sa.Text(), nullable=False),
        sa.Column("reviewer", sa.Text(), nullable=False),
        sa.Column("reviewer_role", sa.String(length=20), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=True),
        sa.Column("review_file_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pprg_review")),
    )
    with op.batch_alter_table("pprg_review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pprg_review_node_key"), ["node_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_pprg_review_opd_code"), ["opd_code"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pprg_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pprg_review_opd_code"))
        batch_op.drop_index(batch_op.f("ix_pprg_review_node_key"))
    op.drop_table("pprg_review")
    with op.batch_alter_table("pprg_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pprg_document_opd_code"))
        batch_op.drop_index(batch_op.f("ix_pprg_document_node_key"))
    op.drop_table("pprg_document")
