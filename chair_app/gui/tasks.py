"""Work off the UI thread: run a function on Qt's thread pool and get its result back as a signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Box:
    """Carries a result across threads untouched: PySide converts a bare dict or list into Qt containers."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class _Signals(QObject):
    sig_done = Signal(object)
    sig_failed = Signal(object)


class Task(QRunnable):
    """One function run on the pool. Results arrive on the UI thread through queued signals."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # handed to the UI thread, which decides what the user sees
            self._deliver(self.signals.sig_failed, exc)
        else:
            self._deliver(self.signals.sig_done, result)

    def _deliver(self, signal, value: Any) -> None:
        try:
            signal.emit(_Box(value))
        except RuntimeError:  # the window that asked has closed: there is no one to tell
            pass


class TaskRunner(QObject):
    """Keeps running tasks alive until they report, and starts them on the global pool."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running: set[Task] = set()

    def start(
        self, fn: Callable[[], Any], on_done: Callable[[Any], None], on_failed: Callable[[Exception], None]
    ) -> Task:
        task = Task(fn)
        self._running.add(task)

        def finish(handler: Callable[[Any], None], value: Any) -> None:
            self._running.discard(task)
            owner = getattr(handler, "__self__", None)
            if not shiboken6.isValid(self) or (isinstance(owner, QObject) and not shiboken6.isValid(owner)):
                return  # the window that asked has been closed and deleted: there is no one to tell
            handler(value)

        task.signals.sig_done.connect(lambda box: finish(on_done, box.value))
        task.signals.sig_failed.connect(lambda box: finish(on_failed, box.value))
        QThreadPool.globalInstance().start(task)
        return task

    def busy(self) -> bool:
        return bool(self._running)
