"""A participation code and an advocacy answer that disagree are refused where either is recorded."""

from __future__ import annotations

from datetime import date

import pytest

from chair_app.domain import model as m
from chair_app.domain.enums import ParticipationCode
from chair_app.domain.errors import InvalidInput
from chair_app.rules.participation import check_advocacy
from chair_app.services import conferences, recording
from chair_app.services import workspace as ws
from chair_app.services.demo import build_demo
from chair_app.services.overview import conference_overview, overview_lines
from tests.conftest import dump

TODAY = date(2026, 11, 23)
WHO = "Helen Marsh"


@pytest.fixture
def demo(sqlite_db, policy):
    return conferences.add_conference(sqlite_db, build_demo(policy, TODAY))


def _voice(bundle, forename):
    child = next(c for c in bundle.children if c.forename == forename)
    return child, next(v for v in bundle.conference_children if v.child_id == child.id)


def test_the_demo_codes_and_advocacy_answers_agree(policy):
    bundle = build_demo(policy, TODAY)
    kayden, voice = _voice(bundle, "Kayden")
    assert voice.participation_code is ParticipationCode.PN5 and voice.advocacy_offered is True
    for v in bundle.conference_children:
        assert check_advocacy(v.participation_code, v.advocacy_offered) is None


def test_recording_a_code_or_an_advocacy_answer_that_disagree_is_refused_and_changes_nothing(sqlite_db, demo, policy):
    kayden, _ = _voice(demo, "Kayden")
    cid = demo.conference.id
    before = dump(sqlite_db)
    with pytest.raises(InvalidInput) as info:
        recording.record_participation(
            sqlite_db, cid, kayden.id, ParticipationCode.PN5, policy, advocacy_offered=False, who=WHO
        )
    assert str(info.value).startswith("Advocacy offered: PN5") and "\n" not in str(info.value)
    assert dump(sqlite_db) == before
    # PN7 with advocacy not offered agrees: stored.
    recording.record_participation(
        sqlite_db, cid, kayden.id, ParticipationCode.PN7, policy, advocacy_offered=False, who=WHO
    )
    # Now PN2 with the stored "not offered": refused.
    before = dump(sqlite_db)
    with pytest.raises(InvalidInput, match="Advocacy offered: PN2"):
        recording.record_participation(sqlite_db, cid, kayden.id, ParticipationCode.PN2, policy, who=WHO)
    assert dump(sqlite_db) == before


def test_the_workspace_refuses_either_field_making_them_disagree_but_not_other_edits(sqlite_db, demo, policy):
    _, voice = _voice(demo, "Kayden")  # PN5, advocacy offered
    cid = demo.conference.id
    before = dump(sqlite_db)
    with pytest.raises(InvalidInput, match="Advocacy offered: PN5 means an advocate spoke"):
        ws.set_fields(
            sqlite_db, cid, m.ConferenceChild, voice.id, {"advocacy_offered": False}, who=WHO, policy=policy, seen=None
        )
    assert dump(sqlite_db) == before
    ws.set_fields(
        sqlite_db,
        cid,
        m.ConferenceChild,
        voice.id,
        {"participation_code": ParticipationCode.PN7},
        who=WHO,
        policy=policy,
        seen=None,
    )
    ws.set_fields(
        sqlite_db, cid, m.ConferenceChild, voice.id, {"advocacy_offered": False}, who=WHO, policy=policy, seen=None
    )
    before = dump(sqlite_db)
    with pytest.raises(InvalidInput, match="Advocacy offered: PN5"):
        ws.set_fields(
            sqlite_db,
            cid,
            m.ConferenceChild,
            voice.id,
            {"participation_code": ParticipationCode.PN5},
            who=WHO,
            policy=policy,
            seen=None,
        )
    assert dump(sqlite_db) == before


def test_show_names_a_stored_disagreement(sqlite_db, policy):
    bundle = build_demo(policy, TODAY)
    _, voice = _voice(bundle, "Kayden")
    voice.advocacy_offered = False  # as the demo once had it, or as an older file may bring it
    stored = conferences.add_conference(sqlite_db, bundle)
    text = "\n".join(overview_lines(conference_overview(sqlite_db, stored.conference.ref, policy, TODAY)))
    assert "Advocacy offered: PN5 means an advocate spoke for the child" in text
