"""Opening the desktop window: checks first, then Qt, then the database, then the main window."""

from __future__ import annotations

import os
import sys
import time

from chair_app.domain.errors import ChairError
from chair_app.gui import preflight

# Set by bench/ to time start-up: "1" quits once the window is shown, "ready" once the list is filled;
# either way a "SHOWN <epoch seconds>" line is printed first.
ENV_EXIT_WHEN_SHOWN = "CHAIR_EXIT_WHEN_SHOWN"
# Set by bench/ for its start-up probes (bench/paint.py): its databases have no accounts, as a database set up
# before accounts existed, and nobody to answer the first administrator's form. Not a way round accounts: a
# database without accounts is open to its user until the first administrator is made (docs/accounts.md).
ENV_NO_FIRST_RUN_FORM = "CHAIR_NO_FIRST_RUN_FORM"


def launch(args) -> int:
    problem = preflight.problem()
    if problem:
        raise ChairError(problem)
    try:
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
    except ImportError as exc:
        raise ChairError(preflight.explain_import_error(exc)) from None

    from chair_app.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    sys.excepthook = _quiet_fault
    app.setApplicationName("Chair")
    app.setApplicationDisplayName("Chair")

    window = None
    window = MainWindow(backend_opener(args, lambda: window), demo=bool(args.demo))
    # A database with no accounts asks for its first administrator (gui/first_admin.py); not while bench/ times
    # start-up, whose databases have no accounts and nobody to answer.
    window.first_run_setup = not (os.environ.get(ENV_EXIT_WHEN_SHOWN) or os.environ.get(ENV_NO_FIRST_RUN_FORM))
    window.sig_refused.connect(app.exit)
    from chair_app.gui.placement import place_chair_window

    place_chair_window(window)  # on one monitor, also where only Xinerama knows there are two
    window.show()
    when = os.environ.get(ENV_EXIT_WHEN_SHOWN)
    if when:

        def shown(*_args) -> None:
            print(f"SHOWN {time.time():.6f}", flush=True)
            app.quit()

        if when == "ready":
            window.sig_rows_shown.connect(shown)
        else:
            QTimer.singleShot(0, shown)
    code = app.exec()
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(5000)  # let a store write in flight finish before exit
    return window.exit_code or code


def backend_opener(args, window_of):
    """What the window runs on a worker thread to open its database and policy (``window_of()``: the window,
    which holds the account and password it asked for when the database is encrypted)."""

    def open_backend():
        # On a worker thread, after the window is up: a malformed policy still stops start-up (exit 2).
        from chair_app.services.context import open_app_database, policy_in_force

        policy = policy_in_force(args.policy)  # first: a bad policy opens nothing
        from chair_app.services.accounts import DEMO_CHAIR, DEMO_PASSWORD

        # An encrypted database opens only with a password: the demo's is documented; for any other the first
        # try fails with PasswordNeeded, the window asks (gui/signin.ask_to_unlock) and opening runs again.
        given = getattr(window_of(), "unlock_credentials", None)
        unlock = (lambda: (DEMO_CHAIR, DEMO_PASSWORD)) if args.demo else (lambda: given) if given else None
        db = open_app_database(args.db, demo=bool(args.demo), unlock=unlock)
        _sign_in_window(db, policy, demo=bool(args.demo))
        if given and db.database_key is not None:  # the password that opened it signs the account in
            from chair_app.services.accounts import sign_in

            sign_in(db, policy, *given)
        return db, policy

    return open_backend


def _sign_in_window(db, policy, *, demo: bool) -> None:
    """Accounts (issue 14): the demo database signs in as its demo chair (password "demo", documented); another
    database with accounts is signed in by the window's sign-in form once it has opened (gui/signin.py)."""
    from chair_app.services import accounts

    if demo and db.accounts_in_force():
        accounts.sign_in(db, policy, accounts.DEMO_CHAIR, accounts.DEMO_PASSWORD)


def _quiet_fault(kind, exc, tb) -> None:
    """An unexpected fault in a slot: logged by type and place (never its message, which may quote personal
    data), one line on stderr, and the window carries on."""
    from chair_app.logs import setup_logging

    if exc.__traceback__ is None:
        exc = exc.with_traceback(tb)
    setup_logging().crash(exc)
    print(f"chair-app: unexpected error ({kind.__name__}); the log has details for support", file=sys.stderr)
