"""The mapping handout every attendee, the family included, takes away at the end of the conference.

A4 landscape (A3 on request): the three columns with their parts, the danger statements paired with safety
goals and their scales, the decision in plain words and what happens next. Overflow continues on further
pages; nothing is shrunk below 9 pt. A3 is for the wall: its type is set as large as lets the whole handout
fit on one sheet (between 10.5 and 24 pt; the safety goals are shown once, beside their danger statements, and
the decision closes the third column), and only a mapping too long even at 10.5 pt continues. The large-print
copy is A4 portrait, one column, nothing below 16 pt.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from chair_app.documents.columns import ParallelColumns
from chair_app.documents.page import RULE, PageSpec, Styles, build_pdf, margins, styles
from chair_app.documents.parts import children_line, details_line, item_flowables, p, pairs_table, phone_text
from chair_app.documents.views import ConferenceView, Item, Pair

TITLE = "Mapping"
COLUMNS = ("What are we worried about?", "What's working well?", "What needs to happen?")


def _columns(view: ConferenceView, st: Styles, *, goals_above: bool = False) -> list[list]:
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
    goals = (
        [p("Beside each danger statement in the table above.", st.small)]
        if goals_above and view.pairs
        else item_flowables([_goal(g) for g in view.pairs], st, attribute=False)
    )
    needs = [
        p("Safety goals", st.h3),
        *goals,
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
        how = " or ".join(x for x in (phone_text(c.phone), c.email) if x)
        out.append(p(f"If you have questions, contact {c.name}, {c.role}{', on ' + how if how else ''}.", st.body))
    return out


# A3 is for the wall: the largest type (in quarter points) that puts the whole handout on one sheet, never below
# 10.5 pt; a mapping too long even at that continues on further sheets.
A3_LARGEST, A3_SMALLEST = 24.0, 10.5
A4_SIZE = 9.5


def handout_spec(view: ConferenceView, *, large_print: bool = False, a3: bool = False) -> PageSpec:
    return PageSpec.for_view(
        view,
        TITLE,
        landscape=not large_print,
        a3=a3 and not large_print,
        marking_size=16 if large_print else (12 if a3 else 9),
    )


def handout_pdf(view: ConferenceView, *, large_print: bool = False, a3: bool = False) -> bytes:
    spec = handout_spec(view, large_print=large_print, a3=a3)
    if large_print:
        return build_pdf(spec, _story(view, spec, styles(16), large_print=True))
    if spec.a3:
        size, in_column = a3_layout(view, spec)
        return build_pdf(spec, _story(view, spec, styles(size), decision_in_column=in_column))
    return build_pdf(spec, _story(view, spec, styles(A4_SIZE)))


def _height(story: list, width: float) -> float:
    """The height ``story`` takes in a frame of this width, stacked as the frame stacks it."""
    total = 0.0
    for i, f in enumerate(story):
        tall = _height(f._content, width) if isinstance(f, KeepTogether) else f.wrap(width, 1e9)[1]
        total += tall + (f.getSpaceBefore() if i else 0) + f.getSpaceAfter()
    return total


def _fits(story: list, width: float, height: float) -> bool:
    return _height(story, width) <= height


def a3_layout(view: ConferenceView, spec: PageSpec) -> tuple[float, bool]:
    """The body size for an A3 handout and where the decision goes: the largest size that fits one sheet, with
    the decision and what happens next either across the foot or closing the third column (whichever lets the
    type be larger); a map that fits neither way even at the smallest A3 size continues on further sheets."""
    top, bottom = margins(spec)
    width, height = spec.pagesize[0] - 30 * mm, spec.pagesize[1] - top - bottom - 2 * mm
    sizes = [A3_SMALLEST + 0.25 * i for i in range(int((A3_LARGEST - A3_SMALLEST) * 4) + 1)]

    def fits(i: int, in_column: bool) -> bool:
        return _fits(_story(view, spec, styles(sizes[i]), decision_in_column=in_column), width, height)

    best: tuple[float, bool] = (sizes[0], True)
    for in_column in (False, True):
        if not fits(0, in_column):
            continue
        low, high = 0, len(sizes) - 1  # sizes[low] fits; find the largest that does
        while low < high:
            mid = (low + high + 1) // 2
            if fits(mid, in_column):
                low = mid
            else:
                high = mid - 1
        if sizes[low] > best[0] or (sizes[low] == best[0] and not in_column):
            best = (sizes[low], in_column)
    return best


def _story(
    view: ConferenceView,
    spec: PageSpec,
    st: Styles,
    *,
    large_print: bool = False,
    decision_in_column: bool = False,
) -> list:
    width = spec.pagesize[0] - 30 * mm
    gap = max(4 * mm, st.size * 0.4 * mm)
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
        story += [p("Danger statements and safety goals", st.h2), *pairs_table(view, st, width), Spacer(1, gap)]
        headings = [p(h, st.h2) for h in COLUMNS]
        # On the wall the safety goals are read beside their danger statements (not twice over), and the decision
        # may close the third column so that the sheet is used to its foot.
        columns = _columns(view, st, goals_above=spec.a3)
        if decision_in_column:
            columns[2] += [Spacer(1, gap), *_what_next(view, st)]
        story.append(ParallelColumns(columns, headings, gap=gap * 1.5, rule_color=RULE))
        if decision_in_column:
            return story
    story += [Spacer(1, gap), KeepTogether(_what_next(view, st))]
    return story
