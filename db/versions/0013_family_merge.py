"""The register: a family record found to be the same family as another is merged into it (issue 13)

Revision ID: 0013_family_merge
Revises: 0012_accounts

Two family records of one family (two New conference actions made before the register existed, or an import):
the dropped record names the one kept (``merged_into_id``), never deleted, so its id stays findable and the
merge can be undone. A new nullable column and its index: SQLite adds it with ALTER TABLE ADD COLUMN (no
rebuild); the downgrade's rebuild of ``family`` lifts the guards around it (``lifted_for_rebuild``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from chair_app.store.guards import lifted_for_rebuild

# The tables later revisions guard row by row (0010_audience, 0011_continuity): their guards name the conference.
ROW_GUARDED = ("network_link", "sharing_restriction", "audience_mark", "core_group", "core_group_progress")

revision = "0013_family_merge"
down_revision = "0012_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("family") as batch:
        batch.add_column(sa.Column("merged_into_id", sa.Uuid(), nullable=True))
    op.create_index(op.f("ix_family_merged_into_id"), "family", ["merged_into_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_family_merged_into_id"), table_name="family")
    with lifted_for_rebuild(op.get_bind(), ROW_GUARDED):
        with op.batch_alter_table("family") as batch:
            batch.drop_column("merged_into_id")
