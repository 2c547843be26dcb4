"""The store, run on SQLite and on a real PostgreSQL cluster."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from chair_app.domain import model as m
from chair_app.domain.enums import MappingSection, RecordStatus
from chair_app.domain.errors import Conflict, InvalidInput, RecordFinalised
from chair_app.exchange import conference_file
from chair_app.services import conferences
from chair_app.services.demo import build_demo, create_demo
from chair_app.store import models as rows
from chair_app.store.engine import FINALISED_MARK, open_database
from chair_app.store.migrate import alembic_config
from tests.conftest import dump, table_names

TODAY = date(2026, 11, 23)


def test_opening_creates_every_table_at_head(db):
    assert {t.name for t in rows.Base.metadata.sorted_tables} <= table_names(db)
    with db.engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    from alembic.script import ScriptDirectory

    assert version == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_reopening_is_a_no_op(db):
    before = dump(db)
    again = open_database(db.engine.url.render_as_string(hide_password=False))
    assert dump(again) == before


def test_sqlite_is_opened_durable(sqlite_db):
    with sqlite_db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_demo_is_stored_complete(db, policy):
    built = build_demo(policy, TODAY)
    conferences.add_conference(db, built)
    loaded = conferences.load(db, built.conference.ref)

    # Everything the demo built comes back, except the version/time stamps the store sets itself.
    def comparable(bundle):
        doc = conference_file.bundle_to_document(bundle)
        for value in doc.values():
            for rec in value if isinstance(value, list) else [value] if isinstance(value, dict) else []:
                rec.pop("created_at", None)
                rec.pop("updated_at", None)
                rec.pop("version", None)
        return doc

    assert comparable(loaded) == comparable(built)
    assert len(loaded.invitations) == 13
    assert {p.role_code for p in loaded.people} >= {"social_worker", "health_visitor", "school", "police"}
    assert any(c.date_of_birth is None and c.expected_date_of_birth for c in loaded.children)


def test_every_record_has_uuid_version_and_utc_times(db, policy):
    bundle = create_demo(db, policy, TODAY)
    for name, _cls in m.BUNDLE_LISTS:
        for record in getattr(bundle, name):
            assert isinstance(record.id, uuid.UUID)
            assert record.version >= 1
            assert record.created_at.tzinfo is UTC and record.updated_at.tzinfo is UTC


def test_an_edit_bumps_the_version_and_a_stale_edit_is_refused(db, policy):
    bundle = create_demo(db, policy, TODAY)
    item_id = bundle.mapping_items[0].id
    with db.unit_of_work() as s:
        row = s.get_one(rows.MappingItemRow, item_id)
        row.text = "Changed once"
    with db.unit_of_work() as s:
        assert s.get_one(rows.MappingItemRow, item_id).version == 2

    # Two sessions read version 2; the first write wins, the second is refused as stale.
    s1, s2 = db.sessions(), db.sessions()
    try:
        a, b = s1.get_one(rows.MappingItemRow, item_id), s2.get_one(rows.MappingItemRow, item_id)
        a.text = "First"
        s1.commit()
        b.text = "Second"
        with pytest.raises(Exception) as info:
            s2.commit()
        assert "StaleData" in type(info.value).__name__
    finally:
        s1.close()
        s2.close()
    with pytest.raises(Conflict):
        with db.unit_of_work() as s:
            row = s.get_one(rows.MappingItemRow, item_id)
            s.execute(update(rows.MappingItemRow.__table__).where(rows.MappingItemRow.id == item_id).values(version=9))
            row.text = "Third"


def _finalise(db, conference_id):
    with db.unit_of_work() as s:
        row = s.get_one(rows.ConferenceRow, conference_id)
        row.record_status = RecordStatus.FINALISED
        row.finalised_at = datetime.now(UTC)


def test_finalised_records_are_immutable_in_storage(db, policy):
    bundle = create_demo(db, policy, TODAY)
    cid = bundle.conference.id
    _finalise(db, cid)
    before = dump(db)

    with pytest.raises(RecordFinalised):  # through the ORM
        with db.unit_of_work() as s:
            s.get_one(rows.MappingItemRow, bundle.mapping_items[0].id).text = "Rewritten"
    with pytest.raises(RecordFinalised):
        with db.unit_of_work() as s:
            s.add(rows.MappingItemRow(conference_id=cid, section=MappingSection.STRENGTH, text="Added later"))
    with pytest.raises(RecordFinalised):
        with db.unit_of_work() as s:
            s.get_one(rows.ConferenceRow, cid).venue = "Elsewhere"
    # Plain SQL gets the same answer: the guard is in the database, not in the app.
    for statement in (
        "UPDATE decision SET reasons = 'x'",
        "DELETE FROM plan_action",
        "UPDATE conference SET record_status = 'draft'",
        "DELETE FROM conference",
    ):
        with pytest.raises(DBAPIError) as info, db.engine.begin() as conn:
            conn.execute(text(statement))
        assert FINALISED_MARK in str(info.value)
    assert dump(db) == before

    # Amendments and documents produced are still appended.
    with db.unit_of_work() as s:
        s.add(
            rows.AmendmentRow(conference_id=cid, made_by="Clerk", reason="Typo", text="Kayden's school is Meadowbank")
        )
    with db.unit_of_work() as s:
        assert s.scalars(select(rows.AmendmentRow)).one().text.startswith("Kayden")


def test_lookup_by_reference_uuid_and_prefix(db, policy):
    bundle = create_demo(db, policy, TODAY)
    cid = bundle.conference.id
    for ref in (str(cid), bundle.conference.ref, bundle.conference.ref.lower(), cid.hex[:8]):
        assert conferences.load(db, ref).conference.id == cid
    with pytest.raises(Exception, match="no conference"):
        conferences.load(db, "C-ZZZZZZ")


def test_search_finds_by_family_child_chair_and_reference(db, policy):
    bundle = create_demo(db, policy, TODAY)
    for needle in ("hayes", "Lily", "Marsh", bundle.conference.ref):
        assert [s.id for s in conferences.list_conferences(db, needle)] == [bundle.conference.id]
    assert conferences.list_conferences(db, "Nobody") == []


# ---------------------------------------------------------------------------------------------------------
# Import


def _doc(bundle):
    return conference_file.bundle_to_document(bundle)


def test_import_adds_then_reports_unchanged(db, policy):
    bundle = build_demo(policy, TODAY)
    assert conferences.import_bundle(db, bundle).action == "added"
    assert conferences.import_bundle(db, bundle).action == "unchanged"
    assert _doc(conferences.load(db, bundle.conference.ref)) == _doc(bundle)


def test_import_of_a_newer_version_replaces_the_conference(db, policy):
    bundle = build_demo(policy, TODAY)
    conferences.import_bundle(db, bundle)
    newer = conference_file.document_to_bundle(_doc(bundle))
    newer.conference.version = 3
    newer.conference.venue = "Video call"
    newer.mapping_items = newer.mapping_items[:3]
    newer.mapping_items[0].text = "Edited on the clerk's laptop"
    assert conferences.import_bundle(db, newer).action == "updated"
    assert _doc(conferences.load(db, bundle.conference.ref)) == _doc(newer)


@pytest.mark.parametrize("stored_version,file_version", [(5, 3), (4, 4)])
def test_import_conflicting_with_stored_work_changes_nothing(db, policy, stored_version, file_version):
    bundle = build_demo(policy, TODAY)
    bundle.conference.version = stored_version
    bundle.conference.updated_by = "Helen Marsh"
    conferences.import_bundle(db, bundle)
    before = dump(db)
    other = conference_file.document_to_bundle(_doc(bundle))
    other.conference.version = file_version
    other.conference.updated_by = "Clerk laptop"
    other.conference.venue = "Somewhere else"
    with pytest.raises(Conflict) as info:
        conferences.import_bundle(db, other)
    message = str(info.value)
    assert f"version {stored_version}" in message and f"version {file_version}" in message
    assert "Helen Marsh" in message and "Clerk laptop" in message and "\n" not in message
    assert dump(db) == before


def test_import_over_a_finalised_record_is_refused(db, policy):
    bundle = build_demo(policy, TODAY)
    conferences.import_bundle(db, bundle)
    _finalise(db, bundle.conference.id)
    before = dump(db)
    newer = conference_file.document_to_bundle(_doc(bundle))
    newer.conference.version = 10
    newer.conference.venue = "Changed"
    with pytest.raises(RecordFinalised):
        conferences.import_bundle(db, newer)
    assert dump(db) == before


def test_import_that_fails_in_the_database_rolls_back_completely(db, policy):
    bundle = build_demo(policy, TODAY)
    # A child pointing at a family that is not in the file nor the database: caught by the foreign key,
    # after some rows were already written in the transaction.
    conferences.import_bundle(db, build_demo(policy, TODAY))
    before = dump(db)
    bundle.children[0].family_id = uuid.uuid4()
    with pytest.raises(DBAPIError):
        conferences.import_bundle(db, bundle)
    assert dump(db) == before


def test_file_validation_happens_before_any_write(db, policy, tmp_path):
    conferences.import_bundle(db, build_demo(policy, TODAY))
    before = dump(db)
    bad = tmp_path / "bad.json"
    doc = _doc(build_demo(policy, TODAY))
    doc["pairs"][0]["scale"] = 11
    bad.write_text(conference_file.dumps(doc))
    with pytest.raises(InvalidInput, match=r"pairs\[0\]\.scale"):
        conferences.import_file(db, bad)
    assert dump(db) == before


def test_export_then_import_into_another_database_gives_the_same_file(db, policy, tmp_path):
    """The same records, versions and timestamps; the journal goes on (the import is an entry of its own)."""
    import json

    bundle = create_demo(db, policy, TODAY)
    first = tmp_path / "first.json"
    conferences.write_export(db, bundle.conference.ref, first)
    other = open_database(f"sqlite:///{tmp_path / 'other.db'}")
    assert conferences.import_file(other, first).action == "added"
    second = tmp_path / "second.json"
    conferences.write_export(other, bundle.conference.ref, second)
    one, two = json.loads(first.read_text()), json.loads(second.read_text())
    journal_one, journal_two = one.pop("journal"), two.pop("journal")
    assert one == two
    assert journal_two[: len(journal_one)] == journal_one
    assert [e["operation"] for e in journal_two[len(journal_one) :]] == ["import"]


def test_the_list_pages_add_up_to_the_whole_list_in_order(db, policy, monkeypatch):
    from datetime import date, timedelta

    from chair_app.services.demo import build_demo

    today = date(2026, 11, 23)
    for offset in (-40, -30, -20, -10, -1, 0, 3, 9):
        bundle = build_demo(policy, today + timedelta(days=offset))
        bundle.conference.held_on = today + timedelta(days=offset)
        conferences.add_conference(db, bundle)
    monkeypatch.setattr(conferences, "RECENT", 3)
    first, more = conferences.first_page(db, today)
    assert more and len(first) == 3 + 3  # today and two upcoming, then three recent
    whole = conferences.today_first(conferences.list_conferences(db), today)
    assert [s.id for s in first + conferences.older_conferences(db, today)] == [s.id for s in whole]
    assert [s.held_on for s in whole][:4] == [
        today,
        today + timedelta(days=3),
        today + timedelta(days=9),
        today - timedelta(days=1),
    ]
    assert all(len(s.children) == 3 and s.children == tuple(sorted(s.children)) for s in whole)


def test_a_batch_with_two_conferences_of_one_family_keeps_the_newest_shared_records(db, policy):
    import copy
    import uuid as _uuid
    from datetime import date

    from chair_app.services.demo import build_demo
    from chair_app.store import repository as repo

    first = build_demo(policy, date(2026, 6, 1))
    second = copy.deepcopy(first)
    second.conference.id = _uuid.uuid4()
    second.conference.held_on = date(2026, 9, 1)
    for name in repo.OWNED_LISTS:
        for record in getattr(second, name):
            record.id = _uuid.uuid4()
            record.conference_id = second.conference.id
    # (the family's plan history, shared, comes with both files unchanged)
    child = second.children[0]
    child.forename, child.version = "Renamed", child.version + 1
    results = conferences.import_bundles(db, [first, second])
    assert [r.action for r in results] == ["added", "added"]
    with db.unit_of_work() as s:
        stored = repo.load_bundle(s, second.conference.id)
    assert next(c for c in stored.children if c.id == child.id).forename == "Renamed"
    assert len(stored.children) == len(first.children)
    # Importing the newer file again changes nothing and says so.
    before = dump(db)
    assert [r.action for r in conferences.import_bundles(db, [second])] == ["unchanged"]
    assert dump(db) == before
