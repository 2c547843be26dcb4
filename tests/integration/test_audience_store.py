"""The family network, restrictions and audience marks in storage and in the conference file (issue 12)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy.exc import DBAPIError

from chair_app.domain import model as m
from chair_app.domain.enums import Audience
from chair_app.domain.errors import RecordFinalised
from chair_app.exchange import conference_file as cf
from chair_app.services import conferences, signoff
from chair_app.services import workspace as wsvc
from chair_app.services.demo import build_demo, create_demo
from tests.conftest import dump

TODAY = date(2026, 11, 23)


def test_the_demos_network_restrictions_and_marks_are_stored_and_read_back(db, policy):
    built = build_demo(policy, TODAY)
    stored = conferences.add_conference(db, built)
    assert stored.network == built.network and stored.restrictions == built.restrictions
    assert sorted(stored.audience, key=lambda a: a.id) == sorted(built.audience, key=lambda a: a.id)


def test_a_finalised_records_marks_can_be_neither_added_nor_changed(db, policy):
    bundle = create_demo(db, policy, TODAY)
    signoff.finalise(db, bundle.conference.ref, who="Helen Marsh")
    before = dump(db)
    mark = m.AudienceMark(
        conference_id=bundle.conference.id,
        subject_id=bundle.mapping_items[0].id,
        audience=Audience.PROFESSIONALS,
        reason="after sign-off",
    )
    with pytest.raises((RecordFinalised, DBAPIError)):
        wsvc.add_records(db, bundle.conference.id, [mark], who="Helen Marsh", policy=policy)
    with pytest.raises((RecordFinalised, DBAPIError)):
        wsvc.remove_records(db, bundle.conference.id, [(m.AudienceMark, bundle.audience[0].id)], who="Helen Marsh")
    assert dump(db) == before


def test_the_conference_file_carries_them_and_a_file_from_before_reads_with_none(policy):
    bundle = build_demo(policy, TODAY)
    again = cf.document_to_bundle(json.loads(cf.dumps(cf.bundle_to_document(bundle))))
    for name in ("network", "restrictions", "audience"):
        assert sorted(getattr(again, name), key=lambda r: r.id) == sorted(getattr(bundle, name), key=lambda r: r.id)
    older = cf.bundle_to_document(bundle)
    for name in ("network", "restrictions", "audience"):
        del older[name]
    read = cf.document_to_bundle(json.loads(cf.dumps(older)))
    assert read.network == [] and read.restrictions == [] and read.audience == []


def test_a_restriction_about_someone_not_in_the_file_is_refused(policy):
    bundle = build_demo(policy, TODAY)
    doc = cf.bundle_to_document(bundle)
    doc["restrictions"][0]["about_id"] = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(Exception, match=r"restrictions\[0\]\.about_id: points at a person"):
        cf.document_to_bundle(doc)
