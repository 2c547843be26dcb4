"""The CIN referral that began the episode: date and source, for the CIN census export

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from chair_app.store.guards import drop_columns_in_place

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conference") as batch:
        batch.add_column(sa.Column("cin_referral_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("referral_source", sa.String(length=4), nullable=False, server_default=""))


def downgrade() -> None:
    # In place: a rebuilt conference would take every row that refers to it (store/guards.drop_columns_in_place).
    drop_columns_in_place("conference", "referral_source", "cin_referral_date")
