"""The journal (append-only), the snapshot a finalised record keeps, and the guards' ways round closed

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from chair_app.store.guards import drop_journal_guards, grant_app_role, install_journal_guards
from chair_app.store.types import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "journal",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uid", sa.Uuid(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("last_at", UTCDateTime(), nullable=False),
        sa.Column("who", sa.Text(), nullable=False),
        sa.Column("device", sa.String(length=36), nullable=False),
        sa.Column("operation", sa.String(length=64), nullable=False),
        sa.Column("conference_id", sa.Uuid(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("typing_key", sa.Text(), nullable=True),
        sa.Column("old_values", sa.Text(), nullable=False),
        sa.Column("new_values", sa.Text(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal")),
        sa.UniqueConstraint("uid", name=op.f("uq_journal_uid")),
    )
    op.create_index(op.f("ix_journal_conference_id"), "journal", ["conference_id"])
    op.create_index("ix_journal_device_closed", "journal", ["device", "closed"])
    op.create_table(
        "record_snapshot",
        sa.Column("conference_id", sa.Uuid(), nullable=False),
        sa.Column("taken_at", UTCDateTime(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("conference_id", name=op.f("pk_record_snapshot")),
    )
    bind = op.get_bind()
    _snapshot_finalised(bind)
    install_journal_guards(bind)
    grant_app_role(bind)  # when the unit's server already has the app's role


def _snapshot_finalised(bind) -> None:
    """Conferences finalised before this revision keep their shared records as they are today.

    Read with reflected tables, not the models, so that this revision still runs when later ones have added
    columns to the models.
    """
    import uuid
    from datetime import UTC, datetime

    from chair_app.store.journal import dumps, encode

    ids = bind.execute(sa.text("SELECT id, family_id FROM conference WHERE record_status = 'finalised'")).all()
    if not ids:
        return
    meta = sa.MetaData()
    t = {
        n: sa.Table(n, meta, autoload_with=bind)
        for n in (
            "family",
            "child",
            "person",
            "plan_history",
            "invitation",
            "recommendation",
            "mapping_item",
            "scale_score",
        )
    }

    def as_json(row) -> dict:
        out = {}
        for key, raw in row._mapping.items():
            value = raw.replace(tzinfo=UTC) if isinstance(raw, datetime) and raw.tzinfo is None else raw
            out[key] = encode(value)
            if key in ("id", "family_id", "child_id", "conference_id") and isinstance(value, str) and len(value) == 32:
                out[key] = str(uuid.UUID(value))  # SQLite keeps 32 hex digits; the snapshot the usual form
        return out

    snapshot = sa.table(
        "record_snapshot",
        sa.column("conference_id"),  # untyped: the id goes back exactly as it was read
        sa.column("taken_at", UTCDateTime()),
        sa.column("document", sa.Text()),
    )
    now = datetime.now(UTC)
    for cid, family_id in ids:
        family = bind.execute(sa.select(t["family"]).where(t["family"].c.id == family_id)).one()
        children = bind.execute(sa.select(t["child"]).where(t["child"].c.family_id == family_id)).all()
        child_ids = [c.id for c in children]
        person_ids = set()
        for name, col in (
            ("invitation", "person_id"),
            ("recommendation", "person_id"),
            ("mapping_item", "said_by"),
            ("scale_score", "person_id"),
        ):
            person_ids |= set(bind.execute(sa.select(t[name].c[col]).where(t[name].c.conference_id == cid)).scalars())
        person_ids.discard(None)
        people = bind.execute(sa.select(t["person"]).where(t["person"].c.id.in_(person_ids))).all()
        plans = bind.execute(sa.select(t["plan_history"]).where(t["plan_history"].c.child_id.in_(child_ids))).all()
        document = {
            "family": as_json(family),
            "children": sorted((as_json(r) for r in children), key=lambda d: d["id"]),
            "people": sorted((as_json(r) for r in people), key=lambda d: d["id"]),
            "plan_history": sorted((as_json(r) for r in plans), key=lambda d: d["id"]),
        }
        bind.execute(
            sa.insert(snapshot).values(
                conference_id=cid,
                taken_at=now,
                document=dumps(document),
            )
        )


def downgrade() -> None:
    bind = op.get_bind()
    drop_journal_guards(bind)
    op.drop_table("record_snapshot")
    op.drop_index("ix_journal_device_closed", table_name="journal")
    op.drop_index(op.f("ix_journal_conference_id"), table_name="journal")
    op.drop_table("journal")
