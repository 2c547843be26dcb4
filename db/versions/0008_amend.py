"""An amendment may correct one field of a finalised record: which record, which field, before and after

Revision ID: 0008_amend
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_amend"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # New columns only: SQLite adds them with ALTER TABLE ADD COLUMN (no rebuild), so the guards on amendment
    # (revision 0004: a finalised record's amendments are appended, never changed) stay in place. Amendments
    # already stored are notes: every new column empty.
    with op.batch_alter_table("amendment") as batch:
        batch.add_column(sa.Column("record_kind", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("record_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("field_name", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("old_value", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("new_value", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("amendment") as batch:
        batch.drop_column("new_value")
        batch.drop_column("old_value")
        batch.drop_column("field_name")
        batch.drop_column("record_id")
        batch.drop_column("record_kind")
