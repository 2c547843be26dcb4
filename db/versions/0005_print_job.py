"""How a document left the app: the print queue, the job's id and the pages sent (or saved)

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # New columns only: SQLite adds them with ALTER TABLE ADD COLUMN (no rebuild), so the guards on
    # document_record (revision 0004: a finalised record's documents are append-only) stay in place.
    with op.batch_alter_table("document_record") as batch:
        batch.add_column(sa.Column("queue", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("job_id", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("pages", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("document_record") as batch:
        batch.drop_column("pages")
        batch.drop_column("job_id")
        batch.drop_column("queue")
