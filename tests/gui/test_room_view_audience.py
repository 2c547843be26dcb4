"""The projector follows the documents' rule for the people in the room (issue 12, point 5)."""

from __future__ import annotations

from datetime import date, time

from chair_app.domain.enums import AttendanceStatus
from chair_app.gui.workspace.presentation import HELD_BACK, room_map, room_text
from chair_app.services.demo import build_demo

TODAY = date(2026, 11, 23)


def _invitation(bundle, name):
    person = next(p for p in bundle.people if p.name == name)
    return next(i for i in bundle.invitations if i.person_id == person.id)


def test_with_ryan_in_the_room_nothing_of_danielles_support_is_projected_and_the_room_is_told_items_are_held_back(
    policy,
):
    bundle = build_demo(policy, TODAY)
    text = room_text(room_map(bundle, policy))
    for secret in ("Freeva", "Beth", "0116 305 4111", "Grandma Sue's for the night"):
        assert secret not in text, secret
    assert HELD_BACK in text
    assert "Danielle" in text  # the rest of the map is there


def test_once_ryan_has_left_the_room_sees_the_whole_map_and_nothing_is_said_to_be_held_back(policy):
    bundle = build_demo(policy, TODAY)
    _invitation(bundle, "Ryan Cole").left_at = time(11, 0)
    text = room_text(room_map(bundle, policy))
    assert "Danielle to meet Beth from Freeva weekly" in text and HELD_BACK not in text


def test_before_the_roll_call_everyone_invited_counts_as_in_the_room(policy):
    bundle = build_demo(policy, TODAY)
    for inv in bundle.invitations:
        inv.status = AttendanceStatus.INVITED
    text = room_text(room_map(bundle, policy))
    assert "Freeva" not in text and HELD_BACK in text
