"""A day of typing into the workspace in one process: run by tests/gui/test_soak.py in a subprocess.

Arguments: DATABASE_URL PLACE_FILE CONFERENCE_ID KEYSTROKES. Prints one ``SOAK`` line of figures and exits 0
when every check held; any assertion, Qt abort or interpreter fault ends the process otherwise. The test
reads the store afterwards on its own.

Every keystroke goes through Qt as a key event (QTest), so each one takes the path a person's does: the
widget, the binder, the service, the store. After each burst the store is read back and compared with what
the window shows, so a keystroke that was not stored is caught at the burst it belongs to.
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from chair_app.domain import model as m
from chair_app.domain.enums import AttendanceMode, AttendanceStatus, MappingSection, Outcome
from chair_app.gui.main_window import MainWindow
from chair_app.rules.policy import load_policy
from chair_app.services import workspace as wsvc
from chair_app.store.engine import open_database

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
BURST = "Mum said the children were safe with Nan on Tuesdays. "  # 55 keystrokes, ASCII (see platform notes)
SECTIONS = [
    MappingSection.PAST_HARM,
    MappingSection.COMPLICATING_FACTOR,
    MappingSection.STRENGTH,
    MappingSection.NEXT_STEP,
]


def main() -> None:
    url, place, conference_id, target = sys.argv[1], Path(sys.argv[2]), uuid.UUID(sys.argv[3]), int(sys.argv[4])
    app = QApplication([])
    db, policy = open_database(url), load_policy()
    window = MainWindow(lambda: (db, policy), place_file=place)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    wait(app, lambda: window.db is not None and not window.tasks.busy())
    window.open_conference(conference_id, "mapping")
    wait(app, lambda: window.session is not None)
    ws = window.workspace
    keys = {"text": 0, "shortcuts": 0, "roll-call": 0, "undo/redo": 0}
    started = time.perf_counter()

    def stored() -> m.ConferenceBundle:
        return wsvc.load(db, conference_id)

    mapping = ws.pages["mapping"]
    decision = ws.pages["decision"]
    welcome = ws.pages["welcome"]
    rounds = 0
    while sum(keys.values()) < target:
        rounds += 1
        # 1. A new map item by its shortcut, then a paragraph typed into it, a burst at a time.
        ws.go("mapping")
        section = SECTIONS[rounds % len(SECTIONS)]
        view = mapping.section_views[section]
        view.setFocus()
        QTest.keyClick(view, _section_key(section), CTRL)
        keys["shortcuts"] += 1
        item_id = mapping.item_id
        for _ in range(6):
            QTest.keyClicks(mapping.item_text, BURST)
            keys["text"] += len(BURST)
            app.processEvents()
        shown = mapping.item_text.toPlainText()
        item = next(i for i in stored().mapping_items if i.id == item_id)
        assert item.text == shown, f"map item: stored {len(item.text)} characters, window shows {len(shown)}"

        # 2. Undo the paragraph (one step: keystrokes in one field merge) and redo it, by the keys.
        QTest.keyClick(mapping.item_text, Qt.Key.Key_Z, CTRL)
        QTest.keyClick(mapping.item_text, Qt.Key.Key_Z, CTRL | SHIFT)
        keys["undo/redo"] += 2
        item = next(i for i in stored().mapping_items if i.id == item_id)
        assert item.text == shown, "undo then redo did not give back the paragraph"

        # 3. The decision's reasons, drafted on every keystroke.
        QTest.keyClick(mapping.item_text, Qt.Key.Key_5, ALT)
        keys["shortcuts"] += 1
        assert ws.step() == "decision", ws.step()
        if decision.outcome.currentData() in (None, ""):
            index = decision.outcome.findData(Outcome.PLAN.value)
            decision.outcome.setCurrentIndex(index)
            decision.outcome.activated.emit(index)
        decision.reasons.setFocus()
        for _ in range(3):
            QTest.keyClicks(decision.reasons, BURST)
            keys["text"] += len(BURST)
        now = stored()
        recorded = next((d for d in now.decisions if d.child_id == decision.child_id()), None)
        if recorded is not None:  # recorded: the reasons are edited in place
            reasons = recorded.reasons
        else:  # not yet recorded: the whole form is the child's stored draft
            voice = next(c for c in now.conference_children if c.child_id == decision.child_id())
            reasons = json.loads(voice.decision_draft)["reasons"]
        assert reasons == decision.reasons.toPlainText(), "the decision's reasons in the store are behind the window"
        if len(decision.reasons.toPlainText()) > 3000:
            decision.reasons.selectAll()
            QTest.keyClick(decision.reasons, Qt.Key.Key_Delete)
            keys["text"] += 1

        # 4. The roll-call by digits, Alt+Down to the next person, then back by step keys.
        QTest.keyClick(decision.reasons, Qt.Key.Key_2, ALT)
        keys["shortcuts"] += 1
        assert ws.step() == "welcome", ws.step()
        welcome.view.setFocus()
        welcome.view.selectRow(0)
        rows = welcome.model.rowCount()
        for n in range(rows):
            QTest.keyClick(welcome.view, Qt.Key.Key_1)
            QTest.keyClick(welcome.view, Qt.Key.Key_Down, ALT)
            keys["roll-call"] += 2
            del n
        attendance = {(i.status, i.mode) for i in stored().invitations}
        assert attendance == {(AttendanceStatus.ATTENDED, AttendanceMode.IN_PERSON)}, attendance
        QTest.keyClick(welcome.view, Qt.Key.Key_PageDown, CTRL)
        keys["shortcuts"] += 1
        assert ws.step() == "mapping", ws.step()

    seconds = time.perf_counter() - started
    total = sum(keys.values())
    print(
        f"SOAK keystrokes={total} seconds={seconds:.1f} per_keystroke_ms={1000 * seconds / total:.2f} "
        + " ".join(f"{k}={v}" for k, v in keys.items())
        + f" items={rounds}",
        flush=True,
    )
    window.close()
    app.processEvents()
    db.dispose()


def _section_key(section: MappingSection) -> Qt.Key:
    order = [
        MappingSection.PAST_HARM,
        MappingSection.COMPLICATING_FACTOR,
        MappingSection.STRENGTH,
        MappingSection.EXISTING_SAFETY,
        MappingSection.NEXT_STEP,
    ]
    return Qt.Key(Qt.Key.Key_1.value + order.index(section))


def wait(app: QApplication, ready) -> None:
    deadline = time.monotonic() + 60
    while not ready():
        if time.monotonic() > deadline:
            raise SystemExit("SOAK: the window did not become ready within a minute")
        app.processEvents()
        time.sleep(0.005)


if __name__ == "__main__":
    main()
