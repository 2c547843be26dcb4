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
from urllib.parse import quote

from chair_app.domain.errors import ChairError, InvalidInput
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


#: The steps of a conversion, as ``progress`` reports them (the window's progress bar).
STEPS = (
    "Checking your password…",
    "Copying every row into the encrypted file…",
    "Checking the copy row by row…",
    "Removing the plain copy…",
)


def encrypt_database(db: Database, password: str, *, known: dict[str, str] | None = None, progress=None) -> Encrypted:
    """Convert the open plain database (``db``, which is disposed of) into an encrypted one. The signed-in
    administrator's ``password`` wraps the key. Refused, with nothing changed, when it is encrypted already, when
    nobody is signed in, or when the copy does not check out. ``known``: other accounts' passwords, where they
    are public (the demo database's accounts, password "demo"), so they are let in too. ``progress(step)``:
    told as each of ``STEPS`` begins (from the thread that runs this)."""
    step = progress or (lambda _n: None)
    step(0)
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
        step(1)
        counts = keys.export_encrypted(path, target, key)  # copies, then counts every table on both sides
        step(2)
        os.chmod(target, 0o600)
        wrapped = {name: keys.wrap(key, name, pw) for name, pw in (known or {}).items() if name in names}
        wrapped[signed.name] = keys.wrap(key, signed.name, password)
        keys.write_keys(path, {"format": keys.FORMAT, "version": 1, "accounts": wrapped})
    except BaseException:
        keys.wipe(target)
        keys.keys_path(path).unlink(missing_ok=True)
        raise
    step(3)
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


def is_encrypted_backup(source: Path) -> bool:
    """A backup made by ``backup_encrypted``: its key file beside it, and no plain SQLite header."""
    from chair_app.services.backup import SQLITE_HEADER

    if not keys.is_encrypted(source):
        return False
    with open(source, "rb") as f:
        return f.read(16) != SQLITE_HEADER


def check_encrypted_copy(source: Path, name: str, password: str) -> tuple[bytes, str, int]:
    """(key, schema revision, conferences) of an encrypted backup, opened with an account's password from the
    key file beside it; every page checked. Refused in one line (nothing replaced) when the password does not
    open it, when it is damaged, or when a newer Chair wrote it."""
    from chair_app.services.backup import known_revisions

    try:
        key = keys.unlock(source, name, password)
    except keys.WrongPassword:
        raise InvalidInput(
            f"restore: that account name and password do not open {source.name}; check both; nothing was replaced"
        ) from None
    import sqlcipher3

    conn = keys.sqlcipher_connection(f"file:{quote(str(source.resolve()))}?mode=ro&immutable=1", key, uri=True)
    try:
        try:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            conferences = conn.execute("SELECT count(*) FROM conference").fetchone()[0]
        except sqlcipher3.DatabaseError as exc:
            raise InvalidInput(f"restore: {source} is damaged ({exc}); nothing was replaced") from None
    finally:
        conn.close()
    if problems != ["ok"]:
        raise InvalidInput(f"restore: {source} is damaged (integrity check: {problems[0]}); nothing was replaced")
    known = known_revisions()
    if revision is None or revision[0] not in known:
        raise InvalidInput(
            f"restore: {source} was written by a newer version of Chair (schema {revision[0] if revision else '?'}); "
            "update Chair first; nothing was replaced"
        )
    return key, revision[0], conferences


def restore_encrypted(path: Path, source: Path, credentials, stamp: str) -> tuple[Path | None, str, int, bool]:
    """Replace the database ``path`` with the encrypted backup ``source`` (and its key file with the backup's).

    ``credentials()`` -> (account, password) must open the backup, and, where the database in use is encrypted,
    that database too: both are checked before anything is replaced. The database in use is kept aside first
    (``NAME.before-restore-STAMP``, with its own key file when it is encrypted). When the database in use has
    the backup's key (a backup of this same database), the restored pages are written into it through
    SQLCipher's backup API, so a window holding it open reads the restored record; otherwise (a plain database,
    or another database's backup) the checked file takes its place by a rename, and the plain file is wiped.
    Returns (the database kept aside, schema revision, conferences, whether the file was replaced by a rename)."""
    name, password = credentials()
    key, revision, conferences = check_encrypted_copy(source, name, password)
    current_key = None
    if keys.is_encrypted(path):
        try:
            current_key = keys.unlock(path, name, password)
        except keys.WrongPassword:
            raise InvalidInput(
                f"restore: that account name and password do not open the database in use ({path.name}); "
                "sign in with an account that opens both; nothing was replaced"
            ) from None
    kept = None
    if path.exists() and path.stat().st_size:
        kept = path.with_name(f"{path.name}.before-restore-{stamp}")
        if current_key is not None:
            _cipher_copy(path, kept, current_key)
            keys.write_keys(kept, keys.read_keys(path))
        else:
            from chair_app.services.backup import _copy

            _copy(path, kept)
    backup_keys = keys.read_keys(source)
    in_place = current_key is not None and current_key == key
    if in_place:  # the same database's backup: written into it in place
        src = keys.sqlcipher_connection(f"file:{quote(str(source.resolve()))}?mode=ro&immutable=1", key, uri=True)
        dst = keys.sqlcipher_connection(path, key, timeout=30)
        try:
            dst.execute("PRAGMA journal_mode=WAL")
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")  # as the store opens it
            stored = dst.execute("SELECT count(*) FROM conference").fetchone()[0]
        finally:
            dst.close()
            src.close()
        keys.write_keys(path, backup_keys)  # the wraps of the restored accounts' passwords
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.restoring-{os.getpid()}")
        try:
            _cipher_copy(source, partial, key, immutable=True)
            os.chmod(partial, 0o600)
            plain_aside = path.with_name(path.name + ".plain-old")
            had_plain = path.exists() and current_key is None
            if had_plain:
                os.replace(path, plain_aside)
            os.replace(partial, path)
            keys.write_keys(path, backup_keys)
            keys._fsync_folder(path.parent)
            if had_plain:
                keys.wipe(plain_aside)
            for suffix in SQLITE_FILES[1:]:  # the replaced database's WAL and shared memory
                keys.wipe(Path(f"{path}{suffix}"))
        finally:
            partial.unlink(missing_ok=True)
        check = keys.sqlcipher_connection(path, key)
        try:
            stored = check.execute("SELECT count(*) FROM conference").fetchone()[0]
        finally:
            check.close()
    if stored != conferences:  # cannot happen unless the disk fails: say so, and where the old database is
        raise ChairError(f"restore: the restored database does not read back as the backup; the old one is {kept}")
    return kept, revision, conferences, not in_place


def _cipher_copy(source: Path, target: Path, key: bytes, *, immutable: bool = False) -> None:
    """An encrypted database copied, with the same key, as one self-contained file (SQLite's backup API)."""
    where = f"file:{quote(str(source.resolve()))}?mode=ro&immutable=1" if immutable else source
    src = keys.sqlcipher_connection(where, key, uri=immutable, timeout=30)
    dst = keys.sqlcipher_connection(target, key)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()
    os.chmod(target, 0o600)


# Asking in the window (gui/encrypt_dialog.py) -----------------------------------------------------------------


def default_asked_file() -> Path:
    from chair_app.store.engine import default_data_dir

    return default_data_dir() / "encryption-asked.json"


def _asked_key(path: Path) -> str:
    import hashlib

    return hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:16]


def offer_needed(db: Database, policy, asked_file: Path, *, now=None) -> Path | None:
    """The plain laptop database the window should offer to encrypt now, else None: the policy wants laptop
    databases encrypted, this one is a plain SQLite file, the signed-in account may convert it, and nobody
    said "Not now" to it within the policy's ``ask_again_days``."""
    from datetime import UTC, datetime, timedelta

    from chair_app.rules.encryption import encryption_of

    rules = encryption_of(policy)
    if not rules.laptop_databases_encrypted or db.dialect != "sqlite" or db.database_key is not None:
        return None
    signed = db.signed_in
    if signed is None or not signed.may("encrypt_database"):
        return None
    try:
        path = database_file(db)
    except InvalidInput:
        return None
    if not path.is_file() or keys.is_encrypted(path):
        return None
    said = _read_asked(asked_file).get(_asked_key(path))
    try:
        when = datetime.fromisoformat(said) if isinstance(said, str) else None
    except ValueError:
        when = None
    now = now or datetime.now(UTC)
    if when is not None and now - when < timedelta(days=rules.ask_again_days):
        return None
    return path


def note_not_now(asked_file: Path, path: Path, *, now=None) -> None:
    """Remember "Not now" for this database (a hash of its path and the time: nothing personal)."""
    import contextlib
    import json
    from datetime import UTC, datetime

    from chair_app.services.conferences import write_bytes

    data = _read_asked(asked_file)
    data[_asked_key(path)] = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    asked_file.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # a question that cannot be remembered is asked again: no harm
        write_bytes(asked_file, json.dumps(data, sort_keys=True).encode("utf-8"))


def _read_asked(asked_file: Path) -> dict:
    import json

    try:
        data = json.loads(asked_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
