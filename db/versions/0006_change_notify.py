"""A unit server tells every open Chair when a conference changes (PostgreSQL LISTEN/NOTIFY)

Revision ID: 0006
Revises: 0005

Every edit to a conference's record touches the conference row (its version counts every edit), and imports
write the row too, so a trigger on that table covers every change to a record; two more cover the names the
conference list shows (family, children). They send on the channel ``chair_changes`` inside the writing
transaction: listeners hear of a change when, and only if, it commits.
SQLite has no such channel; there the window polls the database's change counter (services/changes.py).
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

CHANNEL = "chair_changes"

# The payload: "<conference id>" for a change to that conference's record; "<conference id> list" when the
# change also alters what the conference list shows (date, time, meeting, chair, status, family); "* list"
# for a family renamed or a child added, renamed or removed (the list shows their names). A window showing
# the list reads it again only for "list" payloads, so twenty people typing into their maps cost the list
# nothing. Identical payloads sent in one transaction reach listeners once (PostgreSQL folds them).
LISTED = ("held_on", "start_time", "kind", "chair", "status", "record_status", "family_id")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    new = ", ".join(f"NEW.{c}" for c in LISTED)
    old = ", ".join(f"OLD.{c}" for c in LISTED)
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION chair_notify_conference() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                PERFORM pg_notify('{CHANNEL}', OLD.id::text || ' list');
            ELSIF TG_OP = 'INSERT' OR ROW({new}) IS DISTINCT FROM ROW({old}) THEN
                PERFORM pg_notify('{CHANNEL}', NEW.id::text || ' list');
            ELSE
                PERFORM pg_notify('{CHANNEL}', NEW.id::text);
            END IF;
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION chair_notify_names() RETURNS trigger AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', '* list');
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        "CREATE TRIGGER chair_notify_conference AFTER INSERT OR UPDATE OR DELETE ON conference "
        "FOR EACH ROW EXECUTE PROCEDURE chair_notify_conference()"
    )
    op.execute(
        "CREATE TRIGGER chair_notify_family AFTER UPDATE ON family FOR EACH ROW "
        "WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE PROCEDURE chair_notify_names()"
    )
    op.execute(
        "CREATE TRIGGER chair_notify_child_names AFTER UPDATE ON child FOR EACH ROW "
        "WHEN (ROW(OLD.forename, OLD.surname, OLD.family_id) IS DISTINCT FROM ROW(NEW.forename, NEW.surname, "
        "NEW.family_id)) EXECUTE PROCEDURE chair_notify_names()"
    )
    op.execute(
        "CREATE TRIGGER chair_notify_children AFTER INSERT OR DELETE ON child "
        "FOR EACH STATEMENT EXECUTE PROCEDURE chair_notify_names()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS chair_notify_children ON child")
    op.execute("DROP TRIGGER IF EXISTS chair_notify_child_names ON child")
    op.execute("DROP TRIGGER IF EXISTS chair_notify_family ON family")
    op.execute("DROP TRIGGER IF EXISTS chair_notify_conference ON conference")
    op.execute("DROP FUNCTION IF EXISTS chair_notify_names()")
    op.execute("DROP FUNCTION IF EXISTS chair_notify_conference()")
