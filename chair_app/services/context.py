"""What every entry point (window or command) opens first: the database and the policy in force."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chair_app.domain.errors import ChairError
from chair_app.rules.policy import Policy, load_policy

if TYPE_CHECKING:
    from chair_app.store.engine import Database


class PasswordNeeded(ChairError):
    """An encrypted database and no account and password to open it with (the window then asks)."""


def password_refused(exc: BaseException) -> bool:
    """Opening an encrypted database failed for want of a password, or for a wrong one (the window asks)."""
    from chair_app.store.keys import WrongPassword

    return isinstance(exc, PasswordNeeded | WrongPassword)


def open_app_database(url: str | None = None, *, demo: bool = False, unlock=None) -> Database:
    """The database chosen by --db / CHAIR_DB_URL, the demo database when asked, else the user's own.

    ``--db ""`` is refused rather than read as "the default": a script whose variable came out empty must
    not write into the user's own database.
    """
    if url is not None and not url.strip():
        raise ChairError(
            "--db: the database URL is empty; give one (e.g. sqlite:///path/to/chair.db) or leave --db out"
        )
    from chair_app.store.engine import default_data_dir, sqlite_url  # SQLAlchemy: only when needed

    if demo and not url:
        return _open_maybe_encrypted(sqlite_url(default_data_dir() / "demo.db"), unlock, create_folder=True)
    return _open_maybe_encrypted(url, unlock)


def _open_maybe_encrypted(url: str | None, unlock, **options) -> Database:
    """An encrypted laptop database (a ``.keys`` file beside it, store/keys.py) is opened with the key unwrapped
    by ``unlock()`` -> (account, password); refused in one line when there is no one to ask."""
    from chair_app.store import keys
    from chair_app.store.engine import default_url, open_database, sqlite_path

    chosen = url or default_url()
    path = sqlite_path(chosen) if chosen.startswith("sqlite") else None
    if path is None or not keys.is_encrypted(path):
        return open_database(url, **options)
    if unlock is None:
        raise PasswordNeeded("sign in: this database is encrypted; give --user NAME and the password to open it")
    name, password = unlock()
    db = open_database(url, key=keys.unlock(path, name, password), **options)
    db.unlock_proof = keys.unlock_proof(name, password)  # the key's check proved the password: no second argon2
    return db


def policy_in_force(path: str | None = None) -> Policy:
    """The policy file given (--policy), else CHAIR_POLICY, else the bundled one. ``--policy ""`` is refused."""
    if path is not None and not str(path).strip():
        raise ChairError("--policy: the file name is empty; give a policy TOML file or leave --policy out")
    return load_policy(path)
