"""The decision letter to a parent: short, plain English, about their own children, what was decided and why,
what happens next, and how to complain."""

from __future__ import annotations

from reportlab.platypus import Spacer

from chair_app.documents.page import PageSpec, build_pdf, styles
from chair_app.documents.parts import p, phone_text, wholly_removed
from chair_app.documents.views import REMOVED_END, REMOVED_MARK, ConferenceView, plain

TITLE = "Letter about the child protection conference"


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def letter_pdf(view: ConferenceView, addressee: str) -> bytes:
    spec = PageSpec.for_view(view, TITLE)
    st = styles(12)
    letter = view.letter
    who = _names([c.name for c in view.children]) if view.children else "your children"
    story: list = []
    if letter:
        story += [p(line, st.body) for line in (letter.addressee, *letter.address)]
        story += [
            Spacer(1, st.size * 0.5),
            p(f"Date: {letter.dated}", st.body),
            p(f"Our reference: {view.ref}", st.body),
        ]
        story.append(Spacer(1, st.size))
    story.append(p(f"Dear {addressee},", st.body))
    story.append(Spacer(1, st.size * 0.5))
    if letter and letter.took_part:
        opening = f"On {view.date} we held a child protection conference about {who}. Thank you for taking part. "
    elif letter and letter.sent_apologies:
        opening = (
            f"On {view.date} we held a child protection conference about {who}. You sent your apologies, so I am "
            "writing to tell you "
        )
    else:
        opening = f"On {view.date} we held a child protection conference about {who}. "
    if opening.endswith("tell you "):
        story.append(p(opening + "what was decided and what happens next.", st.body))
    else:
        story.append(p(opening + "This letter tells you what was decided and what happens next.", st.body))
    story.append(p("What we decided", st.h2))
    if letter:
        story += [p(sentence, st.body) for sentence in letter.decisions]
    else:
        story += [p(f"{c.name}: {c.plain_decision}", st.body) for c in view.children]
    story += views_and_recommendations(view, st, addressee)
    story.append(p("What happens next", st.h2))
    if letter:
        if letter.core_group:
            story.append(p(letter.core_group, st.body))
        if letter.next_meeting:
            story.append(p(letter.next_meeting, st.body))
    elif view.next_review:
        story.append(p("We will write to you with the date, time and place of the next conference.", st.body))
    story.append(p("You will also get a copy of the plan and of the notes of the conference.", st.body))
    if view.contact:
        c = view.contact
        how = " or ".join(x for x in (phone_text(c.phone), c.email) if x)
        story.append(
            p(
                f"If you have questions, please contact {c.name}, your {c.role.lower()}{', on ' + how if how else ''}.",
                st.body,
            )
        )
    story.append(p("If you are unhappy", st.h2))
    story.append(
        p(
            letter.complaints
            if letter
            else "If you are unhappy with the decision, you can ask the social worker or me how to complain.",
            st.body,
        )
    )
    story += [
        Spacer(1, st.size),
        p("Yours sincerely,", st.body),
        Spacer(1, st.size * 1.5),
        p(view.chair, st.body),
        p("Conference chair (Independent Reviewing Officer)", st.body),
    ]
    return build_pdf(spec, story)


def views_and_recommendations(view: ConferenceView, st, addressee: str) -> list:
    """Issue 20, in plain words: what the reader told the conference (their own views, and their children's),
    what the professionals recommended for their children (kept apart), and, for a conference that was stood
    down, the new date and what happens until then. Another adult's views are theirs to share, not the letter's."""
    out = []
    own = [f for f in view.family_views if plain(f.who) == addressee or plain(f.who).startswith(f"{addressee} (")]
    said = [f"{f.who}: {f.views}" for f in own]
    said += [f"{c.name}: {c.views}" for c in view.children if c.views]
    if said:
        out.append(p("What you and your family told us", st.h2))
        out += [p(text, st.body) for text in said]
    ours = {c.name for c in view.children}  # a letter speaks only of the reader's own children
    recommendations = [r for r in view.recommendations if r.child in ours]
    if recommendations:
        out.append(p("What the professionals said", st.h2))
        out.append(p("Before the decision, each service at the conference gave its view:", st.body))
        # (service, what it said, left out of the reader's copy) -> the children it said it for
        grouped: dict[tuple[str, str, bool], list[str]] = {}
        for r in recommendations:
            gone = wholly_removed(r.who)  # the chair's preview: the recommender is not in the reader's copy
            grouped.setdefault((plain(r.agency) or r.who, r.recommendation.lower(), gone), []).append(r.child)
        for (service, said, gone), children in grouped.items():
            who = children[0] if len(children) == 1 else ", ".join(children[:-1]) + " and " + children[-1]
            line = f"{service}: {said}, for {who}."
            out.append(p(f"{REMOVED_MARK}{plain(line)}{REMOVED_END}" if gone else line, st.body))
    if view.stood_down:
        out.append(p("The conference will be held on another day", st.h2))
        when = f"on {view.reconvene_on}" if view.reconvene_on else "on a new date we will tell you about"
        out.append(p(f"The conference could not go ahead. It will now be held {when}.", st.body))
        if view.interim_arrangement:
            out.append(p(f"Until then: {view.interim_arrangement}", st.body))
    return out
