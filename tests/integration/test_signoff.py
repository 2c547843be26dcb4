"""Sign-off and amendments (issue 11): who may sign off, what stops it, and amendments that correct a field.

On SQLite and PostgreSQL. The stored record never changes after sign-off; corrections are amendment rows,
journaled, and shown by the documents, `show` and the workspace.
"""

from __future__ import annotations

import dataclasses
import io
import json
from datetime import date

import pypdf
import pytest

from chair_app.domain import model as m
from chair_app.domain.dates import uk_date
from chair_app.domain.enums import MeetingKind, RecordStatus
from chair_app.domain.errors import InvalidInput
from chair_app.exchange import conference_file
from chair_app.services import conferences, documents, journal, overview, signoff, workspace
from chair_app.services.demo import create_demo
from chair_app.store.engine import open_database, sqlite_url
from tests.conftest import dump

TODAY = date(2026, 11, 23)


def _without_code(db, policy):
    """The demo with Kayden's participation code taken away: a gap the default policy says blocks sign-off."""
    bundle = create_demo(db, policy, TODAY)
    kayden = next(c for c in bundle.children if c.forename == "Kayden")
    voice = next(v for v in bundle.conference_children if v.child_id == kayden.id)
    cid = bundle.conference.id
    workspace.set_fields(
        db, cid, m.ConferenceChild, voice.id, {"participation_code": None}, who="Helen Marsh", policy=policy, seen=None
    )
    return bundle


def _mapping_item(bundle: m.ConferenceBundle) -> m.MappingItem:
    return sorted(bundle.mapping_items, key=lambda i: (i.section.value, i.position))[0]


def _finalised(db, policy) -> m.ConferenceBundle:
    bundle = create_demo(db, policy, TODAY)
    signoff.finalise(db, bundle.conference.ref, who="Helen Marsh", policy=policy, today=TODAY)
    return conferences.load(db, bundle.conference.ref)


# ---------------------------------------------------------------------------------------------------------
# Sign-off


def test_finalise_is_refused_naming_the_missing_participation_code_and_nothing_is_written(db, policy):
    bundle = _without_code(db, policy)
    before = dump(db)
    with pytest.raises(signoff.NotReady) as info:
        signoff.finalise(db, bundle.conference.ref, who="Helen Marsh", policy=policy, today=TODAY)
    assert info.value.missing == ["Child's voice: no participation code for Kayden Hayes"]
    assert "not ready to sign off: one thing is missing: Child's voice" in str(info.value)
    assert "\n" not in str(info.value)
    assert dump(db) == before


def test_a_gap_the_policy_does_not_name_as_blocking_only_warns_and_sign_off_goes_ahead(db, policy):
    bundle = _without_code(db, policy)
    lenient = dataclasses.replace(policy, sign_off_blocking=("decision",))
    signed = signoff.finalise(db, bundle.conference.ref, who="Helen Marsh", policy=lenient, today=TODAY)
    assert signed.record_status is RecordStatus.FINALISED
    stored = conferences.load(db, bundle.conference.ref)
    ready = signoff.check_ready(stored, policy, TODAY)  # under the default policy the gap would block
    assert [g.kind for g in ready.blocking] == ["participation"]
    assert signoff.check_ready(stored, lenient, TODAY).warnings == ready.blocking


def test_only_the_conference_chair_signs_off_and_her_name_is_matched_without_case_or_spacing(db, policy):
    bundle = create_demo(db, policy, TODAY)
    before = dump(db)
    with pytest.raises(InvalidInput, match="only the conference's chair, Helen Marsh, signs the record off"):
        signoff.finalise(db, bundle.conference.ref, who="Jo Clerk", policy=policy, today=TODAY)
    assert dump(db) == before
    assert not signoff.may_sign_off(bundle.conference, "Jo Clerk")
    assert signoff.may_sign_off(bundle.conference, "  helen   MARSH ")
    signed = signoff.finalise(db, bundle.conference.ref, who=" helen marsh", policy=policy, today=TODAY)
    assert signed.signed_off_by == "helen marsh"


def test_a_conference_with_no_chair_recorded_cannot_be_signed_off_by_anyone(policy):
    conference = m.Conference(kind=MeetingKind.INITIAL, family_id=m.new_id(), held_on=TODAY, chair="")
    assert not signoff.may_sign_off(conference, "")
    assert "no chair recorded" in signoff.sign_off_refusal(conference, "Helen Marsh")


# ---------------------------------------------------------------------------------------------------------
# Amendments that correct a field


def test_an_amendment_corrects_a_mapping_item_without_changing_the_stored_record(db, policy):
    bundle = _finalised(db, policy)
    item = _mapping_item(bundle)
    made = signoff.amend_field(
        db,
        bundle.conference.ref,
        who="Jo Clerk",
        reason="Mis-typed in the meeting",
        record=item.id.hex[:8],
        field_name="text",
        value="Corrected words of the item",
    )
    assert (made.record_kind, made.record_id, made.field_name) == ("mapping_item", item.id, "text")
    assert (made.old_value, made.new_value, made.made_by) == (item.text, "Corrected words of the item", "Jo Clerk")
    stored = conferences.load(db, bundle.conference.ref)
    assert next(i for i in stored.mapping_items if i.id == item.id).text == item.text  # the record is final
    shown = signoff.amended(stored)
    assert next(i for i in shown.mapping_items if i.id == item.id).text == "Corrected words of the item"
    opened, _previous = workspace.open_conference(db, bundle.conference.id)  # the read-only workspace shows it
    assert next(i for i in opened.mapping_items if i.id == item.id).text == "Corrected words of the item"


def test_a_second_amendment_of_the_same_field_starts_from_the_first_ones_text(db, policy):
    bundle = _finalised(db, policy)
    decision = bundle.decisions[0]
    ref = bundle.conference.ref
    signoff.amend_field(db, ref, who="Jo", reason="One", record=decision.id, field_name="reasons", value="First")
    second = signoff.amend_field(
        db, ref, who="Jo", reason="Two", record=decision.id, field_name="reasons", value="Second"
    )
    assert second.old_value == "First"
    shown = signoff.amended(conferences.load(db, ref))
    assert next(d for d in shown.decisions if d.id == decision.id).reasons == "Second"


def test_the_amendment_is_a_journal_entry_naming_who_the_field_and_the_text(db, policy):
    bundle = _finalised(db, policy)
    item = _mapping_item(bundle)
    signoff.amend_field(
        db, bundle.conference.ref, who="Jo Clerk", reason="Typo", record=item.id, field_name="text", value="Fixed"
    )
    entry = journal.history(db, bundle.conference.id)[-1]
    assert (entry.operation, entry.who) == ("amend", "Jo Clerk")
    (change,) = entry.changes
    assert change.record == f"Mapping item {str(item.id)[:8]}"
    assert (change.field, change.after) == ("Text (amended)", '"Fixed"')
    assert change.before == journal.shorten(item.text) or change.before.startswith('"')
    assert any(a.action == "amended" and a.who == "Jo Clerk" for a in journal.audit(db, bundle.conference.id))


@pytest.mark.parametrize(
    ("field_name", "value", "words"),
    [
        ("said_by", "x", "no field 'said_by' an amendment can correct"),
        ("nonsense", "x", "no field 'nonsense'"),
        ("text", None, "the record already says that"),
        ("text", "bad\x00nul", "control character"),
    ],
)
def test_a_bad_field_amendment_is_refused_in_one_line_and_nothing_is_written(db, policy, field_name, value, words):
    bundle = _finalised(db, policy)
    item = _mapping_item(bundle)
    before = dump(db)
    with pytest.raises(InvalidInput) as info:
        signoff.amend_field(
            db,
            bundle.conference.ref,
            who="Jo",
            reason="Typo",
            record=item.id,
            field_name=field_name,
            value=item.text if value is None else value,
        )
    assert words in str(info.value) and "\n" not in str(info.value)
    assert dump(db) == before


def test_amending_a_draft_or_without_a_reason_is_refused(db, policy):
    bundle = create_demo(db, policy, TODAY)
    item = _mapping_item(bundle)
    with pytest.raises(InvalidInput, match="not finalised yet"):
        signoff.amend_field(
            db, bundle.conference.ref, who="Jo", reason="R", record=item.id, field_name="text", value="x"
        )
    signoff.finalise(db, bundle.conference.ref, who="Helen Marsh", policy=policy, today=TODAY)
    with pytest.raises(InvalidInput, match="reason: say why"):
        signoff.amend_field(
            db, bundle.conference.ref, who="Jo", reason=" ", record=item.id, field_name="text", value="x"
        )


def test_the_record_pdf_shows_the_amended_value_marked_amended_with_the_date_and_reason(db, policy):
    bundle = _finalised(db, policy)
    item = _mapping_item(bundle)
    made = signoff.amend_field(
        db,
        bundle.conference.ref,
        who="Jo Clerk",
        reason="Mis-typed in the meeting",
        record=item.id,
        field_name="text",
        value="Quartz corrected wording",
    )
    produced = documents.conference_record(db, bundle.conference.ref, policy, record=None)
    text = " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(produced.pdf)).pages)
    assert text.count("Quartz corrected wording") == 2  # in the map, and in the list of amendments
    assert "Amendments since sign-off" in text
    assert f"amended {uk_date(made.created_at.date())}: Mis-typed in the meeting (by Jo Clerk)" in text
    assert "Issue 2" in text


def test_show_prints_the_sign_off_and_each_amendment(db, policy):
    bundle = _finalised(db, policy)
    decision = bundle.decisions[0]
    signoff.amend_field(
        db,
        bundle.conference.ref,
        who="Jo",
        reason="Wrong child named",
        record=decision.id,
        field_name="reasons",
        value="Corrected reasons",
    )
    signoff.amend(db, bundle.conference.ref, who="Jo", reason="Typo", text="Kayden's school is Meadowbank")
    lines = overview.overview_lines(overview.conference_overview(db, bundle.conference.ref, policy, TODAY))
    signed = lines.index(next(line for line in lines if line.startswith("Signed off by Helen Marsh on ")))
    assert lines[signed + 1].startswith("  Amendment: Decision for ")
    assert 'reasons: now "Corrected reasons"' in lines[signed + 1]
    assert ": Wrong child named (by Jo)" in lines[signed + 1]
    assert lines[signed + 2].startswith("  Amendment: Kayden's school is Meadowbank; amended ")


def test_a_finalised_file_with_a_field_amendment_imports_into_a_fresh_database_and_keeps_it(db, policy, tmp_path):
    bundle = _finalised(db, policy)
    item = _mapping_item(bundle)
    signoff.amend_field(
        db, bundle.conference.ref, who="Jo", reason="Typo", record=item.id, field_name="text", value="Fixed text"
    )
    path = tmp_path / "c.json"
    conferences.write_export(db, bundle.conference.ref, path)
    fresh = open_database(sqlite_url(tmp_path / "fresh.db"))
    try:
        conferences.import_bundle(fresh, conference_file.read_file(path, policy, TODAY))
        stored = conferences.load(fresh, bundle.conference.ref)
        (amendment,) = stored.amendments
        assert (amendment.record_id, amendment.field_name, amendment.new_value) == (item.id, "text", "Fixed text")
        assert next(i for i in signoff.amended(stored).mapping_items if i.id == item.id).text == "Fixed text"
    finally:
        fresh.dispose()


def test_a_file_written_before_field_amendments_still_imports_its_note_amendments(db, policy, tmp_path):
    bundle = _finalised(db, policy)
    signoff.amend(db, bundle.conference.ref, who="Jo", reason="Typo", text="A note")
    path = tmp_path / "c.json"
    conferences.write_export(db, bundle.conference.ref, path)
    doc = json.loads(path.read_text())
    for a in doc["amendments"]:
        for name in ("record_kind", "record_id", "field_name", "old_value", "new_value"):
            del a[name]
    path.write_text(json.dumps(doc))
    read = conference_file.read_file(path, policy, TODAY)
    assert read.amendments[0].text == "A note" and read.amendments[0].field_name == ""


# ---------------------------------------------------------------------------------------------------------
# The audit trail: every kind written by the services the window and the CLI call


def test_every_audit_kind_is_written_by_the_services_the_window_and_the_cli_use(db, policy, tmp_path):
    bundle = create_demo(db, policy, TODAY)
    cid, ref = bundle.conference.id, bundle.conference.ref
    workspace.open_conference(db, cid)  # the window opens it
    overview.conference_overview(db, ref, policy, TODAY)  # chair-app show
    preview = documents.conference_record(db, ref, policy, record=False)  # the documents dialog's preview
    documents.record_output(db, preview, method="printed", queue="Office")
    documents.record_output(db, documents.cp_plan(db, ref, policy, record=None), method="saved")
    conferences.write_export(db, ref, tmp_path / "c.json")
    doc = json.loads((tmp_path / "c.json").read_text())
    doc["conference"]["version"] += 1  # a clerk's newer copy coming back
    doc["conference"]["venue"] = "Video call"
    (tmp_path / "newer.json").write_text(json.dumps(doc))
    conferences.import_bundle(db, conference_file.read_file(tmp_path / "newer.json", policy, TODAY))
    kinds = {a.action for a in journal.audit(db, cid)}
    assert {
        "opened in the workspace",
        "shown",
        "previewed a document",
        "printed a document",
        "saved a document",
        "exported to a conference file",
        "imported from a conference file",
    } <= kinds, kinds
