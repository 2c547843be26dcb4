"""Files merge by the journal (issue 11): two databases each edit a copy of one conference and exchange files.

Each test runs on SQLite and on PostgreSQL: both "laptops" are databases of the kind under test.
"""

from __future__ import annotations

import copy
import json
import uuid
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, select, text

from chair_app.domain import model as m
from chair_app.domain.enums import RecordStatus
from chair_app.domain.errors import InvalidInput, RecordFinalised
from chair_app.services import conferences as conf
from chair_app.services.demo import build_demo, create_demo
from chair_app.services.merge import MergeConflicts
from chair_app.store import models as rows
from chair_app.store.engine import open_database, sqlite_url
from chair_app.store.journal_exchange import conference_entries
from tests.conftest import dump

TODAY = date(2026, 11, 23)


class Laptops:
    """Fresh, empty databases of one kind: SQLite files, or new databases on the session's PostgreSQL."""

    def __init__(self, kind: str, tmp: Path, request) -> None:
        self.kind, self.tmp, self.request, self.opened = kind, tmp, request, []

    def new(self):
        name = f"chair_{uuid.uuid4().hex[:12]}"
        if self.kind == "sqlite":
            url = sqlite_url(self.tmp / f"{name}.db")
        else:
            cluster = self.request.getfixturevalue("pg_cluster")
            admin = create_engine(cluster.url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f"CREATE DATABASE {name}"))
            admin.dispose()
            url = cluster.url.rsplit("/", 1)[0] + f"/{name}"
        db = open_database(url)
        self.opened.append(db)
        return db


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def laptops(request, tmp_path):
    made = Laptops(request.param, tmp_path, request)
    yield made
    for db in made.opened:
        db.dispose()


@pytest.fixture
def pair(laptops, policy, tmp_path):
    """The chair's database holding the demo conference, and the clerk's holding a copy of it from a file."""
    chair, clerk = laptops.new(), laptops.new()
    bundle = create_demo(chair, policy, TODAY)
    conf.write_export(chair, str(bundle.conference.id), tmp_path / "first.json")
    assert conf.import_files(clerk, [tmp_path / "first.json"])[0].action == "added"
    return chair, clerk, bundle


def edit(db, bundle, row_cls, record_id, who: str, operation: str = "edit", **values) -> None:
    """One journaled change through the ORM, as any service makes it (named after the conference it concerns)."""
    with db.unit_of_work(operation, who=who, conference_id=bundle.conference.id) as session:
        row = session.get(row_cls, record_id)
        for name, value in values.items():
            setattr(row, name, value)


def add(db, bundle, row, who: str, operation: str) -> None:
    with db.unit_of_work(operation, who=who, conference_id=bundle.conference.id) as session:
        session.add(row)


def finalise(db, ref: str, *, who: str) -> None:
    """Sign the record off as the service does (snapshot, then finalised), without its readiness rules: these
    tests are about importing a finalised record, not about when one may be signed off."""
    from chair_app.store import journal as store_journal
    from chair_app.store import repository as repo

    with db.unit_of_work("finalise", who=who) as session:
        row = repo.get_conference_row(session, ref)
        store_journal.write_snapshot(session, repo.load_bundle(session, row.id))
        row.record_status = RecordStatus.FINALISED
        row.signed_off_by = who
        row.finalised_at = m.utcnow()


def exchange(src, dst, bundle, path: Path, **choose) -> list[conf.ImportResult]:
    conf.write_export(src, str(bundle.conference.id), path)
    return conf.import_files(dst, [path], **choose)


def texts(db, bundle) -> dict[uuid.UUID, str]:
    return {i.id: i.text for i in conf.load(db, str(bundle.conference.id)).mapping_items}


def uids(db, bundle) -> set[uuid.UUID]:
    """The conference's changes and audit, less each side's own imports and exports (written after the file)."""
    with db.unit_of_work() as session:
        entries = conference_entries(session, bundle.conference.id)
    return {e.uid for e in entries if e.operation not in ("import", "export")}


def test_changes_to_different_fields_and_records_on_two_copies_all_land_on_both(pair, tmp_path):
    chair, clerk, bundle = pair
    items = sorted(bundle.mapping_items, key=lambda i: str(i.id))
    edit(chair, bundle, rows.MappingItemRow, items[0].id, "Jo Chair", text="Chair's words")
    edit(clerk, bundle, rows.MappingItemRow, items[1].id, "Sam Clerk", text="Clerk's words")
    edit(clerk, bundle, rows.MappingItemRow, items[0].id, "Sam Clerk", position=99)  # same record, other field
    edit(chair, bundle, rows.FamilyRow, bundle.family.id, "Jo Chair", address="1 New Road")
    edit(clerk, bundle, rows.ConferenceRow, bundle.conference.id, "Sam Clerk", venue="Room 4")

    assert exchange(clerk, chair, bundle, tmp_path / "clerk.json")[0].action == "merged"
    assert exchange(chair, clerk, bundle, tmp_path / "chair.json")[0].action == "merged"

    for db in (chair, clerk):
        got = conf.load(db, str(bundle.conference.id))
        item0 = next(i for i in got.mapping_items if i.id == items[0].id)
        assert (item0.text, item0.position) == ("Chair's words", 99)
        assert next(i for i in got.mapping_items if i.id == items[1].id).text == "Clerk's words"
        assert got.family.address == "1 New Road"
        assert got.conference.venue == "Room 4"
    assert uids(chair, bundle) == uids(clerk, bundle)  # both hold the whole history, each entry once
    # and nothing more to do either way
    assert exchange(clerk, chair, bundle, tmp_path / "again.json")[0].action == "unchanged"
    assert exchange(chair, clerk, bundle, tmp_path / "again2.json")[0].action == "unchanged"


def test_the_imported_entries_keep_who_when_and_device_and_the_import_is_journaled(pair, tmp_path):
    chair, clerk, bundle = pair
    item = bundle.mapping_items[0]
    edit(clerk, bundle, rows.MappingItemRow, item.id, "Sam Clerk", text="Clerk's words")
    with clerk.unit_of_work() as session:
        clerks = [e for e in conference_entries(session, bundle.conference.id) if e.who == "Sam Clerk"]
    exchange(clerk, chair, bundle, tmp_path / "clerk.json")
    with chair.unit_of_work() as session:
        held = conference_entries(session, bundle.conference.id)
    (copy,) = [e for e in held if e.uid == clerks[0].uid]
    assert (copy.who, copy.device, copy.operation, copy.new_values) == (
        "Sam Clerk",
        clerks[0].device,
        "edit",
        clerks[0].new_values,
    )
    assert abs((copy.at - clerks[0].at).total_seconds()) < 0.001
    last = held[-1]
    assert last.operation == "import"
    assert last.new_values == {f"mapping_item/{item.id}": {"text": "Clerk's words"}}


def test_the_same_field_changed_differently_on_both_is_listed_and_nothing_is_written(pair, tmp_path):
    chair, clerk, bundle = pair
    item = bundle.mapping_items[0]
    edit(chair, bundle, rows.MappingItemRow, item.id, "Jo Chair", text="Chair's words")
    edit(clerk, bundle, rows.MappingItemRow, item.id, "Sam Clerk", text="Clerk's words")
    edit(clerk, bundle, rows.ConferenceRow, bundle.conference.id, "Sam Clerk", venue="Room 4")
    conf.write_export(clerk, str(bundle.conference.id), tmp_path / "clerk.json")
    before = dump(chair)
    with pytest.raises(MergeConflicts) as info:
        conf.import_files(chair, [tmp_path / "clerk.json"])
    (conflict,) = info.value.conflicts
    assert conflict.key == f"mapping_item/{item.id}" and conflict.field == "text"
    assert (conflict.mine.value, conflict.mine.who) == ("Chair's words", "Jo Chair")
    assert (conflict.theirs.value, conflict.theirs.who) == ("Clerk's words", "Sam Clerk")
    assert conflict.mine.at is not None and conflict.theirs.at is not None
    assert dump(chair) == before  # the other field is not taken either: all or nothing


def test_each_conflict_is_settled_only_as_chosen(pair, tmp_path):
    chair, clerk, bundle = pair
    a, b = sorted(bundle.mapping_items, key=lambda i: str(i.id))[:2]
    for item, word in ((a, "a"), (b, "b")):
        edit(chair, bundle, rows.MappingItemRow, item.id, "Jo Chair", text=f"chair {word}")
        edit(clerk, bundle, rows.MappingItemRow, item.id, "Sam Clerk", text=f"clerk {word}")
    conf.write_export(clerk, str(bundle.conference.id), tmp_path / "clerk.json")
    with pytest.raises(MergeConflicts) as info:
        conf.import_files(chair, [tmp_path / "clerk.json"], resolve=["1=theirs"])
    assert [c.number for c in info.value.conflicts] == [2]  # the one still open
    with pytest.raises(InvalidInput, match="no conflict 7"):
        conf.import_files(chair, [tmp_path / "clerk.json"], resolve=["7=mine"])
    with pytest.raises(InvalidInput, match="ID=mine or ID=theirs"):
        conf.import_files(chair, [tmp_path / "clerk.json"], resolve=["1=both"])
    conf.import_files(chair, [tmp_path / "clerk.json"], resolve=["1=theirs", "2=mine"])
    got = texts(chair, bundle)
    assert (got[a.id], got[b.id]) == ("clerk a", "chair b")


def test_resolve_all_takes_one_side_for_every_conflict_and_the_choice_is_not_asked_again(pair, tmp_path):
    chair, clerk, bundle = pair
    a, b = bundle.mapping_items[:2]
    for item in (a, b):
        edit(chair, bundle, rows.MappingItemRow, item.id, "Jo Chair", text=f"chair {item.id}")
        edit(clerk, bundle, rows.MappingItemRow, item.id, "Sam Clerk", text=f"clerk {item.id}")
    conf.write_export(clerk, str(bundle.conference.id), tmp_path / "clerk.json")
    conf.import_files(clerk, [tmp_path / "clerk.json"])  # (its own file: nothing new, nothing asked)
    conf.write_export(chair, str(bundle.conference.id), tmp_path / "chair.json")
    conf.import_files(chair, [tmp_path / "clerk.json"], resolve_all="mine")
    assert {texts(chair, bundle)[i.id] for i in (a, b)} == {f"chair {a.id}", f"chair {b.id}"}
    assert conf.import_files(chair, [tmp_path / "clerk.json"])[0].action == "unchanged"  # chosen once is chosen
    conf.import_files(clerk, [tmp_path / "chair.json"], resolve_all="theirs")
    assert {texts(clerk, bundle)[i.id] for i in (a, b)} == {f"chair {a.id}", f"chair {b.id}"}


def test_printing_on_one_side_is_not_a_conflict(pair, tmp_path):
    """Chair exports, clerk imports, chair prints, exports again: the clerk's import is not refused."""
    chair, clerk, bundle = pair
    edit(clerk, bundle, rows.MappingItemRow, bundle.mapping_items[0].id, "Sam Clerk", text="Clerk's words")
    printed = rows.DocumentRecordRow(
        id=uuid.uuid4(), conference_id=bundle.conference.id, kind=m.DocumentKind.HANDOUT, recipient="Chair"
    )
    add(chair, bundle, printed, "Jo Chair", "print")
    assert exchange(chair, clerk, bundle, tmp_path / "chair.json")[0].action == "merged"
    assert exchange(clerk, chair, bundle, tmp_path / "clerk.json")[0].action == "merged"
    for db in (chair, clerk):
        got = conf.load(db, str(bundle.conference.id))
        assert [d.id for d in got.documents] == [printed.id]
        assert texts(db, bundle)[bundle.mapping_items[0].id] == "Clerk's words"


def test_printing_on_both_sides_keeps_both_document_records(pair, tmp_path):
    chair, clerk, bundle = pair
    ids = []
    for db, who in ((chair, "Jo Chair"), (clerk, "Sam Clerk")):
        row = rows.DocumentRecordRow(
            id=uuid.uuid4(), conference_id=bundle.conference.id, kind=m.DocumentKind.HANDOUT, recipient=who
        )
        add(db, bundle, row, who, "print")
        ids.append(row.id)
    exchange(chair, clerk, bundle, tmp_path / "chair.json")
    exchange(clerk, chair, bundle, tmp_path / "clerk.json")
    for db in (chair, clerk):
        assert sorted(d.id for d in conf.load(db, str(bundle.conference.id)).documents) == sorted(ids)


def test_a_recorded_decision_is_never_discarded_by_a_file_with_more_changes(pair, tmp_path):
    chair, clerk, bundle = pair
    child = bundle.children[0]
    decision = rows.DecisionRow(
        id=uuid.uuid4(),
        conference_id=bundle.conference.id,
        child_id=child.id,
        outcome=m.Outcome.PLAN,
        initial_category=m.Category.NEG,
        reasons="Chair's reasons",
        decided_on=TODAY,
    )
    add(chair, bundle, decision, "Jo Chair", "record_decision")
    for n, item in enumerate(bundle.mapping_items):  # the clerk's copy changes far more than the chair's
        edit(clerk, bundle, rows.MappingItemRow, item.id, "Sam Clerk", text=f"typed {n}")
    edit(clerk, bundle, rows.ConferenceRow, bundle.conference.id, "Sam Clerk", venue="Room 9")
    assert exchange(clerk, chair, bundle, tmp_path / "clerk.json")[0].action == "merged"
    assert exchange(chair, clerk, bundle, tmp_path / "chair.json")[0].action == "merged"
    for db in (chair, clerk):
        got = conf.load(db, str(bundle.conference.id))
        assert {d.id: d.reasons for d in got.decisions}[decision.id] == "Chair's reasons"
        assert len(got.decisions) == len(bundle.decisions) + 1
        assert got.conference.venue == "Room 9"


def test_a_record_removed_here_and_changed_there_is_a_conflict_and_kept_if_chosen(pair, tmp_path):
    chair, clerk, bundle = pair
    item = bundle.mapping_items[0]
    with chair.unit_of_work("remove_records", who="Jo Chair", conference_id=bundle.conference.id) as session:
        session.delete(session.get(rows.MappingItemRow, item.id))
    edit(clerk, bundle, rows.MappingItemRow, item.id, "Sam Clerk", text="Clerk's words")
    conf.write_export(clerk, str(bundle.conference.id), tmp_path / "clerk.json")
    with pytest.raises(MergeConflicts) as info:
        conf.import_files(chair, [tmp_path / "clerk.json"])
    (conflict,) = info.value.conflicts
    assert conflict.field is None and conflict.mine.removed and not conflict.theirs.removed
    conf.import_files(chair, [tmp_path / "clerk.json"], resolve=["1=theirs"])
    assert texts(chair, bundle)[item.id] == "Clerk's words"


def test_a_record_removed_on_one_side_and_untouched_on_the_other_is_removed_on_both(pair, tmp_path):
    chair, clerk, bundle = pair
    item = bundle.mapping_items[0]
    with clerk.unit_of_work("remove_records", who="Sam Clerk", conference_id=bundle.conference.id) as session:
        session.delete(session.get(rows.MappingItemRow, item.id))
    exchange(clerk, chair, bundle, tmp_path / "clerk.json")
    assert item.id not in texts(chair, bundle)


def test_a_finalised_conference_file_imports_into_a_fresh_database(laptops, policy, tmp_path):
    chair, fresh = laptops.new(), laptops.new()
    bundle = create_demo(chair, policy, TODAY)
    finalise(chair, str(bundle.conference.id), who="Jo Chair")
    result = exchange(chair, fresh, bundle, tmp_path / "final.json")
    assert result[0].action == "added"
    got = conf.load(fresh, str(bundle.conference.id))
    assert got.conference.record_status is RecordStatus.FINALISED
    assert uids(fresh, bundle) == uids(chair, bundle)  # the whole history came with it
    # and the guards hold there: the import wrote nothing the finalised record refuses
    with pytest.raises(RecordFinalised):
        edit(fresh, bundle, rows.MappingItemRow, bundle.mapping_items[0].id, "Someone", text="changed")


def test_a_draft_copy_finalised_on_the_other_side_becomes_finalised_with_its_snapshot(pair, tmp_path):
    chair, clerk, bundle = pair
    finalise(chair, str(bundle.conference.id), who="Jo Chair")
    assert exchange(chair, clerk, bundle, tmp_path / "final.json")[0].action == "merged"
    got = conf.load(clerk, str(bundle.conference.id))
    assert (got.conference.record_status, got.conference.signed_off_by) == (RecordStatus.FINALISED, "Jo Chair")
    with clerk.engine.connect() as conn:
        assert conn.execute(select(rows.SnapshotTable.c.conference_id)).scalars().all() == [bundle.conference.id]


def test_an_import_never_changes_a_finalised_record_and_says_so_in_one_line(pair, tmp_path):
    chair, clerk, bundle = pair
    finalise(chair, str(bundle.conference.id), who="Jo Chair")
    edit(clerk, bundle, rows.MappingItemRow, bundle.mapping_items[0].id, "Sam Clerk", text="Clerk's words")
    conf.write_export(clerk, str(bundle.conference.id), tmp_path / "clerk.json")
    before = dump(chair)
    with pytest.raises(RecordFinalised) as info:
        conf.import_files(chair, [tmp_path / "clerk.json"])
    assert "finalised" in str(info.value) and "amendments" in str(info.value) and "\n" not in str(info.value)
    assert dump(chair) == before


def test_printing_a_finalised_record_on_the_other_side_still_lands(pair, tmp_path):
    chair, clerk, bundle = pair
    finalise(chair, str(bundle.conference.id), who="Jo Chair")
    exchange(chair, clerk, bundle, tmp_path / "final.json")
    printed = rows.DocumentRecordRow(
        id=uuid.uuid4(), conference_id=bundle.conference.id, kind=m.DocumentKind.RECORD, recipient="Sam Clerk"
    )
    add(clerk, bundle, printed, "Sam Clerk", "print")
    assert exchange(clerk, chair, bundle, tmp_path / "printed.json")[0].action == "merged"
    assert [d.id for d in conf.load(chair, str(bundle.conference.id)).documents] == [printed.id]


def test_a_file_from_before_files_merged_imports_as_it_always_did(laptops, policy, tmp_path):
    db = laptops.new()
    bundle = build_demo(policy, TODAY)
    doc = json.loads(conf.conference_file.dumps(conf.conference_file.bundle_to_document(bundle)))
    assert "journal" not in doc
    path = tmp_path / "old.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert conf.import_files(db, [path])[0].action == "added"
    assert conf.import_files(db, [path])[0].action == "unchanged"


# ---------------------------------------------------------------------------------------------------------
# A property: random edits on two copies, files exchanged both ways

FIELDS = ("text", "position")


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    chair_edits=st.lists(st.tuples(st.integers(0, 5), st.sampled_from(FIELDS), st.integers(1, 3)), max_size=6),
    clerk_edits=st.lists(st.tuples(st.integers(0, 5), st.sampled_from(FIELDS), st.integers(1, 3)), max_size=6),
)
def test_any_edits_on_two_copies_merge_to_one_side_only_fields_kept_and_clashes_listed(
    tmp_path_factory, policy, chair_edits, clerk_edits
):
    tmp = tmp_path_factory.mktemp("prop")
    chair, clerk = open_database(sqlite_url(tmp / "chair.db")), open_database(sqlite_url(tmp / "clerk.db"))
    try:
        bundle = create_demo(chair, policy, TODAY)
        exchange(chair, clerk, bundle, tmp / "first.json")
        items = sorted(bundle.mapping_items, key=lambda i: str(i.id))
        final: dict[str, dict] = {"chair": {}, "clerk": {}}
        for side, db, edits in (("chair", chair, chair_edits), ("clerk", clerk, clerk_edits)):
            for index, name, n in edits:
                value = f"{side} {n}" if name == "text" else 100 + n + (10 if side == "clerk" else 0)
                edit(db, bundle, rows.MappingItemRow, items[index].id, side, **{name: value})
                final[side][(items[index].id, name)] = value
        start = {(i.id, n): getattr(i, n) for i in items for n in FIELDS}
        # a field each side left as it started (changed and changed back) is not "changed" by it
        mine = {k: v for k, v in final["chair"].items() if v != start[k]}
        theirs = {k: v for k, v in final["clerk"].items() if v != start[k]}
        clashes = {k for k in mine.keys() & theirs.keys() if mine[k] != theirs[k]}
        conf.write_export(clerk, str(bundle.conference.id), tmp / "clerk.json")
        try:
            conf.import_files(chair, [tmp / "clerk.json"])
            listed = set()
        except MergeConflicts as exc:
            listed = {(uuid.UUID(c.key.partition("/")[2]), c.field) for c in exc.conflicts}
        assert listed == clashes
        conf.import_files(chair, [tmp / "clerk.json"], resolve_all="theirs")
        exchange(chair, clerk, bundle, tmp / "chair.json")
        for db in (chair, clerk):
            got = {i.id: i for i in conf.load(db, str(bundle.conference.id)).mapping_items}
            for (rid, name), value in {**start, **mine, **theirs}.items():
                assert getattr(got[rid], name) == value, (rid, name)
    finally:
        chair.dispose()
        clerk.dispose()


def test_the_batched_read_of_stored_conferences_equals_load_bundle(laptops, policy):
    from chair_app.services.merge import load_stored
    from chair_app.store import repository as repo

    db = laptops.new()
    draft = create_demo(db, policy, TODAY)
    final = create_demo(db, policy, date(2026, 12, 7))
    finalise(db, str(final.conference.id), who="Jo Chair")
    with db.unit_of_work() as session:
        edit_after = session.get(rows.ChildRow, final.children[0].id)
        edit_after.forename = "Renamed after sign-off"  # the finalised record keeps its snapshot
    ids = [draft.conference.id, final.conference.id]
    with db.unit_of_work() as session:
        # a file's copy: one record at another version (read whole from the store), the rest as stored
        copies = [copy.deepcopy(repo.load_bundle(session, cid)) for cid in ids]
        copies[0].mapping_items[0].version += 1
        copies[0].mapping_items[0].text = "the file's words"
        for batched in (load_stored(session, ids), load_stored(session, ids, copies)):
            for cid in ids:
                one = repo.load_bundle(session, cid)
                for name in ("conference", "family"):
                    assert getattr(batched[cid], name) == getattr(one, name)
                for name, _cls in m.BUNDLE_LISTS:
                    got = sorted(getattr(batched[cid], name), key=lambda r: r.id)
                    assert got == sorted(getattr(one, name), key=lambda r: r.id), name


def test_changes_to_a_draft_copy_of_a_record_signed_off_elsewhere_are_listed_not_slipped_in(pair, tmp_path):
    """The clerk's copy changed an item and added one while the chair signed the record off: importing the
    signed-off file lists both, and keeping the file's makes the clerk's record the one signed off."""
    chair, clerk, bundle = pair
    item = bundle.mapping_items[0]
    finalise(chair, str(bundle.conference.id), who="Jo Chair")
    edit(clerk, bundle, rows.MappingItemRow, item.id, "Sam Clerk", text="Clerk's words")
    extra = rows.MappingItemRow(
        id=uuid.uuid4(), conference_id=bundle.conference.id, section=item.section, text="Clerk's new item"
    )
    add(clerk, bundle, extra, "Sam Clerk", "add_records")
    conf.write_export(chair, str(bundle.conference.id), tmp_path / "final.json")
    with pytest.raises(MergeConflicts) as info:
        conf.import_files(clerk, [tmp_path / "final.json"])
    listed = {(c.key, c.field) for c in info.value.conflicts}
    assert listed == {(f"mapping_item/{item.id}", "text"), (f"mapping_item/{extra.id}", None)}
    conf.import_files(clerk, [tmp_path / "final.json"], resolve_all="theirs")
    mine, signed = conf.load(clerk, str(bundle.conference.id)), conf.load(chair, str(bundle.conference.id))
    assert mine.conference.record_status is RecordStatus.FINALISED
    assert {i.id: i.text for i in mine.mapping_items} == {i.id: i.text for i in signed.mapping_items}
