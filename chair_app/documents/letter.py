"""The decision letter to parents: short, plain English, what was decided and what happens next."""

from __future__ import annotations

from reportlab.platypus import Spacer

from chair_app.documents.page import PageSpec, build_pdf, styles
from chair_app.documents.parts import p, phone_text
from chair_app.documents.views import ConferenceView

TITLE = "Letter about the child protection conference"


def letter_pdf(view: ConferenceView, addressee: str) -> bytes:
    spec = PageSpec.for_view(view, TITLE)
    st = styles(12)
    names = [c.name for c in view.children]
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    story = [
        p(f"Dear {addressee},", st.body),
        Spacer(1, st.size * 0.5),
        p(
            f"On {view.date} we held a child protection conference about {who}. Thank you for taking part. "
            "This letter tells you what was decided and what happens next.",
            st.body,
        ),
        p("What we decided", st.h2),
    ]
    story += [p(f"{c.name}: {c.plain_decision}", st.body) for c in view.children]
    story.append(p("What happens next", st.h2))
    if view.first_core_group:
        story.append(
            p(
                f"A smaller meeting called the core group will meet by {view.first_core_group}. You will be "
                "invited. The core group makes the plan work and checks how things are going.",
                st.body,
            )
        )
    if view.next_review:
        story.append(p(f"The next conference, called a review, will be on {view.next_review}.", st.body))
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
    story.append(
        p("If you are unhappy with the decision, you can ask the social worker or me how to complain.", st.body)
    )
    story += [
        Spacer(1, st.size),
        p("Yours sincerely,", st.body),
        Spacer(1, st.size * 1.5),
        p(view.chair, st.body),
        p("Conference chair (Independent Reviewing Officer)", st.body),
    ]
    return build_pdf(spec, story)
