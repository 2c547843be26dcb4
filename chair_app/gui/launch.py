"""Opening the desktop window: checks first, then Qt, then the database, then the main window."""

from __future__ import annotations

import os
import sys

from chair_app.domain.errors import ChairError
from chair_app.gui import preflight

# Set by bench/ to time process start to the main window shown: the app quits once it has painted.
ENV_EXIT_WHEN_SHOWN = "CHAIR_EXIT_WHEN_SHOWN"


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
    from chair_app.services.context import open_app_database, policy_in_force

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Chair")
    app.setApplicationDisplayName("Chair")
    policy = policy_in_force(args.policy)
    db = open_app_database(args.db, demo=bool(args.demo))
    window = MainWindow(db, policy, demo=bool(args.demo))
    window.show()
    if os.environ.get(ENV_EXIT_WHEN_SHOWN):
        QTimer.singleShot(0, app.quit)
    return app.exec()
