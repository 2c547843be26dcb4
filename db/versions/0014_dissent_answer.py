"""The senior chair's answer to an escalated dissent: what they decided, who answered, and the day

Revision ID: 0014_dissent_answer
Revises: 0013_family_merge

An escalated dissent had a clock (the day its answer is due) and nowhere to put the answer. Three plain columns
on ``decision``: SQLite adds them with ALTER TABLE ADD COLUMN (no rebuild, so the finalised guards on decision
stay in place), and the downgrade drops them in place (store/guards.drop_columns_in_place).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from chair_app.store.guards import drop_columns_in_place

revision = "0014_dissent_answer"
down_revision = "0013_family_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("decision", sa.Column("dissent_answer", sa.Text(), nullable=False, server_default=""))
    op.add_column("decision", sa.Column("dissent_answered_by", sa.Text(), nullable=False, server_default=""))
    op.add_column("decision", sa.Column("dissent_answered_on", sa.Date(), nullable=True))


def downgrade() -> None:
    drop_columns_in_place("decision", "dissent_answered_on", "dissent_answered_by", "dissent_answer")
