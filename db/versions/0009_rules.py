"""The service's own rules (issue 20): a stood-down conference's new date and interim arrangement, each family
member's views apart from recommendations, dissent within an agency, the secondary category and its reason

Revision ID: 0009_rules
Revises: 0008_amend
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from chair_app.store.guards import drop_columns_in_place, lifted_for_rebuild

revision = "0009_rules"
down_revision = "0008_amend"
branch_labels = None
depends_on = None

CATEGORIES = ("NEG", "PHY", "EMO", "SAB", "MUL")


def upgrade() -> None:
    # SQLite adds plain columns with ALTER TABLE ADD COLUMN, but a column with a CHECK constraint (the secondary
    # category) makes batch mode copy the decision table, which would lose its triggers: the guards are lifted
    # around the change and installed again after, as store/guards.py asks.
    with lifted_for_rebuild(op.get_bind()):
        with op.batch_alter_table("conference") as batch:
            batch.add_column(sa.Column("reconvene_on", sa.Date(), nullable=True))
            batch.add_column(sa.Column("interim_arrangement", sa.Text(), nullable=False, server_default=""))
        with op.batch_alter_table("invitation") as batch:
            batch.add_column(sa.Column("views", sa.Text(), nullable=False, server_default=""))
        with op.batch_alter_table("recommendation") as batch:
            batch.add_column(sa.Column("dissent", sa.Text(), nullable=False, server_default=""))
        with op.batch_alter_table("decision") as batch:
            batch.add_column(
                sa.Column(
                    "secondary_category",
                    sa.Enum(
                        *CATEGORIES, name="secondary_category", native_enum=False, create_constraint=True, length=32
                    ),
                    nullable=True,
                )
            )
            batch.add_column(sa.Column("category_reason", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    # The secondary category has a CHECK constraint: SQLite rebuilds decision for it, which no table refers to.
    with lifted_for_rebuild(op.get_bind()):
        with op.batch_alter_table("decision") as batch:
            batch.drop_column("category_reason")
            batch.drop_constraint("secondary_category", type_="check")
            batch.drop_column("secondary_category")
    # The rest in place: a rebuilt conference would take every row that refers to it (drop_columns_in_place).
    drop_columns_in_place("recommendation", "dissent")
    drop_columns_in_place("invitation", "views")
    drop_columns_in_place("conference", "interim_arrangement", "reconvene_on")
