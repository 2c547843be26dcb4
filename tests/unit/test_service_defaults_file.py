"""Issue 20's new fields in the conference file: carried and round-tripped, and a file written before them
still imports with the defaults."""

from __future__ import annotations

import json
from datetime import date

from chair_app.domain import model as m
from chair_app.domain.enums import Category, ConferenceStatus
from chair_app.exchange import conference_file as cf
from chair_app.services.demo import build_demo

TODAY = date(2026, 11, 23)


def test_the_new_fields_round_trip_exactly(policy):
    bundle = build_demo(policy, TODAY)
    bundle.conference.status = ConferenceStatus.STOOD_DOWN
    bundle.conference.reconvene_on = date(2026, 12, 4)
    bundle.conference.interim_arrangement = "The safety plan stays in place."
    bundle.recommendations[0].dissent = "A colleague thinks a child in need plan would do."
    again = cf.document_to_bundle(json.loads(cf.dumps(cf.bundle_to_document(bundle))))
    assert (again.conference.reconvene_on, again.conference.interim_arrangement) == (
        date(2026, 12, 4),
        "The safety plan stays in place.",
    )
    dissent = next(r for r in again.recommendations if r.id == bundle.recommendations[0].id).dissent
    assert dissent.startswith("A colleague")
    kayden = next(d for d in again.decisions if d.secondary_category is not None)
    assert kayden.secondary_category is Category.NEG and kayden.category_reason
    assert any(i.views for i in again.invitations)
    assert cf.dumps(cf.bundle_to_document(again)) == cf.dumps(cf.bundle_to_document(bundle))


def test_a_file_written_before_issue_20_imports_with_the_new_fields_empty(policy):
    bundle = build_demo(policy, TODAY)
    older = cf.bundle_to_document(bundle)
    for name in ("reconvene_on", "interim_arrangement"):
        del older["conference"][name]
    for name, fields in (
        ("invitations", ("views",)),
        ("recommendations", ("dissent",)),
        ("decisions", ("secondary_category", "category_reason")),
    ):
        for record in older[name]:
            for field in fields:
                del record[field]
    again = cf.document_to_bundle(json.loads(cf.dumps(older)))
    assert (again.conference.reconvene_on, again.conference.interim_arrangement) == (None, "")
    assert all(i.views == "" for i in again.invitations)
    assert all(r.dissent == "" for r in again.recommendations)
    assert all(d.secondary_category is None and d.category_reason == "" for d in again.decisions)
    assert isinstance(again.conference, m.Conference)
