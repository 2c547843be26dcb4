"""The window's question to encrypt a plain laptop database (issue 14): asked once of an administrator, Convert
now converts it on the thread pool and opens it again signed in as the same person; Not now is remembered."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QTimer

from chair_app.gui.launch import backend_opener
from chair_app.gui.main_window import MainWindow
from chair_app.services import accounts
from chair_app.services.context import open_app_database
from chair_app.services.demo import create_demo
from chair_app.services.encryption import offer_needed
from chair_app.store import keys
from chair_app.store.engine import open_database, sqlite_url

TODAY = date(2026, 11, 23)


@pytest.fixture
def demo_plain(tmp_path, policy):
    """A plain demo database (the demo conference and the demo's accounts, password "demo"), whose
    administrator also chairs (as on a chair's own laptop), so she sees the list she is asked about."""
    path = tmp_path / "laptop" / "chair.db"
    path.parent.mkdir()
    db = open_database(sqlite_url(path))
    bundle = create_demo(db, policy, TODAY)
    accounts.add_demo_accounts(db)
    accounts.sign_in(db, policy, "demo-admin", accounts.DEMO_PASSWORD)
    accounts.set_roles(db, "demo-admin", ["administrator", "chair"])
    db.dispose()
    return path, bundle


def _window(qtbot, path: Path, tmp_path, name="demo-admin") -> MainWindow:
    """The window on ``path``, signed in as ``name`` through its sign-in form."""

    def answer() -> None:
        dialog = getattr(window, "signin_dialog", None)
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, answer)
            return
        dialog.form.account.setText(name)
        dialog.form.password.setText(accounts.DEMO_PASSWORD)
        dialog.form.sign_in.click()

    window = None
    args = SimpleNamespace(db=sqlite_url(path), policy=None, demo=False)
    QTimer.singleShot(0, answer)
    window = MainWindow(backend_opener(args, lambda: window), demo=True, place_file=tmp_path / "place.json")
    window.backup_state_file = tmp_path / "backups.json"
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.is_ready() and window.model.rowCount() > 0)
    return window


def _listed(window) -> list[tuple]:
    model = window.model
    return sorted(tuple(model.index(r, c).data() for c in range(model.columnCount())) for r in range(model.rowCount()))


def test_consent_converts_the_demo_database_so_no_demo_name_is_in_its_bytes_and_the_window_shows_the_same_list(
    qtbot, demo_plain, tmp_path, policy
):
    path, bundle = demo_plain
    window = _window(qtbot, path, tmp_path)
    qtbot.waitUntil(lambda: getattr(window, "encrypt_dialog", None) is not None and window.encrypt_dialog.isVisible())
    dialog = window.encrypt_dialog
    words = dialog.explanation.text()
    assert "chair.db is converted into an encrypted file" in words
    assert "the plain copy is overwritten and removed" in words
    assert "each account's password unlocks it" in words
    before = _listed(window)
    names = [bundle.family.name, *(p.name for p in bundle.people), *(c.forename for c in bundle.children)]

    def raw() -> bytes:  # the database and every file beside it (its WAL, the key file)
        return b"".join(p.read_bytes() for p in path.parent.iterdir() if p.is_file())

    assert all(n.encode() in raw() for n in names)  # plain: the test can tell
    dialog.password.setText(accounts.DEMO_PASSWORD)
    dialog.convert.click()
    qtbot.waitUntil(
        lambda: (
            window.db is not None
            and window.db.database_key is not None
            and window.is_ready()
            and window.model.rowCount() == len(before)
        )
    )
    assert dialog.progress.value() == dialog.progress.maximum()
    assert "each counted in both files; the plain copy is removed" in dialog.message.text()
    assert _listed(window) == before
    assert window.db.signed_in.name == "demo-admin"
    assert keys.is_encrypted(path) and not path.with_name("chair.db.plain-old").exists()
    data = raw()
    assert [n for n in names if n.encode() in data or n.encode("utf-16-le") in data] == []
    dialog.not_now.click()  # now "Close"
    assert not dialog.isVisible()
    window.close()
    other = open_app_database(sqlite_url(path), unlock=lambda: ("demo-chair", accounts.DEMO_PASSWORD))
    other.dispose()  # the demo's other accounts open it too (their password is documented)


def test_not_now_is_remembered_for_this_database_without_its_name_and_asked_again_after_the_policy_days(
    qtbot, demo_plain, tmp_path, policy
):
    path, _bundle = demo_plain
    window = _window(qtbot, path, tmp_path)
    qtbot.waitUntil(lambda: getattr(window, "encrypt_dialog", None) is not None and window.encrypt_dialog.isVisible())
    window.encrypt_dialog.not_now.click()
    assert not window.encrypt_dialog.isVisible() and not keys.is_encrypted(path)
    asked = tmp_path / "encryption-asked.json"
    text = asked.read_text(encoding="utf-8")
    assert "chair.db" not in text and "laptop" not in text  # a hash and a time, nothing else
    (when,) = json.loads(text).values()
    assert offer_needed(window.db, policy, asked) is None  # not asked again today
    later = datetime.fromisoformat(when) + timedelta(days=7, minutes=1)
    assert offer_needed(window.db, policy, asked, now=later) == path  # the policy's 7 days: asked again
    window.close()
    again = _window(qtbot, path, tmp_path)  # a new window the same day does not ask
    qtbot.waitUntil(lambda: not again.tasks.busy())
    assert getattr(again, "encrypt_dialog", None) is None


def test_a_wrong_password_keeps_the_form_and_the_database_plain(qtbot, demo_plain, tmp_path):
    path, _bundle = demo_plain
    window = _window(qtbot, path, tmp_path)
    qtbot.waitUntil(lambda: getattr(window, "encrypt_dialog", None) is not None and window.encrypt_dialog.isVisible())
    dialog = window.encrypt_dialog
    dialog.password.setText("not it")
    dialog.convert.click()
    qtbot.waitUntil(lambda: "it is not right" in dialog.message.text())
    assert dialog.isVisible() and dialog.convert.isEnabled() and not keys.is_encrypted(path)
    assert window.db is not None and window.db.database_key is None


def test_only_an_account_that_may_convert_is_asked_and_not_when_the_policy_says_plain(demo_plain, tmp_path, policy):
    from chair_app.rules.policy import load_policy

    path, _bundle = demo_plain
    db = open_database(sqlite_url(path))
    asked = tmp_path / "asked.json"
    try:
        accounts.sign_in(db, policy, "demo-chair", accounts.DEMO_PASSWORD)
        assert offer_needed(db, policy, asked) is None  # a chair may not convert it: not asked
        accounts.sign_in(db, policy, "demo-admin", accounts.DEMO_PASSWORD)
        assert offer_needed(db, policy, asked) == path
        toml = (
            Path(policy.source)
            .read_text(encoding="utf-8")
            .replace("laptop_databases_encrypted = true", "laptop_databases_encrypted = false")
        )
        plain_policy = tmp_path / "policy.toml"
        plain_policy.write_text(toml, encoding="utf-8")
        assert offer_needed(db, load_policy(plain_policy), asked) is None
        assert offer_needed(db, policy, asked, now=datetime.now(UTC)) == path
    finally:
        db.dispose()
