"""A realistic, entirely fictional conference for trying the app, training and screenshots.

The Hayes family (all names invented): Kayden (9), Lily-Mae (3) and an unborn baby; their mother Danielle,
her partner Ryan, and Kayden's father Mark, whose contact details are withheld from the family.
Kayden had a plan before, which makes his a repeat plan. Dates are relative to the day the demo is made.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from chair_app.domain import model as m
from chair_app.domain.enums import (
    AttendanceMode,
    AttendanceStatus,
    Audience,
    Category,
    ConferenceStatus,
    MappingSection,
    MeetingKind,
    Outcome,
    ParticipationCode,
    QuoracyOutcome,
    Relationship,
    Sex,
)
from chair_app.rules.calendar import WorkingCalendar
from chair_app.rules.policy import Policy
from chair_app.rules.recommendations import one_per_agency
from chair_app.rules.timescales import next_dates
from chair_app.services.conferences import add_conference
from chair_app.store.engine import Database

CHAIR = "Helen Marsh"

# Each parent's own views, recorded apart from the professionals' recommendations (issue 20).
_FAMILY_VIEWS = {
    "Danielle Hayes": "I want the children to feel safe and I am willing to work with everyone.",
    "Ryan Cole": "I know I need to sort out my cannabis use before the baby comes.",
}
_PEOPLE = [
    # name, role, role_code, agency, relationship, status, mode, report
    ("Danielle Hayes", "Mother", "parent", "", "Mother of Kayden and Lily-Mae", "attended", "in_person", False),
    ("Ryan Cole", "Mother's partner", "parent", "", "Father of the unborn baby", "attended", "in_person", False),
    ("Mark Hayes", "Father", "parent", "", "Father of Kayden and Lily-Mae", "apologies", None, False),
    (
        "Amira Begum",
        "Social worker",
        "social_worker",
        "Children and Family Services, Hinckley",
        "",
        "attended",
        "in_person",
        True,
    ),
    (
        "Tom Whitfield",
        "Family support worker",
        "family_support_worker",
        "Children and Family Services, Hinckley",
        "",
        "attended",
        "in_person",
        True,
    ),
    (
        "Sarah O'Neill",
        "Health visitor",
        "health_visitor",
        "Leicestershire Partnership NHS Trust",
        "",
        "attended",
        "video",
        True,
    ),
    (
        "Grace Adeyemi",
        "Community midwife",
        "midwife",
        "University Hospitals of Leicester",
        "",
        "attended",
        "phone",
        True,
    ),
    ("Priya Shah", "School nurse", "school_nurse", "Leicestershire Partnership NHS Trust", "", "apologies", None, True),
    (
        "Claire Dobson",
        "Designated safeguarding lead",
        "school",
        "Meadowbank Primary School",
        "",
        "attended",
        "in_person",
        True,
    ),
    ("Jo Kaminski", "Nursery manager", "nursery", "Little Acorns Nursery", "", "did_not_attend", None, False),
    (
        "DC Neil Parr",
        "Detective constable",
        "police",
        "Leicestershire Police, Child Abuse Investigation Unit",
        "",
        "attended",
        "video",
        True,
    ),
    (
        "Beth Lowry",
        "Domestic abuse advocate",
        "domestic_abuse_service",
        "Freeva (domestic abuse service)",
        "",
        "attended",
        "in_person",
        True,
    ),
    ("Kieran Doyle", "Recovery worker", "substance_misuse_service", "Turning Point", "", "apologies", None, True),
]

_MAPPING = [
    (
        MappingSection.PAST_HARM,
        "Police were called to the home three times between June and September after "
        "Ryan and Danielle argued loudly; on 14 September Kayden rang 999 and told the call handler that Ryan had "
        "pushed his mum into the kitchen door.",
        "DC Neil Parr",
    ),
    (
        MappingSection.PAST_HARM,
        "Kayden has been late to school on 23 days this term and twice arrived without "
        "breakfast; he told his teacher he gets Lily-Mae ready when his mum is asleep.",
        "Claire Dobson",
    ),
    (
        MappingSection.PAST_HARM,
        "Lily-Mae missed her 27-month health review and two follow-up appointments.",
        "Sarah O'Neill",
    ),
    (
        MappingSection.COMPLICATING_FACTOR,
        "Danielle says the arguments are 'just words' and that Ryan has never "
        "hurt her; the police record says otherwise.",
        "Amira Begum",
    ),
    (
        MappingSection.COMPLICATING_FACTOR,
        "Ryan's cannabis use most evenings; he has started with Turning Point but missed his last appointment.",
        "Kieran Doyle",
    ),
    (
        MappingSection.COMPLICATING_FACTOR,
        "The baby is due in early spring and Danielle has booked late for antenatal care.",
        "Grace Adeyemi",
    ),
    (
        MappingSection.COMPLICATING_FACTOR,
        "Kayden was on a plan before, for neglect, which ended last year.",
        "Amira Begum",
    ),
    (
        MappingSection.STRENGTH,
        "Kayden and Lily-Mae are warmly attached to their mum; Lily-Mae runs to her at nursery pick-up.",
        "Tom Whitfield",
    ),
    (
        MappingSection.STRENGTH,
        "Danielle has been honest with the social worker about money worries and asked for help with food vouchers.",
        "Amira Begum",
    ),
    (
        MappingSection.STRENGTH,
        "Grandma Sue (maternal grandmother) lives ten minutes away and has the children every Saturday.",
        "Danielle Hayes",
    ),
    (
        MappingSection.STRENGTH,
        "Kayden loves football and is proud of being picked for the school team.",
        "Claire Dobson",
    ),
    (
        MappingSection.EXISTING_SAFETY,
        "After the September incident Danielle took the children to Grandma Sue's "
        "for the night and called the police herself.",
        "DC Neil Parr",
    ),
    (
        MappingSection.EXISTING_SAFETY,
        "Ryan has agreed to stay at his brother's when he has been drinking, and did so on two weekends in October.",
        "Ryan Cole",
    ),
    (MappingSection.NEXT_STEP, "Danielle to meet Beth from Freeva weekly for the next eight weeks.", "Beth Lowry"),
    (
        MappingSection.NEXT_STEP,
        "Ryan to book and attend a Turning Point appointment before the first core group.",
        "Kieran Doyle",
    ),
    (
        MappingSection.NEXT_STEP,
        "Sarah to rebook Lily-Mae's health review and visit at home within two weeks.",
        "Sarah O'Neill",
    ),
    (
        MappingSection.NEXT_STEP,
        "Amira to hold a family network meeting with Grandma Sue to build a safety plan.",
        "Amira Begum",
    ),
]

_PAIRS = [
    (
        "Children's social care, the police and the school are worried that Kayden, Lily-Mae and the baby will be "
        "hurt, or frightened and unable to sleep or learn, if Ryan and Danielle keep arguing and Ryan pushes or hits "
        "Danielle when the children are at home.",
        "Danielle, Ryan and their network will show everyone that arguments are sorted out calmly and away from the "
        "children, with no police call-outs, for at least six months.",
        4,
    ),
    (
        "Health and the school are worried that Kayden will keep missing school and Lily-Mae will miss the health "
        "care she needs, and that Kayden will carry on looking after his sister instead of being a child.",
        "Kayden will get to school on time with breakfast every day, and Lily-Mae will go to every health "
        "appointment, for the next three months, with Grandma Sue helping when Danielle cannot.",
        5,
    ),
]


def build_demo(policy: Policy, today: date | None = None) -> m.ConferenceBundle:
    today = today or date.today()
    cal = WorkingCalendar.from_policy(policy)
    held_on = cal.roll(today, "after")
    strategy = cal.add_working_days(held_on, -13)

    family = m.Family(name="Hayes family", address="14 Orchard Close, Coalville LE67 3XY", address_withheld=True)
    kayden = m.Child(
        family_id=family.id,
        forename="Kayden",
        surname="Hayes",
        date_of_birth=held_on - timedelta(days=9 * 365 + 40),
        sex=Sex.MALE,
        ethnicity="WBRI",
        disability=False,
        local_child_id="LCC-204117",
    )
    lily = m.Child(
        family_id=family.id,
        forename="Lily-Mae",
        surname="Hayes",
        date_of_birth=held_on - timedelta(days=3 * 365 + 200),
        sex=Sex.FEMALE,
        ethnicity="WBRI",
        disability=False,
        local_child_id="LCC-219804",
    )
    baby = m.Child(
        family_id=family.id,
        forename="Baby",
        surname="Hayes",
        expected_date_of_birth=held_on + timedelta(days=95),
        ethnicity="WBRI",
        local_child_id="LCC-231552",
    )
    children = [kayden, lily, baby]

    conference = m.Conference(
        kind=MeetingKind.INITIAL,
        family_id=family.id,
        held_on=held_on,
        start_time=time(10, 0),
        venue="Room 2, County Hall, Glenfield",
        chair=CHAIR,
        minute_taker="Paul Greaves",
        strategy_discussion_on=strategy,
        cin_referral_date=cal.add_working_days(strategy, -3),
        referral_source="6",  # the police
        requested_on=cal.add_working_days(strategy, 2),
        report_to_parents_on=cal.add_working_days(held_on, -2),
        report_to_chair_on=cal.add_working_days(held_on, -2),
        status=ConferenceStatus.IN_PROGRESS,
        quoracy_outcome=QuoracyOutcome.QUORATE,
        overall_scale=4,
        contingency_plan="If Ryan and Danielle argue again when the children are at home, Danielle will take the "
        "children to Grandma Sue's and ring 999 if anyone is hurt or frightened. Amira will be told the same day "
        "and a core group held within a week.",
        updated_by=CHAIR,
    )
    people: list[m.Person] = []
    invitations: list[m.Invitation] = []
    by_name: dict[str, m.Person] = {}
    for i, (name, role, code, agency, rel, status, mode, report) in enumerate(_PEOPLE):
        person = m.Person(
            name=name,
            role=role,
            role_code=code,
            agency=agency,
            relationship=rel,
            phone=f"0116 305 {4100 + i:04d}",
            email=""
            if code == "parent"
            else name.lower().replace(" ", ".").replace("'", "").replace("dc.", "") + "@example.org.uk",
            contact_withheld=name == "Mark Hayes",
            name_withheld=False,
        )
        people.append(person)
        by_name[name] = person
        invitations.append(
            m.Invitation(
                conference_id=conference.id,
                person_id=person.id,
                position=i,
                status=AttendanceStatus(status),
                mode=AttendanceMode(mode) if mode else None,
                report_submitted=report,
                report_submitted_on=cal.add_working_days(held_on, -3) if report else None,
                report_shared_with_parents_on=cal.add_working_days(held_on, -2) if report else None,
                core_group_member=code
                in ("parent", "social_worker", "health_visitor", "school", "midwife", "domestic_abuse_service")
                and name != "Mark Hayes",
                information_shared="Report provided and summarised to conference." if report else "",
                views=_FAMILY_VIEWS.get(name, ""),
            )
        )
    late = next(i for i in invitations if by_name["Sarah O'Neill"].id == i.person_id)
    late.arrived_at = time(10, 20)

    conference_children = [
        m.ConferenceChild(
            conference_id=conference.id,
            child_id=kayden.id,
            position=0,
            views="I like it when it's quiet at home. I don't like the shouting. I want my mum to be happy.",
            views_how="Met the advocate at school and drew his three houses",
            participation_code=ParticipationCode.PN5,
            advocacy_offered=True,
            advocacy_note="he is under 10 but asked for one; he met the advocate at school and briefed her.",
        ),
        m.ConferenceChild(
            conference_id=conference.id,
            child_id=lily.id,
            position=1,
            participation_code=ParticipationCode.PN0,
            views="Lily-Mae is chatty and happy at nursery; she asks for Grandma Sue when she is upset.",
            views_how="Observed by the health visitor and nursery",
        ),
        m.ConferenceChild(conference_id=conference.id, child_id=baby.id, position=2),
    ]
    mapping = [
        m.MappingItem(conference_id=conference.id, section=section, text=text, position=i, said_by=by_name[who].id)
        for i, (section, text, who) in enumerate(_MAPPING)
    ]
    pairs = [
        m.DangerGoalPair(conference_id=conference.id, danger_statement=d, safety_goal=g, position=i, scale=s)
        for i, (d, g, s) in enumerate(_PAIRS)
    ]
    scores = [
        m.ScaleScore(conference_id=conference.id, person_id=by_name[n].id, score=s, revealed=True, reason=r)
        for n, s, r in [
            ("Danielle Hayes", 7, "I've stopped things getting bad and Mum helps."),
            ("Amira Begum", 4, "The police call-outs are recent and Ryan has not started his work yet."),
            ("Claire Dobson", 3, "Kayden's lateness is getting worse."),
            ("DC Neil Parr", 3, "Three call-outs in four months."),
            ("Sarah O'Neill", 5, "Lily-Mae is well but appointments are being missed."),
        ]
    ]
    # One recommendation per agency (issue 20): the social worker gives children's social care's, so the family
    # support worker's is not a separate one.
    professionals = one_per_agency([p for p in people if p.role_code not in ("parent",)], policy)
    recommendations = []
    for child in children:
        for person in professionals:
            inv = next(i for i in invitations if i.person_id == person.id)
            if inv.status is AttendanceStatus.ATTENDED or inv.report_submitted:
                recommendations.append(
                    m.Recommendation(
                        conference_id=conference.id,
                        child_id=child.id,
                        person_id=person.id,
                        outcome=Outcome.PLAN,
                        category=Category.EMO if person.role_code != "health_visitor" else Category.NEG,
                    )
                )
    decisions = [
        m.Decision(
            conference_id=conference.id,
            child_id=child.id,
            outcome=Outcome.PLAN,
            initial_category=Category.EMO,
            latest_category=Category.EMO,
            lead_agency="Leicestershire Children and Family Services",
            reasons="The children are likely to suffer significant harm from living with domestic abuse.",
            repeat_plan_analysis="Kayden's earlier plan (neglect) ended when Danielle's previous relationship "
            "ended; the same pattern of worry has returned with a new relationship. The plan must test the "
            "safety network, not only the adults' separation."
            if child is kayden
            else "",
            decided_on=held_on,
            secondary_category=Category.NEG if child is kayden else None,
            category_reason="Kayden's lateness and missed appointments are neglect in their own right, beside the "
            "harm of living with domestic abuse."
            if child is kayden
            else "",
        )
        for child in children
    ]
    dates = next_dates(held_on, MeetingKind.INITIAL, policy)
    conference.first_core_group_on = dates.first_core_group
    conference.next_review_on = dates.next_review
    actions = [
        m.PlanAction(
            conference_id=conference.id,
            what=w,
            who=who,
            by_when=cal.add_working_days(held_on, wd),
            how_we_know=h,
            position=i,
        )
        for i, (w, who, wd, h) in enumerate(
            [
                (
                    "Weekly sessions on the effects of domestic abuse on children",
                    "Danielle Hayes with Beth Lowry",
                    40,
                    "Beth confirms attendance at each core group",
                ),
                (
                    "Assessment and regular sessions for cannabis use",
                    "Ryan Cole with Turning Point",
                    10,
                    "Turning Point letter to the core group",
                ),
                (
                    "Family network meeting and written safety plan with Grandma Sue",
                    "Amira Begum",
                    15,
                    "The safety plan is shared with the children in words they understand",
                ),
                (
                    "Health review for Lily-Mae and antenatal booking completed",
                    "Sarah O'Neill and Grace Adeyemi",
                    10,
                    "Appointments attended, reported to the core group",
                ),
                (
                    "Breakfast club place and daily check-in for Kayden",
                    "Claire Dobson",
                    5,
                    "Attendance and punctuality figures each fortnight",
                ),
            ]
        )
    ]
    history = [
        m.PlanHistory(
            child_id=kayden.id,
            started_on=held_on - timedelta(days=2 * 365 + 60),
            ended_on=held_on - timedelta(days=400),
            initial_category=Category.NEG,
            latest_category=Category.NEG,
            end_reason="safety_achieved",
        )
    ]
    # The plans this conference decided, as recording the decisions would have stored them.
    history += [
        m.PlanHistory(
            child_id=child.id,
            started_on=held_on,
            conference_id=conference.id,
            initial_category=Category.EMO,
            latest_category=Category.EMO,
        )
        for child in children
    ]
    bundle = m.ConferenceBundle(
        conference=conference,
        family=family,
        children=children,
        people=people,
        plan_history=history,
        invitations=invitations,
        conference_children=conference_children,
        mapping_items=mapping,
        pairs=pairs,
        scores=scores,
        recommendations=recommendations,
        decisions=decisions,
        actions=actions,
    )
    _add_network_and_restrictions(bundle, by_name, kayden, lily, baby)
    return bundle


#: Danielle's support and safety: not for Ryan, whose violence to her is the worry (issue 12).
SAFETY_REASON = (
    "Ryan's violence to Danielle is the worry: knowing who supports her and where she would go could put her "
    "and the children at risk (agreed with Freeva and the police before the conference)"
)


def _add_network_and_restrictions(
    bundle: m.ConferenceBundle, by_name: dict[str, m.Person], kayden: m.Child, lily: m.Child, baby: m.Child
) -> None:
    """The family network, what is not to be shared with Ryan, and Beth Lowry's details for professionals only."""
    cid = bundle.conference.id
    danielle, ryan, mark, beth = (by_name[n] for n in ("Danielle Hayes", "Ryan Cole", "Mark Hayes", "Beth Lowry"))
    mark.address = "Flat 3, 9 Station Road, Ibstock LE67 6JL"  # withheld from the family with his phone
    links = [
        (danielle, kayden, Relationship.PARENT_WITH_PR, True),
        (danielle, lily, Relationship.PARENT_WITH_PR, True),
        (danielle, baby, Relationship.PARENT_WITH_PR, False),
        (mark, kayden, Relationship.PARENT_WITH_PR, False),
        (mark, lily, Relationship.PARENT_WITH_PR, False),
        (ryan, baby, Relationship.PARENT_WITHOUT_PR, False),  # the baby's father; not married to Danielle
        (ryan, kayden, Relationship.HOUSEHOLD_MEMBER, True),
        (ryan, lily, Relationship.HOUSEHOLD_MEMBER, True),
    ]
    bundle.network = [
        m.NetworkLink(conference_id=cid, person_id=p.id, child_id=c.id, relationship=r, lives_with=lives)
        for p, c, r, lives in links
    ]
    restriction = m.SharingRestriction(
        conference_id=cid,
        about_id=danielle.id,
        person_id=ryan.id,
        details="Danielle's support from Freeva and her safety plan: where she would go and who she would call",
        reason=SAFETY_REASON,
    )
    bundle.restrictions = [restriction]

    def not_for_ryan(subject_id, part: str = "") -> m.AudienceMark:
        return m.AudienceMark(
            conference_id=cid,
            subject_id=subject_id,
            part=part,
            audience=Audience.EXCEPT,
            person_id=ryan.id,
            reason=SAFETY_REASON,
            restriction_id=restriction.id,
        )

    support = next(i for i in bundle.mapping_items if "Beth from Freeva" in i.text)
    refuge = next(i for i in bundle.mapping_items if i.text.startswith("After the September incident"))
    sessions = next(a for a in bundle.actions if "Beth Lowry" in a.who)
    bundle.audience = [
        not_for_ryan(support.id),
        not_for_ryan(refuge.id),
        not_for_ryan(sessions.id),
        not_for_ryan(bundle.conference.id, "contingency_plan"),
        not_for_ryan(danielle.id, "contact"),
        not_for_ryan(beth.id),  # who supports Danielle: not named to Ryan at all
        m.AudienceMark(
            conference_id=cid,
            subject_id=beth.id,
            part="contact",
            audience=Audience.PROFESSIONALS,
            reason="Beth is Danielle's domestic abuse advocate; her number and email are for professionals only",
        ),
    ]


def create_demo(db: Database, policy: Policy, today: date | None = None, *, county: bool = False) -> m.ConferenceBundle:
    """Today's demo conference; with ``county``, also two years of past conferences of other families (what
    `chair-app demo` adds, so that every measure has figures)."""
    bundle = add_conference(db, build_demo(policy, today))
    if county:
        from chair_app.services.demo_county import add_county

        add_county(db, policy, today)
    return bundle
