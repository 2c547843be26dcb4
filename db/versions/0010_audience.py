"""The family network, what is not to be shared with whom, and who may read each written thing (issue 12)

Revision ID: 0010_audience
Revises: 0009_rules

Three new tables, each owned by a conference and guarded with it like the record's other rows: a finalised
record's network, restrictions and audience marks never change, so its copies can always be made again as
they were released.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from chair_app.store.guards import drop_row_guards, grant_app_role, install_row_guards

revision = "0010_audience"
down_revision = "0009_rules"
branch_labels = None
depends_on = None

TABLES = ("network_link", "sharing_restriction", "audience_mark")


def _record_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def _conference(table: str) -> list:
    return [
        sa.Column("conference_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conference_id"], ["conference.id"], name=f"fk_{table}_conference_id_conference", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    ]


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    op.create_table(
        "network_link",
        *_conference("network_link"),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column(
            "relationship",
            _enum(
                "relationship",
                "parent_with_pr",
                "parent_without_pr",
                "carer",
                "household_member",
                "relative",
                "friend",
            ),
            nullable=False,
        ),
        sa.Column("lives_with", sa.Boolean(), nullable=False),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name="fk_network_link_person_id_person", ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(["child_id"], ["child.id"], name="fk_network_link_child_id_child", ondelete="RESTRICT"),
    )
    op.create_table(
        "sharing_restriction",
        *_conference("sharing_restriction"),
        sa.Column("about_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["about_id"], ["person.id"], name="fk_sharing_restriction_about_id_person", ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name="fk_sharing_restriction_person_id_person", ondelete="RESTRICT"
        ),
    )
    op.create_table(
        "audience_mark",
        *_conference("audience_mark"),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("part", sa.String(64), nullable=False),
        sa.Column("audience", _enum("audience", "professionals", "except", "excluded_part"), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("restriction_id", sa.Uuid(), nullable=True),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name="fk_audience_mark_person_id_person", ondelete="SET NULL"
        ),
    )
    for table, columns in (
        ("network_link", ("conference_id", "person_id", "child_id")),
        ("sharing_restriction", ("conference_id", "about_id", "person_id")),
        ("audience_mark", ("conference_id", "subject_id")),
    ):
        for column in columns:
            op.create_index(f"ix_{table}_{column}", table, [column])
    bind = op.get_bind()
    install_row_guards(bind, TABLES)
    grant_app_role(bind)


def downgrade() -> None:
    drop_row_guards(op.get_bind(), TABLES)
    for table in reversed(TABLES):
        op.drop_table(table)
