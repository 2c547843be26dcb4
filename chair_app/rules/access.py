"""Who may do what: roles, the policy's table of operations, and the one check every operation passes.

Every service writes and reads through ``Database.unit_of_work(operation)`` (or ``Database.authorise`` where it
reads with Core), and that is where :func:`refusal` is asked. The table is policy (``[access.operations]`` in
resources/policy.toml): each operation name (the service function's name, as the journal records it) lists the
roles that may perform it. An operation the table does not name is refused for everyone once a database has
accounts: a new operation must be given its roles before anyone can use it.

Pure: no database, no Qt. The accounts themselves live in the store (``store/accounts.py``); signing in and the
administrator's operations in ``services/accounts.py``; docs/accounts.md explains the whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chair_app.domain.errors import ChairError

ROLES = ("chair", "clerk", "manager", "administrator")
ROLE_WORDS = {
    "chair": "a chair",
    "clerk": "a clerk",
    "manager": "a manager",
    "administrator": "an administrator",
}

#: Operations allowed before anyone has signed in: signing in itself (and noting a failed attempt).
OPEN_OPERATIONS = frozenset({"sign_in", "sign_in_failed", "first_administrator"})


class NotAllowed(ChairError):
    """A signed-in account's role does not allow the operation, or no one is signed in, or the session ended."""


@dataclass(frozen=True)
class AccessPolicy:
    """``[access]`` in the policy file."""

    failed_attempts_before_lock: int = 5
    session_hours: int = 12
    idle_lock_minutes: int = 5
    password_min_length: int = 10
    operations: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def roles_for(self, operation: str) -> frozenset[str]:
        return self.operations.get(operation, frozenset())

    def allowed(self, roles: frozenset[str]) -> frozenset[str]:
        return frozenset(op for op, who in self.operations.items() if who & roles)


@dataclass(frozen=True)
class SignedIn:
    """The account signed in on this database connection: what every operation is checked against."""

    name: str
    roles: frozenset[str]
    expires_at: datetime  # UTC: after this the session has ended and the password is asked again
    policy: AccessPolicy = field(repr=False, compare=False, default_factory=AccessPolicy)

    def may(self, operation: str) -> bool:
        return bool(self.policy.roles_for(operation) & self.roles)


def roles_text(roles) -> str:
    """ "a chair or a manager" (in the table's role order)."""
    words = [ROLE_WORDS[r] for r in ROLES if r in roles]
    if not words:
        return "no role"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def refusal(operation: str, signed_in: SignedIn | None, *, accounts_in_force: bool, now: datetime) -> str | None:
    """Why ``operation`` may not go ahead now, as one line with the fix; None when it may.

    A database that has never had an account is open to whoever can open its file (the first-run hole,
    docs/accounts.md): the command line and the window ask for the first administrator before anything else.
    """
    if not accounts_in_force or operation in OPEN_OPERATIONS:
        return None
    if signed_in is None:
        return "sign in: this database has accounts; give --user NAME (and the password), or sign in in the window"
    if now >= signed_in.expires_at:
        return f"sign in: {signed_in.name}'s session ended at {signed_in.expires_at:%H:%M} UTC; sign in again"
    if signed_in.may(operation):
        return None
    who = signed_in.policy.roles_for(operation)
    if not who:
        return f"{operation}: no role may do this under the policy in force; ask an administrator to add it"
    mine = roles_text(signed_in.roles)
    return f"{operation}: {signed_in.name} signs in as {mine}; only {roles_text(who)} may do this"


def check(operation: str, signed_in: SignedIn | None, *, accounts_in_force: bool, now: datetime) -> None:
    problem = refusal(operation, signed_in, accounts_in_force=accounts_in_force, now=now)
    if problem:
        raise NotAllowed(problem)


# ---------------------------------------------------------------------------------------------------------
# Reading [access] from the policy file


KNOWN_ACCESS: dict[str, Any] = {
    "failed_attempts_before_lock": None,
    "session_hours": None,
    "idle_lock_minutes": None,
    "password_min_length": None,
    "operations": {"*": None},
}


def read_access(data: dict[str, Any], source: str) -> AccessPolicy:
    """``[access]`` of a parsed policy file, checked; a policy without the section gets the defaults' numbers
    and no operations (so a database with accounts refuses everything until the section is added)."""
    from chair_app.rules.policy import PolicyError

    section = data.get("access", {})
    if not isinstance(section, dict):
        raise PolicyError(f"policy {source}: access: must be a table ([access])")

    def count(key: str, low: int, high: int, default: int) -> int:
        value = section.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise PolicyError(f"policy {source}: access.{key}: must be a whole number from {low} to {high}")
        return value

    operations: dict[str, frozenset[str]] = {}
    table = section.get("operations", {})
    if not isinstance(table, dict):
        raise PolicyError(f"policy {source}: access.operations: must be a table of operation = [roles]")
    for name, roles in table.items():
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise PolicyError(f'policy {source}: access.operations.{name}: must be a list of roles like ["chair"]')
        for role in roles:
            if role not in ROLES:
                raise PolicyError(
                    f"policy {source}: access.operations.{name}: {role!r} is not a role ({', '.join(ROLES)})"
                )
        operations[name] = frozenset(roles)
    return AccessPolicy(
        failed_attempts_before_lock=count("failed_attempts_before_lock", 1, 100, 5),
        session_hours=count("session_hours", 1, 24 * 7, 12),
        idle_lock_minutes=count("idle_lock_minutes", 1, 240, 5),
        password_min_length=count("password_min_length", 8, 128, 10),
        operations=operations,
    )


def access_of(policy) -> AccessPolicy:
    """The access part of a loaded ``Policy`` (read from its parsed file; checked when the policy was loaded)."""
    return read_access(policy.raw, policy.source)
