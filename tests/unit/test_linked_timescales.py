"""Timescales that need the earlier conference (issue 13, Build 5), as policy: a pre-birth conference by the
policy's week of pregnancy; after it, the first review by the earlier of N working days after the birth and 3
months; a re-convened initial conference within N working days of the one that was not quorate. The measures
count review timeliness by the same rule."""

from __future__ import annotations

from datetime import date

import pandas as pd

from chair_app.domain import model as m
from chair_app.domain.enums import ConferenceStatus, MeetingKind
from chair_app.reports.frames import TABLES, Frames
from chair_app.reports.measures import Context, timeliness
from chair_app.reports.period import Period
from chair_app.rules.policy import LINKED_TIMESCALES, default_policy_path, parse_policy
from chair_app.rules.timescales import conference_due_date, conference_timescales, pre_birth_due

TODAY = date(2026, 11, 23)


def bundle(kind: MeetingKind, held_on: date, *children: m.Child) -> m.ConferenceBundle:
    family = m.Family(name="Quill family")
    conf = m.Conference(kind=kind, family_id=family.id, held_on=held_on, status=ConferenceStatus.HELD)
    for child in children:
        child.family_id = family.id
    b = m.ConferenceBundle(conference=conf, family=family, children=list(children))
    b.conference_children = [
        m.ConferenceChild(conference_id=conf.id, child_id=c.id, position=i) for i, c in enumerate(children)
    ]
    return b


def test_a_pre_birth_conference_is_due_by_week_34_six_weeks_before_the_expected_date(policy):
    baby = m.Child(family_id=m.new_id(), forename="Baby", surname="Quill", expected_date_of_birth=date(2026, 9, 10))
    b = bundle(MeetingKind.INITIAL_PRE_BIRTH, date(2026, 8, 3), baby)
    assert pre_birth_due(b, policy) == date(2026, 7, 30)
    result = {t.key: t for t in conference_timescales(b, policy, TODAY)}["pre_birth_conference"]
    assert (result.due, result.met, result.working_days_late) == (date(2026, 7, 30), False, 2)


def test_the_first_review_after_a_pre_birth_conference_is_due_20_working_days_after_the_birth_when_sooner(policy):
    baby = m.Child(family_id=m.new_id(), forename="Ada", surname="Quill", date_of_birth=date(2026, 6, 1))
    review = bundle(MeetingKind.FIRST_REVIEW, date(2026, 7, 10), baby)
    # 3 months after 01/05/2026 is 01/08/2026, a Saturday: 31/07; 20 working days after 01/06 is 29/06.
    assert conference_due_date(review, policy, date(2026, 5, 1)) == date(2026, 6, 29)
    older = bundle(
        MeetingKind.FIRST_REVIEW,
        date(2026, 7, 10),
        m.Child(family_id=m.new_id(), forename="Ben", surname="Quill", date_of_birth=date(2020, 1, 1)),
    )
    assert conference_due_date(older, policy, date(2026, 5, 1)) == date(2026, 7, 31)  # no birth since: 3 months


def test_a_reconvened_initial_conference_is_due_10_working_days_after_the_one_not_quorate(policy):
    child = m.Child(family_id=m.new_id(), forename="Cy", surname="Quill", date_of_birth=date(2019, 1, 1))
    b = bundle(MeetingKind.RECONVENED_INITIAL, date(2026, 3, 18), child)
    result = {t.key: t for t in conference_timescales(b, policy, TODAY, date(2026, 3, 2))}["reconvened_initial"]
    assert (result.due, result.met) == (date(2026, 3, 16), False)
    unknown = {t.key: t for t in conference_timescales(b, policy, TODAY, None)}["reconvened_initial"]
    assert unknown.status_word == "Cannot tell"


def test_measure_1_counts_the_first_review_after_a_pre_birth_conference_by_the_birth_rule(policy):
    def frames(born: str) -> Frames:
        raw = {name: pd.DataFrame(columns=columns) for name, columns in TABLES.items()}
        base = dict.fromkeys(TABLES["conference"])
        raw["conference"] = pd.DataFrame(
            [
                base
                | dict(id="p", kind="initial_pre_birth", family_id="F", held_on=pd.Timestamp("2026-05-01"))
                | dict(status="held", chair="X", quoracy_outcome="quorate", stood_down_reason=""),
                base
                | dict(id="r", kind="first_review", family_id="F", held_on=pd.Timestamp("2026-07-10"))
                | dict(previous_conference_id="p", status="held", chair="X", quoracy_outcome="quorate")
                | dict(stood_down_reason=""),
            ]
        )
        raw["child"] = pd.DataFrame(
            [dict.fromkeys(TABLES["child"]) | dict(id="U", family_id="F", date_of_birth=pd.Timestamp(born))]
        )
        raw["conference_child"] = pd.DataFrame([dict(conference_id="r", child_id="U", participation_code=None)])
        return Frames.from_frames(raw)

    period = Period(date(2026, 4, 1), date(2027, 3, 31))
    late = timeliness(Context(frames("2026-06-01"), policy, period)).set_index("measure").loc["Review conferences"]
    assert (late.within_timescale, late.total) == (0, 1)  # due 29/06/2026, held 10/07/2026
    # Born before the pre-birth conference (so not since it): the 3-month rule alone, due 31/07/2026.
    fine = timeliness(Context(frames("2026-04-20"), policy, period)).set_index("measure").loc["Review conferences"]
    assert (fine.within_timescale, fine.total) == (1, 1)


def test_a_policy_file_written_before_the_linked_timescales_reads_with_their_defaults():
    text = default_policy_path().read_text(encoding="utf-8")
    older = "\n".join(line for line in text.splitlines() if line.split(" =")[0] not in LINKED_TIMESCALES)
    assert older != text
    policy = parse_policy(older, "older.toml")
    assert {k: policy.timescales[k] for k in LINKED_TIMESCALES} == {k: d for k, (d, _) in LINKED_TIMESCALES.items()}
