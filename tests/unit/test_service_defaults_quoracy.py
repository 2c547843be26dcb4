"""Issue 20, point 1: quoracy counts agencies with direct contact with the child or the family, never an
advocate, an interpreter or a family member; each role's group and contact are the policy's."""

from __future__ import annotations

import pytest

from chair_app.domain.enums import AttendanceStatus, MeetingKind
from chair_app.rules import quoracy
from chair_app.rules.policy import PolicyError, default_policy_path, parse_policy


def who(*roles):
    return [quoracy.Attendee(r, AttendanceStatus.ATTENDED) for r in roles]


def changed(old: str, new: str):
    text = default_policy_path().read_text(encoding="utf-8")
    assert old in text
    return parse_policy(text.replace(old, new), "changed")


def test_a_social_worker_a_police_officer_and_an_advocate_are_not_quorate(policy):
    result = quoracy.assess(who("social_worker", "police", "advocate"), MeetingKind.INITIAL, policy)
    assert not result.quorate and result.others_needed == 1
    assert "Other" not in result.explanation


def test_an_interpreter_never_counts_as_an_agency(policy):
    result = quoracy.assess(who("social_worker", "police", "interpreter"), MeetingKind.INITIAL, policy)
    assert not result.quorate and result.groups_counted == ("csc", "police")


@pytest.mark.parametrize("adult_service", ["probation", "housing", "mental_health", "substance_misuse_service"])
def test_adult_services_working_with_a_parent_count_as_direct_contact_with_the_family(policy, adult_service):
    result = quoracy.assess(who("social_worker", "police", adult_service), MeetingKind.INITIAL, policy)
    assert result.quorate, result.explanation


def test_an_authority_that_counts_advocates_as_an_agency_says_so_in_the_policy():
    counting = changed(
        'advocate = { label = "Advocate", group = "other", agency = false }',
        'advocate = { label = "Advocate", group = "other", direct_contact = true }',
    )
    assert quoracy.assess(who("social_worker", "police", "advocate"), MeetingKind.INITIAL, counting).quorate


def test_an_authority_that_counts_only_contact_with_the_child_marks_probation_without_direct_contact():
    child_only = changed(
        'probation = { label = "Probation", group = "probation", direct_contact = true }',
        'probation = { label = "Probation", group = "probation", direct_contact = false }',
    )
    result = quoracy.assess(who("social_worker", "police", "probation"), MeetingKind.INITIAL, child_only)
    assert not result.quorate


def test_the_agency_setting_must_be_true_or_false():
    with pytest.raises(PolicyError, match=r"roles.advocate.agency: must be true or false"):
        changed("agency = false }", 'agency = "no" }')
