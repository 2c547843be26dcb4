"""Continuity: the stood-down meeting a conference was rearranged from; a child merged into another record

Revision ID: 0011_continuity
Revises: 0010_audience

A stood-down meeting and the conference held instead are one conference (the annual report counts it once,
in the period it was held): the held one carries the link. A soft reference, like previous_conference_id:
the stood-down meeting may live on another laptop.

The register: a child record found to be the same child as another is merged into it (``merged_into_id``),
never deleted, so that finalised records still name it and the merge can be undone; the child's date of birth
and local child ID are indexed for the look-up a new conference and an import make.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from chair_app.store.guards import drop_columns_in_place, drop_row_guards, grant_app_role, install_row_guards
from chair_app.store.types import UTCDateTime

CORE_GROUP_ROWS = ("core_group", "core_group_progress")


def _record_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    ]


revision = "0011_continuity"
down_revision = "0010_audience"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new nullable column and an index: SQLite adds the column with ALTER TABLE ADD COLUMN (no rebuild),
    # so the guards on conference stay in place.
    with op.batch_alter_table("conference") as batch:
        batch.add_column(sa.Column("rearranged_from_id", sa.Uuid(), nullable=True))
    op.create_index(op.f("ix_conference_rearranged_from_id"), "conference", ["rearranged_from_id"])
    # The register: a child merged into another record of the same child, and the look-ups that find them.
    with op.batch_alter_table("child") as batch:
        batch.add_column(sa.Column("merged_into_id", sa.Uuid(), nullable=True))
    op.create_index(op.f("ix_child_merged_into_id"), "child", ["merged_into_id"])
    op.create_index(op.f("ix_child_date_of_birth"), "child", ["date_of_birth"])
    op.create_index(op.f("ix_child_expected_date_of_birth"), "child", ["expected_date_of_birth"])
    op.create_index(op.f("ix_child_local_child_id"), "child", ["local_child_id"])
    # The review's map and plan start from the last ones: what each item, pair and action continues.
    with op.batch_alter_table("mapping_item") as batch:
        batch.add_column(sa.Column("carried_from_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("earlier_text", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("last_time", sa.String(length=16), nullable=False, server_default=""))
    with op.batch_alter_table("danger_goal_pair") as batch:
        batch.add_column(sa.Column("carried_from_id", sa.Uuid(), nullable=True))
    op.create_index(op.f("ix_danger_goal_pair_carried_from_id"), "danger_goal_pair", ["carried_from_id"])
    with op.batch_alter_table("plan_action") as batch:
        batch.add_column(sa.Column("carried_from_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("progress", sa.String(length=16), nullable=False, server_default=""))
        batch.add_column(sa.Column("progress_note", sa.Text(), nullable=False, server_default=""))
    # Core groups, recorded on the review they report to, guarded with it.
    op.create_table(
        "core_group",
        sa.Column("conference_id", sa.Uuid(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("who_came", sa.Text(), nullable=False),
        sa.Column("concerns", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["conference_id"],
            ["conference.id"],
            name=op.f("fk_core_group_conference_id_conference"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_group")),
    )
    op.create_index(op.f("ix_core_group_conference_id"), "core_group", ["conference_id"])
    op.create_table(
        "core_group_progress",
        sa.Column("conference_id", sa.Uuid(), nullable=False),
        sa.Column("core_group_id", sa.Uuid(), nullable=False),
        sa.Column("action_id", sa.Uuid(), nullable=False),
        sa.Column("progress", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["conference_id"],
            ["conference.id"],
            name=op.f("fk_core_group_progress_conference_id_conference"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["core_group_id"],
            ["core_group.id"],
            name=op.f("fk_core_group_progress_core_group_id_core_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["plan_action.id"],
            name=op.f("fk_core_group_progress_action_id_plan_action"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_group_progress")),
    )
    for column in ("conference_id", "core_group_id", "action_id"):
        op.create_index(op.f(f"ix_core_group_progress_{column}"), "core_group_progress", [column])
    bind = op.get_bind()
    install_row_guards(bind, CORE_GROUP_ROWS)
    grant_app_role(bind)  # when the unit's server already has the app's role


def downgrade() -> None:
    bind = op.get_bind()
    drop_row_guards(bind, CORE_GROUP_ROWS)
    op.drop_table("core_group_progress")
    op.drop_table("core_group")
    for name in ("local_child_id", "expected_date_of_birth", "date_of_birth", "merged_into_id"):
        op.drop_index(op.f(f"ix_child_{name}"), table_name="child")
    op.drop_index(op.f("ix_conference_rearranged_from_id"), table_name="conference")
    op.drop_index(op.f("ix_danger_goal_pair_carried_from_id"), table_name="danger_goal_pair")
    # In place, never by a rebuild: the others refer to conference, child, danger_goal_pair and plan_action.
    for table, columns in (
        ("plan_action", ("progress_note", "progress", "carried_from_id")),
        ("danger_goal_pair", ("carried_from_id",)),
        ("mapping_item", ("last_time", "earlier_text", "carried_from_id")),
        ("conference", ("rearranged_from_id",)),
        ("child", ("merged_into_id",)),
    ):
        drop_columns_in_place(table, *columns)
