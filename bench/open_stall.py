"""The longest the window's UI thread stops answering while a conference is first opened, in a fresh process.

    python bench/open_stall.py DB_URL

Starts the real main window on the database, waits for the list, then opens the first conference listed (the
workspace is built the first time, as for a person). A 1 ms precise timer on the UI thread records the gap
between its ticks from the moment of opening until 300 ms after the workspace is shown: the longest gap is the
longest time the window could not paint or take a key. An import hook notes which thread, if any, imported
pandas, numpy or matplotlib, and a garbage-collector callback the length of any full collection on the UI
thread while opening (one took 40 to 90 ms before start-up's objects were frozen). Prints one JSON line.
"""

from __future__ import annotations

import gc
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

HEAVY = ("pandas", "numpy", "matplotlib")
imported: dict[str, str] = {}


class ImportWatch:
    """Notes the thread that first imports each heavy library (and finds nothing itself)."""

    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in HEAVY and top not in imported:
            imported[top] = threading.current_thread().name


sys.meta_path.insert(0, ImportWatch())

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from chair_app.gui.main_window import MainWindow  # noqa: E402


def main(url: str) -> dict:
    app = QApplication(sys.argv[:1])
    app.setProperty("chair_no_dialogs", True)
    ui_thread = threading.current_thread().name

    def backend():
        from chair_app.rules.policy import load_policy
        from chair_app.store.engine import open_database

        return open_database(url), load_policy()

    with tempfile.TemporaryDirectory(prefix="chair-bench-open-") as tmp:
        window = MainWindow(backend, place_file=Path(tmp) / "place.json")
        window.resize(1366, 768)
        window.show()
        deadline = time.perf_counter() + 120
        while not (window.is_ready() and window.model.rowCount() > 0) and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.002)
        for _ in range(50):  # let the list's summary of the selected row arrive and paint
            app.processEvents()
            time.sleep(0.002)
        while window.tasks.busy():
            app.processEvents()
        before = dict(imported)
        conference = window.selected_id()
        gaps: list[float] = []
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            gaps.append(now - last[0])
            last[0] = now

        timer = QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.setInterval(1)
        timer.timeout.connect(tick)
        timer.start()
        shown: list[float] = []
        window.sig_workspace.connect(lambda _cid: shown.append(time.perf_counter()))
        full_gcs: list[float] = []  # the garbage collector's full passes on the UI thread while opening (ms)
        gc_started = [0.0]

        def gc_watch(phase: str, info: dict) -> None:
            if info["generation"] == 2 and threading.current_thread().name == ui_thread:
                if phase == "start":
                    gc_started[0] = time.perf_counter()
                else:
                    full_gcs.append(1000 * (time.perf_counter() - gc_started[0]))

        gc.callbacks.append(gc_watch)
        start = time.perf_counter()
        last[0] = start
        window.open_selected()
        while (not shown or time.perf_counter() < shown[0] + 0.3) and time.perf_counter() < start + 60:
            app.processEvents()
        timer.stop()
        gc.callbacks.remove(gc_watch)
        tick()
        opened = (shown[0] - start) if shown else float("nan")
        window.close()
        app.processEvents()
    heavy_on_ui = sorted(name for name, thread in imported.items() if thread == ui_thread and name not in before)
    return {
        "conference": conference,
        "longest_stall_s": max(gaps),
        "opened_s": opened,
        "ticks": len(gaps),
        "full_gc_on_ui_thread_ms": [round(ms, 1) for ms in full_gcs],
        "heavy_imported_while_opening": sorted(set(imported) - set(before)),
        "heavy_imported_on_ui_thread": heavy_on_ui,
        "heavy_loaded_at_end": sorted(name for name in HEAVY if name in sys.modules),
    }


if __name__ == "__main__":
    print("OPEN " + json.dumps(main(sys.argv[1])), flush=True)
