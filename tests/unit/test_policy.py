"""The policy file: the default is valid, and every kind of mistake is named with file, key and problem."""

from __future__ import annotations

import pytest

from chair_app.rules.policy import PolicyError, default_policy_path, load_policy, parse_policy

DEFAULT = default_policy_path().read_text()


def test_the_default_policy_loads_with_leicestershire_numbers():
    p = load_policy()
    assert p.timescales["initial_conference_working_days"] == 15
    assert p.timescales["report_to_parents_initial_working_days"] == 1
    assert p.timescales["report_to_parents_review_working_days"] == 3
    assert p.advocacy_age == 10
    assert p.required_groups == ("csc",) and p.other_groups_needed == 2
    assert len(p.stood_down_reasons) == 13


def test_a_policy_file_overrides_from_the_environment(tmp_path, monkeypatch):
    custom = tmp_path / "ours.toml"
    custom.write_text(DEFAULT.replace('name = "Leicestershire (Chair defaults)"', 'name = "Ours"'))
    monkeypatch.setenv("CHAIR_POLICY", str(custom))
    assert load_policy().name == "Ours"
    assert load_policy(default_policy_path()).name.startswith("Leicestershire")


@pytest.mark.parametrize(
    "old,new,key,problem",
    [
        (
            "initial_conference_working_days = 15",
            'initial_conference_working_days = "15"',
            "timescales.initial_conference_working_days",
            "whole number",
        ),
        (
            "initial_conference_working_days = 15",
            "initial_conference_working_days = -1",
            "timescales.initial_conference_working_days",
            "between 0 and 120",
        ),
        ("review_months = 6\n", "", "timescales.review_months", "missing"),
        ('subdivision = "ENG"', 'subdivision = "XYZ"', "calendar.subdivision", "one of ENG, WLS, SCT, NIR"),
        (
            "local_closure_days = []",
            'local_closure_days = ["29/12/2026"]',
            "calendar.local_closure_days[0]",
            "give a date as yyyy-mm-dd, not 29/12/2026",
        ),
        (
            'police = { label = "Police", group = "police"',
            'police = { label = "Police", group = "polis"',
            "roles.police.group",
            "not in [agency_groups]",
        ),
        ('required_groups = ["csc"]', 'required_groups = ["social"]', "quoracy.required_groups[0]", "not in"),
        (
            "[quoracy.exceptions.initial_pre_birth]",
            "[quoracy.exceptions.birthday_party]",
            "quoracy.exceptions.birthday_party",
            "not a meeting kind",
        ),
        ("advocacy_age = 10", "advocacy_age = true", "participation.advocacy_age", "whole number"),
        ("{score} means", "{scor} means", "scales.escalation_prompt", "{score}"),
        ("long_plan_months = 18", "long_plan_months = 6", "timescales.long_plan_months", "more than"),
        ('per = "family"', 'per = "household"', "plan.per", "one of child, family"),
        ("[policy]", "[policy\n", "", "not valid TOML"),
    ],
)
def test_mistakes_name_the_file_key_and_problem(old, new, key, problem):
    assert old in DEFAULT, old
    with pytest.raises(PolicyError) as info:
        parse_policy(DEFAULT.replace(old, new, 1), "ours.toml")
    message = str(info.value)
    assert message.startswith("policy ours.toml: ")
    assert key in message and problem in message and "\n" not in message


def test_a_missing_policy_file_is_refused(tmp_path):
    with pytest.raises(PolicyError, match="does not exist"):
        load_policy(tmp_path / "nope.toml")
