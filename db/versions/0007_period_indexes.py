"""Indexes for costs that grow with the work, not the archive: a period's plans found by their dates

Revision ID: 0007
Revises: 0006

A report reads the plans open during its period, started or ended in it; without these indexes that is a
scan of every plan ever recorded. Only indexes: no table is rebuilt, so the finalised guards stay as they are.
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_plan_history_started_on", "plan_history", ["started_on"])
    op.create_index("ix_plan_history_ended_on", "plan_history", ["ended_on"])


def downgrade() -> None:
    op.drop_index("ix_plan_history_ended_on", table_name="plan_history")
    op.drop_index("ix_plan_history_started_on", table_name="plan_history")
