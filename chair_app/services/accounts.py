"""Accounts: the first administrator, signing in, and the administrator's operations (issue 14).

Passwords are hashed with argon2id (``argon2-cffi``); the hash carries its own salt and parameters, so stronger
parameters later still verify old hashes (and rehash them at the next sign-in). Signing in puts a ``SignedIn``
on the ``Database`` (``db.signed_in``): every service after that is checked against its roles where every
service passes, ``Database.unit_of_work`` (rules/access.py). No service takes the account as an argument.

A wrong password counts against the account; after the policy's ``failed_attempts_before_lock`` in a row it is
locked until an administrator unlocks it. An unknown name and a wrong password get the same answer, in the
same time (a dummy hash is verified), so the sign-in does not tell a stranger which names exist.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from chair_app.domain.errors import InvalidInput
from chair_app.domain.model import utcnow
from chair_app.rules.access import ROLES, AccessPolicy, NotAllowed, SignedIn, access_of, roles_text
from chair_app.rules.policy import Policy
from chair_app.store import accounts as store
from chair_app.store.engine import Database

ENV_PASSWORD = "CHAIR_PASSWORD"
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")

#: The demo database's accounts (fictional, documented in the README and docs/accounts.md): password "demo".
DEMO_PASSWORD = "demo"
DEMO_ACCOUNTS = (
    ("demo-chair", "Demo Chair", ("chair",)),
    ("demo-clerk", "Demo Clerk", ("clerk",)),
    ("demo-manager", "Demo Manager", ("manager",)),
    ("demo-admin", "Demo Administrator", ("administrator",)),
)
DEMO_CHAIR = "demo-chair"


@dataclass(frozen=True)
class AccountSummary:
    name: str
    full_name: str
    roles: frozenset[str]
    locked: bool
    disabled: bool


@functools.cache
def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id, RFC 9106 low-memory parameters


@functools.cache
def _dummy_hash() -> str:
    return _hasher().hash("not a password anyone has")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def _verify(password_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _check_name(name: str) -> str:
    name = name.strip().lower()
    if not NAME_PATTERN.match(name):
        raise InvalidInput(
            "account name: use 2 to 32 lower-case letters, digits, dots, dashes or underscores, starting with a letter"
        )
    return name


def password_min_length(policy: Policy | None) -> int:
    """The policy's shortest password (``[access] password_min_length``); the policy's default without one."""
    return (access_of(policy) if policy is not None else AccessPolicy()).password_min_length


def _check_password(password: str, policy: Policy | None) -> None:
    shortest = password_min_length(policy)
    if len(password) < shortest:
        raise InvalidInput(f"password: use at least {shortest} characters")
    if password != password.strip():
        raise InvalidInput("password: do not start or end it with a space")


def _check_roles(roles) -> frozenset[str]:
    chosen = frozenset(r.strip() for r in roles if r.strip())
    unknown = sorted(chosen - set(ROLES))
    if unknown:
        raise InvalidInput(f"roles: {', '.join(unknown)} is not a role; choose from {', '.join(ROLES)}")
    if not chosen:
        raise InvalidInput(f"roles: give at least one of {', '.join(ROLES)}")
    return chosen


def _signed_in(db: Database, account: store.AccountRow, access: AccessPolicy, now: datetime) -> SignedIn:
    signed = SignedIn(
        name=account.name,
        roles=account.roles,
        expires_at=now + timedelta(hours=access.session_hours),
        policy=access,
    )
    db.signed_in = signed
    return signed


# ---------------------------------------------------------------------------------------------------------
# First run


def needs_first_administrator(db: Database) -> bool:
    """True while the database has never had an account: the window and `chair-app setup` ask for one."""
    return not db.accounts_in_force()


def first_administrator(
    db: Database,
    policy: Policy,
    *,
    name: str,
    full_name: str,
    password: str,
    also: tuple[str, ...] = (),
) -> SignedIn:
    """Create the first account (administrator, plus ``also``: e.g. a chair on their own laptop) and sign it in.
    Refused once the database has any account: from then on only an administrator adds accounts."""
    name = _check_name(name)
    _check_password(password, policy)
    roles = _check_roles(("administrator", *also))
    password_hash = hash_password(password)
    with db.unit_of_work("first_administrator", event=True, detail=f"account {name} created") as session:
        conn = session.connection()
        if store.count(conn) > 0:
            raise NotAllowed("setup: this database already has accounts; ask an administrator to add yours")
        store.add(conn, name=name, full_name=full_name.strip() or name, roles=roles, password_hash=password_hash)
    db._accounts_in_force = True
    account = _get(db, name)
    return _signed_in(db, account, access_of(policy), utcnow())


def _get(db: Database, name: str) -> store.AccountRow:
    with db.engine.connect() as conn:
        account = store.get(conn, name)
    if account is None:
        raise InvalidInput(f"account: there is no account called {name}")
    return account


# ---------------------------------------------------------------------------------------------------------
# Signing in


def sign_in(db: Database, policy: Policy, name: str, password: str, *, now: datetime | None = None) -> SignedIn:
    """Check the password and sign the account in on ``db``; refuse in one line otherwise (nothing else changes
    but the count of wrong passwords, and the lock when the policy's limit is reached)."""
    access = access_of(policy)
    now = now or utcnow()
    name = name.strip().lower()
    with db.engine.connect() as conn:
        account = store.get(conn, name)
    if account is None:
        _verify(_dummy_hash(), password)  # the same time as a real account's wrong password
        raise NotAllowed("sign in: wrong account name or password; check both and try again")
    if account.disabled:
        raise NotAllowed(f"sign in: the account {name} is switched off; ask an administrator")
    if account.locked:
        raise NotAllowed(
            f"sign in: the account {name} is locked after {access.failed_attempts_before_lock} wrong passwords; "
            "ask an administrator to unlock it"
        )
    from chair_app.store.keys import proven

    if not proven(db.unlock_proof, name, password) and not _verify(account.password_hash, password):
        failed = account.failed_attempts + 1
        locked = failed >= access.failed_attempts_before_lock
        with db.unit_of_work("sign_in_failed", who=name, event=True, detail=f"account {name}") as session:
            store.change(session.connection(), name, failed_attempts=failed, locked=locked)
        if locked:
            raise NotAllowed(
                f"sign in: wrong password; the account {name} is now locked after {failed} wrong passwords; "
                "ask an administrator to unlock it"
            )
        left = access.failed_attempts_before_lock - failed
        raise NotAllowed(
            f"sign in: wrong account name or password; {left} more wrong password{'s' if left != 1 else ''} "
            "lock the account"
        )
    if account.failed_attempts or _hasher().check_needs_rehash(account.password_hash):
        values = {"failed_attempts": 0}
        if _hasher().check_needs_rehash(account.password_hash):
            values["password_hash"] = hash_password(password)
        with db.unit_of_work("sign_in", who=name) as session:
            store.change(session.connection(), name, **values)
    return _signed_in(db, account, access, now)


def sign_out(db: Database) -> None:
    db.signed_in = None


def check_password(db: Database, password: str) -> bool:
    """The signed-in account's password, again (unlocking the window): True when it matches. Does not count
    against the account: the session is already open and the person at the keyboard is being asked to prove it
    is still them; a wrong answer keeps the window locked."""
    signed = db.signed_in
    if signed is None:
        return False
    with db.engine.connect() as conn:
        account = store.get(conn, signed.name)
    usable = account is not None and not account.disabled and not account.locked
    return usable and _verify(account.password_hash, password)


def renew(db: Database, policy: Policy, *, now: datetime | None = None) -> SignedIn | None:
    """A new session period for the signed-in account, after it proved its password again (the window's unlock)."""
    signed = db.signed_in
    if signed is None:
        return None
    return _signed_in(db, _get(db, signed.name), access_of(policy), now or utcnow())


def password_from_environment() -> str | None:
    """``CHAIR_PASSWORD``, for scripts (None when unset)."""
    return os.environ.get(ENV_PASSWORD)


def who_signs(db: Database) -> str | None:
    """The signed-in account's full name (what a record's sign-off shows), or None."""
    signed = db.signed_in
    if signed is None:
        return None
    return _get(db, signed.name).full_name or signed.name


# ---------------------------------------------------------------------------------------------------------
# The administrator's operations (each checked by role in Database.unit_of_work)


def list_accounts(db: Database) -> list[AccountSummary]:
    with db.unit_of_work("list_accounts") as session:
        found = store.all_accounts(session.connection())
    return [AccountSummary(a.name, a.full_name, a.roles, a.locked, a.disabled) for a in found]


def create_account(
    db: Database, *, name: str, full_name: str, roles, password: str, policy: Policy | None = None
) -> None:
    name = _check_name(name)
    chosen = _check_roles(roles)
    _check_password(password, policy)
    password_hash = hash_password(password)
    detail = f"account {name} created ({', '.join(sorted(chosen))})"
    with db.unit_of_work("create_account", event=True, detail=detail) as session:
        conn = session.connection()
        if store.get(conn, name) is not None:
            raise InvalidInput(f"account name: {name} is taken; choose another")
        store.add(conn, name=name, full_name=full_name.strip() or name, roles=chosen, password_hash=password_hash)
    _wrap_key(db, name, password)


def _existing(conn, name: str) -> store.AccountRow:
    account = store.get(conn, name)
    if account is None:
        raise InvalidInput(f"account: there is no account called {name}; `chair-app account list` shows them")
    return account


def _keep_an_administrator(conn, name: str, losing: bool) -> None:
    if not losing:
        return
    admins = [a for a in store.all_accounts(conn) if "administrator" in a.roles and not a.disabled and a.name != name]
    if not admins:
        raise InvalidInput(f"account: {name} is the last administrator; make another administrator first")


def set_roles(db: Database, name: str, roles) -> None:
    chosen = _check_roles(roles)
    with db.unit_of_work("set_roles", event=True, detail=f"account {name}: {', '.join(sorted(chosen))}") as session:
        conn = session.connection()
        account = _existing(conn, name)
        _keep_an_administrator(conn, name, "administrator" in account.roles and "administrator" not in chosen)
        store.change(conn, name, roles=chosen)


def reset_password(db: Database, name: str, password: str, policy: Policy | None = None) -> None:
    _check_password(password, policy)
    password_hash = hash_password(password)
    with db.unit_of_work("reset_password", event=True, detail=f"account {name}: password reset") as session:
        conn = session.connection()
        _existing(conn, name)
        store.change(conn, name, password_hash=password_hash, failed_attempts=0, locked=False)
    _wrap_key(db, name, password)


def unlock_account(db: Database, name: str) -> None:
    with db.unit_of_work("unlock_account", event=True, detail=f"account {name} unlocked") as session:
        conn = session.connection()
        _existing(conn, name)
        store.change(conn, name, failed_attempts=0, locked=False)


def disable_account(db: Database, name: str) -> None:
    with db.unit_of_work("disable_account", event=True, detail=f"account {name} switched off") as session:
        conn = session.connection()
        account = _existing(conn, name)
        _keep_an_administrator(conn, name, "administrator" in account.roles)
        store.change(conn, name, disabled=True)


def change_own_password(db: Database, old: str, new: str, policy: Policy | None = None) -> None:
    signed = db.signed_in
    if signed is None:
        raise NotAllowed("password: sign in first")
    _check_password(new, policy)
    if not check_password(db, old):
        raise InvalidInput("current password: it is not right; type it again")
    password_hash = hash_password(new)
    with db.unit_of_work("change_own_password", event=True, detail=f"account {signed.name}: password changed") as s:
        store.change(s.connection(), signed.name, password_hash=password_hash)
    _wrap_key(db, signed.name, new)  # an encrypted database: the same key, wrapped anew (the file is untouched)


def _wrap_key(db: Database, name: str, password: str) -> None:
    from chair_app.services.encryption import wrap_for

    wrap_for(db, name, password)


# ---------------------------------------------------------------------------------------------------------
# The demo database


def add_demo_accounts(db: Database) -> bool:
    """The demo's four fictional accounts, password "demo" (documented), on a database with no accounts yet.
    Only for the demo database: the caller (`chair-app --demo demo`) is the one that knows it is the demo."""
    if db.accounts_in_force():
        return False
    password_hash = hash_password(DEMO_PASSWORD)
    with db.unit_of_work("first_administrator", event=True, detail="demo accounts created") as session:
        conn = session.connection()
        if store.count(conn) > 0:
            return False
        for name, full_name, roles in DEMO_ACCOUNTS:
            store.add(conn, name=name, full_name=full_name, roles=frozenset(roles), password_hash=password_hash)
    db._accounts_in_force = True
    return True


def describe(signed: SignedIn) -> str:
    return f"{signed.name} ({roles_text(signed.roles)})"
