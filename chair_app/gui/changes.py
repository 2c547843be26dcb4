"""The window hears of colleagues' changes: the conference list and an open conference keep themselves current.

A ``ChangeListener`` runs the service's watcher (services/changes.py: LISTEN/NOTIFY on PostgreSQL, the file's
change counter on SQLite) on a thread of its own and hands what it hears to the UI thread, gathered for a
moment (``GATHER_MS``) so that an import of hundreds of conferences is one refresh, not hundreds.

``LiveUpdates`` ties it to the main window:

- the conference list is read again (on the worker, like every list read) when something it shows changed,
  and the model updated in place, so the chosen row, the sort and the scroll position stay where they were;
- an open conference that someone else changed is read again, and the workspace says who changed it and
  when. The record being typed into keeps the copy the person saw, so a colleague's change to that field
  meets them as the conflict dialog at their next keystroke; the undo history stays (the services refuse an
  undo over a colleague's later change, naming who and when).
"""

from __future__ import annotations

import threading
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from chair_app.gui.tasks import _Box

if TYPE_CHECKING:
    from chair_app.gui.main_window import MainWindow
    from chair_app.store.engine import Database

GATHER_MS = 200  # changes heard within this long become one refresh
WAIT_SECONDS = 0.25  # the watcher thread looks at its stop flag at least this often
#: The least time between two reads of the list, so that a busy unit's changes (a clerk's import of hundreds
#: of conferences, twenty people renaming things) cost a window at most a read every REST_MS, while a change
#: still shows within GATHER_MS + REST_MS + one read (well inside the 2 s the issue allows).
REST_MS = 500


class ChangeListener(QObject):
    #: Something changed, by anyone (this window included): a ``services.changes.Heard``.
    sig_changes = Signal(object)
    _sig_heard = Signal(object)  # from the watcher thread; queued to the UI thread

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pending = None  # a Heard, gathered until delivered
        self._gather = QTimer(self, singleShot=True, interval=GATHER_MS)
        self._gather.timeout.connect(self._deliver)
        self._sig_heard.connect(self._heard)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="chair-changes", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2 * WAIT_SECONDS + 1)
            self._thread = None

    def _run(self) -> None:
        from chair_app.services import changes

        watcher = None
        try:
            while not self._stop.is_set():
                if watcher is None:
                    try:
                        watcher = changes.watch(self._db)
                    except Exception:  # the server is away: try again shortly
                        self._stop.wait(changes.RECONNECT_SECONDS)
                        continue
                heard = watcher.wait(WAIT_SECONDS)
                if heard and not self._stop.is_set():
                    try:
                        self._sig_heard.emit(_Box(heard))
                    except RuntimeError:  # the window has gone
                        return
        except Exception as exc:  # never a traceback from a background thread; the log has the type and place
            from chair_app.logs import setup_logging

            setup_logging().crash(exc)
        finally:
            if watcher is not None:
                watcher.close()

    def _heard(self, box: _Box) -> None:
        self._pending = box.value if self._pending is None else self._pending | box.value
        if not self._gather.isActive():
            self._gather.start()

    def _deliver(self) -> None:
        heard, self._pending = self._pending, None
        if heard:
            self.sig_changes.emit(heard)


class LiveUpdates(QObject):
    """Keeps a main window's list and open conference current with what others change."""

    #: The list was read again after a change (its number of rows).
    sig_list_refreshed = Signal(int)
    #: The open conference was read again after someone else changed it (who, and the conference id).
    sig_reloaded = Signal(str, object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.listener = ChangeListener(window.db, self)
        self.listener.sig_changes.connect(self.changed)
        self._seen: tuple[object, int] | None = None  # (the open EditSession, its version as last seen here)
        self._reading = False
        self._again = False
        self._resting = QTimer(self, singleShot=True, interval=REST_MS)  # between two reads of the list
        self._resting.timeout.connect(self._rested)
        self.listener.start()

    def stop(self) -> None:
        self.listener.stop()

    def changed(self, heard) -> None:
        w = self.window
        if w.db is None:
            return
        session = w.session
        if session is not None and heard.touches(session.conference_id):
            self._check_open(session)
        if heard.touches_list() and not w.in_workspace():  # going back to the list reads it anyway
            self.refresh_list()

    # The list ----------------------------------------------------------------------------------------

    def refresh_list(self) -> None:
        """Read the whole list again on the worker and update the model in place (the chosen row stays)."""
        if self._reading or self._resting.isActive():  # one read at a time, a moment apart; then one more
            self._again = True
            return
        from chair_app.services import conferences

        w = self.window
        generation, needle, db, today = w._list_generation, w.search.text(), w.db, date.today()

        def read() -> list[Any]:
            rows, more = conferences.first_page(db, today, needle)
            return rows + (conferences.older_conferences(db, today) if more else [])

        self._reading = True
        w.tasks.start(read, lambda rows: self._show(generation, rows), self._failed)

    def _show(self, generation: int, rows: list[Any]) -> None:
        self._read_done()
        w = self.window
        if generation == w._list_generation:  # not overtaken by a search typed or a refresh asked for
            w.model.set_rows(rows)
            w.note.setVisible(not rows and not w.search.text())
            self.sig_list_refreshed.emit(len(rows))

    def _failed(self, exc: Exception) -> None:
        self._read_done()
        self.window._failed(exc)

    def _read_done(self) -> None:
        self._reading = False
        self._resting.start()

    def _rested(self) -> None:
        if self._again:
            self._again = False
            self.refresh_list()

    # The open conference -------------------------------------------------------------------------------

    def _check_open(self, session) -> None:
        from chair_app.services import changes

        db, cid = self.window.db, session.conference_id
        self.window.tasks.start(lambda: changes.stamp(db, cid), lambda s: self._compare(session, s), lambda _e: None)

    def _compare(self, session, stamp) -> None:
        w = self.window
        if w.session is not session or stamp is None:
            return
        cid = session.conference_id
        if self._seen is None or self._seen[0] is not session:  # the first news since it was opened
            seen = None
        else:
            seen = self._seen[1]
        self._seen = (session, stamp.version if seen is None else max(seen, stamp.version))
        if seen is None and stamp.updated_at <= session.opened_at:
            return  # the last change was before it was opened: the copy has it
        if (seen is not None and stamp.version <= seen) or stamp.updated_by == session.who:
            return  # nothing new, or this person's own edits
        # Read again quietly: the record being typed into keeps the copy the person saw, so a colleague's
        # change to that very field meets them as a conflict at their next keystroke (gui/workspace/conflict.py).
        # The undo history stays: the services refuse an undo over a colleague's later change, naming them.
        session.reload()
        who = stamp.updated_by or "someone"
        at = stamp.updated_at.astimezone().strftime("%H:%M")
        if w.workspace is not None:
            w.workspace.problem_line.say(
                "info", f"{who} changed this conference elsewhere at {at}; it now shows their changes."
            )
        self.sig_reloaded.emit(who, cid)
