"""A PostgreSQL cluster for the benchmarks, kept between runs in the bench's cache folder (its databases take
minutes to fill), started on a free loopback port and stopped at the end. Run as the postgres user when the
bench runs as root, as tests/conftest.py does."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
from pathlib import Path


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def available() -> bool:
    return bool(_bin("initdb") and _bin("pg_ctl"))


class Cluster:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            self.prefix = ["runuser", "-u", "postgres", "--"]
        folder.mkdir(parents=True, exist_ok=True)
        if self.prefix:
            shutil.chown(folder, user="postgres", group="postgres")
        if not (self.data / "PG_VERSION").exists():
            self._run(
                [_bin("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]
            )
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        opts = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={folder}"
        self._run([_bin("pg_ctl"), "-w", "-D", str(self.data), "-o", opts, "-l", str(folder / "log"), "start"])

    def _run(self, cmd: list) -> None:
        subprocess.run([*self.prefix, *cmd], check=True, capture_output=True, timeout=300)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create(self, database: str) -> str:
        """A new empty database (dropped first if it was left half-filled) and its URL."""
        from sqlalchemy import create_engine, text

        engine = create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}"'))
            conn.execute(text(f'CREATE DATABASE "{database}"'))
        engine.dispose()
        return self.url(database)

    def stop(self) -> None:
        self._run([_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"])
