"""A demo county: two years of fictional conferences for fifteen families, so the measures have something to show.

``chair-app demo`` adds these beside the Hayes conference (services/demo.py), in the demo database only. Every
name is invented; dates are relative to the day the demo is made, and every conference is in the past, so
today's Hayes conference stays first in the list and ready to chair. The families between them have initial,
pre-birth and transfer-in conferences, first reviews and reviews, meetings stood down and rearranged, meetings
held late with the reason recorded, plans that start, continue and end (one at its first review, one open
for over eighteen months), repeat plans at different times since the last one, decisions of no plan,
participation codes PN0 to PN7, and a chair change: every measure in the Reports window and
``chair-app report`` over the last year (and the year before) is non-zero.

Deterministic: the same day gives the same county, and its records have fixed ids (from a seed), so a second
``demo`` sees the county is there and leaves it alone.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from chair_app.domain import model as m
from chair_app.domain.enums import (
    AttendanceMode,
    AttendanceStatus,
    Category,
    ConferenceStatus,
    DocumentKind,
    MappingSection,
    MeetingKind,
    Outcome,
    ParticipationCode,
    QuoracyOutcome,
    RecordStatus,
    Sex,
)
from chair_app.domain.errors import InvalidInput
from chair_app.rules.calendar import WorkingCalendar
from chair_app.rules.policy import Policy
from chair_app.rules.recommendations import one_per_agency
from chair_app.rules.timescales import next_dates
from chair_app.store.engine import Database

SEED = 1511
CHAIRS = ("Helen Marsh", "Rob Okafor", "Janet Pryce", "Imran Siddiqui", "Fiona Leckie")


@dataclass(frozen=True)
class Kid:
    forename: str
    age_days: int  # on the day of the first conference; negative: not yet born (days until due)
    sex: Sex
    ethnicity: str = "WBRI"
    disability: bool | None = False


@dataclass(frozen=True)
class Story:
    """One family's path through the service, as days and counts; the dates are worked out from today."""

    surname: str
    kids: tuple[Kid, ...]
    start: int  # days before today of the strategy discussion (or the transfer notice)
    category: Category | None  # None: no plan at the initial conference
    kind: MeetingKind = MeetingKind.INITIAL
    end_at_review: int | None = None  # the plan ends at this review (1 = the first review); None: still open
    end_reason: str = "safety_achieved"
    stood_down: dict[int, str] = field(default_factory=dict)  # meeting number (0 = initial) -> reason key
    late: dict[int, str] = field(default_factory=dict)  # meeting number -> the delay reason recorded
    earlier_plan_ended: int | None = None  # days before the start that the eldest child's last plan ended
    chair: int = 0
    new_chair_from: int | None = None  # meeting number from which another chair takes over
    extra_agencies: tuple[str, ...] = ()


F, M = Sex.FEMALE, Sex.MALE
STORIES: tuple[Story, ...] = (
    Story("Ashworth", (Kid("Tilly", 7 * 365, F), Kid("Reece", 4 * 365 + 30, M)), 745, Category.NEG, end_at_review=3),
    Story(
        "Bellamy",
        (Kid("Jordan", 13 * 365, M, "MWBC", True),),
        712,
        Category.EMO,
        end_at_review=1,
        end_reason="moved_away",
        chair=1,
        extra_agencies=("housing",),
    ),
    Story(
        "Carver",
        (Kid("Shannon", 15 * 365, F, "AIND"), Kid("Aaron", 11 * 365, M, "AIND"), Kid("Zara", 2 * 365, F, "AIND")),
        655,
        Category.PHY,
        late={0: "Request from the social work team came late"},
        extra_agencies=("probation",),
    ),
    Story(
        "Dunmore",
        (Kid("Willow", -40, F), Kid("Ellis", 3 * 365, M)),
        600,
        Category.NEG,
        kind=MeetingKind.INITIAL_PRE_BIRTH,
        end_at_review=2,
        end_reason="looked_after",
        chair=2,
    ),
    Story("Ellery", (Kid("Nia", 9 * 365, F, "BAFR"), Kid("Kofi", 6 * 365, M, "BAFR")), 540, None, chair=1),
    Story(
        "Fenwick",
        (Kid("Courtney", 16 * 365 - 200, F),),
        300,
        Category.SAB,
        kind=MeetingKind.TRANSFER_IN,
        chair=3,
    ),
    Story(
        "Garside",
        (Kid("Liam", 10 * 365, M), Kid("Ruby", 8 * 365, F)),
        440,
        Category.MUL,
        stood_down={0: "parent_unable"},
        late={0: "Father in hospital; rearranged"},
        earlier_plan_ended=400,
        chair=2,
    ),
    Story(
        "Holloway",
        (Kid("Poppy", 5 * 365, F),),
        370,
        Category.NEG,
        end_at_review=2,
        earlier_plan_ended=150,
        new_chair_from=2,
        extra_agencies=("domestic_abuse_service",),
    ),
    Story(
        "Iveson",
        (Kid("Callum", 12 * 365, M, "AOTH"), Kid("Amber", 14 * 365, F, "AOTH")),
        330,
        Category.EMO,
        stood_down={2: "social_worker_absent"},
        late={2: "Social worker ill on the day"},
        chair=3,
    ),
    Story("Jarrow", (Kid("Mason", 300, M),), 290, Category.NEG, end_at_review=1, chair=1),
    Story(
        "Kilner",
        (Kid("Evie", 6 * 365, F), Kid("Oscar", 4 * 365 + 100, M), Kid("Freddie", 150, M)),
        232,
        Category.NEG,
        earlier_plan_ended=900,
        chair=4,
    ),
    Story("Lomax", (Kid("Declan", 17 * 365 - 90, M, "WIRI"),), 190, None, chair=2),
    Story(
        "Marwood",
        (Kid("Isla", 8 * 365, F, "WOTH"), Kid("Teddy", 3 * 365, M, "WOTH")),
        160,
        Category.PHY,
        late={1: "No chair free on the due date"},
    ),
    Story("Nuttall", (Kid("Harvey", 11 * 365, M), Kid("Maisie", 9 * 365, F)), 110, Category.MUL, chair=3),
    Story(
        "Oldroyd",
        (Kid("Alfie", 2 * 365, M),),
        52,
        Category.NEG,
        stood_down={0: "not_quorate"},
        late={0: "Not quorate: no health representative"},
        chair=4,
    ),
)

# Professionals each family's conferences invite: role key, job title, agency, whether they usually send a report.
_AGENCIES = {
    "social_worker": ("Social worker", "Children and Family Services", True),
    "team_manager": ("Team manager", "Children and Family Services", False),
    "health_visitor": ("Health visitor", "Shire Community Health Trust", True),
    "school_nurse": ("School nurse", "Shire Community Health Trust", True),
    "gp": ("GP", "Brookside Surgery", False),
    "school": ("Designated safeguarding lead", "Larkfield Academy", True),
    "nursery": ("Nursery manager", "Busy Bees Corner Nursery", True),
    "police": ("Detective constable", "Shire Police, Child Abuse Investigation Unit", True),
    "probation": ("Probation officer", "Probation Service, Shire", True),
    "housing": ("Housing officer", "Shire District Council", False),
    "domestic_abuse_service": ("Domestic abuse advocate", "Safe Steps (domestic abuse service)", True),
    "midwife": ("Community midwife", "Shire Hospitals NHS Trust", True),
}
_FORENAMES = [
    "Alison", "Bryn", "Chloe", "Dev", "Emma", "Gareth", "Hannah", "Ian", "Jas", "Kate", "Leon", "Mona",
    "Nadia", "Owen", "Pat", "Rachel", "Sunil", "Tess", "Vik", "Wendy",
]  # fmt: skip
_SURNAMES = [
    "Abbott", "Birch", "Coates", "Darby", "Eckford", "Fry", "Gill", "Hurst", "Ingram", "Joyce", "Kemp",
    "Lowe", "Mistry", "Noble", "Orton", "Pike", "Quayle", "Rowe", "Sall", "Tait",
]  # fmt: skip
_PN_FOR_AGE = [
    ParticipationCode.PN1, ParticipationCode.PN6, ParticipationCode.PN5, ParticipationCode.PN1,
    ParticipationCode.PN7, ParticipationCode.PN2, ParticipationCode.PN6, ParticipationCode.PN4,
    ParticipationCode.PN3, ParticipationCode.PN1,
]  # fmt: skip


class _Ids:
    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd

    def __call__(self) -> uuid.UUID:
        return uuid.UUID(int=self.rnd.getrandbits(128), version=4)


def _at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def _stamp(records: list[m.Record], when: datetime) -> None:
    for r in records:
        r.created_at = r.updated_at = when


@dataclass
class _Family:
    story: Story
    family: m.Family
    children: list[m.Child]
    parents: list[m.Person]
    professionals: dict[str, m.Person]
    history: list[m.PlanHistory] = field(default_factory=list)


def _people(story: Story, ids: _Ids, rnd: random.Random, n: int) -> _Family:
    family = m.Family(id=ids(), name=f"{story.surname} family", address=f"{3 + n * 7} Willow Road, Ashby Parva")
    children = []
    for i, kid in enumerate(story.kids):
        unborn = kid.age_days < 0
        children.append(
            m.Child(
                id=ids(),
                family_id=family.id,
                forename=kid.forename,
                surname=story.surname,
                sex=Sex.NOT_KNOWN if unborn else kid.sex,
                ethnicity=kid.ethnicity,
                disability=kid.disability,
                local_child_id=f"DEMO-{n:02d}{i}",
            )
        )
    mother = m.Person(
        id=ids(),
        name=f"{rnd.choice(['Kerry', 'Leanne', 'Gemma', 'Stacey', 'Donna', 'Michelle'])} {story.surname}",
        role="Mother",
        role_code="parent",
        relationship="Mother",
    )
    father = m.Person(
        id=ids(),
        name=f"{rnd.choice(['Wayne', 'Craig', 'Dean', 'Lee', 'Darren', 'Scott'])} {story.surname}",
        role="Father",
        role_code="parent",
        relationship="Father",
    )
    roles = ["social_worker", "team_manager", "gp", "police"]
    ages = [k.age_days for k in story.kids]
    roles += ["health_visitor"] if min(ages) < 5 * 365 else ["school_nurse"]
    roles += ["school"] if max(ages) >= 4 * 365 else ["nursery"]
    if min(ages) < 0:
        roles.append("midwife")
    roles += list(story.extra_agencies)
    professionals = {}
    for role in roles:
        title, agency, _report = _AGENCIES[role]
        name = f"{rnd.choice(_FORENAMES)} {rnd.choice(_SURNAMES)}"
        professionals[role] = m.Person(
            id=ids(),
            name=("DC " if role == "police" else "Dr " if role == "gp" else "") + name,
            role=title,
            role_code=role,
            agency=agency,
            email=name.lower().replace(" ", ".") + "@example.org.uk",
        )
    return _Family(story, family, children, [mother, father], professionals)


def _meetings(story: Story, today: date, cal: WorkingCalendar, policy: Policy) -> list[tuple[MeetingKind, date, date]]:
    """(kind, held on, due) for each meeting, including stood-down ones, all before today."""
    wd = policy.timescales
    start = cal.roll(today - timedelta(days=story.start), "before")
    key = "transfer_in" if story.kind is MeetingKind.TRANSFER_IN else "initial_conference"
    due = cal.add_working_days(start, wd[f"{key}_working_days"])
    out: list[tuple[MeetingKind, date, date]] = []
    kind, n = story.kind, 0
    held = cal.add_working_days(start, 11)
    while held < today:
        if n in story.stood_down:
            out.append((kind, held, due))
            held = cal.add_working_days(held, 5)
        if n in story.late:
            held = max(held, cal.add_working_days(due, 3))
        if held >= today:
            break
        out.append((kind, held, due))
        if story.category is None or (story.end_at_review is not None and n >= story.end_at_review):
            break
        due = next_dates(held, kind, policy).next_review
        kind = MeetingKind.FIRST_REVIEW if n == 0 else MeetingKind.REVIEW
        held = cal.add_working_days(due, -2)
        n += 1
    return out


def build_county(policy: Policy, today: date | None = None) -> list[m.ConferenceBundle]:
    """Every conference of the county, complete, oldest first."""
    today = today or date.today()
    cal = WorkingCalendar.from_policy(policy)
    rnd = random.Random(SEED)
    ids = _Ids(rnd)
    t = policy.timescales
    bundles: list[m.ConferenceBundle] = []
    for n, story in enumerate(STORIES):
        fam = _people(story, ids, rnd, n)
        meetings = _meetings(story, today, cal, policy)
        stood = _stood_down_positions(story, meetings)
        first_held = next(h for i, (_k, h, _d) in enumerate(meetings) if i not in stood)
        for child, kid in zip(fam.children, story.kids, strict=True):
            if kid.age_days < 0:
                child.expected_date_of_birth = first_held - timedelta(days=kid.age_days)
                child.date_of_birth = child.expected_date_of_birth + timedelta(days=4)
                if child.date_of_birth >= today:
                    child.date_of_birth = None
            else:
                child.date_of_birth = first_held - timedelta(days=kid.age_days)
        if story.earlier_plan_ended is not None:
            eldest = fam.children[0]
            ended = first_held - timedelta(days=story.earlier_plan_ended)
            fam.history.append(
                m.PlanHistory(
                    id=ids(),
                    child_id=eldest.id,
                    started_on=ended - timedelta(days=300),
                    ended_on=ended,
                    initial_category=Category.NEG,
                    latest_category=Category.NEG,
                    end_reason="safety_achieved",
                )
            )
        plans: dict[uuid.UUID, m.PlanHistory] = {}
        previous: m.Conference | None = None
        stood_down: m.Conference | None = None  # the meeting the next one is rearranged from
        number = 0  # meetings held so far (0 = the initial)
        family_bundles = []
        for i, (kind, held_on, due) in enumerate(meetings):
            is_stood_down = i in stood
            handed_over = story.new_chair_from is not None and number >= story.new_chair_from
            chair = CHAIRS[(story.chair + handed_over) % len(CHAIRS)]
            conf = m.Conference(
                id=ids(),
                kind=kind,
                family_id=fam.family.id,
                held_on=held_on,
                start_time=time(10 if i % 2 else 13, 30 if i % 3 == 1 else 0),
                venue=rnd.choice(["Room 2, County Hall", "Ashby Family Centre", "Video meeting"]),
                remote=False,
                chair=chair,
                minute_taker="Paul Greaves",
                previous_conference_id=previous.id if previous and not kind.is_initial else None,
                updated_by=chair,
                rearranged_from_id=stood_down.id if stood_down else None,
            )
            if kind.is_initial:
                if kind is MeetingKind.TRANSFER_IN:
                    conf.transfer_notified_on = cal.add_working_days(due, -t["transfer_in_working_days"])
                else:
                    conf.strategy_discussion_on = cal.add_working_days(due, -t["initial_conference_working_days"])
                    conf.cin_referral_date = cal.add_working_days(conf.strategy_discussion_on, -4)
                    conf.referral_source = rnd.choice(["6", "3A", "5A", "1B"])
                    conf.requested_on = cal.add_working_days(conf.strategy_discussion_on, 1)
            early = 1 if kind.is_initial else 3
            to_parents = rnd.choice([early + 1, early, early, 0, None])
            to_chair = rnd.choice([early + 1, early, early, early, 0, None])
            if to_parents is not None:
                conf.report_to_parents_on = cal.add_working_days(held_on, -to_parents)
            if to_chair is not None:
                conf.report_to_chair_on = cal.add_working_days(held_on, -to_chair)
            if is_stood_down:
                conf.status = ConferenceStatus.STOOD_DOWN
                conf.quoracy_outcome = QuoracyOutcome.STOOD_DOWN
                conf.stood_down_reason = story.stood_down[number]
                conf.stood_down_note = "Rearranged for the earliest date everyone could attend."
                # Issue 20: the new date (the rearranged meeting) and what keeps the children safe until then.
                conf.reconvene_on = meetings[i + 1][1] if i + 1 < len(meetings) else None
                conf.interim_arrangement = (
                    "The safety plan agreed at the strategy discussion stays in place; the social worker visits "
                    "twice a week until the conference."
                    if kind.is_initial
                    else "The child protection plan continues and the core group meets as planned."
                )
                bundle = _bundle(fam, conf, [], [], [], [], [], [])
                _stamp(_records(bundle), _at(held_on, 11))
                family_bundles.append(bundle)
                stood_down = conf
                continue
            conf.status = ConferenceStatus.HELD
            conf.quoracy_outcome = QuoracyOutcome.QUORATE
            conf.overall_scale = min(9, 3 + number + rnd.randrange(2))
            conf.record_distributed_on = cal.add_working_days(held_on, rnd.choice([4, 6, 8, 9, 12]))
            ending = story.end_at_review is not None and number == story.end_at_review
            on_plan = story.category is not None and not ending
            if on_plan:
                conf.plan_distributed_on = cal.add_working_days(held_on, rnd.choice([3, 5, 7, 11]))
            dates = next_dates(held_on, kind, policy)
            if on_plan:
                conf.first_core_group_on = dates.first_core_group
                conf.next_review_on = dates.next_review
            if held_on < today - timedelta(days=30):
                conf.record_status = RecordStatus.FINALISED
                conf.signed_off_by = chair
                conf.finalised_at = _at(cal.add_working_days(held_on, 8), 16)
            invitations = _invitations(fam, conf, rnd, cal)
            for inv in invitations:  # each parent's own views, apart from the professionals' recommendations
                if inv.position < len(fam.parents) and inv.status is AttendanceStatus.ATTENDED:
                    inv.views = "I love my children and I will keep working with everyone to keep them safe."
            voices, decisions, recs = [], [], []
            for pos, child in enumerate(fam.children):
                born = child.date_of_birth is not None and child.date_of_birth <= held_on
                talks = born and (held_on - child.date_of_birth).days >= 4 * 365
                voices.append(
                    m.ConferenceChild(
                        id=ids(),
                        conference_id=conf.id,
                        child_id=child.id,
                        position=pos,
                        participation_code=_code(child, held_on, rnd) if born else None,
                        advocacy_offered=(held_on - child.date_of_birth).days >= 10 * 365 if born else None,
                        views=f"{child.forename} told the social worker about home and school." if talks else "",
                    )
                )
                outcome = (
                    (Outcome.PLAN if story.category else Outcome.NO_PLAN)
                    if kind.is_initial
                    else (Outcome.END if ending else Outcome.CONTINUE)
                )
                category = story.category if outcome in (Outcome.PLAN, Outcome.CONTINUE) else None
                decisions.append(
                    m.Decision(
                        id=ids(),
                        conference_id=conf.id,
                        child_id=child.id,
                        outcome=outcome,
                        initial_category=story.category if outcome is not Outcome.NO_PLAN else None,
                        latest_category=category or (story.category if outcome is Outcome.END else None),
                        lead_agency="Shire Children and Family Services" if category else "",
                        reasons="The conference agreed the children are likely to suffer significant harm."
                        if category
                        else "The worries are being met by the family's network with support.",
                        no_plan_next_step="Child in need plan" if outcome is Outcome.NO_PLAN else "",
                        end_reason=story.end_reason if outcome is Outcome.END else "",
                        repeat_plan_analysis="An earlier plan ended; the same worries have returned."
                        if outcome is Outcome.PLAN and story.earlier_plan_ended is not None and pos == 0
                        else "",
                        decided_on=cal.add_working_days(held_on, rnd.choice([0, 0, 1, 3, 7])),
                        category_reason="Neglect and physical abuse are both present and neither is secondary."
                        if category is Category.MUL
                        else "",
                    )
                )
                for person in one_per_agency(list(fam.professionals.values())[:3], policy):
                    recs.append(
                        m.Recommendation(
                            id=ids(),
                            conference_id=conf.id,
                            child_id=child.id,
                            person_id=person.id,
                            outcome=outcome,
                            category=category,
                        )
                    )
                if outcome is Outcome.PLAN:
                    plans[child.id] = m.PlanHistory(
                        id=ids(),
                        child_id=child.id,
                        started_on=held_on,
                        conference_id=conf.id,
                        initial_category=story.category,
                        latest_category=story.category,
                    )
                    fam.history.append(plans[child.id])
                elif outcome is Outcome.END and child.id in plans:
                    plans[child.id].ended_on = held_on
                    plans[child.id].end_reason = story.end_reason
            mapping = _mapping(fam, conf, ids)
            actions = (
                [
                    m.PlanAction(
                        id=ids(),
                        conference_id=conf.id,
                        what="Core group to meet and review the safety plan with the family",
                        who=fam.professionals["social_worker"].name,
                        by_when=dates.first_core_group,
                        how_we_know="Core group notes shared with the family",
                    )
                ]
                if on_plan
                else []
            )
            delays = (
                [m.DelayReason(id=ids(), conference_id=conf.id, measure="conference", reason=story.late[number])]
                if number in story.late
                else []
            )
            bundle = _bundle(fam, conf, invitations, voices, decisions, recs, mapping, actions, delays)
            if previous is not None and not kind.is_initial:  # issue 13: the core groups before the review
                _core_groups(bundle, previous.held_on, late_first=n % 3 == 2 and number == 1, cal=cal)
            _stamp(_records(bundle), _at(held_on, 15))
            bundle.documents = [_decision_letter(conf, cal)]  # issue 20: the letter's timescale is measured
            for d in decisions:
                d.created_at = d.updated_at = _at(d.decided_on, 16)
            family_bundles.append(bundle)
            previous = conf
            stood_down = None
            number += 1
        for b in family_bundles:  # the family's plan history as it stands today, in every file of the family
            b.plan_history = list(fam.history)
        for record in [fam.family, *fam.children, *fam.parents, *fam.professionals.values(), *fam.history]:
            record.created_at = record.updated_at = _at(meetings[0][1], 9)
        bundles += family_bundles
    bundles.sort(key=lambda b: b.conference.held_on)
    return bundles


def _core_groups(bundle: m.ConferenceBundle, since: date, *, late_first: bool, cal: WorkingCalendar) -> None:
    """The core groups before a review (issue 13): the first 8 working days after the conference before (13, and a
    reason for the delay, for ``late_first``), then every 6 weeks while before the review. Ids are derived from
    the review's, not drawn, so the rest of the county is the same as before core groups were recorded."""
    conf = bundle.conference
    came = [p.name for p in bundle.people if p.role_code in ("parent", "social_worker", "health_visitor", "school")]
    day = cal.add_working_days(since, 13 if late_first else 8)
    while day < conf.held_on - timedelta(days=10):
        n = len(bundle.core_groups)
        bundle.core_groups.append(
            m.CoreGroup(
                id=uuid.uuid5(conf.id, f"core group {n}"),
                conference_id=conf.id,
                held_on=day,
                who_came="\n".join(came),
                concerns="" if n else "Home conditions still a worry at times.",
                position=n,
            )
        )
        day = cal.roll(day + timedelta(weeks=6), "after")
    if late_first and bundle.core_groups:
        bundle.delay_reasons.append(
            m.DelayReason(
                id=uuid.uuid5(conf.id, "first core group delay"),
                conference_id=conf.id,
                measure="first_core_group",
                reason="The social worker was on leave; the core group met on her return.",
            )
        )


def _decision_letter(conf: m.Conference, cal: WorkingCalendar) -> m.DocumentRecord:
    """The chair's letter to the parents: most go the next working day, one in four the day after (no draw on the
    county's random numbers, so every other figure stays as it was)."""
    day = cal.add_working_days(conf.held_on, 2 if conf.id.int % 4 == 0 else 1)
    return m.DocumentRecord(
        id=uuid.uuid5(conf.id, "decision-letter"),
        conference_id=conf.id,
        kind=DocumentKind.DECISION_LETTER,
        recipient="Parents",
        produced_at=_at(conf.held_on, 17),
        distributed_on=day,
        method="post",
        created_at=_at(conf.held_on, 17),
        updated_at=_at(conf.held_on, 17),
    )


def _stood_down_positions(story: Story, meetings: list[tuple[MeetingKind, date, date]]) -> set[int]:
    """Which entries of ``meetings`` are the stood-down ones (each comes just before its rearranged meeting)."""
    out, number, i = set(), 0, 0
    while i < len(meetings):
        if number in story.stood_down:
            out.add(i)
            i += 1
        i += 1
        number += 1
    return out


def _code(child: m.Child, held_on: date, rnd: random.Random) -> ParticipationCode:
    age = (held_on - child.date_of_birth).days
    under_four = held_on < child.date_of_birth.replace(year=child.date_of_birth.year + 4)
    if under_four:
        return ParticipationCode.PN0
    return _PN_FOR_AGE[(age // 97 + rnd.randrange(3)) % len(_PN_FOR_AGE)]


def _invitations(fam: _Family, conf: m.Conference, rnd: random.Random, cal: WorkingCalendar) -> list[m.Invitation]:
    out = []
    people = [*fam.parents, *fam.professionals.values()]
    for pos, person in enumerate(people):
        if person.role_code == "parent":
            status = AttendanceStatus.ATTENDED if pos == 0 or rnd.random() < 0.6 else AttendanceStatus.DID_NOT_ATTEND
            report = False
        else:
            roll = rnd.random()
            status = (
                AttendanceStatus.ATTENDED
                if person.role_code == "social_worker" or roll < 0.72
                else AttendanceStatus.APOLOGIES
                if roll < 0.92
                else AttendanceStatus.DID_NOT_ATTEND
            )
            report = _AGENCIES[person.role_code][2] and rnd.random() < 0.8
        out.append(
            m.Invitation(
                id=uuid.UUID(int=rnd.getrandbits(128), version=4),
                conference_id=conf.id,
                person_id=person.id,
                position=pos,
                status=status,
                mode=(AttendanceMode.IN_PERSON if rnd.random() < 0.7 else AttendanceMode.VIDEO)
                if status is AttendanceStatus.ATTENDED
                else None,
                report_submitted=report,
                report_submitted_on=cal.add_working_days(conf.held_on, -3) if report else None,
                core_group_member=person.role_code in ("parent", "social_worker", "health_visitor", "school"),
            )
        )
    return out


def _mapping(fam: _Family, conf: m.Conference, ids: _Ids) -> list[m.MappingItem]:
    names = " and ".join(c.forename for c in fam.children)
    lines = [
        (MappingSection.PAST_HARM, f"Professionals are worried about what {names} have seen and heard at home."),
        (MappingSection.STRENGTH, f"The family love {names} and want to keep working with everyone."),
        (MappingSection.NEXT_STEP, "The social worker will visit every two weeks and meet the children alone."),
    ]
    sw = fam.professionals["social_worker"].id
    return [
        m.MappingItem(id=ids(), conference_id=conf.id, section=s, text=text, position=i, said_by=sw)
        for i, (s, text) in enumerate(lines)
    ]


def _bundle(fam, conf, invitations, voices, decisions, recs, mapping, actions, delays=()) -> m.ConferenceBundle:
    return m.ConferenceBundle(
        conference=conf,
        family=fam.family,
        children=fam.children,
        people=[*fam.parents, *fam.professionals.values()],
        invitations=invitations,
        conference_children=voices,
        decisions=decisions,
        recommendations=recs,
        mapping_items=mapping,
        actions=actions,
        delay_reasons=list(delays),
    )


def _records(bundle: m.ConferenceBundle) -> list[m.Record]:
    out: list[m.Record] = [bundle.conference]
    for name in ("invitations", "conference_children", "decisions", "recommendations", "mapping_items"):
        out += getattr(bundle, name)
    out += bundle.actions + bundle.delay_reasons
    return out


def add_county(db: Database, policy: Policy, today: date | None = None) -> int:
    """Store the county in one transaction; returns how many conferences were added (0: it was there)."""
    from chair_app.services.conferences import import_bundles
    from chair_app.store import models as rows
    from chair_app.store import repository as repo

    bundles = build_county(policy, today)
    with db.unit_of_work() as session:  # the first family's first meeting has the same id whatever the day
        if repo.stored_conference_ids(session, [first_conference_id()]):
            return 0
    # The finalised guards refuse rows added under a finalised record, so the records are stored as drafts,
    # then signed off, as a chair would.
    finalised = {b.conference.id: b.conference for b in bundles if b.conference.record_status is RecordStatus.FINALISED}
    for conf in finalised.values():
        conf.record_status = RecordStatus.DRAFT
    import_bundles(db, bundles)
    with db.unit_of_work() as session:
        for conf in finalised.values():
            row = session.get(rows.ConferenceRow, conf.id)
            row.record_status = conf.record_status = RecordStatus.FINALISED
    return len(bundles)


def first_conference_id() -> uuid.UUID:
    """The id of the county's first conference: fixed by the seed, since nothing before it depends on the day."""
    rnd = random.Random(SEED)
    _people(STORIES[0], _Ids(rnd), rnd, 0)
    return _Ids(rnd)()


def refuse_real_database(db: Database, *, demo: bool) -> None:
    """Demo data goes only into the demo database (``--demo``) or an empty one: never beside real conferences."""
    if demo:
        return
    from sqlalchemy import func, select

    from chair_app.store import models as rows

    with db.unit_of_work() as session:
        held = session.scalar(select(func.count()).select_from(rows.ConferenceRow))
    if held:
        raise InvalidInput(
            f"demo: this database holds {held} conference{'s' if held != 1 else ''}, and fictional people must "
            "never be mixed with real ones; use the demo database instead: chair-app --demo demo"
        )
