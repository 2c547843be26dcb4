"""The ``account`` table, read and written with Core statements (services/accounts.py decides what to write).

No password is ever stored: only its argon2 hash. Accounts are never deleted, only disabled, so a database
that has once had an account always asks who is there (rules/access.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, insert, select, update

from chair_app.domain.model import new_id, utcnow
from chair_app.store.models import AccountTable

A = AccountTable.c


@dataclass(frozen=True)
class AccountRow:
    name: str
    full_name: str
    roles: frozenset[str]
    password_hash: str
    failed_attempts: int
    locked: bool
    disabled: bool
    created_at: datetime


def _row(r) -> AccountRow:
    roles = frozenset(x for x in r.roles.split(",") if x)
    return AccountRow(
        r.name, r.full_name, roles, r.password_hash, r.failed_attempts, r.locked, r.disabled, r.created_at
    )


def count(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(AccountTable)).scalar_one()


def get(conn: Connection, name: str) -> AccountRow | None:
    found = conn.execute(select(AccountTable).where(A.name == name)).first()
    return _row(found) if found else None


def all_accounts(conn: Connection) -> list[AccountRow]:
    return [_row(r) for r in conn.execute(select(AccountTable).order_by(A.name))]


def add(conn: Connection, *, name: str, full_name: str, roles: frozenset[str], password_hash: str) -> None:
    now = utcnow()
    conn.execute(
        insert(AccountTable).values(
            id=new_id(),
            name=name,
            full_name=full_name,
            roles=",".join(sorted(roles)),
            password_hash=password_hash,
            failed_attempts=0,
            locked=False,
            disabled=False,
            created_at=now,
            updated_at=now,
        )
    )


def change(conn: Connection, name: str, **values) -> None:
    if "roles" in values:
        values["roles"] = ",".join(sorted(values["roles"]))
    conn.execute(update(AccountTable).where(A.name == name).values(updated_at=utcnow(), **values))
