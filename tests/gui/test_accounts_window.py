"""The window with accounts (issue 14): sign-in, what each role sees, and the idle lock with the projector blank."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from chair_app.domain.enums import MappingSection
from chair_app.gui.lock import Blank
from chair_app.gui.main_window import MainWindow
from chair_app.rules.access import access_of
from chair_app.services import accounts, conferences
from chair_app.services.demo import build_demo

PASSWORD = "correct horse battery"


def _staffed(db, policy):
    stored = conferences.add_conference(db, build_demo(policy, date.today()))
    accounts.first_administrator(db, policy, name="admin", full_name="", password=PASSWORD)
    accounts.create_account(db, name="chair", full_name="Helen Marsh", roles=["chair"], password=PASSWORD)
    accounts.create_account(db, name="clerk", full_name="Colin Clerk", roles=["clerk"], password=PASSWORD)
    accounts.sign_out(db)
    return stored


def _window(qtbot, db, policy, tmp_path) -> MainWindow:
    window = MainWindow(lambda: (db, policy), place_file=tmp_path / "place.json")
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window.show()
    return window


def _signed_in(qtbot, db, policy, tmp_path, who: str) -> MainWindow:
    """``who`` signed in, and the window open on the list with nothing left to load."""
    accounts.sign_in(db, policy, who, PASSWORD)
    window = _window(qtbot, db, policy, tmp_path)
    qtbot.waitUntil(lambda: window.db is not None and not window.tasks.busy())
    return window


def test_a_database_with_accounts_asks_to_sign_in_first_and_a_wrong_password_keeps_the_form(
    qtbot, sqlite_db, policy, tmp_path
):
    _staffed(sqlite_db, policy)
    seen = []

    def answer() -> None:
        dialog = getattr(window, "signin_dialog", None)
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, answer)
            return
        form = dialog.form
        seen.append(window.model.rowCount())  # nothing listed while the form is up
        form.account.setText("clerk")
        form.password.setText("not it")
        form.sign_in.click()
        seen.append((dialog.isVisible(), form.message.text()))
        form.password.setText(PASSWORD)
        form.sign_in.click()

    QTimer.singleShot(0, answer)
    window = _window(qtbot, sqlite_db, policy, tmp_path)
    qtbot.waitUntil(lambda: window.db is not None and window.model.rowCount() == 1)
    assert seen[0] == 0
    assert seen[1] == (True, "sign in: wrong account name or password; 4 more wrong passwords lock the account")
    assert sqlite_db.signed_in.name == "clerk"
    assert "clerk (a clerk)" in window.windowTitle()


def test_closing_the_sign_in_form_opens_nothing(qtbot, sqlite_db, policy, tmp_path):
    _staffed(sqlite_db, policy)

    def close_it() -> None:
        dialog = getattr(window, "signin_dialog", None)
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, close_it)
            return
        dialog.form.cancel.click()

    QTimer.singleShot(0, close_it)
    window = _window(qtbot, sqlite_db, policy, tmp_path)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert window.db is None and sqlite_db.signed_in is None


def test_the_window_hides_what_a_role_may_not_do(qtbot, sqlite_db, policy, tmp_path):
    _staffed(sqlite_db, policy)
    accounts.sign_in(sqlite_db, policy, "clerk", PASSWORD)
    window = _window(qtbot, sqlite_db, policy, tmp_path)
    qtbot.waitUntil(lambda: window.db is not None and window.model.rowCount() == 1)
    assert not window.reports_button.isVisible()  # measures: chairs and managers
    assert window.new_button.isVisible() and window.open_button.isVisible()
    window.close()
    accounts.sign_in(sqlite_db, policy, "chair", PASSWORD)
    chair = _window(qtbot, sqlite_db, policy, tmp_path)
    qtbot.waitUntil(lambda: chair.db is not None and chair.model.rowCount() == 1)
    assert chair.reports_button.isVisible()


def _covers(widget) -> list[Blank]:
    return [c for c in widget.findChildren(Blank) if c.isVisible()]


def test_the_idle_lock_blanks_the_projector_at_the_same_moment_and_unlock_returns_to_the_same_place(
    qtbot, sqlite_db, policy, tmp_path
):
    stored = _staffed(sqlite_db, policy)
    window = _signed_in(qtbot, sqlite_db, policy, tmp_path, "chair")
    window.open_conference(stored.conference.id, "mapping")
    qtbot.waitUntil(lambda: window.session is not None)
    window.activateWindow()
    mapping = window.workspace.pages["mapping"]
    mapping.add_item(MappingSection.STRENGTH)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is mapping.item_text)
    qtbot.keyClicks(mapping.item_text, "Sue visits")
    window.present()
    room = window.presentation
    assert room is not None and room.isVisible() and not _covers(room)

    lock = window.idle_lock
    assert lock.timer.interval() == access_of(policy).idle_lock_minutes * 60_000 and lock.timer.isActive()
    lock.timer.timeout.emit()  # the policy's idle minutes have passed (no waiting in a test)

    # At the same moment: the room's view is covered black, the chair's window by the unlock form.
    assert lock.locked
    assert [c.geometry() for c in _covers(room)] == [room.rect()]
    main_cover = [c for c in _covers(window) if c.parent() is window]
    assert len(main_cover) == 1 and main_cover[0].geometry() == window.rect()
    assert not window.centralWidget().isEnabled()
    assert lock.form.account.text() == "chair"

    lock.form.password.setText("not it")
    assert lock.try_unlock() is False
    assert lock.locked and _covers(room) and "that is not it" in lock.form.message.text()

    lock.form.password.setText(PASSWORD)
    assert lock.try_unlock() is True
    assert not lock.locked and not _covers(room) and not _covers(window)
    assert window.centralWidget().isEnabled()
    # The same place: the same conference, the same step, the same field with the same text, keyboard back in it.
    assert window.session.bundle.conference.id == stored.conference.id
    assert window.workspace.stack.currentWidget() is mapping
    assert mapping.item_text.toPlainText() == "Sue visits"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is mapping.item_text)
    qtbot.keyClicks(mapping.item_text, " every evening")
    assert mapping.item_text.toPlainText() == "Sue visits every evening"
    assert "Sue visits every evening" in room.text()


def test_too_many_wrong_passwords_at_the_lock_close_the_window(qtbot, sqlite_db, policy, tmp_path):
    _staffed(sqlite_db, policy)
    window = _signed_in(qtbot, sqlite_db, policy, tmp_path, "chair")
    lock = window.idle_lock
    lock.lock()
    for _ in range(access_of(policy).failed_attempts_before_lock):
        lock.form.password.setText("wrong")
        lock.try_unlock()
    assert not window.isVisible()


def test_a_database_without_accounts_never_locks(qtbot, sqlite_db, policy, tmp_path):
    conferences.add_conference(sqlite_db, build_demo(policy, date.today()))
    window = _window(qtbot, sqlite_db, policy, tmp_path)
    qtbot.waitUntil(lambda: window.db is not None and window.model.rowCount() == 1)
    assert window.idle_lock is None
    assert window.reports_button.isVisible()


def test_an_encrypted_database_asks_for_the_password_before_opening_and_says_when_it_is_wrong(qtbot, tmp_path, policy):
    from types import SimpleNamespace

    from chair_app.gui.launch import backend_opener
    from chair_app.services.encryption import encrypt_database
    from chair_app.store.engine import open_database, sqlite_url

    url = sqlite_url(tmp_path / "chair.db")
    plain = open_database(url)
    conferences.add_conference(plain, build_demo(policy, date.today()))
    accounts.first_administrator(plain, policy, name="admin", full_name="", password=PASSWORD, also=("chair",))
    encrypt_database(plain, PASSWORD)
    seen = []

    def answer() -> None:
        dialog = getattr(window, "unlock_dialog", None)
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, answer)
            return
        seen.append(dialog.form.message.text())
        dialog.form.account.setText("admin")
        dialog.form.password.setText("not it" if len(seen) == 1 else PASSWORD)
        window.unlock_dialog = None
        dialog.form.sign_in.click()
        if len(seen) == 1:
            QTimer.singleShot(20, answer)

    window = None
    args = SimpleNamespace(db=url, policy=None, demo=False)
    QTimer.singleShot(0, answer)
    window = MainWindow(backend_opener(args, lambda: window), place_file=tmp_path / "place.json")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.db is not None and window.model.rowCount() == 1)
    assert seen == ["", "sign in: wrong account name or password; check both and try again"]
    assert window.db.signed_in.name == "admin" and window.db.database_key is not None


def test_the_window_locks_when_the_session_ends_and_the_password_starts_a_new_one(qtbot, sqlite_db, policy, tmp_path):
    _staffed(sqlite_db, policy)
    window = _signed_in(qtbot, sqlite_db, policy, tmp_path, "chair")
    lock = window.idle_lock
    hours = access_of(policy).session_hours
    assert lock.session_timer.isActive() and lock.session_timer.interval() > (hours - 1) * 3_600_000
    first_expiry = sqlite_db.signed_in.expires_at
    lock.session_timer.timeout.emit()  # the session's hours have passed
    assert lock.locked
    lock.form.password.setText(PASSWORD)
    assert lock.try_unlock()
    assert sqlite_db.signed_in.expires_at > first_expiry and lock.session_timer.isActive()


def test_the_workspace_hides_the_chairs_own_controls_from_a_clerk(qtbot, sqlite_db, policy, tmp_path):
    """A clerk types up and prepares: recording quoracy, standing down, the decision, revealing scores and
    signing off are the chair's, and their buttons are not shown to her (the services refuse them anyway)."""
    stored = _staffed(sqlite_db, policy)
    chair_only = {
        "welcome": ("quorate_button", "proceed_button", "stand_down_button"),
        "decision": ("record_button",),
        "mapping": ("reveal_button",),
        "close": ("sign_button",),
    }

    def shown(who: str) -> dict[str, bool]:
        accounts.sign_in(sqlite_db, policy, who, PASSWORD)
        window = _window(qtbot, sqlite_db, policy, tmp_path)
        qtbot.waitUntil(lambda: window.db is not None and not window.tasks.busy())
        window.open_conference(stored.conference.id, "welcome")
        qtbot.waitUntil(lambda: window.session is not None and window.is_ready())
        seen = {}
        for step, names in chair_only.items():
            window.workspace.go(step)
            for name in names:
                seen[name] = not getattr(window.workspace.pages[step], name).isHidden()  # (not hidden by role)
        window.close()
        return seen

    assert not any(shown("clerk").values())
    assert all(shown("chair").values())


def test_the_title_names_who_is_signed_in_on_the_list_in_a_conference_and_back_on_the_list(
    qtbot, sqlite_db, policy, tmp_path
):
    stored = _staffed(sqlite_db, policy)
    window = _signed_in(qtbot, sqlite_db, policy, tmp_path, "chair")
    titles = [window.windowTitle()]
    window.open_conference(stored.conference.id, "welcome")
    qtbot.waitUntil(lambda: window.session is not None and window.is_ready())
    titles.append(window.windowTitle())
    window.back_to_list()
    titles.append(window.windowTitle())
    assert titles == [
        "Chair - chair (a chair)",
        f"Chair: {stored.family.name} - chair (a chair)",
        "Chair - chair (a chair)",
    ]
