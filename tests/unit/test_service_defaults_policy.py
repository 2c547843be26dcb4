"""Issue 20, points 2 and 6: the new timescale defaults, the children-in-care rule gone, older policy files,
and every default printed with its source."""

from __future__ import annotations

import pytest

from chair_app.rules.policy import PolicyError, default_policy_path, parse_policy, sources_lines


def text() -> str:
    return default_policy_path().read_text(encoding="utf-8")


def test_the_default_timescales_are_the_services_own(policy):
    t = policy.timescales
    assert (t["plan_distribution_working_days"], t["decision_letter_working_days"]) == (5, 1)
    assert (t["record_distribution_working_days"], t["record_ceiling_working_days"]) == (5, 10)
    assert (t["reconvened_initial_working_days"], t["reconvened_review_working_days"]) == (10, 20)
    assert "decisions_recorded_working_days" not in t


def test_a_policy_still_holding_the_children_in_care_rule_is_refused_saying_what_to_do():
    old = text().replace(
        "plan_distribution_working_days = 5", "plan_distribution_working_days = 10\ndecisions_recorded_working_days = 5"
    )
    with pytest.raises(
        PolicyError, match=r"timescales.decisions_recorded_working_days: no longer used: it is the children-in-care"
    ):
        parse_policy(old, "old.toml")


def test_a_policy_written_before_issue_20_gets_the_new_defaults_for_what_it_does_not_say():
    lines = [
        line
        for line in text().splitlines()
        if not line.startswith(
            ("record_ceiling_working_days", "decision_letter_working_days", "reconvened_initial", "reconvened_review")
        )
    ]
    cut = "\n".join(lines)
    cut = cut[: cut.index("[recommendations]")]  # and none of the new sections
    older = parse_policy(cut, "older.toml")
    assert older.timescales["decision_letter_working_days"] == 1
    assert older.recommendations_one_per == "agency" and older.categories.reason_for_multiple
    assert older.categories.definitions == {} and older.stand_down.interim_arrangement_required


def test_the_ceiling_is_at_least_the_target():
    with pytest.raises(PolicyError, match="record_ceiling_working_days: must be at least"):
        parse_policy(text().replace("record_ceiling_working_days = 10", "record_ceiling_working_days = 3"), "x")


def test_a_changed_default_is_printed_with_its_value_in_force_beside_the_source():
    changed = parse_policy(text().replace("decision_letter_working_days = 1", "decision_letter_working_days = 2"), "x")
    lines = sources_lines(changed)
    at = lines.index("#   timescales.decision_letter_working_days = 2")
    assert lines[at + 1].startswith("#     source: North Yorkshire")
    assert "#   categories.definitions = texts for NEG, PHY, EMO, SAB, MUL" in lines


def test_every_source_names_a_setting_the_policy_file_has(policy):
    for key in policy.sources:
        node = policy.raw
        for part in key.split("."):
            assert isinstance(node, dict) and part in node, key
            node = node[part]


def test_an_unknown_reason_without_a_new_date_is_refused():
    with pytest.raises(
        PolicyError, match=r"stand_down.no_new_date_reasons\[0\]: 'moved' is not in \[stood_down_reasons\]"
    ):
        parse_policy(
            text().replace('no_new_date_reasons = ["should_be_transfer_in"]', 'no_new_date_reasons = ["moved"]'), "x"
        )


def test_the_clerks_due_dates_follow_a_policy_with_other_working_days(policy):
    from datetime import date

    from chair_app.domain import model as m
    from chair_app.domain.enums import ConferenceStatus, MeetingKind, Outcome
    from chair_app.rules.timescales import conference_timescales

    family = m.Family(name="F")
    conference = m.Conference(
        kind=MeetingKind.INITIAL, family_id=family.id, held_on=date(2026, 6, 22), status=ConferenceStatus.HELD
    )
    bundle = m.ConferenceBundle(conference=conference, family=family)
    bundle.decisions.append(
        m.Decision(conference_id=conference.id, child_id=family.id, outcome=Outcome.PLAN, decided_on=date(2026, 6, 22))
    )

    def due(p, key):
        return next(r.due for r in conference_timescales(bundle, p, date(2026, 6, 22)) if r.key == key)

    assert (due(policy, "decision_letter"), due(policy, "plan_distributed")) == (date(2026, 6, 23), date(2026, 6, 29))
    other = parse_policy(
        text()
        .replace("decision_letter_working_days = 1", "decision_letter_working_days = 3")
        .replace("plan_distribution_working_days = 5", "plan_distribution_working_days = 10"),
        "other",
    )
    assert (due(other, "decision_letter"), due(other, "plan_distributed")) == (date(2026, 6, 25), date(2026, 7, 6))
