"""Make the presentation screenshots in docs/screenshots under a real X server (not a test).

    python scripts/presentation_shots.py room OUT_PREFIX        # the room's view alone, both maps
    python scripts/presentation_shots.py chair OUT.png          # the chair's window, F5, typing

Run with DISPLAY set (Xvfb for one screen; the Xorg dummy driver with two RandR monitors for two screens,
see ../shared/reference/platform-notes.md) and a window manager. The data are the fictional demo and the
demo with 80 map items (bench.workspace.conference_with_items). Each picture is the whole X screen, taken
with ImageMagick's ``import -window root``.
"""

from __future__ import annotations

import atexit
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def settle(app: QApplication, seconds: float = 0.8) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def grab(app: QApplication, out: str) -> None:
    settle(app)
    subprocess.run(["import", "-window", "root", out], check=True)
    print("wrote", out)


def database(policy, n_items: int):
    from bench.workspace import conference_with_items
    from chair_app.services import conferences
    from chair_app.services.demo import build_demo
    from chair_app.store.engine import open_database, sqlite_url

    folder = tempfile.mkdtemp(prefix="chair-shots-")
    atexit.register(shutil.rmtree, folder, True)
    db = open_database(sqlite_url(Path(folder) / "shots.db"))
    from datetime import date

    bundle = conference_with_items(policy, n_items) if n_items else build_demo(policy, date(2026, 11, 23))
    return db, conferences.add_conference(db, bundle)


def room(prefix: str) -> None:
    from chair_app.gui.workspace.presentation import STATEMENTS, PresentationWindow
    from chair_app.gui.workspace.session import EditSession
    from chair_app.rules.policy import load_policy
    from chair_app.services import workspace as wsvc

    app = QApplication(sys.argv[:1])
    policy = load_policy()
    size = app.primaryScreen().geometry()
    for label, n in (("demo", 0), ("80-items", 80)):
        db, stored = database(policy, n)
        session = EditSession(db, policy, wsvc.load(db, stored.conference.id), "shots")
        screen = PresentationWindow(session)
        screen.show_on_best_screen(None)
        grab(app, f"{prefix}-{size.width()}x{size.height()}-{label}.png")
        if screen.page_count() > 1:
            screen.next_page()
            grab(app, f"{prefix}-{size.width()}x{size.height()}-{label}-page2.png")
        screen.show_view(STATEMENTS)
        grab(app, f"{prefix}-{size.width()}x{size.height()}-{label}-statements.png")
        screen.close()
        db.dispose()


def chair(out: str) -> None:
    from chair_app.domain.enums import MappingSection
    from chair_app.gui.main_window import MainWindow
    from chair_app.gui.placement import place_chair_window
    from chair_app.rules.policy import load_policy

    app = QApplication(sys.argv[:1])
    policy = load_policy()
    db, stored = database(policy, 0)
    window = MainWindow(lambda: (db, policy), place_file=Path(tempfile.mkdtemp(prefix="chair-shots-")) / "place.json")
    place_chair_window(window)
    window.show()
    while window.db is None or window.tasks.busy():
        app.processEvents()
    window.open_conference(stored.conference.id, "mapping")
    while window.session is None:
        app.processEvents()
    settle(app)
    window.activateWindow()
    mapping = window.workspace.pages["mapping"]
    mapping.add_item(MappingSection.COMPLICATING_FACTOR)
    settle(app)
    QTest.keyClick(mapping.item_text, Qt.Key.Key_F5)
    settle(app, 1.5)
    focus = QApplication.focusWidget()
    QTest.keyClicks(focus, "Ryan has not yet started the domestic abuse programme")
    settle(app)
    print("focus:", type(QApplication.focusWidget()).__name__, "active:", type(QApplication.activeWindow()).__name__)
    grab(app, out)
    window.presentation.close()
    window.close()


if __name__ == "__main__":
    {"room": room, "chair": chair}[sys.argv[1]](sys.argv[2])
