"""Keystroke to stored and painted, while editing a mapping of 300 items, against a bare text box.

Each keystroke in the workspace is stored in its own transaction (SQLite, WAL, synchronous=FULL) before the
event returns; then the event loop paints what changed. The baseline is the same keystroke into a bare
QPlainTextEdit in a window of the same size, in the same process.
"""

from __future__ import annotations

import tempfile
import time
from datetime import date
from pathlib import Path

from bench.common import median, percentile
from chair_app.domain import model as m
from chair_app.domain.enums import MappingSection
from chair_app.rules.policy import Policy
from chair_app.services import conferences
from chair_app.services.demo import build_demo
from chair_app.store.engine import open_database, sqlite_url

SECTIONS = list(MappingSection)


def conference_with_items(policy: Policy, n_items: int) -> m.ConferenceBundle:
    bundle = build_demo(policy, date.today())
    people = [i.person_id for i in bundle.invitations]
    while len(bundle.mapping_items) < n_items:
        n = len(bundle.mapping_items)
        bundle.mapping_items.append(
            m.MappingItem(
                conference_id=bundle.conference.id,
                section=SECTIONS[n % len(SECTIONS)],
                text=f"Item {n}: the school says Kayden arrived late and hungry on three days this fortnight.",
                position=n,
                said_by=people[n % len(people)],
            )
        )
    return bundle


def _type(app, widget, count: int) -> list[float]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    times = []
    for i in range(count):
        key = Qt.Key.Key_A if i % 10 else Qt.Key.Key_Space
        t = time.perf_counter()
        QTest.keyClick(widget, key)
        app.processEvents()  # the paint of what changed happens here
        times.append(time.perf_counter() - t)
    return times


def measure(policy: Policy, n_items: int = 300, keys: int = 300) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication, QMainWindow, QPlainTextEdit

    from chair_app.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="chair-bench-ws-") as tmp:
        db = open_database(sqlite_url(Path(tmp) / "ws.db"))
        bundle = conferences.add_conference(db, conference_with_items(policy, n_items))

        bare = QMainWindow()
        edit = QPlainTextEdit()
        bare.setCentralWidget(edit)
        bare.resize(1366, 768)
        bare.show()
        edit.setFocus()
        _type(app, edit, 20)
        base = _type(app, edit, keys)
        bare.close()

        window = MainWindow(lambda: (db, policy), place_file=Path(tmp) / "place.json")
        window.resize(1366, 768)
        window.show()
        while window.db is None or window.tasks.busy():
            app.processEvents()
        window.open_conference(bundle.conference.id, "mapping")
        while window.session is None:
            app.processEvents()
        page = window.workspace.pages["mapping"]
        page.section_views[MappingSection.STRENGTH].selectRow(0)
        item_id = page.item_id
        page.item_text.setFocus()
        _type(app, page.item_text, 20)
        typed = _type(app, page.item_text, keys)

        window.present()
        presented = _type(app, page.item_text, keys)
        window.presentation.close()

        reloads = []
        for _ in range(7):
            t = time.perf_counter()
            window.session.reload()
            reloads.append(time.perf_counter() - t)

        stored = next(i.text for i in conferences.load(db, str(bundle.conference.id)).mapping_items if i.id == item_id)
        assert stored == page.item_text.toPlainText(), "what was typed is not what was stored"
        window.close()
        db.dispose()
    out.update(
        base_p50=median(base),
        base_p95=percentile(base, 95),
        base_p99=percentile(base, 99),
        p50=median(typed),
        p95=percentile(typed, 95),
        p99=percentile(typed, 99),
        present_p50=median(presented),
        present_p95=percentile(presented, 95),
        present_p99=percentile(presented, 99),
        reload=median(reloads),
        n_items=len(bundle.mapping_items),
    )
    return out
