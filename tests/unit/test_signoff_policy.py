"""The policy's [sign_off] blocking list, and the checklist's kinds it names (issue 11)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from chair_app.rules.policy import (
    SIGN_OFF_BLOCKING_DEFAULT,
    SIGN_OFF_GAP_KINDS,
    PolicyError,
    default_policy_path,
    parse_policy,
)
from chair_app.services import readiness
from chair_app.services.demo import build_demo

DEFAULT = default_policy_path().read_text(encoding="utf-8")
BLOCKING = 'blocking = ["stood_down_reason", "quoracy", "participation", "decision"]'


def test_the_default_policy_blocks_sign_off_on_the_four_default_kinds():
    assert parse_policy(DEFAULT, "default").sign_off_blocking == SIGN_OFF_BLOCKING_DEFAULT
    assert set(SIGN_OFF_BLOCKING_DEFAULT) <= set(SIGN_OFF_GAP_KINDS)


def test_a_policy_without_the_section_blocks_on_the_defaults():
    text = DEFAULT[: DEFAULT.index("[sign_off]")]
    assert parse_policy(text, "older.toml").sign_off_blocking == SIGN_OFF_BLOCKING_DEFAULT


def test_an_authority_can_make_every_gap_block_or_none():
    every = parse_policy(DEFAULT.replace(BLOCKING, f"blocking = {list(SIGN_OFF_GAP_KINDS)!r}"), "strict.toml")
    assert every.sign_off_blocking == SIGN_OFF_GAP_KINDS
    assert parse_policy(DEFAULT.replace(BLOCKING, "blocking = []"), "lenient.toml").sign_off_blocking == ()


@pytest.mark.parametrize(
    ("new", "problem"),
    [
        ('blocking = ["decisions"]', "sign_off.blocking[0]: 'decisions' is not one of stood_down_reason"),
        ('blocking = "decision"', "sign_off.blocking"),
        ('blockers = ["decision"]', "blockers"),
    ],
)
def test_a_wrong_sign_off_setting_is_refused_naming_the_key(new, problem):
    with pytest.raises(PolicyError) as info:
        parse_policy(DEFAULT.replace(BLOCKING, new), "ours.toml")
    assert "ours.toml" in str(info.value) and problem in str(info.value)


def test_every_gap_the_checklist_can_give_has_a_kind_the_policy_knows():
    policy = parse_policy(DEFAULT, "default")
    bundle = build_demo(policy, date(2026, 11, 23))
    bundle.decisions = []
    bundle.pairs[0].scale = None
    bundle.actions = []
    for voice in bundle.conference_children:
        voice.participation_code = None
    for invitation in bundle.invitations:
        invitation.status = type(invitation.status).INVITED
    bundle.conference.quoracy_outcome = type(bundle.conference.quoracy_outcome).NOT_ASSESSED
    gaps = readiness.gaps_before_sign_off(bundle, policy, date(2026, 11, 23))
    assert gaps and all(g.kind in SIGN_OFF_GAP_KINDS for g in gaps)
    assert {"attendance", "quoracy", "scale", "participation", "decision"} <= {g.kind for g in gaps}
    blocking = readiness.blocking(gaps, policy)
    assert {g.kind for g in blocking} == {"quoracy", "participation", "decision"}
    lenient = dataclasses.replace(policy, sign_off_blocking=())
    assert readiness.blocking(gaps, lenient) == []
