"""Accounts: who may sign in, with which roles; a second person's agreement on a decision (issue 14)

Revision ID: 0012_accounts
Revises: 0011_continuity

A new table only; no guarded table is rebuilt. The app's PostgreSQL role is granted what it needs on it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from chair_app.store.guards import grant_app_role, lifted_for_rebuild
from chair_app.store.types import UTCDateTime

# The tables later revisions guard row by row (0010_audience, 0011_continuity): their guards name the conference.
ROW_GUARDED = ("network_link", "sharing_restriction", "audience_mark", "core_group", "core_group_progress")

revision = "0012_accounts"
down_revision = "0011_continuity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.Text(), nullable=False),
        sa.Column("roles", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint("name", name=op.f("uq_account_name")),
    )
    # A second person's agreement on a decision: new columns only, so SQLite adds them with ALTER TABLE ADD COLUMN
    # (no rebuild) and the finalised guards on decision stay in place.
    with op.batch_alter_table("decision") as batch:
        batch.add_column(sa.Column("agreed_by", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("agreed_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("agreed_outcome", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("dissent_by", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("dissent_route", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("dissent_raised_on", sa.Date(), nullable=True))
    grant_app_role(op.get_bind())


def downgrade() -> None:
    # SQLite copies the decision table to drop a column: the guards (which name the tables) are lifted around it.
    with lifted_for_rebuild(op.get_bind(), ROW_GUARDED):
        with op.batch_alter_table("decision") as batch:
            batch.drop_column("dissent_raised_on")
            batch.drop_column("dissent_route")
            batch.drop_column("dissent_by")
            batch.drop_column("agreed_outcome")
            batch.drop_column("agreed_on")
            batch.drop_column("agreed_by")
    op.drop_table("account")
