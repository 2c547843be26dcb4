"""Screenshots of the demo county: the Reports window over its last year, and the window's File menu.

Run under a real X server, as scripts/screenshots.py is:
    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots_county.py
Writes docs/screenshots/reports-demo-county.png and docs/screenshots/backup-menu.png.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "docs" / "screenshots"


def main() -> int:
    if not os.environ.get("DISPLAY"):
        print("run under xvfb-run (see the docstring)", file=sys.stderr)
        return 2
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QApplication

    from chair_app.gui.main_window import MainWindow
    from chair_app.gui.reports_dialog import ReportsDialog
    from chair_app.rules.policy import load_policy
    from chair_app.services.demo import create_demo
    from chair_app.store.engine import open_database, sqlite_url

    app = QApplication(sys.argv[:1])
    tmp = Path(tempfile.mkdtemp(prefix="chair-county-shots-"))
    db = open_database(sqlite_url(tmp / "demo.db"))
    policy = load_policy()
    create_demo(db, policy, county=True)

    def wait(condition, seconds: float = 60) -> None:
        end = time.monotonic() + seconds
        while not condition() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)
        for _ in range(20):
            app.processEvents()

    window = MainWindow(lambda: (db, policy), demo=True, place_file=tmp / "place.json")
    window.backup_state_file = tmp / "backups.json"
    window.show()
    wait(lambda: window.is_ready() and window.backup_reminder.isVisible())
    menu = window.menuBar().actions()[0].menu()
    menu.popup(window.mapToGlobal(window.menuBar().geometry().bottomLeft()))
    wait(menu.isVisible)
    menu.setActiveAction(window.backup_action)
    wait(lambda: False, 0.5)
    screen = app.primaryScreen().grabWindow(0)
    screen.copy(window.frameGeometry()).save(str(SHOTS / "backup-menu.png"))
    menu.hide()

    today = date.today()
    first = today - timedelta(days=364)
    dialog = ReportsDialog(db, policy, window)
    dialog.start.setDate(QDate(first.year, first.month, first.day))
    dialog.end.setDate(QDate(today.year, today.month, today.day))
    dialog.show()
    dialog.compute()
    wait(lambda: bool(dialog.tables) and not dialog.tasks.busy())
    dialog.measure.setCurrentIndex(dialog.measure.findData("09_participation"))
    wait(lambda: False, 0.5)
    dialog.grab().save(str(SHOTS / "reports-demo-county.png"))
    print(f"wrote {SHOTS / 'reports-demo-county.png'} and {SHOTS / 'backup-menu.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
