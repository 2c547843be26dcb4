"""Encryption at rest (issue 14): SQLCipher with a database key wrapped per account (store/keys.py)."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from chair_app.domain.errors import ChairError, InvalidInput
from chair_app.rules.access import NotAllowed
from chair_app.services import accounts, conferences
from chair_app.services.context import open_app_database
from chair_app.services.demo import create_demo
from chair_app.services.encryption import encrypt_database
from chair_app.store import keys
from chair_app.store.engine import SQLITE_FILES, open_database, sqlite_url
from tests.conftest import dump

TODAY = date(2026, 11, 23)
PASSWORD = "correct horse battery"


@pytest.fixture
def plain(tmp_path, policy):
    """A plain laptop database with the demo conference, an administrator and a clerk."""
    path = tmp_path / "chair.db"
    db = open_database(sqlite_url(path))
    bundle = create_demo(db, policy, TODAY)
    accounts.first_administrator(db, policy, name="admin", full_name="", password=PASSWORD)
    accounts.create_account(db, name="clerk", full_name="", roles=["clerk"], password=PASSWORD)
    return path, db, bundle


def _open(path, policy, name="admin", password=PASSWORD):
    db = open_app_database(sqlite_url(path), unlock=lambda: (name, password))
    accounts.sign_in(db, policy, name, password)
    return db


def test_conversion_keeps_every_row_and_the_plain_copy_is_gone(plain, policy):
    path, db, _bundle = plain
    before = dump(db)
    result = encrypt_database(db, PASSWORD)
    assert result.waiting == ("clerk",)
    assert not path.with_name(path.name + ".plain-old").exists()
    assert not path.with_name(path.name + ".encrypting").exists()
    assert all(
        not path.with_name(path.name + s).exists() or path.with_name(path.name + s).stat().st_size == 0
        for s in SQLITE_FILES[1:]
    )
    again = _open(path, policy)
    try:
        assert dump(again) == before
    finally:
        again.dispose()


def test_the_encrypted_file_holds_no_name_from_the_demo(plain, policy):
    path, db, bundle = plain
    names = [bundle.family.name, *(p.name for p in bundle.people), *(c.forename for c in bundle.children)]

    def raw() -> bytes:  # the database and every file beside it (its WAL, the key file)
        return b"".join(p.read_bytes() for p in path.parent.iterdir() if p.is_file())

    assert all(n.encode() in raw() for n in names)  # a plain database shows them all (so the test can tell)
    encrypt_database(db, PASSWORD)
    raw = raw()
    found = [n for n in names if n.encode() in raw or n.encode("utf-16-le") in raw]
    assert found == []


def test_the_encrypted_file_cannot_be_opened_without_a_password(plain, policy):
    path, db, _bundle = plain
    encrypt_database(db, PASSWORD)
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT count(*) FROM conference").fetchone()
    with pytest.raises(ChairError, match="this database is encrypted; give --user NAME"):
        open_app_database(sqlite_url(path))
    with pytest.raises(ChairError, match="wrong account name or password"):
        open_app_database(sqlite_url(path), unlock=lambda: ("admin", "not the password"))
    with pytest.raises(ChairError, match="wrong account name or password"):
        open_app_database(sqlite_url(path), unlock=lambda: ("nobody", PASSWORD))
    with pytest.raises(ChairError):  # the plain way in, as an older Chair or a person would try it
        open_database(sqlite_url(path))


def test_a_password_change_rewraps_the_same_key_and_leaves_the_old_password_useless(plain, policy):
    path, db, _bundle = plain
    encrypt_database(db, PASSWORD)
    key = keys.unlock(path, "admin", PASSWORD)
    again = _open(path, policy)
    try:
        accounts.change_own_password(again, PASSWORD, "a brand new password")
    finally:
        again.dispose()
    assert keys.unlock(path, "admin", "a brand new password") == key
    with pytest.raises(keys.WrongPassword):
        keys.unlock(path, "admin", PASSWORD)


def test_an_account_is_let_in_once_an_administrator_sets_its_password(plain, policy):
    path, db, bundle = plain
    encrypt_database(db, PASSWORD)
    with pytest.raises(keys.WrongPassword):
        open_app_database(sqlite_url(path), unlock=lambda: ("clerk", PASSWORD))
    admin = _open(path, policy)
    try:
        accounts.reset_password(admin, "clerk", "the clerk's new password")
    finally:
        admin.dispose()
    clerk = _open(path, policy, "clerk", "the clerk's new password")
    try:
        assert conferences.load(clerk, bundle.conference.ref).conference.id == bundle.conference.id
    finally:
        clerk.dispose()


def test_encryption_is_refused_to_a_clerk_and_to_a_database_already_encrypted(plain, policy):
    path, db, _bundle = plain
    accounts.sign_in(db, policy, "clerk", PASSWORD)
    before = path.read_bytes()
    with pytest.raises(NotAllowed, match="encrypt_database: clerk signs in as a clerk; only an administrator"):
        encrypt_database(db, PASSWORD)
    assert path.read_bytes() == before and not keys.is_encrypted(path)
    accounts.sign_in(db, policy, "admin", PASSWORD)
    encrypt_database(db, PASSWORD)
    again = _open(path, policy)
    try:
        with pytest.raises(InvalidInput, match="encrypted already"):
            encrypt_database(again, PASSWORD)
    finally:
        again.dispose()


def test_a_damaged_wrap_is_told_apart_from_a_wrong_password(plain, policy):
    path, db, _bundle = plain
    encrypt_database(db, PASSWORD)
    doc = keys.read_keys(path)
    doc["accounts"]["admin"]["salt"] = "not base64!"
    keys.write_keys(path, doc)
    with pytest.raises(ChairError, match="the key file is damaged"):
        keys.unlock(path, "admin", PASSWORD)


def test_the_change_watcher_reads_an_encrypted_database_with_its_key(plain, policy):
    from chair_app.services.changes import watch

    path, db, bundle = plain
    encrypt_database(db, PASSWORD)
    again = _open(path, policy)
    watcher = watch(again)
    try:
        assert not watcher.wait(0)  # nothing yet: and no "file is not a database"
        other = _open(path, policy)
        try:
            accounts.create_account(other, name="manager", full_name="", roles=["manager"], password=PASSWORD)
        finally:
            other.dispose()
        assert watcher.wait(5)  # a change made by another connection is heard
    finally:
        watcher.close()
        again.dispose()


def test_a_backup_of_an_encrypted_database_is_encrypted_with_its_keys_and_opens_with_the_same_password(
    plain, policy, tmp_path
):
    from chair_app.services.backup import backup_database, check_copy

    path, db, bundle = plain
    encrypt_database(db, PASSWORD)
    again = _open(path, policy)
    out = tmp_path / "backups" / "monday.db"
    out.parent.mkdir()
    try:
        result = backup_database(again, out, state_file=tmp_path / "state.json")
    finally:
        again.dispose()
    assert result.conferences == 1 and keys.is_encrypted(out)
    assert bundle.family.name.encode() not in out.read_bytes()
    copy = keys.sqlcipher_connection(out, keys.unlock(out, "admin", PASSWORD))  # the same password opens it
    try:
        assert copy.execute("SELECT name FROM family").fetchall() == [(bundle.family.name,)]
    finally:
        copy.close()
    with pytest.raises(InvalidInput, match="is an encrypted backup; it is checked with the password"):
        check_copy(out)
