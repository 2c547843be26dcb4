"""A process started the way `chair-app` is, printing "SHOWN <epoch seconds>" at the first paint a person sees.

    python bench/paint.py bare|chair [paint|ready]

``bare`` shows an empty QMainWindow of the same size (the baseline); ``chair`` runs the real entry point with no
arguments (the window). ``paint`` reports the first paint of the main window; ``ready`` the first paint after
the conference list has been filled. The probe creates the QApplication itself (Chair's launcher uses the one
it finds), the same in both processes.

The probe watches only the main window (and, for ``ready``, its widgets once the list is filled): it wraps
``QMainWindow.show`` to put an event filter on the window being shown. It used to filter every event of the
application from the start, which cost the window being measured, not the bare one: each event's receiver was
handed to Python, and the first QObject of an item view's internals made PySide build about 170 enums of Qt's
namespace (20 to 40 ms) inside ``QTableView()``, which Chair without the probe does only after its first paint.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

what = sys.argv[1]
when = sys.argv[2] if len(sys.argv) > 2 else "paint"
app = QApplication(sys.argv[:1])
PAINT = QEvent.Type.Paint


class Probe(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.armed = when == "paint"
        self.window: QMainWindow | None = None

    def watch(self, window: QMainWindow) -> None:
        """The first main window shown is the one measured."""
        if self.window is not None:
            return
        self.window = window
        window.installEventFilter(self)
        if when == "ready":
            if hasattr(window, "sig_rows_shown"):
                window.sig_rows_shown.connect(self.arm)
            else:
                self.armed = True  # the bare window has no list: its first paint

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
        if self.armed and event.type() == PAINT:
            print(f"SHOWN {time.time():.6f}", flush=True)
            self.armed = False
            app.quit()
        return False

    def arm(self, *_args) -> None:
        if not self.armed and self.window is not None:
            for widget in self.window.findChildren(QWidget):  # the list's rows are painted by its viewport
                widget.installEventFilter(self)
            self.armed = True


probe = Probe()
_show = QMainWindow.show


def show(window: QMainWindow) -> None:
    probe.watch(window)
    _show(window)


QMainWindow.show = show
if what == "bare":
    window = QMainWindow()
    window.resize(1280, 760)
    window.show()
    sys.exit(app.exec())
else:
    from chair_app.entry import main

    sys.exit(main([]))
