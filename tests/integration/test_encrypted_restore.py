"""Restoring an encrypted backup (issue 14): checked with an account's password before anything is replaced."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from chair_app.domain.errors import InvalidInput
from chair_app.services import accounts
from chair_app.services.backup import backup_database, restore_database
from chair_app.services.context import open_app_database
from chair_app.services.demo import create_demo
from chair_app.services.encryption import encrypt_database
from chair_app.store import keys
from chair_app.store.engine import open_database, sqlite_url
from tests.conftest import dump

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 23)
PASSWORD = "correct horse battery"


def _open(path, policy, name="admin", password=PASSWORD):
    db = open_app_database(sqlite_url(path), unlock=lambda: (name, password))
    accounts.sign_in(db, policy, name, password)
    return db


@pytest.fixture
def encrypted(tmp_path, policy):
    """An encrypted laptop database with the demo conference and an administrator, and its encrypted backup
    (taken before an account "extra" was added), with the database's rows at the moment of the backup."""
    path = tmp_path / "laptop" / "chair.db"
    path.parent.mkdir()
    db = open_database(sqlite_url(path))
    bundle = create_demo(db, policy, TODAY)
    accounts.first_administrator(db, policy, name="admin", full_name="", password=PASSWORD)
    encrypt_database(db, PASSWORD)
    db = _open(path, policy)
    try:
        at_backup = dump(db)
        out = tmp_path / "backups" / "monday.db"
        out.parent.mkdir()
        backup_database(db, out, state_file=tmp_path / "state.json")
        accounts.create_account(db, name="extra", full_name="", roles=["clerk"], password=PASSWORD)
        assert dump(db) != at_backup
    finally:
        db.dispose()
    return path, out, at_backup, bundle


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_an_encrypted_backup_restored_over_its_database_holds_the_backups_rows_and_an_open_connection_sees_them(
    encrypted, policy
):
    path, out, at_backup, _bundle = encrypted
    held = _open(path, policy)  # the window would hold it open while the restore runs
    try:
        result = restore_database(sqlite_url(path), out, credentials=lambda: ("admin", PASSWORD))
        assert dump(held) == at_backup
    finally:
        held.dispose()
    assert result.conferences == 1 and result.kept_aside is not None
    again = _open(path, policy)
    try:
        assert dump(again) == at_backup
    finally:
        again.dispose()
    kept = result.kept_aside  # the replaced database, still encrypted, opens with its own key file
    assert keys.is_encrypted(kept)
    aside = _open(kept, policy)
    try:
        assert {a.name for a in accounts.list_accounts(aside)} == {"admin", "extra"}
    finally:
        aside.dispose()


def test_a_wrong_password_is_refused_in_one_line_and_the_database_is_unchanged(encrypted, policy):
    path, out, _at_backup, _bundle = encrypted
    before = _hashes(path.parent)
    with pytest.raises(InvalidInput, match="that account name and password do not open monday.db") as caught:
        restore_database(sqlite_url(path), out, credentials=lambda: ("admin", "not the password"))
    assert "\n" not in str(caught.value) and "nothing was replaced" in str(caught.value)
    assert _hashes(path.parent) == before  # no file changed, none added (nothing kept aside either)


def test_an_encrypted_backup_needs_credentials_and_a_plain_backup_cannot_undo_the_encryption(
    encrypted, policy, tmp_path
):
    path, out, _at_backup, _bundle = encrypted
    before = _hashes(path.parent)
    with pytest.raises(InvalidInput, match="is an encrypted backup; give --user NAME"):
        restore_database(sqlite_url(path), out)
    plain = tmp_path / "plain.db"
    open_database(sqlite_url(plain)).dispose()
    with pytest.raises(InvalidInput, match="is a plain backup, which would undo the encryption"):
        restore_database(sqlite_url(path), plain)
    assert _hashes(path.parent) == before


def test_an_encrypted_backup_restored_over_a_plain_database_leaves_no_plain_copy(encrypted, policy, tmp_path):
    path, out, at_backup, bundle = encrypted
    target = tmp_path / "other" / "chair.db"
    target.parent.mkdir()
    plain = open_database(sqlite_url(target))
    create_demo(plain, policy, TODAY)  # a plain database with the demo family in it
    plain.dispose()
    result = restore_database(sqlite_url(target), out, credentials=lambda: ("admin", PASSWORD))
    assert keys.is_encrypted(target)
    assert bundle.family.name.encode() not in target.read_bytes()
    assert not target.with_name("chair.db.plain-old").exists()
    assert result.kept_aside is not None  # the plain database, kept aside as a restore always does
    again = _open(target, policy)
    try:
        assert dump(again) == at_backup
    finally:
        again.dispose()


def test_the_restore_command_asks_for_the_password_and_refuses_a_wrong_one_with_exit_status_2(encrypted, policy):
    path, out, at_backup, _bundle = encrypted
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CHAIR_PASSWORD": "wrong"}
    cmd = [sys.executable, "-m", "chair_app", "--db", sqlite_url(path), "--user", "admin", "restore", str(out)]
    before = _hashes(path.parent)
    wrong = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
    assert wrong.returncode == 2, wrong.stderr
    # The database in use is opened first (to check the account may restore): the wrong password stops there.
    assert wrong.stderr.strip().count("\n") == 0 and "wrong account name or password" in wrong.stderr
    assert _hashes(path.parent) == before
    env["CHAIR_PASSWORD"] = PASSWORD
    right = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
    assert right.returncode == 0, right.stderr
    assert right.stdout.startswith("Restored 1 conferences from")
    again = _open(path, policy)
    try:
        assert dump(again) == at_backup
    finally:
        again.dispose()


def test_an_encrypted_backup_restored_where_there_is_no_database_yet_opens_with_its_password(
    encrypted, policy, tmp_path
):
    _path, out, at_backup, _bundle = encrypted
    target = tmp_path / "new-laptop" / "chair.db"
    result = restore_database(sqlite_url(target), out, credentials=lambda: ("admin", PASSWORD))
    assert result.kept_aside is None and result.replaced_file and keys.is_encrypted(target)
    again = _open(target, policy)
    try:
        assert dump(again) == at_backup
    finally:
        again.dispose()
