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


def test_only_fields_added_since_files_were_written_may_be_absent(doc):
    del doc["conference"]["held_on"]
    with pytest.raises(InvalidInput, match="held_on"):
        cf.document_to_bundle(doc)
