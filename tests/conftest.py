"""Fixtures shared by every kind of test.

The store is tested on SQLite and on a real PostgreSQL cluster that this session starts itself (initdb
into a temporary folder, pg_ctl on a free loopback port, stopped at the end). Where PostgreSQL is not
installed those tests are skipped with the reason shown, except when CHAIR_REQUIRE_POSTGRES=1 (CI sets it),
where its absence is an error.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The tests never touch the real user's data or log folders: the whole session (and every process it starts,
# which inherits this environment) gets its own home, XDG folders and log folder, removed at the end.
SANDBOX = Path(tempfile.mkdtemp(prefix="chair-test-home-"))
for _name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
    os.environ[_name] = str(SANDBOX / _name.lower())
os.environ["HOME"] = str(SANDBOX / "home")
(SANDBOX / "home").mkdir()
os.environ["CHAIR_LOG_DIR"] = str(SANDBOX / "log")
os.environ.pop("CHAIR_DB_URL", None)
os.environ.pop("CHAIR_POLICY", None)


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(SANDBOX, ignore_errors=True)


from chair_app.rules.policy import load_policy  # noqa: E402
from chair_app.store.engine import Database, open_database, sqlite_url  # noqa: E402
from chair_app.store.models import Base  # noqa: E402


@pytest.fixture(scope="session")
def policy():
    return load_policy()


# ---------------------------------------------------------------------------------------------------------
# PostgreSQL


def _pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresCluster:
    def __init__(self) -> None:
        initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
        if not initdb or not pg_ctl:
            raise FileNotFoundError("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
        self.pg_ctl = pg_ctl
        self.dir = Path(tempfile.mkdtemp(prefix="chair-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        self.prefix: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root: run the cluster as the postgres user
            runuser = shutil.which("runuser")
            if not runuser:
                raise FileNotFoundError("running as root and runuser is missing")
            shutil.chown(self.dir, user="postgres", group="postgres")
            self.prefix = [runuser, "-u", "postgres", "--"]
        self._run([initdb, "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"])
        opts = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir} -c fsync=off"
        self._run([pg_ctl, "-w", "-D", str(self.data), "-o", opts, "-l", str(self.dir / "log"), "start"])
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, cmd: list[str]) -> None:
        subprocess.run([*self.prefix, *cmd], check=True, capture_output=True, timeout=120)

    def stop(self) -> None:
        try:
            self._run([self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop"])
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    try:
        cluster = PostgresCluster()
    except (FileNotFoundError, KeyError, subprocess.CalledProcessError) as exc:
        detail = exc.stderr.decode(errors="replace")[-300:] if isinstance(exc, subprocess.CalledProcessError) else exc
        if os.environ.get("CHAIR_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required here but could not be started: {detail}")
        pytest.skip(f"PostgreSQL not available: {detail}")
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def pg_database(pg_cluster) -> Iterator[Database]:
    db = open_database(pg_cluster.url)
    yield db
    db.dispose()


def _empty_postgres(db: Database) -> None:
    names = [t.name for t in Base.metadata.sorted_tables]
    with db.engine.begin() as conn:
        conn.execute(text("TRUNCATE " + ", ".join(names) + " CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request, tmp_path) -> Iterator[Database]:
    """An empty, migrated database: a fresh SQLite file, or the session's PostgreSQL emptied."""
    if request.param == "sqlite":
        database = open_database(sqlite_url(tmp_path / "chair.db"))
        yield database
        database.dispose()
    else:
        database = request.getfixturevalue("pg_database")
        _reset_postgres(database)
        yield database


@pytest.fixture
def empty_pg_database(pg_database) -> Iterator[Database]:
    """The session's PostgreSQL database, emptied (no accounts left by an earlier test)."""
    _reset_postgres(pg_database)
    yield pg_database


def _reset_postgres(database: Database) -> None:
    """Empty the session's database and forget what a test left on its one Database object (who signed in, and
    whether accounts were in force: they were emptied with the rest)."""
    _empty_postgres(database)
    database.signed_in, database._accounts_in_force = None, None


@pytest.fixture
def sqlite_db(tmp_path) -> Iterator[Database]:
    database = open_database(sqlite_url(tmp_path / "chair.db"))
    yield database
    database.dispose()


def dump(db: Database) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order: for proving that a refusal changed nothing."""
    out = {}
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(r) for r in rows]
        out["alembic_version"] = [tuple(r) for r in conn.execute(text("SELECT * FROM alembic_version"))]
    return out


def table_names(db: Database) -> set[str]:
    return set(inspect(db.engine).get_table_names())
