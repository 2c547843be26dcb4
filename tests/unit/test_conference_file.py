"""The conference file format: schema, round trip and refusals (no database)."""

from __future__ import annotations

import json
import uuid
from dataclasses import fields
from datetime import date

import pytest

from chair_app.domain import model as m
from chair_app.domain.errors import InvalidInput
from chair_app.exchange import conference_file as cf
from chair_app.paths import RESOURCES
from chair_app.services.demo import build_demo
from chair_app.store import models as rows
from chair_app.store.repository import RECORD_ROWS

TODAY = date(2026, 11, 23)


@pytest.fixture
def doc(policy):
    return cf.bundle_to_document(build_demo(policy, TODAY))


def test_committed_schema_is_the_generated_one():
    committed = json.loads((RESOURCES / cf.SCHEMA_PATH_NAME).read_text(encoding="utf-8"))
    assert committed == cf.schema(), "run: python -m chair_app.exchange.write_schema"


def test_every_store_table_has_exactly_the_domain_record_fields():
    for record_cls, row_cls in RECORD_ROWS.items():
        columns = {c.key for c in row_cls.__table__.columns}
        assert columns == {f.name for f in fields(record_cls)}, record_cls.__name__
    # the journal, the sign-off snapshot and the accounts
    not_records = {rows.JournalTable.name, rows.SnapshotTable.name, rows.AccountTable.name}
    assert {r.__tablename__ for r in RECORD_ROWS.values()} == set(rows.Base.metadata.tables) - not_records


def test_document_round_trip_is_exact(doc):
    again = cf.bundle_to_document(cf.document_to_bundle(json.loads(cf.dumps(doc))))
    assert again == doc
    assert cf.dumps(again) == cf.dumps(doc)


def test_timestamps_are_utc_with_a_z(doc):
    assert doc["conference"]["created_at"].endswith("Z")


@pytest.mark.parametrize(
    "change,expected",
    [
        (lambda d: d.update(format_version=2), "format version 2"),
        (lambda d: d.update(format="something-else"), "not a Chair conference file"),
        (lambda d: d.pop("pairs"), "file: is missing pairs"),
        (lambda d: d["conference"].update(held_on="2026-02-30"), "conference.held_on"),
        (lambda d: d["conference"].update(kind="tea_party"), "conference.kind"),
        (lambda d: d["mapping_items"][0].update(section=3), "mapping_items[0].section"),
        (lambda d: d["mapping_items"][0].update(colour="red"), "mapping_items[0]"),
        (lambda d: d["scores"][0].update(score=-1), "scores[0].score"),
        (lambda d: d["invitations"][0].update(person_id=str(uuid.uuid4())), "invitations[0].person_id"),
        (lambda d: d["actions"][0].update(conference_id=str(uuid.uuid4())), "actions[0].conference_id"),
        (lambda d: d["children"].append(dict(d["children"][0])), "appears twice"),
        (lambda d: d["conference"].update(family_id=str(uuid.uuid4())), "conference.family_id"),
    ],
)
def test_malformed_documents_are_refused_with_where_and_what(doc, change, expected):
    change(doc)
    with pytest.raises(InvalidInput) as info:
        cf.document_to_bundle(doc)
    assert expected in str(info.value)
    assert "\n" not in str(info.value)


def test_a_file_that_is_not_json_or_not_there(tmp_path):
    with pytest.raises(InvalidInput, match="does not exist"):
        cf.read_file(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": ')
    with pytest.raises(InvalidInput, match="not valid JSON"):
        cf.read_file(broken)
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"name": "Zażółć"}'.encode("utf-16"))
    with pytest.raises(InvalidInput, match="not UTF-8"):
        cf.read_file(latin)


def test_non_ascii_names_survive(policy):
    bundle = build_demo(policy, TODAY)
    bundle.people[0].name = "Łucja Wiśniewska"
    bundle.children[0].forename = "Ștefan"
    again = cf.document_to_bundle(json.loads(cf.dumps(cf.bundle_to_document(bundle))))
    assert again.person(bundle.people[0].id).name == "Łucja Wiśniewska"
    assert again.child(bundle.children[0].id).forename == "Ștefan"


def test_bundle_lists_cover_every_record_type():
    listed = {cls for _, cls in m.BUNDLE_LISTS} | {m.Conference, m.Family}
    assert listed == set(RECORD_ROWS)


def test_a_file_from_before_print_jobs_were_recorded_reads_with_empty_queue_and_job(policy):
    bundle = build_demo(policy, TODAY)
    bundle.documents = [m.DocumentRecord(conference_id=bundle.conference.id, kind=m.DocumentKind.HANDOUT)]
    older = cf.bundle_to_document(bundle)
    for record in older["documents"]:
        for name in ("queue", "job_id", "pages"):
            del record[name]
    again = cf.document_to_bundle(json.loads(cf.dumps(older)))
    assert [(d.queue, d.job_id, d.pages) for d in again.documents] == [("", "", None)]


def test_the_link_to_the_stood_down_meeting_a_conference_was_rearranged_from_travels_in_the_file(policy):
    bundle = build_demo(policy, TODAY)
    stood_down = uuid.uuid4()
    bundle.conference.rearranged_from_id = stood_down
    again = cf.document_to_bundle(json.loads(cf.dumps(cf.bundle_to_document(bundle))))
    assert again.conference.rearranged_from_id == stood_down


def test_a_file_from_before_rearrangements_were_linked_reads_with_no_link(policy):
    older = cf.bundle_to_document(build_demo(policy, TODAY))
    del older["conference"]["rearranged_from_id"]
    assert cf.document_to_bundle(json.loads(cf.dumps(older))).conference.rearranged_from_id is None


def test_only_fields_added_since_files_were_written_may_be_absent(doc):
    del doc["conference"]["held_on"]
    with pytest.raises(InvalidInput, match="held_on"):
        cf.document_to_bundle(doc)


# The journal a file carries (issue 11, files merge)


def _entry(**change):
    from datetime import UTC, datetime

    from chair_app.domain.history import CarriedEntry

    key = f"mapping_item/{uuid.uuid4()}"
    values = dict(
        uid=uuid.uuid4(),
        at=datetime(2026, 11, 30, 14, 2, 3, 456000, tzinfo=UTC),
        last_at=datetime(2026, 11, 30, 14, 5, tzinfo=UTC),
        who="Jo Chair",
        device=str(uuid.uuid4()),
        operation="set_fields",
        detail="",
        old_values={key: {"text": "before"}},
        new_values={key: {"text": "after"}},
    )
    return CarriedEntry(**{**values, **change})


def test_a_file_with_its_journal_round_trips_exactly(policy):
    bundle = build_demo(policy, TODAY)
    entries = [_entry(), _entry(operation="print", old_values={}, new_values={})]
    doc = json.loads(cf.dumps(cf.bundle_to_document(bundle, entries)))
    read = cf.document_to_file(doc)
    assert read.journal == entries
    assert cf.dumps(cf.bundle_to_document(read.bundle, read.journal)) == cf.dumps(doc)


def test_a_file_without_a_journal_reads_as_one_from_before_files_merged(doc):
    assert "journal" not in doc
    assert cf.document_to_file(doc).journal is None


@pytest.mark.parametrize(
    "change,expected",
    [
        (lambda j: j.append(dict(j[0])), "journal[1].uid: appears twice"),
        (lambda j: j[0].update(at="2026-02-30T10:00:00Z"), "journal[0].at"),
        (lambda j: j[0].update(old_values={"not a key": {}}), "journal[0].old_values"),
        (lambda j: j[0].update(who="Jo\x07"), "journal[0].who"),
        (lambda j: j[0].pop("device"), "journal[0]: is missing device"),
    ],
)
def test_a_malformed_journal_is_refused_with_where_and_what(policy, change, expected):
    doc = json.loads(cf.dumps(cf.bundle_to_document(build_demo(policy, TODAY), [_entry()])))
    change(doc["journal"])
    with pytest.raises(InvalidInput) as info:
        cf.document_to_file(doc)
    assert expected in str(info.value)
    assert "\n" not in str(info.value)


def test_a_conflict_shows_dates_as_dd_mm_yyyy_flags_as_yes_or_no_and_cuts_long_text():
    from datetime import UTC, datetime

    from chair_app.services.merge import MergeConflict, Side, conflict_lines

    at = datetime(2026, 11, 30, 14, 2, tzinfo=UTC)
    rid = "0b5e1f0a-3c1d-4e5f-8a9b-0c1d2e3f4a5b"
    conflicts = [
        MergeConflict(
            1, "C-1A2B3C", f"conference/{rid}", "held_on", Side("2026-12-07", "Jo", at), Side("2026-12-08", "Sam", at)
        ),
        MergeConflict(2, "C-1A2B3C", f"conference/{rid}", "remote", Side(True, "Jo", at), Side(False, "Sam", None)),
        MergeConflict(3, "C-1A2B3C", f"mapping_item/{rid}", "text", Side("x" * 100, "Jo", at), Side("y\nz", "Sam", at)),
    ]
    lines = conflict_lines(conflicts)
    assert "conference 0b5e1f0a, held on" in lines[1]
    assert lines[2].split()[1:4] == ["07/12/2026", "(Jo,", "30/11/2026"]
    assert "08/12/2026  (Sam, 30/11/2026 14:02 UTC)" in lines[3]
    assert "mine:   yes" in lines[5] and "theirs: no  (Sam)" in lines[6]
    assert '"' + "x" * 57 + '..."' in lines[8] and '"y z"' in lines[9]


def test_a_core_groups_progress_must_name_a_core_group_and_an_action_in_the_file(policy):
    bundle = build_demo(policy, TODAY)
    cid = bundle.conference.id
    group = m.CoreGroup(conference_id=cid, held_on=TODAY)
    bundle.core_groups = [group]
    bundle.core_group_progress = [
        m.CoreGroupProgress(conference_id=cid, core_group_id=group.id, action_id=bundle.actions[0].id, progress="done")
    ]
    again = cf.document_to_bundle(json.loads(cf.dumps(cf.bundle_to_document(bundle))))
    assert [(p.core_group_id, p.action_id, p.progress) for p in again.core_group_progress] == [
        (group.id, bundle.actions[0].id, "done")
    ]
    bundle.core_group_progress[0].action_id = uuid.uuid4()
    with pytest.raises(InvalidInput, match=r"^core_group_progress\[0\]\.action_id: points at a plan action"):
        cf.document_to_bundle(json.loads(cf.dumps(cf.bundle_to_document(bundle))))


def test_a_file_from_before_core_groups_reads_with_none(policy):
    older = cf.bundle_to_document(build_demo(policy, TODAY))
    del older["core_groups"], older["core_group_progress"]
    again = cf.document_to_bundle(json.loads(cf.dumps(older)))
    assert again.core_groups == [] and again.core_group_progress == []
