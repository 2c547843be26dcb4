"""How a document left the app: the print queue, the job's id and the pages sent (or saved)

Revision ID: 0004_present
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_present"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # document_record is not a guarded table (a finalised record may still be printed), so no guards to lift.
    with op.batch_alter_table("document_record") as batch:
        batch.add_column(sa.Column("queue", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("job_id", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("pages", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("document_record") as batch:
        batch.drop_column("pages")
        batch.drop_column("job_id")
        batch.drop_column("queue")
