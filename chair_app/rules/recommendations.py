"""Recommendations: one per agency (or per person, as the policy says), from professionals only.

The family's views (each parent's, on their invitation; the child's, on the child's voice) are recorded apart
and never counted as a recommendation: practitioners make the decision, and the record shows both.
"""

from __future__ import annotations

from chair_app.domain.model import ConferenceBundle, Person, Recommendation
from chair_app.rules.policy import Policy


def agency_of(person: Person | None, policy: Policy) -> str:
    """The agency a person recommends for: their role's agency group (one per person when the policy says so)."""
    if person is None:
        return ""
    if policy.recommendations_one_per == "person":
        return f"person:{person.id}"
    role = policy.role(person.role_code)
    return role.group if role else f"person:{person.id}"


def recommendation_problem(rec: Recommendation, bundle: ConferenceBundle, policy: Policy) -> str:
    """Why this recommendation cannot be added beside those already on ``bundle``; "" when it can."""
    person = bundle.person(rec.person_id)
    if person is None:
        return "who recommends: choose someone invited to this conference"
    role = policy.role(person.role_code)
    if role is not None and role.family:
        return (
            f"who recommends: {person.name} is family; record their views under The family's views, "
            "apart from the professionals' recommendations"
        )
    if role is not None and not role.agency:
        return f"who recommends: {person.name} is the {role.label.lower()}, not an agency; record the views they bring"
    agency = agency_of(person, policy)
    for other in bundle.recommendations:
        if other.id == rec.id or other.child_id != rec.child_id:
            continue
        if agency_of(bundle.person(other.person_id), policy) == agency:
            given_by = bundle.person(other.person_id)
            group = policy.group_label(role.group) if role else person.name
            whose = given_by.name if given_by else "recorded"
            return (
                f"recommendation: {group} already has one for this child ({whose}); "
                "each agency agrees one, and a colleague's different view is recorded as dissent on it"
            )
    return ""


def one_per_agency(people: list[Person], policy: Policy) -> list[Person]:
    """The first of each agency among ``people`` (professionals only): who gives each agency's recommendation."""
    seen: set[str] = set()
    out = []
    for person in people:
        role = policy.role(person.role_code)
        if role is not None and not role.counts_as_agency:
            continue
        agency = agency_of(person, policy)
        if agency not in seen:
            seen.add(agency)
            out.append(person)
    return out
