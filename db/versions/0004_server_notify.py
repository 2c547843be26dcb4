"""A unit server tells every open Chair when a conference changes (PostgreSQL LISTEN/NOTIFY)

Revision ID: 0004_server
Revises: 0003

Every edit to a conference's record touches the conference row (its version counts every edit), and imports
write the row too, so one trigger on that table covers every change. It sends the conference's id on the
channel ``chair_changes`` inside the writing transaction: listeners hear of it when, and only if, it commits.
SQLite has no such channel; there the window polls the database's change counter (services/changes.py).
"""

from __future__ import annotations

from alembic import op

revision = "0004_server"
down_revision = "0003"
branch_labels = None
depends_on = None

CHANNEL = "chair_changes"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION chair_notify_change() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                PERFORM pg_notify('{CHANNEL}', OLD.id::text);
            ELSE
                PERFORM pg_notify('{CHANNEL}', NEW.id::text);
            END IF;
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        "CREATE TRIGGER chair_notify_conference AFTER INSERT OR UPDATE OR DELETE ON conference "
        "FOR EACH ROW EXECUTE PROCEDURE chair_notify_change()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS chair_notify_conference ON conference")
    op.execute("DROP FUNCTION IF EXISTS chair_notify_change()")
