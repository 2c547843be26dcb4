"""A process started the way `chair-app` is, printing "SHOWN <epoch seconds>" at the first paint a person sees.

    python bench/paint.py bare|chair [paint|ready]

``bare`` shows an empty QMainWindow of the same size (the baseline); ``chair`` runs the real entry point with no
arguments (the window). ``paint`` reports the first paint of the main window; ``ready`` the first paint after
the conference list has been filled. The probe creates the QApplication itself (Chair's launcher uses the one
it finds) and watches paint events with an application-wide event filter, the same in both processes.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow

what = sys.argv[1]
when = sys.argv[2] if len(sys.argv) > 2 else "paint"
app = QApplication(sys.argv[:1])
PAINT, SHOW = QEvent.Type.Paint, QEvent.Type.Show


class Probe(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.armed = when == "paint"
        self.window: QMainWindow | None = None

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind == SHOW and self.window is None and isinstance(obj, QMainWindow):
            self.window = obj
            if when == "ready":
                if hasattr(obj, "sig_rows_shown"):
                    obj.sig_rows_shown.connect(self.arm)
                else:
                    self.armed = True  # the bare window has no list: its first paint
        elif kind == PAINT and self.armed and self.window is not None and obj.isWidgetType():
            if obj.window() is self.window:
                print(f"SHOWN {time.time():.6f}", flush=True)
                self.armed = False
                app.removeEventFilter(self)
                app.quit()
        return False

    def arm(self, *_args) -> None:
        self.armed = True


probe = Probe()
app.installEventFilter(probe)
if what == "bare":
    window = QMainWindow()
    window.resize(1280, 760)
    window.show()
    sys.exit(app.exec())
else:
    from chair_app.entry import main

    sys.exit(main([]))
