"""Encryption at rest for the laptop's SQLite database (SQLCipher), with one database key wrapped per account.

The database file is encrypted by SQLCipher with a random 256-bit key, given to it raw (``PRAGMA key =
"x'...'"``, so SQLCipher runs no key derivation of its own on each connection: opening costs what a plain
database costs, bench/keys.py). The key itself is never stored in the clear. For each account that may open
the file, the key is *wrapped* with that account's password and kept in a small side file next to the
database, ``<database>.keys`` (JSON, mode 0600; it holds no personal data, only account names):

- 64 bytes are derived from the password and a fresh random 16-byte salt with argon2id
  (``argon2.low_level.hash_secret_raw``; the parameters are stored with the wrap);
- the first 32 bytes are XORed with the database key (a one-time pad: the salt is new at every wrap, so no two
  wraps share a pad), the last 32 key an HMAC-SHA256 over the account name and the wrapped bytes, which tells a
  wrong password from a right one without trying the database.

A password change re-wraps the same key (a new salt, a new wrap): the database file is not touched. Several
accounts share one laptop database, each with their own wrap. Where the database is PostgreSQL (a unit server)
there is no file and no side file: the server's own access control and disk encryption apply (docs/accounts.md).

The side file's presence says the database is encrypted. Without it, an encrypted file cannot be opened by
anyone: back the side file up with the database (docs/accounts.md).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from chair_app.domain.errors import ChairError

KEYS_SUFFIX = ".keys"
FORMAT = "chair-database-keys"
#: argon2id, RFC 9106's second recommended option (64 MiB, 3 passes, 4 lanes): about a tenth of a second.
KDF = {"type": "argon2id", "time_cost": 3, "memory_cost": 65536, "parallelism": 4}
KEY_BYTES = 32
#: SQLCipher's page settings for Chair's files, given after the key on every connection: 16 KiB pages with
#: HMAC-SHA256 read a 10,000-conference list about 1.2x a plain file's time, where the defaults (4 KiB,
#: HMAC-SHA512) took over 1.5x (bench/keys.py). Changing them makes existing files unreadable: don't.
CIPHER_SETTINGS = ("PRAGMA {db}cipher_page_size = 16384", "PRAGMA {db}cipher_hmac_algorithm = HMAC_SHA256")


class WrongPassword(ChairError):
    pass


def keys_path(db_path: Path) -> Path:
    return Path(f"{db_path}{KEYS_SUFFIX}")


def is_encrypted(db_path: Path) -> bool:
    return keys_path(db_path).exists()


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _derive(password: str, salt: bytes, kdf: dict) -> tuple[bytes, bytes]:
    from argon2.low_level import Type, hash_secret_raw

    if kdf.get("type") != "argon2id":
        raise ChairError("keys: the key file names a key derivation this Chair does not know; update Chair")
    raw = hash_secret_raw(
        password.encode("utf-8"),
        salt,
        time_cost=int(kdf["time_cost"]),
        memory_cost=int(kdf["memory_cost"]),
        parallelism=int(kdf["parallelism"]),
        hash_len=2 * KEY_BYTES,
        type=Type.ID,
    )
    return raw[:KEY_BYTES], raw[KEY_BYTES:]


def _check_value(mac_key: bytes, name: str, wrapped: bytes) -> bytes:
    return hmac.new(mac_key, name.encode("utf-8") + b"\x00" + wrapped, hashlib.sha256).digest()


def wrap(key: bytes, name: str, password: str) -> dict:
    salt = secrets.token_bytes(16)
    pad, mac_key = _derive(password, salt, KDF)
    wrapped = bytes(a ^ b for a, b in zip(key, pad, strict=True))
    return {
        "kdf": dict(KDF),
        "salt": _b64(salt),
        "wrapped": _b64(wrapped),
        "check": _b64(_check_value(mac_key, name, wrapped)),
    }


def unwrap(entry: dict, name: str, password: str) -> bytes:
    try:
        salt, wrapped, check = _unb64(entry["salt"]), _unb64(entry["wrapped"]), _unb64(entry["check"])
        kdf = entry["kdf"]
    except (KeyError, ValueError, TypeError):
        raise ChairError("keys: the key file is damaged; restore it from the backup made with the database") from None
    pad, mac_key = _derive(password, salt, kdf)
    if not hmac.compare_digest(_check_value(mac_key, name, wrapped), check):
        raise WrongPassword("sign in: wrong account name or password; check both and try again")
    return bytes(a ^ b for a, b in zip(wrapped, pad, strict=True))


def read_keys(db_path: Path) -> dict:
    path = keys_path(db_path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"format": FORMAT, "version": 1, "accounts": {}}
    except (OSError, ValueError):
        raise ChairError(f"keys: cannot read {path}; restore it from the backup made with the database") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("accounts"), dict):
        raise ChairError(f"keys: {path} is not a Chair key file; restore it from the backup made with the database")
    return doc


def write_keys(db_path: Path, doc: dict) -> None:
    """Atomically, private (0600), on disk before it returns."""
    path = keys_path(db_path)
    tmp = path.with_name(path.name + ".new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    try:
        os.write(fd, json.dumps(doc, indent=1, sort_keys=True).encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def unlock(db_path: Path, name: str, password: str) -> bytes:
    """The database key, unwrapped with this account's password; refused in one line otherwise."""
    entry = read_keys(db_path)["accounts"].get(name.strip().lower())
    if entry is None:
        # The same answer and about the same time as a wrong password: no hint which names exist.
        _derive(password, b"\x00" * 16, KDF)
        raise WrongPassword("sign in: wrong account name or password; check both and try again")
    return unwrap(entry, name.strip().lower(), password)


def unlock_proof(name: str, password: str) -> tuple[str, bytes, bytes]:
    """In memory only: that ``name`` unwrapped the key with ``password`` (a random salt, a SHA-256 digest)."""
    salt = secrets.token_bytes(16)
    return name.strip().lower(), salt, hashlib.sha256(salt + password.encode("utf-8")).digest()


def proven(proof: tuple[str, bytes, bytes] | None, name: str, password: str) -> bool:
    if proof is None:
        return False
    who, salt, digest = proof
    return who == name and hmac.compare_digest(hashlib.sha256(salt + password.encode("utf-8")).digest(), digest)


def set_wrap(db_path: Path, name: str, password: str, key: bytes) -> None:
    """Wrap the key for ``name`` with ``password`` (a new account, a reset or changed password)."""
    doc = read_keys(db_path)
    doc["accounts"][name] = wrap(key, name, password)
    write_keys(db_path, doc)


def sqlcipher_url(db_path: Path, key: bytes):
    from sqlalchemy.engine import URL

    return URL.create("sqlite+pysqlcipher", password=f"x'{key.hex()}'", database=str(db_path))


def sqlcipher_connection(db_path: Path, key: bytes | None, **options):
    """A plain DB-API connection through SQLCipher (``key`` None: a plain SQLite file)."""
    import sqlcipher3

    conn = sqlcipher3.connect(str(db_path), **options)
    conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our one-line refusal, not lines on stderr
    if key is not None:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        for setting in CIPHER_SETTINGS:
            conn.execute(setting.format(db=""))
    return conn


def table_counts(conn) -> dict[str, int]:
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def export_encrypted(plain: Path, target: Path, key: bytes) -> dict[str, int]:
    """Copy every row of the plain database ``plain`` into a new encrypted file ``target`` (sqlcipher_export),
    and check both hold the same tables with the same number of rows. Returns the counts."""
    conn = sqlcipher_connection(plain, None)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = table_counts(conn)
        conn.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(target),))
        for setting in CIPHER_SETTINGS:
            conn.execute(setting.format(db="encrypted."))
        conn.execute("SELECT sqlcipher_export('encrypted')")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()
    check = sqlcipher_connection(target, key)
    try:
        after = table_counts(check)
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise ChairError("encrypt: the encrypted copy did not check out; the plain database is unchanged")
    finally:
        check.close()
    if after != before:
        raise ChairError("encrypt: the encrypted copy does not hold every row; the plain database is unchanged")
    return after


def wipe(path: Path) -> None:
    """Overwrite a file with zeros, flush it to disk, then remove it. On an SSD or a copy-on-write file system
    old blocks may survive an overwrite; the laptop's full-disk encryption covers those (docs/accounts.md)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    with path.open("r+b") as fh:
        chunk = b"\x00" * (1 << 20)
        left = size
        while left > 0:
            n = min(left, len(chunk))
            fh.write(chunk[:n])
            left -= n
        fh.flush()
        os.fsync(fh.fileno())
    path.unlink()
