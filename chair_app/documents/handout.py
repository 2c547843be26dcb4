"""The mapping handout every attendee, the family included, takes away at the end of the conference.

A4 landscape (A3 on request): the three columns with their parts, the danger statements paired with safety
goals and their scales, the decision in plain words and what happens next. Overflow continues on further
pages; nothing is shrunk below 9 pt. The large-print copy is A4 portrait, one column, nothing below 16 pt.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from chair_app.documents.columns import ParallelColumns
from chair_app.documents.page import RULE, PageSpec, Styles, build_pdf, styles
from chair_app.documents.parts import children_line, details_line, item_flowables, p, pairs_table
from chair_app.documents.views import ConferenceView, Item, Pair

TITLE = "Mapping"
COLUMNS = ("What are we worried about?", "What's working well?", "What needs to happen?")


def _columns(view: ConferenceView, st: Styles) -> list[list]:
    worried = [
        p("Past harm", st.h3),
        *item_flowables(view.past_harm, st),
        p("Complicating factors", st.h3),
        *item_flowables(view.complicating, st),
    ]
    working = [
        p("Strengths", st.h3),
        *item_flowables(view.strengths, st),
        p("Existing safety", st.h3),
        *item_flowables(view.existing_safety, st),
    ]
    needs = [
        p("Safety goals", st.h3),
        *item_flowables([_goal(g) for g in view.pairs], st, attribute=False),
        p("Next steps", st.h3),
        *item_flowables(view.next_steps, st),
    ]
    return [worried, working, needs]


def _goal(pair: Pair) -> Item:
    return Item(pair.goal or "Safety goal not yet agreed.")


def _what_next(view: ConferenceView, st: Styles) -> list:
    out = [p("What was decided", st.h2)]
    out += [p(f"{c.name}: {c.plain_decision}", st.body) for c in view.children]
    out.append(p("What happens next", st.h2))
    if view.first_core_group:
        out.append(p(f"The first core group meeting will be held by {view.first_core_group}.", st.body))
    if view.next_review:
        out.append(p(f"The next review conference will be on {view.next_review}.", st.body))
    if view.contact:
        c = view.contact
        how = " or ".join(x for x in (c.phone, c.email) if x)
        out.append(p(f"If you have questions, contact {c.name}, {c.role}{', on ' + how if how else ''}.", st.body))
    return [KeepTogether(out)]


def handout_spec(view: ConferenceView, *, large_print: bool = False, a3: bool = False) -> PageSpec:
    return PageSpec.for_view(
        view,
        TITLE,
        landscape=not large_print,
        a3=a3 and not large_print,
        marking_size=16 if large_print else 9,
    )


def handout_pdf(view: ConferenceView, *, large_print: bool = False, a3: bool = False) -> bytes:
    spec = handout_spec(view, large_print=large_print, a3=a3)
    st = styles(16 if large_print else (11 if a3 else 9.5))
    width = spec.pagesize[0] - 30 * mm
    story = [
        p(f"{TITLE}: {view.family}", st.h1),
        p(details_line(view), st.body),
        p(f"Children: {children_line(view)}", st.body),
        Spacer(1, st.size * 0.5),
    ]
    if large_print:
        for heading, column in zip(COLUMNS, _columns(view, st), strict=True):
            story += [p(heading, st.h2), *column]
        story += [p("Danger statements and safety goals", st.h2), *pairs_table(view, st, width)]
    else:
        story += [p("Danger statements and safety goals", st.h2), *pairs_table(view, st, width), Spacer(1, 4 * mm)]
        headings = [p(h, st.h2) for h in COLUMNS]
        story.append(ParallelColumns(_columns(view, st), headings, gap=6 * mm, rule_color=RULE))
    story += [Spacer(1, 4 * mm), *_what_next(view, st)]
    return build_pdf(spec, story)
