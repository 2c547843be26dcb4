"""Regenerate docs/screenshots and docs/documents from the demo conference.

Run under a real X server so the window is drawn as a person sees it:
    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots.py
Needs poppler-utils (pdftoppm) for the document page images.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "docs" / "screenshots"
PAGES = ROOT / "docs" / "documents"


def main() -> int:
    if not os.environ.get("DISPLAY"):
        print("run under xvfb-run (see the docstring)", file=sys.stderr)
        return 2
    from PySide6.QtWidgets import QApplication

    from chair_app.gui.main_window import MainWindow
    from chair_app.rules.policy import load_policy
    from chair_app.services import conferences, documents
    from chair_app.services.demo import build_demo
    from chair_app.store.engine import open_database, sqlite_url

    app = QApplication(sys.argv[:1])
    tmp = Path(tempfile.mkdtemp(prefix="chair-shots-"))
    db = open_database(sqlite_url(tmp / "demo.db"))
    policy = load_policy()
    bundle = conferences.add_conference(db, build_demo(policy, date.today()))
    SHOTS.mkdir(parents=True, exist_ok=True)
    PAGES.mkdir(parents=True, exist_ok=True)

    def wait(condition, seconds: float = 30) -> None:
        import time

        end = time.monotonic() + seconds
        while not condition() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)
        for _ in range(20):
            app.processEvents()

    window = MainWindow(lambda: (db, policy), demo=True, place_file=tmp / "place.json")
    window.show()
    wait(lambda: window.is_ready() and "Quorate" in window.summary.toPlainText())
    window.grab().save(str(SHOTS / "main-window.png"))
    window.open_documents()
    dialog = window.documents
    wait(lambda: dialog.produced is not None and not dialog.tasks.busy())
    wait(lambda: False, 3)  # QPdfView renders pages on its own threads
    dialog.grab().save(str(SHOTS / "documents-dialog.png"))
    dialog.close()

    workspace_shots(window, bundle, wait)

    ref = bundle.conference.ref
    made = {
        "handout": documents.handout(db, ref, policy, record=False).pdf,
        "handout-large-print": documents.handout(db, ref, policy, large_print=True, record=False).pdf,
        "a3-handout": documents.handout(db, ref, policy, a3=True, record=False).pdf,
        "cp-plan": documents.cp_plan(db, ref, policy, record=False).pdf,
        "record": documents.conference_record(db, ref, policy, record=False).pdf,
        "letter": documents.decision_letter(db, ref, policy, record=False).pdf,
    }
    from chair_app.services.reporting import Period, write_report

    year = date.today().year if date.today().month >= 4 else date.today().year - 1
    report = write_report(db, policy, Period(date(year, 4, 1), date(year + 1, 3, 31)), tmp / "report")
    made["report-summary"] = report.pdf.read_bytes()
    for name, pdf in made.items():
        path = tmp / f"{name}.pdf"
        path.write_bytes(pdf)
        for old in PAGES.glob(f"{name}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "2", str(path), str(PAGES / name)], check=True)
    print(f"wrote {SHOTS} and {PAGES}")
    return 0


def workspace_shots(window, bundle, wait) -> None:
    """Each step of the workspace, the new-conference form, the shortcut sheet and presentation mode."""
    from PySide6.QtCore import QTimer

    from chair_app.domain.enums import MappingSection

    window.open_conference(bundle.conference.id, "before")
    wait(lambda: window.session is not None)
    ws = window.workspace
    steps = ("before", "welcome", "mapping", "voice", "decision", "plan", "close")
    for n, step in enumerate(steps, start=1):
        ws.go(step)
        if step == "mapping":
            mapping = ws.pages["mapping"]
            mapping.section_views[MappingSection.PAST_HARM].selectRow(0)
        wait(lambda: False, 0.5)
        window.grab().save(str(SHOTS / f"step-{n}-{step}.png"))
    # The mapping with a danger statement chosen: agreed scale, private scores still hidden.
    mapping = ws.pages["mapping"]
    ws.go("mapping")
    mapping.pairs_view.selectRow(0)
    mapping.score_value.setValue(4)
    mapping.add_score()
    mapping.ensureWidgetVisible(mapping.reveal_button)
    wait(lambda: False, 0.5)
    window.grab().save(str(SHOTS / "step-3-mapping-scaling.png"))
    window.session.stack.undo()  # leave the demo as it was
    mapping.pairs_view.clearSelection()

    window.present()
    screen = window.presentation
    wait(screen.isVisible, 5)
    wait(lambda: False, 1)
    screen.grab().save(str(SHOTS / "presentation.png"))
    screen.close()

    window.show_shortcuts()
    wait(lambda: False, 0.5)
    window.shortcut_sheet.grab().save(str(SHOTS / "shortcuts.png"))
    window.shortcut_sheet.close()

    window.back_to_list()
    wait(window.is_ready, 10)

    def snap_create() -> None:
        dialog = window.create_dialog
        dialog.family.setText("Okafor family")
        dialog.chair.setText("Helen Marsh")
        dialog.c_forename.setText("Ava")
        dialog.c_surname.setText("Okafor")
        dialog.c_dob.setText("01/05/2019")
        dialog.add_child()
        dialog.p_name.setText("Jo Fenton")
        dialog.p_role.setCurrentIndex(dialog.p_role.findData("social_worker"))
        dialog.p_agency.setText("Children and Family Services")
        dialog.add_invitee()
        wait(lambda: False, 0.5)
        dialog.grab().save(str(SHOTS / "new-conference.png"))
        dialog.reject()

    QTimer.singleShot(300, snap_create)
    window.new_conference()


if __name__ == "__main__":
    raise SystemExit(main())
