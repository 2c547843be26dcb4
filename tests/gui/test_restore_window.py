"""File > Restore from a backup… (issue 14): an encrypted backup is checked with the password before anything is
replaced; the window shows the restored record, signed in as the same person."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from chair_app.gui.backup_menu import restore_now
from chair_app.gui.launch import backend_opener
from chair_app.gui.main_window import MainWindow
from chair_app.services import accounts, conferences
from chair_app.services.backup import backup_database
from chair_app.services.context import open_app_database
from chair_app.services.demo import build_demo
from chair_app.services.encryption import encrypt_database
from chair_app.store import keys
from chair_app.store.engine import open_database, sqlite_url

PASSWORD = "correct horse battery"


@pytest.fixture
def encrypted_with_backup(tmp_path, policy):
    """An encrypted database holding two conferences, and its encrypted backup taken when it held one."""
    path = tmp_path / "laptop" / "chair.db"
    path.parent.mkdir()
    plain = open_database(sqlite_url(path))
    conferences.add_conference(plain, build_demo(policy, date.today()))
    accounts.first_administrator(plain, policy, name="admin", full_name="", password=PASSWORD, also=("chair",))
    encrypt_database(plain, PASSWORD)
    db = open_app_database(sqlite_url(path), unlock=lambda: ("admin", PASSWORD))
    accounts.sign_in(db, policy, "admin", PASSWORD)
    out = tmp_path / "backups" / "monday.db"
    out.parent.mkdir()
    backup_database(db, out, state_file=tmp_path / "state.json")
    conferences.add_conference(db, build_demo(policy, date.today()))
    db.dispose()
    return path, out


def _window(qtbot, path: Path, tmp_path, credentials=("admin", PASSWORD)) -> MainWindow:
    window = None
    args = SimpleNamespace(db=sqlite_url(path), policy=None, demo=False)
    window = MainWindow(backend_opener(args, lambda: window), place_file=tmp_path / "place.json")
    window.backup_state_file = tmp_path / "state.json"
    if credentials:
        window.unlock_credentials = credentials
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.is_ready() and window.model.rowCount() > 0)
    return window


def _hashes(folder: Path) -> dict[str, str]:
    """Every file's hash; the shared-memory index only by name (the open window's reads touch it)."""
    return {
        p.name: "" if p.name.endswith("-shm") else hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def test_restoring_an_encrypted_backup_in_the_window_shows_the_backups_conferences(
    qtbot, encrypted_with_backup, tmp_path
):
    path, out = encrypted_with_backup
    window = _window(qtbot, path, tmp_path)
    assert window.model.rowCount() == 2
    assert window.restore_action in window.menuBar().actions()[0].menu().actions()
    restore_now(window, out, credentials=("admin", PASSWORD), confirm=False)
    qtbot.waitUntil(lambda: "Restored 1 conference from monday.db" in window.statusBar().currentMessage())
    qtbot.waitUntil(lambda: window.is_ready() and window.model.rowCount() == 1)
    assert "the record it replaced is kept as chair.db.before-restore-" in window.statusBar().currentMessage()
    assert window.db.signed_in.name == "admin"


def test_a_wrong_password_in_the_window_is_refused_and_the_database_files_are_unchanged(
    qtbot, encrypted_with_backup, tmp_path
):
    path, out = encrypted_with_backup
    window = _window(qtbot, path, tmp_path)
    before = _hashes(path.parent)
    restore_now(window, out, credentials=("admin", "not the password"), confirm=False)
    qtbot.waitUntil(lambda: "do not open monday.db" in window.statusBar().currentMessage())
    assert "nothing was replaced" in window.statusBar().currentMessage()
    assert _hashes(path.parent) == before
    window.refresh()
    qtbot.waitUntil(window.is_ready)
    assert window.model.rowCount() == 2


def test_an_encrypted_backup_restored_over_a_plain_database_reopens_the_window_signed_in_on_it(
    qtbot, encrypted_with_backup, tmp_path, policy
):
    _path, out = encrypted_with_backup
    target = tmp_path / "other" / "chair.db"
    target.parent.mkdir()
    plain = open_database(sqlite_url(target))  # a plain database without accounts, three conferences
    for _ in range(3):
        conferences.add_conference(plain, build_demo(policy, date.today()))
    plain.dispose()
    window = _window(qtbot, target, tmp_path, credentials=None)
    assert window.model.rowCount() == 3 and window.db.database_key is None
    restore_now(window, out, credentials=("admin", PASSWORD), confirm=False)
    qtbot.waitUntil(lambda: "Restored 1 conference from monday.db" in window.statusBar().currentMessage())
    qtbot.waitUntil(lambda: window.db is not None and window.is_ready() and window.model.rowCount() == 1)
    assert keys.is_encrypted(target) and window.db.database_key is not None
    assert window.db.signed_in.name == "admin"


def test_a_clerk_is_not_offered_restore_and_the_service_refuses_her(qtbot, sqlite_db, policy, tmp_path):
    from chair_app.rules.access import NotAllowed
    from chair_app.services.backup import restore_database

    conferences.add_conference(sqlite_db, build_demo(policy, date.today()))
    accounts.first_administrator(sqlite_db, policy, name="admin", full_name="", password=PASSWORD, also=("chair",))
    accounts.create_account(sqlite_db, name="clerk", full_name="Colin Clerk", roles=["clerk"], password=PASSWORD)
    out = tmp_path / "copy.db"
    backup_database(sqlite_db, out, state_file=tmp_path / "state.json")
    accounts.sign_in(sqlite_db, policy, "clerk", PASSWORD)
    window = MainWindow(lambda: (sqlite_db, policy), place_file=tmp_path / "place.json")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.is_ready() and window.model.rowCount() == 1)
    assert not window.restore_action.isVisible() and window.backup_action.isVisible()
    url = sqlite_db.engine.url.render_as_string(hide_password=False)
    with pytest.raises(NotAllowed):
        restore_database(url, out, db=sqlite_db)
    assert not list(Path(sqlite_db.engine.url.database).parent.glob("*.before-restore-*"))
