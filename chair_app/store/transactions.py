"""Running a whole operation again when the database says another transaction got in its way.

On a unit server twenty people write at once. PostgreSQL may end one of two transactions that wait on each
other (a deadlock, SQLSTATE 40P01) or could not be serialised (40001); SQLite may find the database locked
by another writer for longer than its wait. Neither is the user's doing and both succeed when run again, so
an operation that owns its unit of work can be wrapped in ``retry_transient``: it is run again, from the
start and with a fresh session, up to ``ATTEMPTS`` times with a short random pause, and only then refused
with one plain line. Anything else (a refusal, a conflict with a person's work, a broken connection) is
raised at once: running those again would not help.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from chair_app.domain.errors import ChairError

P = ParamSpec("P")
T = TypeVar("T")

ATTEMPTS = 5
#: PostgreSQL's codes for "run it again": serialization_failure, deadlock_detected.
RETRY_SQLSTATES = frozenset({"40001", "40P01"})


class Busy(ChairError):
    """The database stayed busy through every attempt: the one line the user sees."""


class ConcurrentWrite(Exception):
    """Another transaction wrote the same record between this one's check and its write: run it again."""


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, ConcurrentWrite):
        return True
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in RETRY_SQLSTATES:
        return True
    text = str(orig).lower()
    return type(orig).__name__ == "OperationalError" and ("database is locked" in text or "database is busy" in text)


def retry_transient(fn: Callable[P, T]) -> Callable[P, T]:
    """Run ``fn`` (which owns its unit of work) again when the database asks for it; see the module."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return fn(*args, **kwargs)
            except Exception as exc:
                if not is_transient(exc):
                    raise
                if attempt == ATTEMPTS:
                    raise Busy(
                        "database: other people's changes kept getting in the way of this one, so nothing was "
                        "changed; try again in a moment"
                    ) from exc
                time.sleep(random.uniform(0.005, 0.05) * attempt)
        raise AssertionError("unreachable")

    return run


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection whose reads all see the database as it was at the first of them (a report reading
    table after table while others import and type must not see a plan whose child it read before the child
    was stored). PostgreSQL: a REPEATABLE READ transaction, which never waits and never fails for a reader;
    SQLite: one read transaction (WAL keeps its snapshot while writers carry on). Rolled back at the end."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ")
        # Begun here and held, so that a reader which would begin and commit its own transaction per query
        # when handed an idle connection (pandas' read_sql_table does) reads inside this one instead.
        transaction = connection.begin()
        try:
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN")  # the driver itself begins only before a write
            yield connection
        finally:
            transaction.rollback()
