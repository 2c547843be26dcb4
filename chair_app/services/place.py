"""Where the chair was: the open conference and step, so that reopening after a crash returns there.

Kept in a small file in the user's data folder, one entry per database (keyed by a hash of its URL, so no
address or password is written). It holds only a conference UUID and a step name: no personal data. The
file is replaced atomically on every move, so a power cut leaves the old place or the new, never half.
"""

from __future__ import annotations

import hashlib
import json
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
