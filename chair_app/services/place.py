"""Where the chair was: the open conference and step, so that reopening after a crash returns there.

Kept in a small file in the user's data folder, one entry per database (keyed by a hash of its URL, so no
address or password is written). It holds only a conference UUID and a step name: no personal data. The
file is replaced atomically on every move, so a power cut leaves the old place or the new, never half.
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from chair_app.services.conferences import write_bytes
from chair_app.services.files import private_folder


@dataclass(frozen=True)
class Place:
    conference_id: uuid.UUID
    step: str


def default_place_file() -> Path:
    from chair_app.store.engine import default_data_dir

    return default_data_dir() / "place.json"


def _key(db_url: str) -> str:
    return hashlib.sha256(db_url.encode("utf-8")).hexdigest()[:16]


def _read(path: Path) -> dict[str, dict[str, str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remember(path: Path, db_url: str, place: Place | None) -> None:
    """Record the open conference and step (None: no conference is open)."""
    data = _read(path)
    if place is None:
        data.pop(_key(db_url), None)
    else:
        data[_key(db_url)] = {"conference": str(place.conference_id), "step": place.step}
    private_folder(path.parent, "place file")
    write_bytes(path, json.dumps(data, sort_keys=True).encode("utf-8"))


def last_place(path: Path, db_url: str) -> Place | None:
    entry = _read(path).get(_key(db_url))
    if not isinstance(entry, dict):
        return None
    try:
        return Place(uuid.UUID(entry["conference"]), str(entry["step"]))
    except (KeyError, ValueError, TypeError):
        return None


class PlaceKeeper:
    """Writes the place file on a thread of its own, so that the window never waits for the disk.

    Writing it replaces the file and flushes it to disk twice (the file, then its folder): about 27 ms on a
    busy laptop, which used to fall on the window's thread each time a conference opened or a step changed.
    Only the newest place matters, so a place asked for while another is being written replaces any still
    waiting. ``flush`` waits until the newest is on disk (closing the window calls it).
    """

    def __init__(self, path: Path, db_url: str) -> None:
        self.path, self.db_url = path, db_url
        self._lock = threading.Condition()
        self._pending: list[Place | None] = []  # at most one: the newest place not yet written
        self._writing = False
        self._thread: threading.Thread | None = None

    def remember(self, place: Place | None) -> None:
        with self._lock:
            self._pending[:] = [place]
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="chair-place", daemon=True)
                self._thread.start()
            self._lock.notify_all()

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._pending:
                    self._lock.wait(timeout=30)
                    if not self._pending:
                        return  # idle: the thread ends, and the next remember starts another
                place = self._pending.pop()
                self._writing = True
            try:
                remember(self.path, self.db_url, place)
            except OSError:
                pass  # the place is a convenience: a full or read-only disk must not stop the meeting
            finally:
                with self._lock:
                    self._writing = False
                    self._lock.notify_all()

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until the newest place asked for is written; False if that took longer than ``timeout``."""
        with self._lock:
            return self._lock.wait_for(lambda: not self._pending and not self._writing, timeout=timeout)
