"""Alembic environment: batch mode so that SQLite can alter tables; a connection may be handed in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from chair_app.store.models import Base

config = context.config
target_metadata = Base.metadata


def _configure_and_run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _configure_and_run(connection)
else:  # the alembic command line: `alembic -x url=sqlite:///x.db upgrade head`
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    with create_engine(url).connect() as conn:
        _configure_and_run(conn)
        conn.commit()
