"""Backing up and restoring the conference record.

A SQLite database runs in WAL mode, so copying ``chair.db`` alone while Chair is open can miss the edits
still in ``chair.db-wal``. A backup here uses SQLite's online backup API instead: one step, under a read
transaction, so the copy is the database as it stood at one moment (every edit committed before it, none
half-written), while Chair goes on writing. The copy is made beside its destination, turned into a single
self-contained file (rollback journal, not WAL), checked with ``PRAGMA quick_check`` and only then renamed
into place.

Restore checks the file first (a SQLite database, ``PRAGMA integrity_check``, a schema revision this Chair
knows) and replaces nothing until it passes. The database being replaced is first copied aside, beside it, as
``NAME.before-restore-YYYYmmdd-HHMMSS``, with the same backup API, so a restore can itself be undone.
The new content is written through the backup API too, so another process holding the database open sees
the restored record, never a file swapped under it.

PostgreSQL databases are backed up with ``pg_dump`` (run when it is installed, else the command is given)
and restored with ``pg_restore`` by whoever runs the server.

The time of the last backup of each database is kept in ``backups.json`` in the user data folder, keyed by
a hash of the database URL (no address or password is written); the window reminds the user when it is
older than the policy's ``backup.reminder_days``.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from chair_app.domain.errors import ChairError, InvalidInput
from chair_app.store.engine import Database, default_data_dir, default_url, sqlite_url

SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int  # bytes
    revision: str  # the schema revision of the copy
    conferences: int
    seconds: float


@dataclass(frozen=True)
class RestoreResult:
    path: Path  # the database that now holds the restored record
    kept_aside: Path | None  # the database it replaced, kept
    revision: str
    conferences: int
    seconds: float
    #: The restored file took the database's place by a rename (an encrypted backup over a plain database or
    #: another key): connections open before it read the old file, so a window opens the database again.
    replaced_file: bool = False


def database_url(url: str | None = None, *, demo: bool = False) -> str:
    """The URL ``open_app_database`` would open, without opening it (a restore must not touch it first)."""
    if demo and not url:
        return sqlite_url(default_data_dir() / "demo.db")
    return url or default_url()


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for a server database."""
    if not url.startswith("sqlite"):
        return None
    path = url.split("///", 1)[-1]
    if not path or path == ":memory:":
        raise InvalidInput("backup: an in-memory database cannot be backed up")
    return Path(path)


def default_state_file() -> Path:
    return default_data_dir() / "backups.json"


# Backup ------------------------------------------------------------------------------------------------


def backup_database(db: Database, out: Path, *, state_file: Path | None = None) -> BackupResult:
    """Copy the open database to ``out`` (SQLite), consistent at one moment even while others write."""
    db.authorise("backup")
    url = db.engine.url.render_as_string(hide_password=False)
    path = sqlite_path(url)
    if path is None:
        return _pg_dump(url, out)
    out = out.expanduser()
    if not out.parent.is_dir():
        raise InvalidInput(f"--out: the folder {out.parent} does not exist; create it or choose another")
    if out.exists() and (out.is_dir() or out.resolve() == path.resolve()):
        raise InvalidInput(f"--out: {out} is a folder or the database itself; give a new file name")
    started = time.perf_counter()
    if db.database_key is not None:  # an encrypted laptop database (issue 14): an encrypted copy and its keys
        from chair_app.services.encryption import backup_encrypted

        revision, conferences = backup_encrypted(db, path, out)
        note_backup(state_file or default_state_file(), url)
        return BackupResult(out, out.stat().st_size, revision, conferences, time.perf_counter() - started)
    partial = out.with_name(f".{out.name}.partial-{os.getpid()}")
    try:
        _copy(path, partial)
        revision, conferences = check_copy(partial, full=False)
        _fsync(partial)
        os.replace(partial, out)
        _fsync(out.parent)
    finally:
        partial.unlink(missing_ok=True)
    note_backup(state_file or default_state_file(), url)
    return BackupResult(out, out.stat().st_size, revision, conferences, time.perf_counter() - started)


def _copy(source: Path, target: Path) -> None:
    """The whole database in one backup step (one read transaction: one consistent moment)."""
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # pages=-1: all at once
        mode = dst.execute("PRAGMA journal_mode=DELETE").fetchone()[0]  # one self-contained file
        if mode.lower() != "delete":
            raise ChairError(f"backup: the copy could not be made a single file (journal mode {mode})")
    finally:
        dst.close()
        src.close()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot sync a folder
        pass
    finally:
        os.close(fd)


def check_copy(path: Path, *, full: bool = True) -> tuple[str, int]:
    """(schema revision, conferences) of a backup file, or a one-line refusal naming what is wrong.

    ``full``: SQLite's ``integrity_check`` (every page, every b-tree, and every index against its table), as a
    restore does for a file that has been who knows where. A backup just made checks its copy with
    ``quick_check`` (every page and b-tree, not index against table), a quarter of the time: the copy came from
    the live database page by page through SQLite itself.
    """
    with open(path, "rb") as f:
        if f.read(16) != SQLITE_HEADER:
            if Path(f"{path}.keys").exists():  # issue 14: checked with a password (encryption.check_encrypted_copy)
                raise InvalidInput(
                    f"restore: {path} is an encrypted backup; it is checked with the password that opens it "
                    "(chair-app --user NAME restore); nothing was replaced"
                )
            raise InvalidInput(f"restore: {path} is not a Chair backup (not a SQLite database); nothing was replaced")
    # immutable: read it as it is, creating no -wal or -shm file beside it
    conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1", uri=True)
    try:
        try:
            conn.execute("PRAGMA cache_size=-262144")  # 256 MB at most: the check revisits index pages
            check = "integrity_check" if full else "quick_check"
            problems = [row[0] for row in conn.execute(f"PRAGMA {check}")]
        except sqlite3.DatabaseError as exc:
            raise InvalidInput(f"restore: {path} is damaged ({exc}); nothing was replaced") from None
        if problems != ["ok"]:
            raise InvalidInput(f"restore: {path} is damaged (integrity check: {problems[0]}); nothing was replaced")
        try:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            conferences = conn.execute("SELECT count(*) FROM conference").fetchone()[0]
        except sqlite3.DatabaseError:
            raise InvalidInput(
                f"restore: {path} is a SQLite file but not a Chair database; nothing was replaced"
            ) from None
    finally:
        conn.close()
    if revision is None:
        raise InvalidInput(f"restore: {path} has no schema revision; it is not a Chair backup; nothing was replaced")
    known = known_revisions()
    if revision[0] not in known:
        raise InvalidInput(
            f"restore: {path} was written by a newer version of Chair (schema {revision[0]}; this one knows up to "
            f"{max(known)}); update Chair first; nothing was replaced"
        )
    return revision[0], conferences


_REVISION = re.compile(r"""^revision\s*(?::\s*str\s*)?=\s*["']([^"']+)["']""", re.M)


def known_revisions() -> set[str]:
    """The schema revisions this Chair's migrations know, read from db/versions without importing alembic."""
    from chair_app.paths import MIGRATIONS

    found = set()
    for path in glob.glob(str(MIGRATIONS / "versions" / "*.py")):
        match = _REVISION.search(Path(path).read_text(encoding="utf-8"))
        if match:
            found.add(match.group(1))
    return found


def _pg_dump(url: str, out: Path) -> BackupResult:
    from sqlalchemy.engine import make_url

    u = make_url(url)
    libpq = u.set(drivername="postgresql").render_as_string(hide_password=True)
    cmd = ["pg_dump", "--format=custom", "--no-owner", f"--file={out}", f"--dbname={libpq}"]
    shown = " ".join(cmd)
    exe = _pg_tool("pg_dump")
    if exe is None:
        raise ChairError(
            f"backup: this is a PostgreSQL database: back it up on a computer with the PostgreSQL client with: {shown}"
        )
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = str(u.password)  # not on the command line, where other users could see it
    started = time.perf_counter()
    dbname = u.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    proc = subprocess.run([exe, *cmd[1:-1], f"--dbname={dbname}"], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        first = (proc.stderr.strip().splitlines() or ["no message"])[0]
        raise ChairError(f"backup: pg_dump failed ({first}); the command was: {shown}")
    return BackupResult(out, out.stat().st_size, "", -1, time.perf_counter() - started)


def _pg_tool(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


# Restore -----------------------------------------------------------------------------------------------


def restore_database(
    url: str, source: Path, *, now: datetime | None = None, credentials=None, db: Database | None = None
) -> RestoreResult:
    """Replace the database at ``url`` with the backup ``source``, after checking it; keep the old one aside.

    An encrypted backup (issue 14: its ``.keys`` file beside it) or an encrypted database in use needs
    ``credentials()`` -> (account, password): an account whose password opens the backup (and the database in
    use, when that is encrypted) before anything is replaced (services/encryption.restore_encrypted). ``db``: the
    open database of the window that asks, whose signed-in account must be allowed to restore."""
    if db is not None:
        db.authorise("restore")
    path = sqlite_path(url)
    if path is None:
        raise ChairError(
            f"restore: this is a PostgreSQL database: restore it on the server with: pg_restore --clean --if-exists "
            f"--no-owner --dbname=DATABASE {source}"
        )
    source = source.expanduser()
    if not source.is_file():
        raise InvalidInput(f"restore: {source} does not exist; give the path of a backup file")
    if path.exists() and source.resolve() == path.resolve():
        raise InvalidInput(f"restore: {source} is the database in use itself; give a backup file")
    from chair_app.services import encryption
    from chair_app.store.keys import is_encrypted

    started = time.perf_counter()
    if encryption.is_encrypted_backup(source):
        if credentials is None:
            raise InvalidInput(
                f"restore: {source.name} is an encrypted backup; give --user NAME and the password that opens it; "
                "nothing was replaced"
            )
        stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
        kept, revision, conferences, swapped = encryption.restore_encrypted(path, source, credentials, stamp)
        return RestoreResult(path, kept, revision, conferences, time.perf_counter() - started, swapped)
    if is_encrypted(path):  # a plain backup would leave the record unencrypted: refused before anything is touched
        raise InvalidInput(
            f"restore: {path.name} is encrypted and {source.name} is a plain backup, which would undo the "
            "encryption; restore an encrypted backup of it (File > Back up now makes one); nothing was replaced"
        )
    revision, conferences = check_copy(source)
    kept = None
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.stat().st_size:
        stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
        kept = path.with_name(f"{path.name}.before-restore-{stamp}")
        _copy(path, kept)
    src = sqlite3.connect(f"file:{quote(str(source.resolve()))}?mode=ro&immutable=1", uri=True)
    dst = sqlite3.connect(path, timeout=30)
    try:
        dst.execute("PRAGMA journal_mode=WAL")
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")  # as the store opens it
        stored = dst.execute("SELECT count(*) FROM conference").fetchone()[0]
        if stored != conferences:  # cannot happen unless the disk fails: say so, and where the old database is
            raise ChairError(f"restore: the restored database does not read back as the backup; the old one is {kept}")
    finally:
        dst.close()
        src.close()
    return RestoreResult(path, kept, revision, conferences, time.perf_counter() - started)


# When the last backup was --------------------------------------------------------------------------------


def _key(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def _read_state(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def note_backup(path: Path, url: str, when: datetime | None = None) -> None:
    from chair_app.services.conferences import write_bytes

    data = _read_state(path)
    data[_key(url)] = (when or datetime.now(UTC)).isoformat(timespec="seconds")
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # a reminder that cannot be kept must not fail a good backup
        write_bytes(path, json.dumps(data, sort_keys=True).encode("utf-8"))


def last_backup(path: Path, url: str) -> datetime | None:
    value = _read_state(path).get(_key(url))
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def backup_reminder(db: Database, days: int, *, state_file: Path | None = None, now: datetime | None = None) -> str:
    """A one-line reminder when this SQLite database's last backup is older than ``days`` (else "")."""
    url = db.engine.url.render_as_string(hide_password=False)
    if not url.startswith("sqlite"):
        return ""  # a server database is backed up by whoever runs the server
    if url == database_url(demo=True):
        return ""  # the demo database holds nothing to lose
    last = last_backup(state_file or default_state_file(), url)
    now = now or datetime.now(UTC)
    if last is not None and now - last <= timedelta(days=days):
        return ""
    when = "Not backed up yet" if last is None else f"Last backed up {(now - last).days} days ago"
    return f"{when}: File > Back up now (your policy: every {days} days)"
