"""The journal: one entry per operation (per run of typing), in the operation's transaction, append-only."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from chair_app.domain import model as m
from chair_app.domain.enums import AttendanceMode, AttendanceStatus, MappingSection
from chair_app.domain.errors import InvalidInput, RecordFinalised
from chair_app.exchange import conference_file
from chair_app.rules.policy import load_policy
from chair_app.services import conferences, recording, signoff, workspace
from chair_app.services import journal as history
from chair_app.services.demo import build_demo, create_demo
from chair_app.store import journal
from chair_app.store.engine import JOURNAL_MARK
from tests.conftest import dump

POLICY = load_policy()  # set_fields and add_records take the policy in force

TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _device(monkeypatch):
    monkeypatch.setenv("CHAIR_DEVICE_ID", "laptop-a")


def _entries(db, conference_id):
    with db.unit_of_work() as s:
        return journal.entries(s, conference_id)


def _type(db, cid, item_id, start: str, typed: str, *, who="Helen Marsh"):
    value = start
    for ch in typed:
        value += ch
        workspace.set_fields(db, cid, m.MappingItem, item_id, {"text": value}, who=who, policy=POLICY, seen=None)
    return value


def test_an_edit_is_journaled_with_who_when_device_operation_and_the_fields_before_and_after(db, policy):
    bundle = create_demo(db, policy, TODAY)
    cid = bundle.conference.id
    workspace.set_fields(
        db, cid, m.Conference, cid, {"venue": "Room 2", "remote": True}, who="Helen Marsh", policy=POLICY, seen=None
    )
    entry = _entries(db, cid)[-1]
    assert (entry.operation, entry.who, entry.device, entry.conference_id) == (
        "set_fields",
        "Helen Marsh",
        "laptop-a",
        cid,
    )
    assert entry.at.tzinfo is not None and entry.closed
    key = f"conference/{cid}"
    assert entry.old_values == {key: {"venue": bundle.conference.venue, "remote": False}}
    assert entry.new_values == {key: {"venue": "Room 2", "remote": True}}


def test_a_run_of_keystrokes_in_one_field_is_one_entry_until_another_field_is_edited(db, policy):
    bundle = create_demo(db, policy, TODAY)
    cid, item = bundle.conference.id, bundle.mapping_items[0]
    n = len(_entries(db, cid))
    typed = _type(db, cid, item.id, item.text, " and he says so himself")
    runs = _entries(db, cid)[n:]
    assert len(runs) == 1 and not runs[0].closed  # still open: typing may go on
    key = f"mapping_item/{item.id}"
    assert runs[0].old_values == {key: {"text": item.text}} and runs[0].new_values == {key: {"text": typed}}

    workspace.set_fields(db, cid, m.Conference, cid, {"venue": "Room 3"}, who="Helen Marsh", policy=POLICY, seen=None)
    _type(db, cid, item.id, typed, " again")  # a new run: a new entry (and a new undo step)
    after = _entries(db, cid)[n:]
    assert [e.operation for e in after] == ["set_fields"] * 3
    assert after[0].closed and after[1].closed and not after[2].closed
    assert after[2].old_values == {key: {"text": typed}}


def test_another_device_editing_the_field_ends_the_run_and_the_next_keystroke_starts_a_new_entry(
    db, policy, monkeypatch
):
    bundle = create_demo(db, policy, TODAY)
    cid, item = bundle.conference.id, bundle.mapping_items[0]
    n = len(_entries(db, cid))
    typed = _type(db, cid, item.id, item.text, " abc")
    monkeypatch.setenv("CHAIR_DEVICE_ID", "laptop-b")
    workspace.set_fields(
        db, cid, m.MappingItem, item.id, {"text": "Clerk's text"}, who="Clerk", policy=POLICY, seen=None
    )
    monkeypatch.setenv("CHAIR_DEVICE_ID", "laptop-a")
    _type(db, cid, item.id, "Clerk's text", "!")
    runs = _entries(db, cid)[n:]
    assert [(e.device, e.closed) for e in runs] == [("laptop-a", True), ("laptop-b", True), ("laptop-a", False)]
    key = f"mapping_item/{item.id}"
    assert runs[0].new_values[key]["text"] == typed
    assert runs[2].old_values[key]["text"] == "Clerk's text"


def test_added_and_removed_records_are_journaled_whole(db, policy):
    bundle = create_demo(db, policy, TODAY)
    cid = bundle.conference.id
    item = m.MappingItem(conference_id=cid, section=MappingSection.STRENGTH, text="Grandma Sue visits daily")
    workspace.add_records(db, cid, [item], who="Helen Marsh", policy=POLICY)
    workspace.remove_records(db, cid, [(m.MappingItem, item.id)], who="Helen Marsh")
    added, removed = _entries(db, cid)[-2:]
    key = f"mapping_item/{item.id}"
    assert added.old_values == {key: None} and added.new_values[key]["text"] == "Grandma Sue visits daily"
    assert removed.old_values[key]["text"] == "Grandma Sue visits daily" and removed.new_values == {key: None}
    assert (added.operation, removed.operation) == ("add_records", "remove_records")


def test_a_rule_operation_is_journaled_under_its_own_name(db, policy):
    bundle = create_demo(db, policy, TODAY)
    cid = bundle.conference.id
    invitation = bundle.invitations[0]
    recording.record_attendance(db, invitation.id, AttendanceStatus.ATTENDED, AttendanceMode.VIDEO, who="Clerk")
    entry = _entries(db, cid)[-1]
    assert entry.operation == "record_attendance" and entry.who == "Clerk"
    assert entry.new_values[f"invitation/{invitation.id}"]["mode"] == "video"


def test_a_refused_operation_leaves_no_journal_entry(db, policy):
    bundle = create_demo(db, policy, TODAY)
    cid = bundle.conference.id
    signoff.finalise(db, bundle.conference.ref, who="Helen Marsh")
    before = dump(db)
    with pytest.raises(RecordFinalised):
        workspace.set_fields(
            db, cid, m.Conference, cid, {"venue": "Room 9"}, who="Helen Marsh", policy=POLICY, seen=None
        )
    with pytest.raises(InvalidInput):
        workspace.set_fields(
            db, cid, m.Conference, cid, {"overall_scale": 11}, who="Helen Marsh", policy=POLICY, seen=None
        )
    assert dump(db) == before


def test_reading_writes_nothing_to_the_journal(db, policy):
    bundle = create_demo(db, policy, TODAY)
    before = dump(db)
    conferences.load(db, bundle.conference.ref)
    conferences.list_conferences(db)
    assert dump(db) == before


def test_a_closed_entry_can_be_neither_changed_nor_removed(db, policy):
    bundle = create_demo(db, policy, TODAY)
    cid = bundle.conference.id
    workspace.set_fields(db, cid, m.Conference, cid, {"venue": "Room 2"}, who="Helen Marsh", policy=POLICY, seen=None)
    before = dump(db)
    for statement in (
        "UPDATE journal SET new_values = '{}'",
        "UPDATE journal SET who = 'Someone else'",
        "UPDATE journal SET closed = false",
        "DELETE FROM journal",
    ):
        with pytest.raises(DBAPIError) as info, db.engine.begin() as conn:
            conn.execute(text(statement))
        assert JOURNAL_MARK in str(info.value), statement
    assert dump(db) == before


def test_an_open_entry_may_change_only_its_after_values_and_be_closed(db, policy):
    bundle = create_demo(db, policy, TODAY)
    cid, item = bundle.conference.id, bundle.mapping_items[0]
    _type(db, cid, item.id, item.text, "xy")
    open_id = _entries(db, cid)[-1].id
    for column, value in (("who", "'Someone else'"), ("old_values", "'{}'"), ("operation", "'other'")):
        with pytest.raises(DBAPIError) as info, db.engine.begin() as conn:
            conn.execute(text(f"UPDATE journal SET {column} = {value} WHERE id = {open_id}"))
        assert JOURNAL_MARK in str(info.value)
    with pytest.raises(DBAPIError), db.engine.begin() as conn:
        conn.execute(text(f"DELETE FROM journal WHERE id = {open_id}"))
    history.close_typing(db)
    assert _entries(db, cid)[-1].closed
    with pytest.raises(DBAPIError), db.engine.begin() as conn:
        conn.execute(text(f"UPDATE journal SET new_values = '{{}}' WHERE id = {open_id}"))


def test_an_import_is_one_entry_per_conference_with_its_changed_fields(db, policy):
    first, second = build_demo(policy, TODAY), build_demo(policy, TODAY)
    conferences.import_bundles(db, [first, second])
    for bundle in (first, second):
        (entry,) = _entries(db, bundle.conference.id)
        assert entry.operation == "import" and entry.detail == "added at version 1"
        assert entry.old_values == {f"conference/{bundle.conference.id}": None}
    newer = conference_file.document_to_bundle(conference_file.bundle_to_document(first))
    newer.conference.version, newer.conference.venue = 4, "Video call"
    assert conferences.import_bundle(db, newer).action == "updated"
    entry = _entries(db, first.conference.id)[-1]
    key = f"conference/{first.conference.id}"
    assert entry.detail == "updated at version 4"
    assert entry.old_values == {key: {"venue": first.conference.venue}}
    assert entry.new_values == {key: {"venue": "Video call"}}


def test_opening_showing_previewing_printing_exporting_and_importing_are_in_the_audit_trail(db, policy, tmp_path):
    from chair_app.services import documents, overview

    bundle = create_demo(db, policy, TODAY)
    cid, ref = bundle.conference.id, bundle.conference.ref
    workspace.open_conference(db, cid)
    overview.conference_overview(db, ref, policy, TODAY)
    made = documents.conference_record(db, ref, policy, record=False)  # built for the window's preview
    documents.record_output(db, made, method="printed", queue="Office", job_id="Office-7")  # then printed
    documents.conference_record(db, ref, policy)  # saved at once
    conferences.write_export(db, ref, tmp_path / "c.json")
    from chair_app.store.engine import open_database, sqlite_url

    other = open_database(sqlite_url(tmp_path / "other.db"))
    conferences.import_file(other, tmp_path / "c.json")
    actions = [a.action for a in history.audit(db, cid)]
    assert actions == [
        "opened in the workspace",
        "shown",
        "previewed a document",
        "printed a document",
        "saved a document",
        "exported to a conference file",
    ]
    # the file carries the record's history (all but its own export, written after it), then the import
    assert [a.action for a in history.audit(other, ref)] == [*actions[:-1], "imported from a conference file"]
    other.dispose()


def test_history_reads_each_change_with_before_and_after_and_shortens_long_text(db, policy):
    bundle = create_demo(db, policy, TODAY)
    cid, item = bundle.conference.id, bundle.mapping_items[0]
    _type(db, cid, item.id, item.text, " More.")
    workspace.set_fields(db, cid, m.Conference, cid, {"venue": "Room 2"}, who="Clerk", policy=POLICY, seen=None)
    entries = history.history(db, cid)
    lines = history.history_lines(bundle.conference.ref, entries)
    text_line = next(line for line in lines if "Text:" in line)
    assert text_line.strip().startswith(f"Mapping item {str(item.id)[:8]}, Text: ")
    assert 'More."' in text_line and len(text_line) < 200
    assert any(line.endswith(f'Venue: "{bundle.conference.venue}" -> "Room 2"') for line in lines)
    assert any(line.endswith("  Clerk  changed") for line in lines)


def test_the_journal_payload_is_json_per_record(db, policy):
    bundle = create_demo(db, policy, TODAY)
    with db.engine.connect() as conn:
        raw = conn.execute(select(journal.JOURNAL.c.new_values)).scalar()
    payload = json.loads(raw)
    assert f"conference/{bundle.conference.id}" in payload
    assert all(isinstance(uuid.UUID(k.partition("/")[2]), uuid.UUID) for k in payload)


def test_the_device_id_is_a_random_uuid_kept_per_installation(tmp_path, monkeypatch):
    monkeypatch.delenv("CHAIR_DEVICE_ID")
    monkeypatch.setattr(journal, "_device", None)
    first = journal.device_id(tmp_path)
    monkeypatch.setattr(journal, "_device", None)
    assert journal.device_id(tmp_path) == first  # kept: the same installation, the same id
    assert uuid.UUID(first) and (tmp_path / "device-id").read_text().strip() == first


def test_typing_after_the_run_was_closed_starts_a_new_entry(db, policy):
    bundle = create_demo(db, policy, TODAY)
    cid, item = bundle.conference.id, bundle.mapping_items[0]
    n = len(_entries(db, cid))
    typed = _type(db, cid, item.id, item.text, "ab")
    history.close_typing(db)  # the window ended the undo step
    _type(db, cid, item.id, typed, "cd")
    runs = _entries(db, cid)[n:]
    key = f"mapping_item/{item.id}"
    assert [(e.closed, e.old_values[key]["text"]) for e in runs] == [(True, item.text), (False, typed)]


def test_two_sessions_of_one_device_typing_in_turn_keep_one_entry_whose_after_is_the_last_text(db, policy):
    bundle = create_demo(db, policy, TODAY)
    cid, item = bundle.conference.id, bundle.mapping_items[0]
    from chair_app.store.engine import open_database

    other = open_database(db.engine.url.render_as_string(hide_password=False))
    try:
        n = len(_entries(db, cid))
        text = item.text
        for i, window in enumerate([db, other, db, other]):
            text += str(i)
            workspace.set_fields(
                window, cid, m.MappingItem, item.id, {"text": text}, who="Helen Marsh", policy=POLICY, seen=None
            )
        (entry,) = _entries(db, cid)[n:]
        assert entry.new_values == {f"mapping_item/{item.id}": {"text": text}}
    finally:
        other.dispose()
