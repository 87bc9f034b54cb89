"""row versions: optimistic concurrency for what two people can edit at once

Revision ID: 0012_row_versions
Revises: 0011_pprg
Create Date: 2026-12-01

Two Pokja members on one server (issue 14): each table a person edits through a form,
or an import flips, gets ``version`` (the ORM's ``version_id_col``: an UPDATE that finds
another version raises instead of overwriting). Existing rows get version 1. Where the
table cannot say who changed it last, ``updated_at``/``updated_by`` come too (NULL for
rows from before), so the refusal can name the other person:
- realisation, arg_answer, pprg_document: version only (they keep who/when already);
- target: proposals are withdrawn by clearing ``proposed_by``, and Pokja edits the plan
  target itself (plan_edit), so it gets its own who/when;
- plan_row: plan text edits (plan_edit) had no who/when on the row;
- setting: the region profile is several keys saved together; who/when per key;
- submission: the ``current`` flag two imports may flip; its ``received_at`` is the when,
  and no person edits it in a form, so version only;
- pokja_correction: ended (``active`` False) by a later correction or import; version only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_row_versions"
down_revision = "0011_pprg"
branch_labels = None
depends_on = None

VERSIONED = (
    "realisation",
    "target",
    "arg_answer",
    "submission",
    "pokja_correction",
    "plan_row",
    "pprg_document",
    "setting",
)
WHO_WHEN = ("target", "plan_row", "setting")


def upgrade() -> None:
    # Plain ADD COLUMN on both engines: SQLite adds a NOT NULL column with a constant
    # default in place, while batch mode would copy each table and DROP the old one,
    # which with foreign keys on cascades into the rows that point at it (plan_row's
    # targets and realisations would be deleted).
    for table in VERSIONED:
        op.add_column(
            table, sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False)
        )
        if table in WHO_WHEN:
            op.add_column(table, sa.Column("updated_at", sa.DateTime(), nullable=True))
            op.add_column(table, sa.Column("updated_by", sa.Text(), nullable=True))


def downgrade() -> None:
    # SQLite drops a plain column in place too (3.35+), without the cascading table copy.
    for table in reversed(VERSIONED):
        if table in WHO_WHEN:
            op.drop_column(table, "updated_by")
            op.drop_column(table, "updated_at")
        op.drop_column(table, "version")
