"""Encrypting the laptop's database at rest (issue 14; the mechanism is store/keys.py).

``encrypt_database`` converts a plain SQLite database once, with the consent of the administrator who runs it:
every row is copied into a new SQLCipher file (``sqlcipher_export``) and counted on both sides, the key is
wrapped for that administrator's password in ``<database>.keys``, the encrypted file takes the plain one's
place (an atomic rename), and the plain copy is overwritten with zeros and removed. The other accounts are
given the key when an administrator next sets their password (``account reset-password``): until then they
cannot open the file, since their passwords are not known to anyone else.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from chair_app.domain.errors import InvalidInput
from chair_app.services import accounts
from chair_app.store import keys
from chair_app.store.engine import SQLITE_FILES, Database, sqlite_path


@dataclass(frozen=True)
class Encrypted:
    path: Path
    rows: int
    tables: int
    waiting: tuple[str, ...]  # accounts that need a new password from an administrator to open it


def database_file(db: Database) -> Path:
    path = sqlite_path(db.engine.url.render_as_string(hide_password=False)) if db.dialect == "sqlite" else None
    if path is None:
        raise InvalidInput(
            "encrypt: only a laptop's SQLite database is encrypted by Chair; a unit server keeps its own protection"
        )
    return path


def encrypt_database(db: Database, password: str, *, known: dict[str, str] | None = None) -> Encrypted:
    """Convert the open plain database (``db``, which is disposed of) into an encrypted one. The signed-in
    administrator's ``password`` wraps the key. Refused, with nothing changed, when it is encrypted already, when
    nobody is signed in, or when the copy does not check out. ``known``: other accounts' passwords, where they
    are public (the demo database's accounts, password "demo"), so they are let in too."""
    db.authorise("encrypt_database")
    path = database_file(db)
    if keys.is_encrypted(path) or db.database_key is not None:
        raise InvalidInput("encrypt: this database is encrypted already")
    signed = db.signed_in
    if signed is None:
        raise InvalidInput("encrypt: create the first administrator and sign in first (chair-app --user NAME setup)")
    if not accounts.check_password(db, password):
        raise InvalidInput("password: it is not right; type it again")
    names = [a.name for a in accounts.list_accounts(db)]
    db.dispose()  # no connection may hold the plain file while it is copied and replaced
    key = keys.new_key()
    target = path.with_name(path.name + ".encrypting")
    old = path.with_name(path.name + ".plain-old")
    for leftover in (target, old):
        keys.wipe(leftover)
    try:
        counts = keys.export_encrypted(path, target, key)
        os.chmod(target, 0o600)
        wrapped = {name: keys.wrap(key, name, pw) for name, pw in (known or {}).items() if name in names}
        wrapped[signed.name] = keys.wrap(key, signed.name, password)
        keys.write_keys(path, {"format": keys.FORMAT, "version": 1, "accounts": wrapped})
    except BaseException:
        keys.wipe(target)
        keys.keys_path(path).unlink(missing_ok=True)
        raise
    os.replace(path, old)  # the plain file steps aside (one rename), the encrypted one takes its place
    os.replace(target, path)
    keys._fsync_folder(path.parent)
    keys.wipe(old)
    for suffix in SQLITE_FILES[1:]:  # the plain database's WAL and shared memory (checkpointed: empty)
        keys.wipe(Path(f"{path}{suffix}"))
    return Encrypted(path, sum(counts.values()), len(counts), tuple(n for n in names if n not in wrapped))


def wrap_for(db: Database, name: str, password: str) -> None:
    """On an encrypted database, give ``name`` the key under ``password`` (called where a password is set)."""
    if db.database_key is None:
        return
    keys.set_wrap(database_file(db), name, password, db.database_key)


def backup_encrypted(db: Database, path: Path, out: Path) -> tuple[str, int]:
    """An encrypted database's backup: an encrypted copy, consistent at one moment (SQLite's backup, through
    SQLCipher with the same key), checked, then its key file beside it as ``<out>.keys``. Returns (schema
    revision, conferences). Restore it by copying both in place of the database and its key file."""
    key = db.database_key
    partial = out.with_name(f".{out.name}.partial-{os.getpid()}")
    try:
        src = keys.sqlcipher_connection(path, key, timeout=30)
        dst = keys.sqlcipher_connection(partial, key)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
            if dst.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise InvalidInput("backup: the encrypted copy did not check out; nothing was written")
            revision = dst.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            conferences = dst.execute("SELECT count(*) FROM conference").fetchone()[0]
        finally:
            dst.close()
            src.close()
        os.chmod(partial, 0o600)
        keys.write_keys(out, keys.read_keys(path))  # <out>.keys: the same wraps, so the same passwords open it
        os.replace(partial, out)
        keys._fsync_folder(out.parent)
    finally:
        partial.unlink(missing_ok=True)
    return revision, conferences
