"""Opening the window's database again, signed in as the same person (issue 14).

After the laptop's database has been converted to an encrypted one (gui/encrypt_dialog.py), or a restore has put
another file in its place (gui/backup_menu.py), the connections the window holds read a file that is no longer
there: the window goes back to its list, lets go of the old database (its change watcher and idle lock too) and
runs its opener again on the worker thread, with the account and password that open the new file; the opener
signs that account in (gui/launch.backend_opener), so nobody is asked twice.
"""

from __future__ import annotations


def reopen(window, credentials: tuple[str, str] | None = None) -> None:
    if window.in_workspace():
        window.back_to_list()
    for part in ("live", "idle_lock"):
        running = getattr(window, part, None)
        if running is not None:
            running.stop()
            setattr(window, part, None)
    old, window.db = window.db, None
    if old is not None:
        old.dispose()
    window.model.set_rows([])  # nothing from the old file stays on show
    if credentials is not None:
        window.unlock_credentials = credentials
    window.statusBar().showMessage("Opening the conference record again…")
    window.tasks.start(window._open_backend, window._db_opened, window._failed)
