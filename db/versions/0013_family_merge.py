"""The register: a family record found to be the same family as another is merged into it (issue 13)

Revision ID: 0013_family_merge
Revises: 0012_accounts

Two family records of one family (two New conference actions made before the register existed, or an import):
the dropped record names the one kept (``merged_into_id``), never deleted, so its id stays findable and the
merge can be undone. A new nullable column and its index: SQLite adds it with ALTER TABLE ADD COLUMN (no
rebuild); the downgrade drops it in place (a rebuild of ``family`` is refused while conferences refer to it).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

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
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # SQLite (3.35 and later) drops a plain column in place. A batch rebuild would drop and re-create
        # ``family``, which the conferences and children refer to (ON DELETE RESTRICT): refused with rows in it.
        op.execute("ALTER TABLE family DROP COLUMN merged_into_id")
    else:
        op.drop_column("family", "merged_into_id")
