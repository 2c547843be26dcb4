"""rules.audience: what a reader (or a room) may see, worked out from the record alone."""

from __future__ import annotations

from datetime import date

from chair_app.domain import model as m
from chair_app.domain.enums import Audience
from chair_app.rules import audience
from chair_app.services.demo import build_demo

TODAY = date(2026, 11, 23)


def _person(bundle, name):
    return next(p for p in bundle.people if p.name == name)


def test_the_chair_sees_everything_and_gets_the_bundle_itself(policy):
    bundle = build_demo(policy, TODAY)
    copy = audience.for_reader(bundle, None, policy)
    assert copy.bundle is bundle and copy.removed == []


def test_ryans_copy_leaves_out_every_restricted_thing_and_names_what_went(policy):
    bundle = build_demo(policy, TODAY)
    ryan = _person(bundle, "Ryan Cole")
    copy = audience.for_reader(bundle, ryan, policy)
    seen = copy.bundle
    assert not any("Freeva" in i.text for i in seen.mapping_items)
    assert not any("Beth" in a.who for a in seen.actions)
    assert seen.conference.contingency_plan == ""
    assert "Beth Lowry" not in {p.name for p in seen.people}
    assert _person(seen, "Danielle Hayes").phone == ""
    whats = {r.what for r in copy.removed}
    assert "Contingency plan" in whats and "Danielle Hayes's contact details" in whats
    assert any(w.startswith('Next step "Danielle to meet Beth') for w in whats)
    # The stored bundle is untouched.
    assert bundle.conference.contingency_plan and _person(bundle, "Danielle Hayes").phone


def test_a_professional_sees_professionals_only_details_but_not_what_is_marked_against_them_by_name(policy):
    bundle = build_demo(policy, TODAY)
    amira = _person(bundle, "Amira Begum")
    assert _person(audience.for_reader(bundle, amira, policy).bundle, "Beth Lowry").phone
    item = bundle.mapping_items[0]
    bundle.audience.append(
        m.AudienceMark(
            conference_id=bundle.conference.id,
            subject_id=item.id,
            audience=Audience.EXCEPT,
            person_id=amira.id,
            reason="x",
        )
    )
    assert item.id not in {i.id for i in audience.for_reader(bundle, amira, policy).bundle.mapping_items}


def test_a_room_sees_only_what_everyone_in_it_may_see(policy):
    bundle = build_demo(policy, TODAY)
    danielle, ryan = _person(bundle, "Danielle Hayes"), _person(bundle, "Ryan Cole")
    alone = audience.for_readers(bundle, [danielle], policy).bundle
    together = audience.for_readers(bundle, [danielle, ryan], policy).bundle
    assert any("Freeva" in i.text for i in alone.mapping_items)
    assert not any("Freeva" in i.text for i in together.mapping_items)


def test_said_while_excluded_applies_only_while_the_exclusion_is_recorded(policy):
    bundle = build_demo(policy, TODAY)
    danielle = _person(bundle, "Danielle Hayes")
    item = bundle.mapping_items[1]
    bundle.audience.append(
        m.AudienceMark(
            conference_id=bundle.conference.id,
            subject_id=item.id,
            audience=Audience.EXCLUDED_PART,
            person_id=danielle.id,
            reason="said while Danielle was out of the room",
        )
    )
    ids = lambda: {i.id for i in audience.for_reader(bundle, danielle, policy).bundle.mapping_items}  # noqa: E731
    assert item.id in ids()
    next(i for i in bundle.invitations if i.person_id == danielle.id).excluded_from_part = True
    assert item.id not in ids()


def test_the_release_check_passes_the_demos_copies_for_every_family_member(policy):
    from chair_app.services.documents import build_view, located_texts

    bundle = build_demo(policy, TODAY)
    for name in ("Danielle Hayes", "Ryan Cole", "Mark Hayes"):
        reader = _person(bundle, name)
        copy = audience.for_reader(bundle, reader, policy)
        view = build_view(bundle, policy, reader, copy=copy)
        assert audience.release_breaches(bundle, reader, policy, copy, located_texts(view)) == [], name


def test_the_letters_complaints_route_comes_from_the_policy_and_is_optional():
    from chair_app.rules.policy import default_policy_path, parse_policy

    text = default_policy_path().read_text(encoding="utf-8")
    assert "decision stands while your complaint" in parse_policy(text, "ours.toml").complaints
    without = text[: text.index("[letters]")]
    assert parse_policy(without, "ours.toml").complaints == ""
