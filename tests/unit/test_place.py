"""The place file: where the chair was, kept by a writer thread so the window never waits for the disk."""

from __future__ import annotations

import threading
import uuid

from chair_app.services import place as p


def test_the_keeper_writes_the_newest_place_and_flush_waits_for_it(tmp_path, monkeypatch):
    path = tmp_path / "data" / "place.json"
    url = "sqlite:////somewhere/chair.db"
    release = threading.Event()
    real = p.remember
    written: list[p.Place | None] = []

    def slow_remember(path_, url_, place):  # the disk is slow: later places queue behind the first
        release.wait(5)
        written.append(place)
        real(path_, url_, place)

    monkeypatch.setattr(p, "remember", slow_remember)
    keeper = p.PlaceKeeper(path, url)
    first = p.Place(uuid.uuid4(), "before")
    newest = p.Place(uuid.uuid4(), "mapping")
    keeper.remember(first)
    for step in ("welcome", "voice", "decision"):
        keeper.remember(p.Place(uuid.uuid4(), step))
    keeper.remember(newest)
    assert not path.exists()  # nothing waited for the disk
    release.set()
    assert keeper.flush(5)
    assert p.last_place(path, url) == newest
    assert len(written) <= 2 and written[-1] == newest  # the places in between were replaced, not written


def test_the_keeper_forgets_the_place_when_no_conference_is_open(tmp_path):
    path = tmp_path / "place.json"
    keeper = p.PlaceKeeper(path, "sqlite:///a.db")
    keeper.remember(p.Place(uuid.uuid4(), "plan"))
    keeper.remember(None)
    assert keeper.flush(5)
    assert p.last_place(path, "sqlite:///a.db") is None


def test_the_place_file_holds_no_database_address(tmp_path):
    path = tmp_path / "place.json"
    url = "postgresql://chair:secret@unit-server/chair"
    p.remember(path, url, p.Place(uuid.uuid4(), "close"))
    text = path.read_text()
    assert "secret" not in text and "unit-server" not in text and "close" in text
