"""board indexes: the completeness board counts rows in force and ARG classes from indexes

Revision ID: 0014_board_indexes
Revises: 0013_scale_indexes
Create Date: 2026-12-01

The completeness board reads, on every build, each OPD's rows in force (``retired_at``
beside the plan and OPD) and each ARG instrument's answers (``answer`` beside the unique
key's columns). Over a province (32,000 rows, 24,000 answers) both had to visit every
table row behind their index; with the column in the index they are counted from the
index alone. The plan-row index replaces the narrower one of migration 0013 (its columns
are the new one's first two, so the importer's lookup by plan and OPD is served the
same). Plain B-trees, made the same way on SQLite and PostgreSQL.
"""

from __future__ import annotations

from alembic import op

revision = "0014_board_indexes"
down_revision = "0013_scale_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_plan_row_in_force", "plan_row", ["plan_id", "opd_id", "retired_at"])
    op.drop_index("ix_plan_row_plan_id_opd_id", table_name="plan_row")
    op.create_index(
        "ix_arg_answer_classes",
        "arg_answer",
        ["node_id", "year", "qset_version", "question_id", "answer"],
    )


def downgrade() -> None:
    op.drop_index("ix_arg_answer_classes", table_name="arg_answer")
    op.create_index("ix_plan_row_plan_id_opd_id", "plan_row", ["plan_id", "opd_id"])
    op.drop_index("ix_plan_row_in_force", table_name="plan_row")
