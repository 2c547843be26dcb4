"""The CIN referral that began the episode: date and source, for the CIN census export

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from chair_app.store.guards import drop_finalised_guards, install_finalised_guards

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# As in 0001: the guards have to be lifted while SQLite rebuilds the conference table.
FROZEN_TABLES = (
    "invitation",
    "conference_child",
    "mapping_item",
    "danger_goal_pair",
    "scale_score",
    "recommendation",
    "decision",
    "plan_action",
    "delay_reason",
)


def upgrade() -> None:
    with op.batch_alter_table("conference") as batch:
        batch.add_column(sa.Column("cin_referral_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("referral_source", sa.String(length=4), nullable=False, server_default=""))


def downgrade() -> None:
    bind = op.get_bind()
    drop_finalised_guards(bind, FROZEN_TABLES)  # SQLite copies the table to drop a column
    with op.batch_alter_table("conference") as batch:
        batch.drop_column("referral_source")
        batch.drop_column("cin_referral_date")
    install_finalised_guards(bind, FROZEN_TABLES)
