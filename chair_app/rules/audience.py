"""Who may read what: one conference as a named reader (or the people in a room) may see it.

Every document and the projector are built from what ``for_readers`` returns, never by searching laid-out
text. A written thing is seen by everyone unless an audience mark says otherwise (``domain.AudienceMark``):
professionals only, everyone except a named person, or "said while this person was excluded" (which applies
only while that person's invitation records them as excluded from part of the meeting). A person's
``contact_withheld`` and ``name_withheld`` flags and the family's ``address_withheld`` are the same thing
said of one record, and are applied here too.

The chair's copy (no reader) and a professional's copy are complete, except for anything marked as not for
that professional by name.

``release_breaches`` is the second line: before a family member's copy leaves the app, the data it will be
laid out from is checked against every "not to be shared with" restriction on that reader and every detail
withheld from the family; a copy that would breach one is refused, naming the item.
"""

from __future__ import annotations

import copy as _copy
import dataclasses
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from chair_app.domain import model as m
from chair_app.domain.enums import AttendanceStatus, Audience
from chair_app.rules.policy import Policy

#: Parts of a person that a mark with part "contact" removes.
CONTACT_FIELDS = ("phone", "email", "address")
#: The paragraphs of the conference itself a mark may name as its part.
PARAGRAPHS = {
    "contingency_plan": "Contingency plan",
    "parents_views": "Parents' views",
    "quoracy_rationale": "Why the chair proceeded",
}


@dataclass(frozen=True)
class Removed:
    """One thing left out of a reader's copy: for the chair's shaded "view as" preview."""

    subject_id: uuid.UUID
    part: str
    what: str  # e.g. 'Next step: "Danielle to meet Beth from Freeva weekly..."'
    reason: str


@dataclass
class ReaderCopy:
    bundle: m.ConferenceBundle  # what the readers may see; the stored bundle is never changed
    removed: list[Removed] = field(default_factory=list)
    readers: tuple[m.Person, ...] = ()

    def removed_ids(self) -> set[tuple[uuid.UUID, str]]:
        return {(r.subject_id, r.part) for r in self.removed}


def is_family(person: m.Person | None, policy: Policy) -> bool:
    if person is None:
        return False
    role = policy.role(person.role_code)
    return bool(role and role.family)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f'"{text[:limit]}..."' if len(text) > limit else f'"{text}"'


def describe(bundle: m.ConferenceBundle, subject_id: uuid.UUID, part: str = "") -> str:
    """A record named so the chair can find it: 'Next step "Danielle to meet..."', 'Beth Lowry's contact details'."""
    for item in bundle.mapping_items:
        if item.id == subject_id:
            return f"{item.section.value.replace('_', ' ').capitalize()} {_short(item.text)}"
    for pair in bundle.pairs:
        if pair.id == subject_id:
            return f"Danger statement {_short(pair.danger_statement)}"
    for action in bundle.actions:
        if action.id == subject_id:
            return f"Plan action {_short(action.what)}"
    for voice in bundle.conference_children:
        if voice.id == subject_id:
            return f"{bundle.child(voice.child_id).forename}'s views"
    for person in bundle.people:
        if person.id == subject_id:
            return f"{person.name}'s contact details" if part == "contact" else person.name
    for inv in bundle.invitations:
        if inv.id == subject_id:
            person = bundle.person(inv.person_id)
            name = person.name if person else "an invitee"
            return {
                "core_group": f"{name}'s core group entry",
                "information_shared": f"What {name} told the conference",
                "views": f"{name}'s views",
            }.get(part, f"{name}'s attendance")
    for decision in bundle.decisions:
        if decision.id == subject_id:
            return f"{part.replace('_', ' ').capitalize() or 'Decision'} for {bundle.child(decision.child_id).forename}"
    if subject_id == bundle.conference.id:
        return PARAGRAPHS.get(part, part.replace("_", " ").capitalize())
    if subject_id == bundle.family.id:
        return "The family's address" if part == "address" else "The family's details"
    return "An item no longer in the record"


def lives_with_children(bundle: m.ConferenceBundle, person: m.Person) -> bool:
    """Whether the family network records a child living with ``person`` (whose home the family's address is)."""
    return any(n.person_id == person.id and n.lives_with for n in bundle.network)


def _excluded_from_part(bundle: m.ConferenceBundle, person_id: uuid.UUID) -> bool:
    return any(i.person_id == person_id and i.excluded_from_part for i in bundle.invitations)


def hides(mark: m.AudienceMark, bundle: m.ConferenceBundle, reader: m.Person, policy: Policy) -> bool:
    """Whether ``mark`` keeps its subject from ``reader``."""
    if mark.audience is Audience.PROFESSIONALS:
        return is_family(reader, policy)
    if mark.audience is Audience.EXCEPT:
        return mark.person_id == reader.id
    if mark.audience is Audience.EXCLUDED_PART:
        return mark.person_id == reader.id and _excluded_from_part(bundle, reader.id)
    return False  # pragma: no cover - every Audience is handled above


def _flag_marks(bundle: m.ConferenceBundle, reader: m.Person, policy: Policy) -> list[m.AudienceMark]:
    """The withheld flags on people and the family, as marks: what a family member's copy leaves out."""
    if not is_family(reader, policy):
        return []
    out = []
    for person in bundle.people:
        if person.id == reader.id:
            continue
        if person.contact_withheld:
            out.append(
                m.AudienceMark(
                    conference_id=bundle.conference.id,
                    subject_id=person.id,
                    part="contact",
                    audience=Audience.PROFESSIONALS,
                    reason="contact details withheld from the family",
                )
            )
    if bundle.family.address_withheld and not lives_with_children(bundle, reader):
        out.append(
            m.AudienceMark(
                conference_id=bundle.conference.id,
                subject_id=bundle.family.id,
                part="address",
                audience=Audience.PROFESSIONALS,
                reason="the family's address is withheld",
            )
        )
    return out


def for_readers(bundle: m.ConferenceBundle, readers: Iterable[m.Person | None], policy: Policy) -> ReaderCopy:
    """What every one of ``readers`` may see (the chair, ``None``, sees everything).

    One reader for a copy of a document; the people present for the projector. The result's bundle is a new
    bundle sharing the records nothing was taken from (the stored bundle is never changed): records left out
    are gone from its lists, parts left out are emptied, and a person hidden from a reader is gone from the
    attendance, the core group, the distribution, the scores and every attribution. With nothing to leave
    out, the bundle itself is returned (the projector asks on every keystroke).
    """
    people = tuple(p for p in readers if p is not None)
    removed: dict[tuple[uuid.UUID, str], Removed] = {}
    for reader in people:
        for mark in [*bundle.audience, *_flag_marks(bundle, reader, policy)]:
            key = (mark.subject_id, mark.part)
            if key not in removed and hides(mark, bundle, reader, policy):
                removed[key] = Removed(
                    mark.subject_id, mark.part, describe(bundle, mark.subject_id, mark.part), mark.reason
                )
    reader_ids = {r.id for r in people}
    renamed = (
        {p.id for p in bundle.people if p.name_withheld and p.id not in reader_ids}
        if any(is_family(r, policy) for r in people)
        else set()
    )
    if not removed and not renamed:
        return ReaderCopy(bundle, [], people)
    out = _apply(bundle, set(removed))
    # Withheld names: a person whose name is withheld from the family appears by their relationship.
    out.people = [
        dataclasses.replace(p, name=p.relationship or p.role or "A family member") if p.id in renamed else p
        for p in out.people
    ]
    return ReaderCopy(out, list(removed.values()), people)


def for_reader(bundle: m.ConferenceBundle, reader: m.Person | None, policy: Policy) -> ReaderCopy:
    return for_readers(bundle, [reader], policy)


def _emptied(record, part: str):
    """A copy of ``record`` with ``part`` taken out."""
    if part == "contact":
        return dataclasses.replace(record, **dict.fromkeys(CONTACT_FIELDS, ""))
    if part == "core_group" and isinstance(record, m.Invitation):
        return dataclasses.replace(record, core_group_member=False)
    if part in {f.name for f in dataclasses.fields(record)} and isinstance(getattr(record, part), str):
        return dataclasses.replace(record, **{part: ""})
    return record


def _apply(bundle: m.ConferenceBundle, removed: set[tuple[uuid.UUID, str]]) -> m.ConferenceBundle:
    b = _copy.copy(bundle)  # new lists below; records copied only where something is taken from them
    whole = {sid for sid, part in removed if not part}
    hidden_people = {p.id for p in b.people if p.id in whole}
    hidden_people |= {i.person_id for i in b.invitations if i.id in whole}
    gone_pairs = {p.id for p in b.pairs if p.id in whole}
    b.mapping_items = [
        dataclasses.replace(i, said_by=None) if i.said_by in hidden_people else i
        for i in b.mapping_items
        if i.id not in whole
    ]
    b.pairs = [p for p in b.pairs if p.id not in whole]
    b.scores = [s for s in b.scores if s.pair_id not in gone_pairs and s.person_id not in hidden_people]
    b.actions = [a for a in b.actions if a.id not in whole]
    b.invitations = [i for i in b.invitations if i.id not in whole and i.person_id not in hidden_people]
    b.recommendations = [r for r in b.recommendations if r.person_id not in hidden_people]
    b.network = [n for n in b.network if n.person_id not in hidden_people]
    b.people = [p for p in b.people if p.id not in hidden_people]
    b.conference_children = [
        dataclasses.replace(v, views="", views_how="") if v.id in whole else v for v in b.conference_children
    ]
    parts: dict[uuid.UUID, list[str]] = {}
    for sid, part in removed:
        if part:
            parts.setdefault(sid, []).append(part)

    def emptied(record):
        for part in parts.get(record.id, ()):
            record = _emptied(record, part)
        return record

    b.conference, b.family = emptied(b.conference), emptied(b.family)
    for name, _cls in m.BUNDLE_LISTS:
        setattr(b, name, [emptied(r) for r in getattr(b, name)])
    return b


def shaded(bundle: m.ConferenceBundle, copy: ReaderCopy, mark: str, end: str = "") -> m.ConferenceBundle:
    """The whole conference with every text ``copy`` left out between ``mark`` and ``end``: for the chair's
    "view as" preview, which shows what the reader gets with what they do not get shaded where it stands (the
    layout turns the marks into shading; they never reach the page). A core group entry left out (which is no
    text) is shaded by the caller, which knows where the core group is laid out."""
    removed = copy.removed_ids()
    whole = {sid for sid, part in removed if not part}
    parts: dict[uuid.UUID, set[str]] = {}
    for sid, part in removed:
        if part:
            parts.setdefault(sid, set()).add(part)

    def marked(record):
        names = set(parts.get(record.id, ()))
        if "contact" in names:
            names |= set(CONTACT_FIELDS)
        if record.id in whole and not isinstance(record, m.Invitation):
            names |= {f.name for f in dataclasses.fields(record) if isinstance(getattr(record, f.name), str)}
        changes = {
            n: mark + getattr(record, n) + end
            for n in names
            if hasattr(record, n) and isinstance(getattr(record, n), str) and getattr(record, n)
        }
        return dataclasses.replace(record, **changes) if changes else record

    out = _copy.copy(bundle)
    out.conference, out.family = marked(bundle.conference), marked(bundle.family)
    for name, _cls in m.BUNDLE_LISTS:
        setattr(out, name, [marked(r) for r in getattr(bundle, name)])
    for inv in bundle.invitations:  # an invitation left out whole: its person's name, in every place it shows
        if inv.id in whole:
            out.people = [
                dataclasses.replace(p, name=mark + p.name + end) if p.id == inv.person_id else p for p in out.people
            ]
    return out


# ---------------------------------------------------------------------------------------------------------
# The release check


@dataclass(frozen=True)
class Secret:
    text: str
    what: str  # "Beth Lowry's phone number"
    why: str  # "not to be shared with Ryan Cole: <reason>"
    words: bool = True  # match as whole words, ignoring case (names); False: digits and letters exactly
    forename_of: uuid.UUID | None = None  # a forename alone: not checked when someone else shares it


def _address_secrets(address: str, what: str, why: str) -> list[Secret]:
    """An address, and each of its lines long enough to tell ("9 Station Road"), since a line alone gives it."""
    lines = [line.strip() for line in address.split(",")]
    return [Secret(address, what, why)] + [
        Secret(line, what, why) for line in lines if len(line) >= 8 and line != address
    ]


def _secrets_of_person(person: m.Person, why: str, *, whole: bool) -> list[Secret]:
    out = [
        Secret(person.phone, f"{person.name}'s phone number", why, words=False),
        Secret(person.email, f"{person.name}'s email address", why, words=False),
        *_address_secrets(person.address, f"{person.name}'s address", why),
    ]
    if whole:
        forename = person.name.split()[0] if person.name.split() else ""
        out += [Secret(person.name, person.name, why), Secret(forename, person.name, why, forename_of=person.id)]
        agency = person.agency.split(" (")[0]
        out += [Secret(person.agency, person.agency, why), Secret(agency, person.agency, why)]
    return [s for s in out if len(s.text.strip()) >= 3]


def protected(bundle: m.ConferenceBundle, reader: m.Person, policy: Policy) -> list[Secret]:
    """Every detail that must not be in ``reader``'s copy, whatever the marks say."""
    people = {p.id: p for p in bundle.people}
    out: list[Secret] = []
    for r in bundle.restrictions:
        if r.person_id != reader.id:
            continue
        about = people.get(r.about_id)
        why = f"not to be shared with {reader.name}: {r.reason}"
        if about is not None and about.id != reader.id:
            out += _secrets_of_person(about, why, whole=False)
        for mark in bundle.audience:
            if mark.restriction_id == r.id and not mark.part and mark.subject_id in people:
                out += _secrets_of_person(people[mark.subject_id], why, whole=True)
            elif mark.restriction_id == r.id and mark.part == "contact" and mark.subject_id in people:
                out += _secrets_of_person(people[mark.subject_id], why, whole=False)
    if is_family(reader, policy):
        for person in bundle.people:
            if person.id == reader.id:
                continue
            if person.contact_withheld:
                out += _secrets_of_person(person, "withheld from the family", whole=False)
            if person.name_withheld:
                forename = person.name.split()[0] if person.name.split() else ""
                out += [
                    Secret(person.name, person.name, "name withheld from the family"),
                    Secret(forename, person.name, "name withheld from the family", forename_of=person.id),
                ]
        address = bundle.family.address
        if bundle.family.address_withheld and address and not lives_with_children(bundle, reader):
            out += _address_secrets(address, "the family's address", "withheld from the family")

    # A forename someone else also has (two Sarahs) cannot tell the reader who is meant: not checked.
    def shared(secret: Secret) -> bool:
        return secret.forename_of is not None and any(
            p.id != secret.forename_of and p.name.split()[:1] == [secret.text] for p in bundle.people
        )

    return [s for s in out if s.text.strip() and not shared(s)]


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _found(secret: Secret, text: str) -> bool:
    if not secret.words:
        return _normal(secret.text) in _normal(text)
    return re.search(rf"(?<!\w){re.escape(secret.text.strip())}(?!\w)", text, re.IGNORECASE) is not None


def release_breaches(
    bundle: m.ConferenceBundle,
    reader: m.Person | None,
    policy: Policy,
    copy: ReaderCopy,
    texts: Iterable[tuple[str, str]],
) -> list[str]:
    """Why ``reader``'s copy must not be released: one line per breach, naming the item; [] when it may go.

    ``texts`` is every string the copy will be laid out from, each with where it sits ("Next steps, item 2").
    ``copy`` is what ``for_reader`` returned for them: a mark that carries out a restriction on this reader but
    let its subject through is a breach even if no protected detail is in its text.
    """
    if reader is None:
        return []
    out: list[str] = []
    gone = copy.removed_ids()
    for r in bundle.restrictions:
        if r.person_id != reader.id:
            continue
        for mark in bundle.audience:
            if mark.restriction_id == r.id and (mark.subject_id, mark.part) not in gone:
                out.append(
                    f"{describe(bundle, mark.subject_id, mark.part)}: is not to be shared with {reader.name} "
                    f"({r.reason}) but its audience lets them read it; mark it for everyone except {reader.name}"
                )
    texts = list(texts)
    for secret in protected(bundle, reader, policy):
        for where, text in texts:
            if text and _found(secret, text):
                out.append(
                    f"{where}: contains {secret.what}, {secret.why}; "
                    f"mark that item so {reader.name} does not receive it"
                )
                break
    return list(dict.fromkeys(out))


def present(bundle: m.ConferenceBundle) -> list[m.Person]:
    """Who may be in the room now: those recorded as attended and not yet left; before the roll-call (nobody
    recorded as attended yet), everyone invited who has not sent apologies, to be safe."""
    people = {p.id: p for p in bundle.people}
    if any(i.status is AttendanceStatus.ATTENDED for i in bundle.invitations):
        chosen = [i for i in bundle.invitations if i.status is AttendanceStatus.ATTENDED and i.left_at is None]
    else:
        chosen = [i for i in bundle.invitations if i.status is AttendanceStatus.INVITED]
    return [people[i.person_id] for i in chosen if i.person_id in people]
