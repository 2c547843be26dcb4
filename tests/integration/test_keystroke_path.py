"""A keystroke's own path through ``services.workspace.set_fields`` (issue 19: typing on a busy unit server).

One text field of the open conference or of one of its plain records (the map, the plan, scores,
recommendations, delay reasons) is stored with one read and one version-checked UPDATE, no ORM objects, and
the journal's run continued in the same statement that tells listening windows (PostgreSQL). These tests hold
it to what the full path does: the same rows, the same journal, the same refusals.
"""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest
from sqlalchemy import event, select

from chair_app.domain import model as m
from chair_app.domain.errors import NotFound, RecordFinalised, StaleEdit
from chair_app.services import conferences
from chair_app.services import workspace as ws
from chair_app.services.demo import build_demo
from chair_app.store import models as rows
from chair_app.store.engine import open_database, sqlite_url
from tests.conftest import dump

TODAY = date(2026, 11, 23)


@pytest.fixture
def demo(db, policy):
    return conferences.add_conference(db, build_demo(policy, TODAY))


def _statements(db):
    """The SQL the database is sent while the block runs (BEGIN and COMMIT are not statements here)."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", note)
    return seen, lambda: event.remove(db.engine, "before_cursor_execute", note)


def test_a_keystroke_continuing_a_run_is_one_read_one_versioned_update_and_one_journal_update(db, demo, policy):
    cid, item = demo.conference.id, demo.mapping_items[0]
    first = ws.set_fields(
        db, cid, m.MappingItem, item.id, {"text": item.text + " a"}, who="Helen", policy=policy, seen=item.version
    )
    seen, stop = _statements(db)
    try:
        ws.set_fields(
            db,
            cid,
            m.MappingItem,
            item.id,
            {"text": item.text + " ab"},
            who="Helen",
            policy=policy,
            seen=first.versions[item.id],
        )
    finally:
        stop()
    verbs = [s.split()[0] + " " + (s.split()[1] if s.startswith("UPDATE") else "") for s in seen]
    assert verbs == ["SELECT ", "UPDATE mapping_item", "UPDATE journal"], seen
    assert "version = " in seen[1].split("WHERE", 1)[1]  # the version the person saw, checked by the UPDATE
    if db.engine.dialect.name == "postgresql":
        assert "pg_notify" in seen[2]  # the listening windows are told in the same statement


def test_the_keystroke_path_stores_the_same_rows_and_journal_as_the_full_path(tmp_path, policy, monkeypatch):
    bundle = build_demo(policy, TODAY)
    fast = open_database(sqlite_url(tmp_path / "fast.db"))
    full = open_database(sqlite_url(tmp_path / "full.db"))
    cid = bundle.conference.id
    edits = [
        (m.Conference, cid, "contingency_plan"),
        (m.Conference, cid, "venue"),
        (m.MappingItem, bundle.mapping_items[0].id, "text"),
        (m.MappingItem, bundle.mapping_items[3].id, "text"),
        (m.DangerGoalPair, bundle.pairs[0].id, "safety_goal"),
        (m.PlanAction, bundle.actions[0].id, "what"),
        (m.PlanAction, bundle.actions[0].id, "how_we_know"),
        (m.Recommendation, bundle.recommendations[0].id, "note"),
    ]
    try:
        for database in (fast, full):
            conferences.add_conference(database, bundle)
        for database, path in ((fast, "keystroke"), (full, "full")):
            with monkeypatch.context() as patch:
                if path == "full":
                    patch.setattr(ws, "_keystroke_field", lambda *_a: None)
                versions: dict[uuid.UUID, int] = {}
                for n, (cls, rid, name) in enumerate(edits * 3):
                    for k in range(1, 6):  # a run of keystrokes, then the next field
                        value = f"Typed {n} " + "x" * k
                        written = ws.set_fields(
                            database, cid, cls, rid, {name: value}, who="Helen", policy=policy, seen=versions.get(rid)
                        )
                        versions |= written.versions
                ws.set_fields(
                    database,
                    cid,
                    m.MappingItem,
                    edits[2][1],
                    {"text": f"Typed {2 + 2 * len(edits)} xxxxx"},
                    who="Helen",
                    policy=policy,
                    seen=None,
                )  # the value it has: nothing written

        def comparable(database):
            tables = dump(database)
            out = {}
            for table in rows.Base.metadata.sorted_tables:
                keep = [i for i, c in enumerate(table.columns) if c.name not in ("updated_at", "at", "last_at", "uid")]
                out[table.name] = [tuple(r[i] for i in keep) for r in tables[table.name]]
            return out

        a, b = comparable(fast), comparable(full)
        assert a.keys() == b.keys()
        for name in a:
            assert a[name] == b[name], name
        with fast.engine.connect() as conn:
            j = rows.JournalTable.c
            runs = conn.execute(select(j.typing_key).where(j.operation == "set_fields", j.who == "Helen")).all()
        assert len(runs) == len(edits) * 3  # one entry per run of typing, and none for the value it had
    finally:
        fast.dispose()
        full.dispose()


def test_a_keystroke_on_an_older_copy_is_refused_naming_who_and_nothing_is_written(db, demo, policy):
    cid, item = demo.conference.id, demo.mapping_items[0]
    ws.set_fields(
        db, cid, m.MappingItem, item.id, {"text": "Sam's words"}, who="Sam Clerk", policy=policy, seen=item.version
    )
    before = dump(db)
    with pytest.raises(StaleEdit, match="changed by Sam Clerk") as refused:
        ws.set_fields(
            db, cid, m.MappingItem, item.id, {"text": "Helen's"}, who="Helen", policy=policy, seen=item.version
        )
    assert refused.value.theirs == {"text": "Sam's words"}
    assert dump(db) == before


def test_a_keystroke_into_a_record_of_another_conference_is_refused(db, demo, policy):
    other = conferences.add_conference(db, build_demo(policy, TODAY))
    item = other.mapping_items[0]
    before = dump(db)
    with pytest.raises(NotFound, match="belongs to another conference"):
        ws.set_fields(
            db, demo.conference.id, m.MappingItem, item.id, {"text": "x"}, who="Helen", policy=policy, seen=None
        )
    with pytest.raises(NotFound, match="not in this database"):
        ws.set_fields(
            db, demo.conference.id, m.MappingItem, uuid.uuid4(), {"text": "x"}, who="H", policy=policy, seen=None
        )
    assert dump(db) == before


def test_a_keystroke_into_a_finalised_record_is_refused_and_nothing_is_written(db, demo, policy):
    cid, item = demo.conference.id, demo.mapping_items[0]
    with db.engine.begin() as conn:  # finalised as sign-off leaves it (the guards refuse any later change)
        conn.execute(
            rows.ConferenceRow.__table__.update()
            .where(rows.ConferenceRow.__table__.c.id == cid)
            .values(record_status="finalised")
        )
    before = dump(db)
    for cls, rid, name in ((m.MappingItem, item.id, "text"), (m.Conference, cid, "contingency_plan")):
        with pytest.raises(RecordFinalised, match="add an amendment"):
            ws.set_fields(db, cid, cls, rid, {name: "changed"}, who="Helen", policy=policy, seen=None)
    assert dump(db) == before


@pytest.mark.postgres
def test_a_keystroke_that_continues_a_run_tells_a_listening_window(empty_pg_database, policy):
    from chair_app.services import changes

    db = empty_pg_database
    bundle = conferences.add_conference(db, build_demo(policy, TODAY))
    cid, item = bundle.conference.id, bundle.mapping_items[0]
    ws.set_fields(db, cid, m.MappingItem, item.id, {"text": "T"}, who="Helen", policy=policy, seen=None)
    watcher = changes.watch(db)
    try:
        watcher.wait(0.3)  # (anything said before it listened)
        for text in ("Ty", "Typ", "Typi"):  # each continues the run of typing the first keystroke opened
            ws.set_fields(db, cid, m.MappingItem, item.id, {"text": text}, who="Helen", policy=policy, seen=None)
            heard = changes.NOTHING
            for _ in range(20):
                heard = heard | watcher.wait(0.5)
                if heard:
                    break
            assert heard.conferences == {cid} and not heard.list_changed
    finally:
        watcher.close()
    with db.engine.connect() as conn:
        keys = conn.execute(select(rows.JournalTable.c.typing_key).where(rows.JournalTable.c.typing_key.is_not(None)))
        assert len(keys.all()) == 1


def test_four_windows_of_one_device_typing_at_once_are_never_refused_and_the_journal_keeps_every_text(db, demo, policy):
    """Each keystroke ends the device's other runs of typing; closing a run the other window had just closed
    was refused by the journal's guard (found by bench/load.py with twenty processes sharing one device)."""
    import threading

    from chair_app.store.engine import open_database

    cid = demo.conference.id
    url = db.engine.url.render_as_string(hide_password=False)
    windows = [db] + [open_database(url) for _ in range(3)]
    errors: list[BaseException] = []
    typed: dict[uuid.UUID, str] = {}

    def type_into(window, who: str, item: m.MappingItem) -> None:
        text, version = item.text, item.version
        for k in range(150):
            text += "ab"[k % 2]
            try:
                written = ws.set_fields(
                    window, cid, m.MappingItem, item.id, {"text": text}, who=who, policy=policy, seen=version
                )
            except Exception as exc:  # every one is a failure of the test
                errors.append(exc)
                return
            version = written.versions[item.id]
        typed[item.id] = text

    names = ["Helen Marsh", "Sam Clerk", "Priya Shah", "Tom Reed"]
    people = [(w, who, demo.mapping_items[k]) for k, (w, who) in enumerate(zip(windows, names, strict=True))]
    try:
        threads = [threading.Thread(target=type_into, args=person) for person in people]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        for window in windows[1:]:
            window.dispose()
    assert errors == []
    bundle = ws.load(db, cid)
    stored = {i.id: i.text for i in bundle.mapping_items}
    assert len(typed) == 4 and all(stored[item_id] == text for item_id, text in typed.items())
    # and the journal holds every keystroke: each item's last entry ends with the text stored
    with db.engine.connect() as conn:
        j = rows.JournalTable.c
        for item_id, text in typed.items():
            key = f"mapping_item/{item_id}#text"
            last = conn.execute(select(j.new_values).where(j.typing_key == key).order_by(j.last_at.desc(), j.id.desc()))
            assert json.loads(last.first()[0]) == {f"mapping_item/{item_id}": {"text": text}}


def test_the_keystroke_path_checks_the_records_own_rules_and_a_refusal_writes_nothing(db, demo, policy, monkeypatch):
    """A rule added to ``_check_record`` for the map (none today) holds for keystrokes too: the path checks the
    record as it would be stored, not only the one field."""
    from chair_app.domain.errors import InvalidInput

    cid, item = demo.conference.id, demo.mapping_items[0]
    checked = []

    def a_new_rule(record, _policy):
        checked.append(record)
        if isinstance(record, m.MappingItem) and record.text.endswith("!"):
            raise InvalidInput("Text: a new rule refuses this")

    monkeypatch.setattr(ws, "_check_record", a_new_rule)
    before = dump(db)
    with pytest.raises(InvalidInput, match="a new rule"):
        ws.set_fields(db, cid, m.MappingItem, item.id, {"text": "No!"}, who="Helen", policy=policy, seen=item.version)
    assert dump(db) == before
    assert checked[0].text == "No!" and checked[0].section == item.section and checked[0].id == item.id
