"""Finalised is final: every way round the guards that issue 11 found, each refused, on SQLite and PostgreSQL."""

from __future__ import annotations

import copy
import uuid
from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from chair_app.domain import model as m
from chair_app.domain.enums import DocumentKind, RecordStatus
from chair_app.domain.errors import RecordFinalised
from chair_app.exchange import conference_file
from chair_app.rules.policy import load_policy
from chair_app.services import conferences, signoff, workspace
from chair_app.services.demo import build_demo, create_demo
from chair_app.store import models as rows
from chair_app.store import repository as repo
from chair_app.store.engine import FINALISED_MARK, JOURNAL_MARK, open_database, sqlite_url
from tests.conftest import dump

POLICY = load_policy()  # set_fields and add_records take the policy in force

TODAY = date(2026, 11, 23)


def _id(db, value: uuid.UUID) -> str:
    """A UUID as the database stores it, for hand-typed SQL (SQLite keeps 32 hex digits)."""
    return value.hex if db.dialect == "sqlite" else str(value)


def _refused(db, statement: str, params: dict | None = None, mark: str = FINALISED_MARK) -> None:
    before = dump(db)
    with pytest.raises(DBAPIError) as info, db.engine.begin() as conn:
        conn.execute(text(statement), params or {})
    assert mark in str(info.value)
    assert dump(db) == before


def _finalised_demo(db, policy):
    bundle = create_demo(db, policy, TODAY)
    signoff.finalise(db, bundle.conference.ref, who="Helen Marsh")
    return conferences.load(db, bundle.conference.ref)


def _second_conference_of_the_family(first: m.ConferenceBundle, held_on: date) -> m.ConferenceBundle:
    """A review of the same family: new conference, new rows of its own, the same family, children, people."""
    second = copy.deepcopy(first)
    second.conference = m.Conference(
        kind=first.conference.kind, family_id=first.family.id, held_on=held_on, chair="Helen Marsh"
    )
    for name in repo.OWNED_LISTS:
        setattr(second, name, [])
    for position, child in enumerate(first.children):
        second.conference_children.append(
            m.ConferenceChild(conference_id=second.conference.id, child_id=child.id, position=position)
        )
    for position, invitation in enumerate(first.invitations):
        second.invitations.append(
            m.Invitation(conference_id=second.conference.id, person_id=invitation.person_id, position=position)
        )
    return second


def _shown(db, ref: str) -> dict:
    """What a finalised record shows of its shared records (documents and `show` are built from this)."""
    bundle = conferences.load(db, ref)
    return {
        "family": (bundle.family.name, bundle.family.address),
        "children": sorted((c.forename, c.surname) for c in bundle.children),
        "people": sorted((p.name, p.phone) for p in bundle.people),
        "plans": sorted((str(p.child_id), p.started_on, p.ended_on) for p in bundle.plan_history),
    }


# ---------------------------------------------------------------------------------------------------------
# The conference row


def test_insert_or_replace_cannot_turn_a_finalised_conference_back_into_a_draft(db, policy):
    bundle = _finalised_demo(db, policy)
    cid = _id(db, bundle.conference.id)
    columns = "id, kind, family_id, held_on, venue, remote, chair, minute_taker, status, quoracy_outcome, "
    columns += "quoracy_rationale, stood_down_reason, stood_down_note, next_dates_note, contingency_plan, "
    columns += "parents_views, record_status, signed_off_by, updated_by, version, created_at, updated_at, "
    columns += "referral_source"
    values = (
        ":id, 'initial', :fam, '2026-11-23', '', false, 'Someone', '', 'held', 'quorate', '', '', '', '', '', '', "
        "'draft', '', '', 99, '2026-01-01', '2026-01-01', ''"
    )
    params = {"id": cid, "fam": _id(db, bundle.family.id)}
    if db.dialect == "sqlite":
        _refused(db, f"INSERT OR REPLACE INTO conference ({columns}) VALUES ({values})", params)
        _refused(db, f"REPLACE INTO conference ({columns}) VALUES ({values})", params)
    else:  # PostgreSQL's way to write over a row is an upsert, which fires the UPDATE guard
        _refused(
            db,
            f"INSERT INTO conference ({columns}) VALUES ({values}) "
            "ON CONFLICT (id) DO UPDATE SET record_status = 'draft'",
            params,
        )
    assert conferences.load(db, bundle.conference.ref).conference.record_status is RecordStatus.FINALISED
    assert len(conferences.load(db, bundle.conference.ref).mapping_items) == len(bundle.mapping_items)


def test_insert_or_replace_cannot_overwrite_a_row_of_a_finalised_record_from_a_draft(db, policy):
    finalised = _finalised_demo(db, policy)
    draft = create_demo(db, policy, TODAY)
    item = finalised.mapping_items[0]
    params = {"id": _id(db, item.id), "cid": _id(db, draft.conference.id)}
    columns = "id, conference_id, section, text, position, version, created_at, updated_at"
    values = ":id, :cid, 'strength', 'Rewritten', 0, 1, '2026-01-01', '2026-01-01'"
    if db.dialect == "sqlite":
        _refused(db, f"INSERT OR REPLACE INTO mapping_item ({columns}) VALUES ({values})", params)
    else:
        _refused(
            db,
            f"INSERT INTO mapping_item ({columns}) VALUES ({values}) "
            "ON CONFLICT (id) DO UPDATE SET text = 'Rewritten', conference_id = EXCLUDED.conference_id",
            params,
        )


# ---------------------------------------------------------------------------------------------------------
# Shared records: the snapshot taken at sign-off


def test_finalising_keeps_a_snapshot_that_a_draft_conferences_edits_of_the_family_do_not_reach(db, policy):
    first = _finalised_demo(db, policy)
    signed = _shown(db, first.conference.ref)
    review = conferences.add_conference(db, _second_conference_of_the_family(first, date(2027, 2, 1)))
    rid = review.conference.id
    child, person = first.children[0], first.people[0]
    workspace.set_fields(
        db, rid, m.Family, first.family.id, {"name": "Hayes-Cole family"}, who="Helen Marsh", policy=POLICY, seen=None
    )
    workspace.set_fields(
        db, rid, m.Child, child.id, {"forename": "Renamed"}, who="Helen Marsh", policy=POLICY, seen=None
    )
    workspace.set_fields(
        db, rid, m.Person, person.id, {"phone": "07700 900999"}, who="Helen Marsh", policy=POLICY, seen=None
    )

    # The family's change is real (the review shows it) and the finalised record still shows sign-off day.
    assert conferences.load(db, review.conference.ref).family.name == "Hayes-Cole family"
    assert _shown(db, first.conference.ref) == signed
    # ... and it is in the review's history, where it was made.
    from chair_app.services import journal as history

    renamed = [c for e in history.history(db, rid) for c in e.changes if c.field == "Family name"]
    assert [(c.before, c.after) for c in renamed] == [('"Hayes family"', '"Hayes-Cole family"')]


def test_another_conferences_file_import_does_not_change_what_a_finalised_record_shows(db, policy):
    first = _finalised_demo(db, policy)
    signed = _shown(db, first.conference.ref)
    other = _second_conference_of_the_family(first, date(2027, 2, 1))
    other.family.name, other.family.version = "Imported family name", other.family.version + 5
    other.children[0].surname, other.children[0].version = "Imported", other.children[0].version + 5
    other.people[0].name, other.people[0].version = "Imported Person", other.people[0].version + 5
    assert conferences.import_bundle(db, other).action == "added"
    assert conferences.load(db, other.conference.ref).family.name == "Imported family name"
    assert _shown(db, first.conference.ref) == signed


def test_an_update_by_hand_of_the_family_children_or_people_does_not_change_a_finalised_record(db, policy):
    first = _finalised_demo(db, policy)
    signed = _shown(db, first.conference.ref)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE family SET name = 'Changed by hand', address = 'Elsewhere'"))
        conn.execute(text("UPDATE child SET forename = 'Changed'"))
        conn.execute(text("UPDATE person SET phone = '000'"))
        conn.execute(text("UPDATE plan_history SET ended_on = '2027-01-01'"))
    assert _shown(db, first.conference.ref) == signed
    if db.dialect == "sqlite":  # replacing the family's row outright: refused by its references, or shown as signed
        try:
            with db.engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT OR REPLACE INTO family (id, name, address, address_withheld, notes, version, "
                        "created_at, updated_at) VALUES (:id, 'Replaced', '', 0, '', 99, '2026-01-01', '2026-01-01')"
                    ),
                    {"id": _id(db, first.family.id)},
                )
        except DBAPIError:
            pass
        assert _shown(db, first.conference.ref) == signed


def test_the_documents_of_a_finalised_record_are_built_from_its_snapshot(db, policy):
    from chair_app.services.documents import conference_record

    first = _finalised_demo(db, policy)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE family SET name = 'Changed by hand'"))
    made = conference_record(db, first.conference.ref, policy)
    import io

    from pypdf import PdfReader

    words = "".join(page.extract_text() for page in PdfReader(io.BytesIO(made.pdf)).pages)
    assert "Hayes family" in words and "Changed by hand" not in words


def test_the_snapshot_itself_can_be_neither_changed_nor_removed_nor_replaced(db, policy):
    first = _finalised_demo(db, policy)
    cid = {"id": _id(db, first.conference.id)}
    _refused(db, "UPDATE record_snapshot SET document = '{}' WHERE conference_id = :id", cid)
    _refused(db, "DELETE FROM record_snapshot WHERE conference_id = :id", cid)
    if db.dialect == "sqlite":
        _refused(
            db,
            "INSERT OR REPLACE INTO record_snapshot (conference_id, taken_at, document) "
            "VALUES (:id, '2026-01-01', '{}')",
            cid,
        )


# ---------------------------------------------------------------------------------------------------------
# Amendments, document records, plan history


def test_amendments_of_a_finalised_record_are_appended_never_changed_or_removed(db, policy):
    first = _finalised_demo(db, policy)
    signoff.amend(db, first.conference.ref, who="Clerk", reason="Typo", text="Kayden's school is Meadowbank")
    signoff.amend(db, first.conference.ref, who="Clerk", reason="Second", text="Another note")  # appended
    assert len(conferences.load(db, first.conference.ref).amendments) == 2
    _refused(db, "UPDATE amendment SET text = 'Rewritten'")
    _refused(db, "DELETE FROM amendment")
    with pytest.raises(RecordFinalised), db.unit_of_work() as s:
        s.scalars(select(rows.AmendmentRow)).first().reason = "Changed"


def test_document_records_of_a_finalised_record_are_appended_never_changed_or_removed(db, policy):
    from chair_app.services.documents import conference_record

    first = _finalised_demo(db, policy)
    conference_record(db, first.conference.ref, policy)  # printing after sign-off appends its record
    conference_record(db, first.conference.ref, policy)
    documents = conferences.load(db, first.conference.ref).documents
    assert [d.kind for d in documents] == [DocumentKind.RECORD, DocumentKind.RECORD]
    _refused(db, "UPDATE document_record SET recipient = 'Someone else'")
    _refused(db, "DELETE FROM document_record")
    if db.dialect == "sqlite":
        _refused(
            db,
            "INSERT OR REPLACE INTO document_record (id, conference_id, kind, recipient, produced_at, "
            "document_version, method, version, created_at, updated_at) VALUES (:id, :cid, 'record', 'x', "
            "'2026-01-01', 1, '', 1, '2026-01-01', '2026-01-01')",
            {"id": _id(db, documents[0].id), "cid": _id(db, first.conference.id)},
        )


def test_plan_history_a_finalised_conference_started_keeps_what_it_recorded(db, policy):
    first = _finalised_demo(db, policy)
    started = [p for p in first.plan_history if p.conference_id == first.conference.id]
    assert started, "the demo's decisions start plans at this conference"
    signed = _shown(db, first.conference.ref)
    params = {"id": _id(db, started[0].id)}
    _refused(db, "UPDATE plan_history SET started_on = '2020-01-01' WHERE id = :id", params)
    _refused(db, "UPDATE plan_history SET initial_category = 'physical_abuse' WHERE id = :id", params)
    _refused(db, "DELETE FROM plan_history WHERE id = :id", params)
    # A later conference may still record how the plan ended; the finalised record keeps showing it open.
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE plan_history SET ended_on = '2027-06-01' WHERE id = :id"), params)
    assert _shown(db, first.conference.ref) == signed


# ---------------------------------------------------------------------------------------------------------
# Files


def test_a_finalised_conference_file_imports_into_a_database_that_never_held_it(db, policy, tmp_path):
    source = open_database(sqlite_url(tmp_path / "source.db"))
    first = _finalised_demo(source, policy)
    path = tmp_path / "finalised.json"
    conferences.write_export(source, first.conference.ref, path)
    source.dispose()

    result = conferences.import_file(db, path)
    assert result.action == "added"
    stored = conferences.load(db, first.conference.ref)
    assert stored.conference.record_status is RecordStatus.FINALISED
    assert conference_file.bundle_to_document(stored) == conference_file.bundle_to_document(
        conference_file.read_file(path)
    )
    # ... and once there it is guarded, and shows its own snapshot.
    _refused(db, "UPDATE mapping_item SET text = 'Rewritten'")
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE family SET name = 'Changed by hand'"))
    assert conferences.load(db, first.conference.ref).family.name == first.family.name
    assert conferences.import_file(db, path).action == "unchanged"


def test_a_draft_replaced_by_its_finalised_file_is_finalised_with_its_rows(db, policy, tmp_path):
    draft = build_demo(policy, TODAY)
    conferences.import_bundle(db, draft)
    finalised = conference_file.document_to_bundle(conference_file.bundle_to_document(draft))
    finalised.conference.version += 1
    finalised.conference.record_status = RecordStatus.FINALISED
    finalised.conference.signed_off_by = "Helen Marsh"
    assert conferences.import_bundle(db, finalised).action == "updated"
    stored = conferences.load(db, draft.conference.ref)
    assert stored.conference.record_status is RecordStatus.FINALISED
    assert len(stored.mapping_items) == len(draft.mapping_items)
    _refused(db, "DELETE FROM mapping_item")


def test_finalising_twice_is_refused_naming_who_signed_it_off(db, policy):
    first = _finalised_demo(db, policy)
    before = dump(db)
    with pytest.raises(RecordFinalised, match="Helen Marsh"):
        signoff.finalise(db, first.conference.ref, who="Someone Else")
    assert dump(db) == before


# ---------------------------------------------------------------------------------------------------------
# Revision 0004 on a database that already holds finalised records


def test_the_upgrade_keeps_a_snapshot_for_records_finalised_before_it(tmp_path, policy):
    from alembic import command

    from chair_app.store.migrate import alembic_config

    url = sqlite_url(tmp_path / "old.db")
    db = open_database(url)
    bundle = create_demo(db, policy, TODAY)
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
        conn.execute(text("UPDATE conference SET record_status = 'finalised' WHERE record_status <> 'finalised'"))
    db.dispose()
    db = open_database(url)  # upgrades to 0004: the snapshot is taken now
    signed = _shown(db, bundle.conference.ref)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE family SET name = 'Changed by hand'"))
        conn.execute(text("UPDATE child SET forename = 'Changed'"))
    assert _shown(db, bundle.conference.ref) == signed
    assert signed["family"][0] == "Hayes family"


# ---------------------------------------------------------------------------------------------------------
# The journal's own guard (its append-only tests are in test_journal.py): replacing an entry


def test_insert_or_replace_cannot_rewrite_a_journal_entry(sqlite_db, policy):
    create_demo(sqlite_db, policy, TODAY)
    _refused(
        sqlite_db,
        "INSERT OR REPLACE INTO journal (id, uid, at, last_at, who, device, operation, detail, old_values, "
        "new_values, closed) SELECT id, uid, at, last_at, 'Someone else', device, operation, detail, '{}', '{}', 1 "
        "FROM journal",
        mark=JOURNAL_MARK,
    )
