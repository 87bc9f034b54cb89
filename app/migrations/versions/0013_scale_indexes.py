"""scale indexes: an imported file finds its OPD's rows and its key without a scan

Revision ID: 0013_scale_indexes
Revises: 0012_row_versions
Create Date: 2026-12-01

A province's Pokja database holds 1,254 OPDs over one plan of 32,000 rows
(bench/bench_province.py). Every imported file asks for its OPD's rows of the plan
(``plan_id`` and ``opd_id``): with one index per column SQLite walks every row of the
plan through ``ix_plan_row_plan_id``, so each file cost more as the plan grew. And every
file asks whether its signing key is pinned for another OPD, by the public key, which
had no index at all. The completeness board counts the filled rows (``total`` set) of
every OPD and year: with ``total`` in an index beside the row, year and semester, SQLite
counts them from the index without visiting 96,000 table rows. All three are plain
B-trees, made the same way on SQLite and PostgreSQL; nothing else changes.
"""

from __future__ import annotations

from alembic import op

revision = "0013_scale_indexes"
down_revision = "0012_row_versions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_plan_row_plan_id_opd_id", "plan_row", ["plan_id", "opd_id"])
    op.create_index("ix_pinned_key_public_key", "pinned_key", ["public_key"])
    op.create_index("ix_realisation_filled", "realisation", ["row_id", "year", "semester", "total"])


def downgrade() -> None:
    op.drop_index("ix_realisation_filled", table_name="realisation")
    op.drop_index("ix_pinned_key_public_key", table_name="pinned_key")
    op.drop_index("ix_plan_row_plan_id_opd_id", table_name="plan_row")
