"""A colleague's change, made by another process, reaches this window's list and open conference.

The other process is a real ``chair-app`` command (or a short script calling the same service the workspace
uses); the window hears of it through LISTEN/NOTIFY on PostgreSQL and the change counter on SQLite, with no
reload by hand. The waits here are readiness waits (tests/gui/conftest.py), not timings: how soon a change
appears (budget 2 s) is measured by the load test, `python -m bench --load` (docs/performance.md).
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from chair_app.gui.list_model import ConferenceListModel
from chair_app.gui.main_window import MainWindow
from chair_app.services import conferences
from chair_app.services.demo import build_demo
from chair_app.store.engine import open_database, sqlite_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "chair.db")
    cluster = request.getfixturevalue("pg_cluster")
    name = f"chair_live_{uuid.uuid4().hex[:10]}"
    admin = create_engine(cluster.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return cluster.url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture
def shared(url, policy, tmp_path):
    """The unit's database with two conferences in it, opened by this window's process."""
    db = open_database(url)
    for offset, surname in ((0, "Hayes"), (7, "Nowak")):
        bundle = build_demo(policy, date.today() + timedelta(days=offset))
        bundle.conference.held_on = date.today() + timedelta(days=offset)
        bundle.family.name = f"{surname} family"
        conferences.add_conference(db, bundle)
    yield db
    db.dispose()


def colleague(tmp_path: Path, *args: str) -> None:
    """Run another Chair process to its end: the colleague's change is committed when this returns."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CHAIR_LOG_DIR": str(tmp_path / "logs")}
    done = subprocess.run([sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def open_window(qtbot, db, policy, tmp_path) -> MainWindow:
    window = MainWindow(lambda: (db, policy), place_file=tmp_path / "place.json")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.is_ready() and window.model.rowCount() == 2)
    return window


def families(window: MainWindow) -> list[str]:
    return [window.model.index(r, 4).data() for r in range(window.model.rowCount())]


def _conference_file(policy, tmp_path) -> str:
    """A new conference as a colleague's file: what another process adds to the shared database."""
    from chair_app.exchange import conference_file
    from chair_app.services.demo import build_demo

    path = tmp_path / "colleague.json"
    path.write_text(conference_file.dumps(conference_file.bundle_to_document(build_demo(policy))), encoding="utf-8")
    return str(path)


def test_a_conference_added_by_another_process_appears_in_the_list(qtbot, shared, policy, tmp_path, url):
    window = open_window(qtbot, shared, policy, tmp_path)
    colleague(tmp_path, "-m", "chair_app", "--db", url, "import", _conference_file(policy, tmp_path))
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)


def test_the_chosen_conference_stays_chosen_when_the_list_refreshes(qtbot, shared, policy, tmp_path, url):
    window = open_window(qtbot, shared, policy, tmp_path)
    nowak = families(window).index("Nowak family")
    window.table.selectRow(window.proxy.mapFromSource(window.model.index(nowak, 0)).row())
    chosen = window.selected_id()
    refreshed = []
    window.live.sig_list_refreshed.connect(refreshed.append)
    colleague(tmp_path, "-m", "chair_app", "--db", url, "import", _conference_file(policy, tmp_path))
    qtbot.waitUntil(lambda: window.model.rowCount() == 3 and bool(refreshed))
    assert window.selected_id() == chosen


RENAME = """
import sys, uuid
from chair_app.domain import model as m
from chair_app.rules.policy import load_policy
from chair_app.services import workspace as ws
from chair_app.store.engine import open_database
db = open_database(sys.argv[1])
cid = uuid.UUID(sys.argv[2])
ws.set_fields(
    db, cid, m.Conference, cid, {"venue": sys.argv[3]}, who="Priya Colleague", policy=load_policy(), seen=None
)
"""


def test_a_colleagues_edit_to_the_open_conference_is_shown_with_their_name(qtbot, shared, policy, tmp_path, url):
    window = open_window(qtbot, shared, policy, tmp_path)
    hayes = conferences.list_conferences(shared, "Hayes")[0]
    window.open_conference(hayes.id)
    qtbot.waitUntil(lambda: window.in_workspace() and window.session.conference_id == hayes.id)
    session = window.session
    colleague(tmp_path, "-c", RENAME, url, str(hayes.id), "Room 4, Castle House")
    qtbot.waitUntil(lambda: session.bundle.conference.venue == "Room 4, Castle House")
    notice = window.workspace.problem_line
    assert notice.isVisibleTo(window) and "Priya Colleague" in notice.text.text()
    assert not session.stack.canUndo()


def test_own_edits_are_not_reported_as_changed_elsewhere(qtbot, shared, policy, tmp_path):
    from chair_app.domain import model as m

    window = open_window(qtbot, shared, policy, tmp_path)
    hayes = conferences.list_conferences(shared, "Hayes")[0]
    window.open_conference(hayes.id)
    qtbot.waitUntil(window.in_workspace)
    reloaded = []
    window.live.sig_reloaded.connect(lambda who, _cid: reloaded.append(who))
    session = window.session
    assert session.set(m.Conference, hayes.id, {"venue": "Our own room"})
    # The change is heard (our own commit moves the counter too) and judged ours: the undo step stays.
    heard = []
    window.live.listener.sig_changes.connect(heard.append)
    qtbot.waitUntil(lambda: bool(heard))
    qtbot.wait(300)
    assert reloaded == [] and session.stack.canUndo()


def test_refreshing_the_list_model_in_place_keeps_the_model_sound(qtmodeltester, shared, policy):
    model = ConferenceListModel()
    rows = conferences.list_conferences(shared)
    model.set_rows(rows)
    qtmodeltester.check(model)
    persistent = [model.index(r, 0) for r in range(2)]
    from PySide6.QtCore import QPersistentModelIndex

    kept = QPersistentModelIndex(persistent[1])
    kept_id = kept.data(ConferenceListModel.IdRole)
    new = conferences.add_conference(shared, build_demo(policy, date.today() - timedelta(days=3)))
    model.set_rows(conferences.today_first(conferences.list_conferences(shared), date.today())[::-1])
    assert model.rowCount() == 3 and kept.isValid() and kept.data(ConferenceListModel.IdRole) == kept_id
    model.set_rows([r for r in conferences.list_conferences(shared) if r.id != new.conference.id])
    assert model.rowCount() == 2 and kept.data(ConferenceListModel.IdRole) == kept_id


TYPE = """
import sys, uuid
from chair_app.domain import model as m
from chair_app.rules.policy import load_policy
from chair_app.services import workspace as ws
from chair_app.store.engine import open_database
db = open_database(sys.argv[1])
cid, item = uuid.UUID(sys.argv[2]), uuid.UUID(sys.argv[3])
ws.set_fields(
    db, cid, m.MappingItem, item, {"text": sys.argv[4]}, who="Priya Colleague", policy=load_policy(), seen=None
)
"""


# PostgreSQL only: SQLite's change counter says that something changed, not what.
@pytest.mark.parametrize("url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_typing_into_a_map_elsewhere_does_not_make_the_list_read_again(qtbot, shared, policy, tmp_path, url):
    window = open_window(qtbot, shared, policy, tmp_path)
    hayes = conferences.list_conferences(shared, "Hayes")[0]
    item = conferences.load(shared, str(hayes.id)).mapping_items[0]
    heard, refreshed = [], []
    window.live.listener.sig_changes.connect(heard.append)
    window.live.sig_list_refreshed.connect(refreshed.append)
    colleague(tmp_path, "-c", TYPE, url, str(hayes.id), str(item.id), "Typed elsewhere")
    qtbot.waitUntil(lambda: bool(heard))
    qtbot.wait(700)  # longer than a list read takes to be asked for and done here
    assert heard[0].conferences == {hayes.id} and not heard[0].list_changed
    assert refreshed == []
    colleague(tmp_path, "-c", RENAME.replace('"venue"', '"chair"'), url, str(hayes.id), "Sam Okafor")
    qtbot.waitUntil(lambda: bool(refreshed))
    assert "Sam Okafor" in [window.model.index(r, 6).data() for r in range(window.model.rowCount())]
