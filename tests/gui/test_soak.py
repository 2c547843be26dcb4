"""A whole day's typing in one window process, and a power cut while the machine is busy.

The soak runs in its own process (tests/gui/soak_script.py) so that an interpreter abort, such as the lost
reference to ``None`` that PySide6 6.12.0 gives on CPython 3.11, fails this test instead of ending pytest.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest

from chair_app.domain.enums import AttendanceMode, AttendanceStatus
from chair_app.services import conferences
from chair_app.services import workspace as wsvc
from chair_app.services.demo import build_demo
from chair_app.store.engine import open_database, sqlite_url

KEYSTROKES = 12_000
SCRIPT = Path(__file__).with_name("soak_script.py")


@pytest.fixture
def fast_folder(tmp_path) -> Path:
    """A memory-backed folder where there is one: the soak is about staying alive and storing every
    keystroke, not about the disk's fsync (the kill test covers durability on a real disk)."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        folder = Path(tempfile.mkdtemp(prefix="chair-soak-", dir=shm))
        yield folder
        for f in folder.iterdir():
            f.unlink()
        folder.rmdir()
    else:
        yield tmp_path


def test_twelve_thousand_keystrokes_leave_the_window_alive_and_every_keystroke_stored(fast_folder, policy):
    url = sqlite_url(fast_folder / "chair.db")
    db = open_database(url)
    demo = conferences.add_conference(db, build_demo(policy, date.today()))
    items_before = len(demo.mapping_items)
    db.dispose()

    done = subprocess.run(
        [sys.executable, str(SCRIPT), url, str(fast_folder / "place.json"), str(demo.conference.id), str(KEYSTROKES)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("SOAK"))
    figures = dict(re.findall(r"(\S+)=(\S+)", line))
    assert int(figures["keystrokes"]) >= KEYSTROKES
    print(done.stdout.strip())  # the figures, for docs/reliability.md (pytest -s shows them)

    # Read back by a fresh process's view of the store: the checks inside the soak compared the store with
    # the window after every burst; here, the end state as a whole.
    db = open_database(url)
    try:
        bundle = wsvc.load(db, demo.conference.id)
    finally:
        db.dispose()
    typed = [i for i in bundle.mapping_items if i.text.startswith("Mum said the children were safe")]
    assert len(typed) == int(figures["items"]) == len(bundle.mapping_items) - items_before
    assert all(i.text == "Mum said the children were safe with Nan on Tuesdays. " * 6 for i in typed)
    assert {(i.status, i.mode) for i in bundle.invitations} == {(AttendanceStatus.ATTENDED, AttendanceMode.IN_PERSON)}
