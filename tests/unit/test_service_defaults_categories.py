"""Issue 20, point 4: primary and secondary categories, the policy's definitions, and a reason asked for a
multiple category or for emotional abuse with neglect; the measures count primary categories and report
secondary ones."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from chair_app.domain import model as m
from chair_app.domain.enums import Category, MeetingKind, Outcome
from chair_app.rules.decisions import category_definition, category_reason_prompt, check_decision
from chair_app.rules.policy import PolicyError, default_policy_path, parse_policy


def changed(old: str, new: str):
    text = default_policy_path().read_text(encoding="utf-8")
    assert old in text
    return parse_policy(text.replace(old, new), "changed")


def plan(category, secondary=None, reason="", contributing=()):
    return m.Decision(
        conference_id=uuid.uuid4(),
        child_id=uuid.uuid4(),
        outcome=Outcome.PLAN,
        initial_category=category,
        latest_category=category,
        secondary_category=secondary,
        category_reason=reason,
        contributing_categories=list(contributing),
        lead_agency="Children's social care",
        decided_on=date(2026, 11, 2),
    )


def problems(decision, policy):
    return check_decision(decision, MeetingKind.INITIAL, policy, held_on=date(2026, 11, 2))


def test_a_primary_category_with_a_different_secondary_one_is_complete(policy):
    assert problems(plan(Category.NEG, Category.PHY), policy) == []


def test_emotional_abuse_with_neglect_asks_why_both_are_needed(policy):
    found = problems(plan(Category.NEG, Category.EMO), policy)
    assert found == ["category reason: why neglect with emotional abuse: why are both needed?"]
    assert problems(plan(Category.EMO, Category.NEG, reason="The children saw the violence daily"), policy) == []


def test_a_multiple_category_asks_why_one_primary_category_will_not_do(policy):
    found = problems(plan(Category.MUL, contributing=[Category.NEG, Category.PHY]), policy)
    assert len(found) == 1 and found[0].startswith("category reason: why multiple categories")
    done = plan(Category.MUL, reason="Both harms are serious", contributing=[Category.NEG, Category.PHY])
    assert problems(done, policy) == []


def test_the_secondary_category_is_single_and_differs_from_the_primary(policy):
    assert problems(plan(Category.NEG, Category.NEG), policy) == [
        "secondary category: choose a category other than the primary one, or none"
    ]
    assert "secondary category: choose a single category, not 'multiple'" in problems(
        plan(Category.NEG, Category.MUL), policy
    )


def test_every_category_has_the_policys_definition_where_it_is_chosen(policy):
    for category in Category:
        assert category_definition(category, policy), category
    assert category_definition(Category.EMO, policy).startswith("The persistent emotional maltreatment")


def test_an_authority_without_secondary_categories_refuses_one():
    single = changed("secondary = true", "secondary = false")
    assert problems(plan(Category.NEG, Category.PHY), single) == [
        "secondary category: this authority records one category; clear the secondary one"
    ]


def test_an_authority_that_does_not_question_multiple_or_emotional_with_neglect_asks_no_reason():
    relaxed = parse_policy(
        default_policy_path()
        .read_text(encoding="utf-8")
        .replace("reason_for_multiple = true", "reason_for_multiple = false")
        .replace('reason_for_pairs = [["EMO", "NEG"]]', "reason_for_pairs = []"),
        "relaxed",
    )
    assert problems(plan(Category.MUL, contributing=[Category.NEG, Category.PHY]), relaxed) == []
    assert problems(plan(Category.NEG, Category.EMO), relaxed) == []
    assert category_reason_prompt(Category.NEG, Category.EMO, relaxed) == ""


def test_an_authority_may_ask_about_another_pair():
    other = changed('reason_for_pairs = [["EMO", "NEG"]]', 'reason_for_pairs = [["PHY", "NEG"]]')
    assert problems(plan(Category.NEG, Category.EMO), other) == []
    assert problems(plan(Category.PHY, Category.NEG), other)[0].startswith("category reason: why physical abuse")


def test_an_authority_may_write_its_own_definitions():
    own = changed('SAB = "Forcing or enticing', 'SAB = "Our own words. Forcing or enticing')
    assert category_definition(Category.SAB, own).startswith("Our own words.")


def test_a_pair_must_be_two_different_single_categories():
    with pytest.raises(PolicyError, match=r"categories.reason_for_pairs\[0\]: must be two different categories"):
        changed('reason_for_pairs = [["EMO", "NEG"]]', 'reason_for_pairs = [["EMO", "MUL"]]')


def test_the_measures_count_primary_categories_and_report_secondary_ones(policy):
    from chair_app.reports.measures import compute_all
    from tests.unit.test_measures import PERIOD, build

    frames = build()
    d = frames.decision = frames.decision.astype({"secondary_category": object})
    frames.decision.loc[(d["conference_id"] == "c1") & (d["child_id"] == "A"), "secondary_category"] = "EMO"
    cat = compute_all(frames, policy, PERIOD)["06_category_at_plan_start"].set_index("category")
    assert (cat.loc["Neglect", "count"], cat.loc["Neglect", "as_secondary"]) == (3, 0)  # A counted once, as neglect
    assert (cat.loc["Emotional abuse", "count"], cat.loc["Emotional abuse", "as_secondary"]) == (1, 1)
    assert int(cat["count"].sum()) == 4  # the four plans started, each once
