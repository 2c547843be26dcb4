"""Regenerate docs/screenshots and docs/documents from the demo conference.

Run under a real X server so the window is drawn as a person sees it:
    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots.py
Needs poppler-utils (pdftoppm) for the document page images.

The chair's window on a small screen (a laptop mirrored to a 1024x768 projector), each step, as *-1024.png:
    xvfb-run -a -s "-screen 0 1024x768x24" .venv/bin/python scripts/screenshots.py --window-only --suffix=-1024
``--window-only`` takes the window's own pictures (the steps, the list, the forms and Reports), not the
documents or presentation mode; the window fills the screen, as it does maximised.
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


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--window-only", action="store_true", help="the window's pictures only")
    parser.add_argument("--suffix", default="", help="added to each picture's name, e.g. -1024")
    args = parser.parse_args(argv)
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

    def shot(widget, name: str) -> None:
        widget.grab().save(str(SHOTS / f"{name}{args.suffix}.png"))

    window = MainWindow(lambda: (db, policy), demo=True, place_file=tmp / "place.json")
    if args.window_only:
        window.setGeometry(app.primaryScreen().availableGeometry())  # maximised (xvfb has no window manager)
    window.show()
    wait(lambda: window.is_ready() and "Quorate" in window.summary.toPlainText())
    shot(window, "main-window")
    window.open_reports()
    reports = window.reports
    reports.compute()
    wait(lambda: reports.measure.count() > 0 and not reports.tasks.busy())
    reports.measure.setCurrentIndex(max(reports.measure.findData("09_participation"), 0))  # one with a chart
    wait(lambda: False, 0.3)
    shot(reports, "reports")
    reports.close()
    if args.window_only:
        workspace_shots(window, bundle, wait, shot, presentation=False)
        print(f"wrote {SHOTS}")
        return 0
    window.open_documents()
    dialog = window.documents
    wait(lambda: dialog.produced is not None and not dialog.tasks.busy())
    wait(lambda: False, 3)  # QPdfView renders pages on its own threads
    dialog.grab().save(str(SHOTS / "documents-dialog.png"))
    dialog.close()

    workspace_shots(window, bundle, wait, shot)

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


def workspace_shots(window, bundle, wait, shot, *, presentation: bool = True) -> None:
    """Each step of the workspace, the new-conference form, the shortcut sheet and presentation mode."""
    from PySide6.QtCore import QTimer

    from chair_app.domain import model as m
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
        unscaled = step == "close"  # the checklist with something in it: a danger statement without its scale
        if unscaled:
            window.session.set(m.DangerGoalPair, bundle.pairs[-1].id, {"scale": None})
            ws.go(step)
        wait(lambda: False, 0.5)
        shot(window, f"step-{n}-{step}")
        if unscaled:
            window.session.stack.undo()
    # The mapping with a danger statement chosen: agreed scale, private scores still hidden.
    mapping = ws.pages["mapping"]
    ws.go("mapping")
    mapping.pairs_view.selectRow(0)
    mapping.score_value.setValue(4)
    mapping.add_score()
    mapping.ensureWidgetVisible(mapping.reveal_button)
    wait(lambda: False, 0.5)
    shot(window, "step-3-mapping-scaling")
    window.session.stack.undo()  # leave the demo as it was
    mapping.pairs_view.clearSelection()

    if presentation:
        window.present()
        screen = window.presentation
        wait(screen.isVisible, 5)
        wait(lambda: False, 1)
        shot(screen, "presentation")
        screen.close()

    window.show_shortcuts()
    wait(lambda: False, 0.5)
    shot(window.shortcut_sheet, "shortcuts")
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
        shot(dialog, "new-conference")
        dialog.reject()

    QTimer.singleShot(300, snap_create)
    window.new_conference()


if __name__ == "__main__":
    raise SystemExit(main())
