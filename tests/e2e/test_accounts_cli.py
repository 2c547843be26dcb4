"""Accounts on the command line (issue 14): --user, CHAIR_PASSWORD, first-run setup, one-line refusals."""

from __future__ import annotations

import os
import re

import pytest

from chair_app.store.engine import sqlite_url
from tests.e2e.test_cli import db_state, refused, run


@pytest.fixture
def env(tmp_path):
    e = dict(os.environ)
    e["CHAIR_DB_URL"] = sqlite_url(tmp_path / "chair.db")
    e["CHAIR_LOG_DIR"] = str(tmp_path / "log")
    e.pop("CHAIR_POLICY", None)
    return e


PASSWORD = "correct horse battery"


def _as(env, user=None, password=PASSWORD):
    e = dict(env)
    e.pop("CHAIR_PASSWORD", None)
    if password is not None:
        e["CHAIR_PASSWORD"] = password
    return e, (["--user", user] if user else [])


def _staffed(env):
    run(env, "demo")
    admin, flags = _as(env, "admin")
    made = run(admin, *flags, "setup", "--name", "Ada Admin").stdout
    assert "Created admin (an administrator)" in made
    for name, roles, full in (("clerk", "clerk", ""), ("chair", "chair", "Helen Marsh"), ("manager", "manager", "")):
        e = dict(admin, CHAIR_NEW_PASSWORD=PASSWORD)
        run(e, *flags, "account", "add", name, "--roles", roles, *(("--name", full) if full else ()))
    return re.search(r"^(C-[0-9A-F]{6})\s", run(_as(env, "chair")[0], "--user", "chair", "list").stdout, re.M).group(1)


def test_a_database_with_accounts_refuses_a_command_without_user_in_one_line(env):
    _staffed(env)
    e, _ = _as(env)
    refused(run(e, "list", check=False), "--user: this database has accounts")


def test_a_wrong_password_is_refused_in_one_line_and_changes_no_conference(env):
    _staffed(env)
    before = {k: v for k, v in db_state(env).items() if k not in ("account", "journal")}
    e, flags = _as(env, "clerk", "wrong password")
    refused(run(e, *flags, "list", check=False), "wrong account name or password")
    assert {k: v for k, v in db_state(env).items() if k not in ("account", "journal")} == before


def test_each_role_on_the_command_line_may_do_its_work_and_is_refused_the_rest(env, tmp_path):
    ref = _staffed(env)
    clerk, flags = _as(env, "clerk")
    assert ref in run(clerk, *flags, "list").stdout
    refused(run(clerk, *flags, "finalise", ref, check=False), "finalise: clerk signs in as a clerk; only a chair")
    manager, mflags = _as(env, "manager")
    refused(run(manager, *mflags, "account", "list", check=False), "only an administrator may do this")
    admin, aflags = _as(env, "admin")
    refused(run(admin, *aflags, "list", check=False), "list_conferences: admin signs in as an administrator")
    assert "clerk" in run(admin, *aflags, "account", "list").stdout
    chair, cflags = _as(env, "chair")
    # --by: the account's full name, which must be the conference's chair's (the demo's is Helen Marsh)
    assert "signed off by Helen Marsh" in run(chair, *cflags, "finalise", ref).stdout


def test_the_account_locks_after_five_wrong_passwords_and_the_administrator_unlocks_it(env):
    _staffed(env)
    wrong, flags = _as(env, "clerk", "wrong password")
    for _ in range(4):
        refused(run(wrong, *flags, "list", check=False), "wrong account name or password")
    refused(run(wrong, *flags, "list", check=False), "now locked after 5 wrong passwords")
    right, _ = _as(env, "clerk")
    refused(run(right, *flags, "list", check=False), "is locked")
    admin, aflags = _as(env, "admin")
    run(admin, *aflags, "account", "unlock", "clerk")
    run(right, *flags, "list")


def test_user_on_a_database_without_accounts_points_to_setup(env):
    run(env, "demo")
    e, flags = _as(env, "someone")
    refused(run(e, *flags, "list", check=False), "no accounts yet", "setup")


def test_setup_is_refused_once_the_database_has_accounts(env):
    _staffed(env)
    e, flags = _as(env, "intruder")
    refused(run(e, *flags, "setup", check=False), "already has accounts")


def test_a_password_is_never_read_from_a_pipe_without_the_environment_variable(env):
    _staffed(env)
    e, flags = _as(env, "clerk", password=None)
    refused(run(e, *flags, "list", check=False), "set CHAIR_PASSWORD or run the command in a terminal")


def test_the_demo_database_signs_in_as_the_demo_chair_without_a_password(env, tmp_path):
    e = dict(env, XDG_DATA_HOME=str(tmp_path / "data"))
    e.pop("CHAIR_DB_URL")
    e.pop("CHAIR_PASSWORD", None)
    assert "Demo accounts demo-chair" in run(e, "--demo", "demo").stdout
    assert "Hayes family" in run(e, "--demo", "list").stdout
    refused(run(e, "--demo", "--user", "demo-clerk", "finalise", "C-000000", check=False), "only a chair")


def test_the_demo_database_encrypted_on_the_command_line_still_opens_with_one_command(env, tmp_path):
    e = dict(env, XDG_DATA_HOME=str(tmp_path / "data"))
    e.pop("CHAIR_DB_URL")
    e.pop("CHAIR_PASSWORD", None)
    run(e, "--demo", "demo")
    refused(run(e, "--demo", "--user", "demo-admin", "encrypt", check=False), "give --yes to agree")
    assert "the plain copy is removed" in run(e, "--demo", "--user", "demo-admin", "encrypt", "--yes").stdout
    folder = tmp_path / "data" / "chair-app"
    raw = b"".join(p.read_bytes() for p in folder.iterdir() if p.is_file())
    assert b"Hayes" not in raw and b"Danielle" not in raw
    assert "Hayes family" in run(e, "--demo", "list").stdout  # demo-chair, password demo: still one command


def test_restore_over_a_database_with_accounts_needs_an_account_allowed_to_restore(env, tmp_path):
    """A clerk may not replace the unit's record with a backup (the policy gives restore to chairs and
    administrators): refused in one line before anything is touched; the administrator may."""
    _staffed(env)
    admin, flags = _as(env, "admin")
    run(admin, *flags, "backup", "--out", str(tmp_path / "copy.db"))
    before = db_state(env)
    clerk, clerk_flags = _as(env, "clerk")
    refused(run(clerk, *clerk_flags, "restore", str(tmp_path / "copy.db"), check=False), "restore")
    assert db_state(env) == before
    assert not list(tmp_path.glob("chair.db.before-restore*")) and not list(tmp_path.glob("*.kept*"))
    assert "Restored" in run(admin, *flags, "restore", str(tmp_path / "copy.db")).stdout
