"""A child's decision as drafted before it is recorded, so a crash never loses the chair's reasons

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from chair_app.store.guards import drop_finalised_guards, install_finalised_guards

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# As in 0001 and 0002: the guards are lifted while SQLite rebuilds a guarded table.
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
    with op.batch_alter_table("conference_child") as batch:
        batch.add_column(sa.Column("decision_draft", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    bind = op.get_bind()
    drop_finalised_guards(bind, FROZEN_TABLES)  # SQLite copies the table to drop a column
    with op.batch_alter_table("conference_child") as batch:
        batch.drop_column("decision_draft")
    install_finalised_guards(bind, FROZEN_TABLES)
