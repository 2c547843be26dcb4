"""The baseline: a bare PySide6 main window, started and shown the way chair-app is."""

import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 760)
window.show()


def shown() -> None:
    print(f"SHOWN {time.time():.6f}", flush=True)
    app.quit()


QTimer.singleShot(0, shown)
app.exec()
