"""A safe copy for every reader (issue 12): each document built for a named person, read back from the PDF.

The demo marks Danielle's support and safety as not to be shared with Ryan (whose violence to her is the worry)
and Beth Lowry's contact details as for professionals only. Each audience kind (professionals only, everyone
except a named person, said while a person was excluded) is tried on each document, the release check is
shown refusing a copy that would breach a restriction, and the letters go to each person with parental
responsibility, about their own children.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from chair_app.domain import model as m
from chair_app.domain.enums import Audience, MappingSection
from chair_app.domain.errors import InvalidInput
from chair_app.services import conferences, documents
from chair_app.services.demo import build_demo

TODAY = date(2026, 11, 23)
BETH_PHONE = "0116 305 4111"
BETH_EMAIL = "beth.lowry@example.org.uk"
SAFETY_PLAN = "Grandma Sue's and ring 999"
FOR_RYAN_NEVER = ("Freeva", "Beth", BETH_PHONE, BETH_EMAIL, SAFETY_PLAN)
DOCUMENTS = ("handout", "plan", "record", "letter")


def text_of(pdf: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def make(db, ref: str, policy, kind: str, recipient: str | None) -> str:
    producer = {
        "handout": documents.handout,
        "plan": documents.cp_plan,
        "record": documents.conference_record,
        "letter": documents.decision_letter,
    }[kind]
    return text_of(producer(db, ref, policy, recipient=recipient, record=None).pdf)


def person(bundle: m.ConferenceBundle, name: str) -> m.Person:
    return next(p for p in bundle.people if p.name == name)


@pytest.fixture
def demo(sqlite_db, policy):
    return conferences.add_conference(sqlite_db, build_demo(policy, TODAY))


# ---------------------------------------------------------------------------------------------------------
# Done when: Ryan's copies leave out Danielle's support and safety; the chair's keep them


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_ryans_copy_of_each_document_has_nothing_of_danielles_support_or_safety_plan(sqlite_db, demo, policy, kind):
    text = make(sqlite_db, demo.conference.ref, policy, kind, "Ryan Cole")
    assert "Copy for Ryan Cole" in text  # each copy says whose it is
    for secret in FOR_RYAN_NEVER:
        assert secret.casefold() not in text.casefold(), secret
    # Danielle's phone is hers to give: not in Ryan's copy either.
    danielle = person(demo, "Danielle Hayes")
    assert danielle.phone not in text


def test_the_chairs_copies_keep_everything_that_ryans_leave_out(sqlite_db, demo, policy):
    ref = demo.conference.ref
    handout, plan, record = (make(sqlite_db, ref, policy, kind, None) for kind in ("handout", "plan", "record"))
    assert "Danielle to meet Beth from Freeva weekly" in handout
    for secret in FOR_RYAN_NEVER:  # the plan has the core group's numbers and the contingency plan
        assert secret in plan, secret
    assert "Freeva" in record and "Beth Lowry" in record and SAFETY_PLAN in record
    assert "Copy for" not in plan  # the chair's copy is not a person's copy


def test_beths_contact_details_are_for_professionals_only(sqlite_db, demo, policy):
    ref = demo.conference.ref
    danielle = make(sqlite_db, ref, policy, "plan", "Danielle Hayes")
    assert "Beth Lowry" in danielle and "Freeva" in danielle  # Danielle may know who supports her
    assert BETH_PHONE not in danielle and BETH_EMAIL not in danielle
    social_worker = make(sqlite_db, ref, policy, "plan", "Amira Begum")
    assert BETH_PHONE in social_worker and BETH_EMAIL in social_worker


def test_a_professionals_copy_is_complete(sqlite_db, demo, policy):
    text = make(sqlite_db, demo.conference.ref, policy, "record", "Amira Begum")
    assert "Copy for Amira Begum" in text
    assert "Danielle to meet Beth from Freeva weekly" in text and SAFETY_PLAN in text


def test_the_stored_conference_is_unchanged_by_building_a_restricted_copy(sqlite_db, demo, policy):
    before = conferences.load(sqlite_db, demo.conference.ref)
    make(sqlite_db, demo.conference.ref, policy, "plan", "Ryan Cole")
    after = conferences.load(sqlite_db, demo.conference.ref)
    assert after.mapping_items == before.mapping_items and after.people == before.people
    assert after.conference.contingency_plan == before.conference.contingency_plan


def test_a_copy_for_someone_not_in_the_conference_is_refused_naming_the_field(sqlite_db, demo, policy):
    with pytest.raises(InvalidInput, match=r"^for: nobody called 'Grandma Sue'"):
        documents.cp_plan(sqlite_db, demo.conference.ref, policy, recipient="Grandma Sue", record=None)


# ---------------------------------------------------------------------------------------------------------
# Each audience kind on each document


CANARY = "The canary sings at the window every morning"


def _with_marked(policy, subject: str, audience: Audience, *, excluded: bool = False) -> m.ConferenceBundle:
    """The demo with one thing written (``subject``: where it shows) marked for ``audience`` against Danielle."""
    bundle = build_demo(policy, TODAY)
    cid = bundle.conference.id
    danielle = person(bundle, "Danielle Hayes")
    if subject == "item":  # the handout and the record show the map
        target = m.MappingItem(conference_id=cid, section=MappingSection.STRENGTH, text=CANARY, position=40)
        bundle.mapping_items.append(target)
        subject_id, part = target.id, ""
    elif subject == "action":  # the plan
        target = m.PlanAction(conference_id=cid, what=CANARY, who="Amira Begum", position=9)
        bundle.actions.append(target)
        subject_id, part = target.id, ""
    else:  # the letter: the social worker's number, which the letter gives
        amira = person(bundle, "Amira Begum")
        subject_id, part = amira.id, "contact"
    bundle.audience.append(
        m.AudienceMark(
            conference_id=cid,
            subject_id=subject_id,
            part=part,
            audience=audience,
            person_id=None if audience is Audience.PROFESSIONALS else danielle.id,
            reason="test",
        )
    )
    inv = next(i for i in bundle.invitations if i.person_id == danielle.id)
    inv.excluded_from_part = excluded
    return bundle


WHERE = {"handout": "item", "record": "item", "plan": "action", "letter": "contact"}


@pytest.mark.parametrize("kind", DOCUMENTS)
@pytest.mark.parametrize(
    ("audience", "excluded", "ryan_sees"),
    [
        (Audience.PROFESSIONALS, False, False),
        (Audience.EXCEPT, False, True),
        (Audience.EXCLUDED_PART, True, True),
    ],
)
def test_each_audience_kind_leaves_its_item_out_of_each_document_for_whom_it_says(
    sqlite_db, policy, kind, audience, excluded, ryan_sees
):
    bundle = conferences.add_conference(sqlite_db, _with_marked(policy, WHERE[kind], audience, excluded=excluded))
    ref = bundle.conference.ref
    amira_phone = person(bundle, "Amira Begum").phone
    shown = CANARY if WHERE[kind] != "contact" else amira_phone

    def has(recipient):
        return shown in make(sqlite_db, ref, policy, kind, recipient)

    assert not has("Danielle Hayes")
    assert has("Ryan Cole") is ryan_sees
    if kind != "letter":  # professionals and the chair get no letter of their own
        assert has("Amira Begum") and has(None)


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_what_was_said_while_a_parent_was_excluded_reaches_them_only_if_the_exclusion_stands(sqlite_db, policy, kind):
    bundle = conferences.add_conference(
        sqlite_db, _with_marked(policy, WHERE[kind], Audience.EXCLUDED_PART, excluded=False)
    )
    shown = CANARY if WHERE[kind] != "contact" else person(bundle, "Amira Begum").phone
    assert shown in make(sqlite_db, bundle.conference.ref, policy, kind, "Danielle Hayes")


def test_the_record_for_an_excluded_parent_says_they_were_not_present_for_part(sqlite_db, policy):
    bundle = conferences.add_conference(sqlite_db, _with_marked(policy, "item", Audience.EXCLUDED_PART, excluded=True))
    text = make(sqlite_db, bundle.conference.ref, policy, "record", "Danielle Hayes")
    assert "not present for part" in text and CANARY not in text


# ---------------------------------------------------------------------------------------------------------
# The release check


def test_a_copy_that_would_give_ryan_danielles_phone_is_refused_naming_the_item(sqlite_db, policy):
    bundle = build_demo(policy, TODAY)
    danielle = person(bundle, "Danielle Hayes")
    bundle.audience = [a for a in bundle.audience if not (a.subject_id == danielle.id and a.part == "contact")]
    stored = conferences.add_conference(sqlite_db, bundle)
    with pytest.raises(documents.ReleaseRefused) as refused:
        documents.cp_plan(sqlite_db, stored.conference.ref, policy, recipient="Ryan Cole", record=None)
    message = str(refused.value)
    assert message.startswith("copy for Ryan Cole: not released.")
    assert "The core group" in message and "Danielle Hayes's phone number" in message
    # Nothing was recorded as produced.
    assert not conferences.load(sqlite_db, stored.conference.ref).documents


def test_a_restricted_item_whose_audience_lets_ryan_read_it_is_refused_naming_the_item(sqlite_db, policy):
    bundle = build_demo(policy, TODAY)
    mark = next(person(bundle, n) for n in ["Mark Hayes"])
    support = next(i for i in bundle.mapping_items if "Beth from Freeva" in i.text)
    for a in bundle.audience:
        if a.subject_id == support.id:
            a.person_id = mark.id  # marked "everyone except Mark" by mistake
    stored = conferences.add_conference(sqlite_db, bundle)
    with pytest.raises(documents.ReleaseRefused, match=r'Next step "Danielle to meet Beth from Freeva'):
        documents.handout(sqlite_db, stored.conference.ref, policy, recipient="Ryan Cole", record=None)
    # The same item reaches the chair's copy as before.
    assert "Danielle to meet Beth" in make(sqlite_db, stored.conference.ref, policy, "handout", None)


def test_a_withheld_address_or_forename_typed_into_an_item_stops_the_family_copy(sqlite_db, policy):
    bundle = build_demo(policy, TODAY)
    cid = bundle.conference.id
    bundle.mapping_items.append(
        m.MappingItem(
            conference_id=cid,
            section=MappingSection.STRENGTH,
            text="Mark now has the children at 9 Station Road on Sundays.",
            position=41,
        )
    )
    stored = conferences.add_conference(sqlite_db, bundle)
    with pytest.raises(documents.ReleaseRefused, match=r"Strengths, item \d+: contains Mark Hayes's address"):
        documents.handout(sqlite_db, stored.conference.ref, policy, recipient="Danielle Hayes", record=None)
    with pytest.raises(documents.ReleaseRefused, match="Mark Hayes's address"):
        documents.handout(sqlite_db, stored.conference.ref, policy, per_attendee=True, record=None)
    assert "9 Station Road" in make(sqlite_db, stored.conference.ref, policy, "handout", "Amira Begum")


def test_a_withheld_persons_forename_alone_stops_the_family_copy(sqlite_db, policy):
    bundle = build_demo(policy, TODAY)
    cid = bundle.conference.id
    tomasz = m.Person(name="Tomasz Nowak", role="Grandmother's partner", role_code="relative", name_withheld=True)
    bundle.people.append(tomasz)
    bundle.invitations.append(m.Invitation(conference_id=cid, person_id=tomasz.id, position=99))
    bundle.mapping_items.append(
        m.MappingItem(conference_id=cid, section=MappingSection.STRENGTH, text="Tomasz drives Kayden to school.")
    )
    stored = conferences.add_conference(sqlite_db, bundle)
    with pytest.raises(documents.ReleaseRefused, match="contains Tomasz Nowak, name withheld from the family"):
        documents.handout(sqlite_db, stored.conference.ref, policy, recipient="Danielle Hayes", record=None)


# ---------------------------------------------------------------------------------------------------------
# Letters


def test_mark_is_written_to_about_kayden_and_lily_mae_only_and_not_thanked_for_taking_part(sqlite_db, demo, policy):
    text = make(sqlite_db, demo.conference.ref, policy, "letter", "Mark Hayes")
    assert "Dear Mark Hayes," in text
    assert "about Kayden Hayes and Lily-Mae Hayes" in text
    assert "Baby" not in text and "baby" not in text
    assert "Thank you for taking part" not in text and "You sent your apologies" in text
    assert "The conference decided that Kayden needs a child protection plan because the children" in text
    assert "Station Road" not in text  # his address is withheld: none on the letter


def test_each_letter_has_the_date_address_reference_next_meeting_and_complaints_route(sqlite_db, demo, policy):
    letters = documents.decision_letter(sqlite_db, demo.conference.ref, policy, record=None, today=TODAY)
    assert letters.copies == ("Danielle Hayes", "Ryan Cole", "Mark Hayes")
    text = make(sqlite_db, demo.conference.ref, policy, "letter", "Danielle Hayes")
    assert "14 Orchard Close" in text  # she lives there
    assert f"Our reference: {demo.conference.ref}" in text
    assert re.search(r"Date: \d\d/\d\d/\d{4}", text)
    assert "Thank you for taking part" in text
    assert "Kayden" in text and "Lily-Mae" in text and "your baby" in text
    review = demo.conference.next_review_on.strftime("%d/%m/%Y")  # the date it is due by, not a meeting yet
    assert "We will write to you with its date, time and place when it is arranged" in text
    assert review not in text  # tests/integration/test_letter_next_meeting.py: the meeting once convened
    assert "The conference's decision stands while your complaint is looked at" in text
    assert "everyone is worried" not in text


def test_ryans_letter_is_about_the_baby_only(sqlite_db, demo, policy):
    text = make(sqlite_db, demo.conference.ref, policy, "letter", "Ryan Cole")
    assert "The conference decided that your baby needs a child protection plan" in text
    assert "Kayden needs" not in text and "Lily-Mae needs" not in text


def test_a_letter_for_a_professional_is_refused_naming_the_fix(sqlite_db, demo, policy):
    with pytest.raises(InvalidInput, match=r"^for: Amira Begum has no parental responsibility"):
        documents.decision_letter(sqlite_db, demo.conference.ref, policy, recipient="Amira Begum", record=None)
