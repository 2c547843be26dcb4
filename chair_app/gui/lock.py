"""The idle lock (issue 14): after the policy's ``idle_lock_minutes`` without a key or mouse press the window
locks behind the signed-in account's password, and at the same moment every other window of Chair (the
projector's view of the map first) goes blank.

Locking changes nothing underneath: the window, its open conference, its step and the field being typed in stay
exactly as they were, covered. Every edit was already stored as it was made, so nothing is lost whatever
happens while locked. Unlocking with the password uncovers them and gives the keyboard back to the widget that
had it. After the policy's ``failed_attempts_before_lock`` wrong passwords in a row the window closes (closing
loses nothing). The window also locks when the sign-in's session ends (``session_hours``), busy or not, and the
password starts a new one. Only a database with accounts is locked: there is no password to ask otherwise.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from chair_app.gui.signin import SignInForm

INPUT_EVENTS = frozenset(
    {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel, QEvent.Type.TouchBegin}
)


class Blank(QWidget):
    """An opaque cover over one window: black on the projector, the unlock form on the chair's window."""

    def __init__(self, parent: QWidget, *, form: bool) -> None:
        super().__init__(parent)
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(
            self.backgroundRole(), pal.color(pal.ColorRole.Window) if form else pal.color(pal.ColorRole.Shadow)
        )
        self.setPalette(pal)
        self.setStyleSheet("" if form else "background: black;")
        self.setGeometry(parent.rect())
        parent.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(obj.rect())
        return False


class IdleLock(QObject):
    def __init__(self, window, minutes: int, attempts: int) -> None:
        super().__init__(window)
        self.window, self.attempts = window, attempts
        self.timer = QTimer(self, singleShot=True, interval=minutes * 60_000)
        self.timer.timeout.connect(self.lock)
        self.locked = False
        self.covers: list[Blank] = []
        self.form: SignInForm | None = None
        self._focus: QWidget | None = None
        self._disabled: list[QWidget] = []
        self.wrong = 0
        # The sign-in's session ends (the policy's session_hours) even while someone is busy: then it locks too.
        self.session_timer = QTimer(self, singleShot=True)
        self.session_timer.timeout.connect(self.lock)
        QApplication.instance().installEventFilter(self)
        self.timer.start()
        self._time_session()

    def _time_session(self) -> None:
        from chair_app.domain.model import utcnow

        signed = self.window.db.signed_in if self.window.db is not None else None
        if signed is None:
            return
        left_ms = int((signed.expires_at - utcnow()).total_seconds() * 1000)
        self.session_timer.start(max(0, min(left_ms, 2**31 - 1)))

    def eventFilter(self, obj, event) -> bool:
        if not self.locked and event.type() in INPUT_EVENTS:
            self.timer.start()  # restarted by every key or mouse press anywhere in Chair
        return False

    def stop(self) -> None:
        self.timer.stop()
        self.session_timer.stop()
        QApplication.instance().removeEventFilter(self)

    # Locking -----------------------------------------------------------------------------------------

    def lock(self) -> None:
        """Cover every window of Chair at once: the chair's with the unlock form, the others (the projector) blank."""
        if self.locked:
            return
        self.locked = True
        self.wrong = 0
        self._focus = QApplication.focusWidget()
        window = self.window
        others = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not window and w.isWindow()]
        presentation = getattr(window, "presentation", None)
        if presentation is not None and presentation.isVisible() and presentation not in others:
            others.insert(0, presentation)
        for w in others:
            cover = Blank(w, form=False)
            cover.show()
            cover.raise_()
            self.covers.append(cover)
        main = Blank(window, form=True)
        self.covers.append(main)
        # Keyboard and mouse go nowhere but the form: everything under the cover is switched off until unlocked.
        self._disabled = [w for w in (window.centralWidget(), window.menuBar(), window.statusBar()) if w.isEnabled()]
        for w in self._disabled:
            w.setEnabled(False)
        name = window.db.signed_in.name if window.db is not None and window.db.signed_in else ""
        self.form = SignInForm(main, f"Chair is locked. {name}, type your password to carry on where you were.")
        self.form.setObjectName("unlockForm")
        self.form.account.setText(name)
        self.form.account.setEnabled(False)
        self.form.cancel.setText("&Close Chair")
        self.form.sign_in.setText("&Unlock")
        self.form.sign_in.clicked.connect(self.try_unlock)
        self.form.password.returnPressed.connect(self.try_unlock)
        self.form.cancel.clicked.connect(window.close)
        box = QVBoxLayout(main)
        box.addStretch(1)
        self.form.setMinimumWidth(min(480, window.width() - 40))
        self.form.setMaximumWidth(640)
        self.form.setMinimumHeight(self.form.sizeHint().height())  # never squeezed by the stretch around it
        box.addWidget(self.form, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addStretch(2)
        main.show()
        main.raise_()
        self.form.password.setFocus()

    def try_unlock(self) -> bool:
        from chair_app.services import accounts

        window = self.window
        password = self.form.password.text()
        self.form.password.clear()
        if window.db is not None and accounts.check_password(window.db, password):
            accounts.renew(window.db, window.policy)  # a new session period: the password was just proved
            self.unlock()
            return True
        self.wrong += 1
        if self.wrong >= self.attempts:
            window.close()
            return False
        left = self.attempts - self.wrong
        self.form.say(f"Password: that is not it; {left} more wrong and Chair closes (nothing is lost)")
        self.form.password.setFocus()
        return False

    def unlock(self) -> None:
        for cover in self.covers:
            cover.hide()
            cover.deleteLater()
        self.covers = []
        self.form = None
        for w in self._disabled:
            w.setEnabled(True)
        self._disabled = []
        self.locked = False
        if self._focus is not None:
            self._focus.setFocus()
        self.timer.start()
        self._time_session()  # the password renewed the session


def start_idle_lock(window) -> IdleLock | None:
    """The window's lock, when its database has accounts and someone is signed in (else None)."""
    db = window.db
    if db is None or db.signed_in is None:
        return None
    access = db.signed_in.policy
    return IdleLock(window, access.idle_lock_minutes, access.failed_attempts_before_lock)
