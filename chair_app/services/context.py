"""What every entry point (window or command) opens first: the database and the policy in force."""

from __future__ import annotations

from chair_app.rules.policy import Policy, load_policy
from chair_app.store.engine import Database, default_data_dir, open_database, sqlite_url


def open_app_database(url: str | None = None, *, demo: bool = False) -> Database:
    """The database chosen by --db / CHAIR_DB_URL, the demo database when asked, else the user's own."""
    if demo and not url:
        url = sqlite_url(default_data_dir() / "demo.db")
    return open_database(url)


def policy_in_force(path: str | None = None) -> Policy:
    return load_policy(path)
