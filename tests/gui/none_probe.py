"""Count references to ``None`` lost across Qt calls of the kinds the workspace makes.

Run as a script (tests/gui/test_versions.py does, in its own process, so that an abort is a failed test):
prints ``PROBE <call> <change in sys.getrefcount(None) per call>`` for each kind of call, after CALLS calls
of each. A correct binding gives 0 (a few stray references over 10,000 calls are Python's own caches).
PySide6 6.12.0 on CPython 3.11 gives -1.0 per call and the process aborts with ``none_dealloc``.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QModelIndex  # noqa: E402
from PySide6.QtGui import QStandardItemModel  # noqa: E402
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QWidget  # noqa: E402

CALLS = 10_000


def main() -> None:
    app = QApplication.instance() or QApplication([])
    label, line, text, widget, combo = QLabel(), QLineEdit(), QPlainTextEdit(), QWidget(), QComboBox()
    model = QStandardItemModel(3, 3)
    kinds = {
        "QLabel.setText": lambda i: label.setText(str(i)),
        "QLineEdit.setText": lambda i: line.setText(str(i)),
        "QPlainTextEdit.setPlainText": lambda i: text.setPlainText(str(i)),
        "QWidget.setEnabled": lambda i: widget.setEnabled(bool(i & 1)),
        "QWidget.setToolTip": lambda i: widget.setToolTip(str(i)),
        "QWidget.update": lambda _i: widget.update(),
        "QComboBox.setCurrentIndex": lambda _i: combo.setCurrentIndex(-1),
        "model.dataChanged.emit": lambda _i: model.dataChanged.emit(model.index(0, 0), model.index(0, 0)),
        "QModelIndex()": lambda _i: QModelIndex(),
        "processEvents": lambda _i: QCoreApplication.processEvents(),
    }
    for name, call in kinds.items():
        before = sys.getrefcount(None)
        for i in range(CALLS):
            call(i)
        print(f"PROBE {name} {(sys.getrefcount(None) - before) / CALLS:+.4f}", flush=True)
    del app


if __name__ == "__main__":
    main()
