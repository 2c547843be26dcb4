"""The conference record the clerk finalises and distributes."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from chair_app.documents.page import PageSpec, build_pdf, styles
from chair_app.documents.parts import (
    cells,
    children_line,
    details_line,
    item_flowables,
    p,
    pairs_table,
    rows_for_long_text,
    table,
)
from chair_app.documents.views import ConferenceView

TITLE = "Child protection conference record"


def record_pdf(view: ConferenceView) -> bytes:
    spec = PageSpec.for_view(view, TITLE)
    st = styles(10)
    width = spec.pagesize[0] - 30 * mm
    story = [
        p(f"{TITLE}: {view.family}", st.h1),
        p(details_line(view), st.body),
        p(f"Minutes taken by: {view.minute_taker or '-'}", st.body),
        p(f"Children: {children_line(view)}", st.body),
        p("Who took part", st.h2),
    ]
    rows = [cells(["Name", "Role and agency", "Attendance", "Report"], st.cell_bold)]
    rows += [
        cells([a.name, ", ".join(x for x in (a.role, a.agency) if x), a.attendance, a.report], st.cell)
        for a in view.attendance
    ]
    story += [
        table(rows, [width * 0.22, width * 0.38, width * 0.2, width * 0.2]),
        p("Quoracy", st.h2),
        p(view.quoracy, st.body),
    ]
    if view.stood_down:  # issue 20: the new date and what keeps the children safe until then
        story += [
            p("The conference was stood down", st.h2),
            p(f"Reason: {view.stood_down}.", st.body),
            p(f"New date: {view.reconvene_on or 'not set'}.", st.body),
            p(f"Until then: {view.interim_arrangement or 'not recorded'}", st.body),
        ]
    shared = [a for a in view.attendance if a.information]
    story.append(p("Information shared by each agency", st.h2))
    if shared:
        rows = [cells(["Who", "Information shared"], st.cell_bold)]
        for a in shared:
            rows += rows_for_long_text([f"{a.name}, {a.role}", a.information], st.cell)
        story.append(table(rows, [width * 0.28, width * 0.72]))
    else:
        story.append(p("Not recorded.", st.small))
    story += [
        p("The mapping", st.h2),
        p("What are we worried about? Past harm", st.h3),
        *item_flowables(view.past_harm, st),
        p("What are we worried about? Complicating factors", st.h3),
        *item_flowables(view.complicating, st),
        p("What's working well? Strengths", st.h3),
        *item_flowables(view.strengths, st),
        p("What's working well? Existing safety", st.h3),
        *item_flowables(view.existing_safety, st),
        p("What needs to happen? Next steps", st.h3),
        *item_flowables(view.next_steps, st),
        p("Danger statements, safety goals and scales", st.h2),
        *pairs_table(view, st, width),
        p("The children's views", st.h2),
    ]
    for c in view.children:
        story.append(p(c.name, st.h3))
        story.append(p(c.views or "No views recorded.", st.body))
        if c.views_how:
            story.append(p(f"How they were given: {c.views_how}", st.small))
        if c.participation:
            story.append(p(f"Participation: {c.participation}", st.small))
    # The family's views apart from the professionals' recommendations (issue 20): each parent or carer in
    # their own words; the children's views are above.
    story.append(p("The family's views", st.h2))
    if view.family_views:
        story += [p(f"{f.who}: {f.views}", st.body) for f in view.family_views]
    else:
        story.append(p(view.parents_views or "Not recorded.", st.body))
    story.append(p("The professionals' recommendations", st.h2))
    if view.recommendations:
        rows = [cells(["Agency", "Who", "Child", "Recommendation", "Dissent within the agency"], st.cell_bold)]
        rows += [
            cells([r.agency, r.who, r.child, r.recommendation, r.dissent or "-"], st.cell) for r in view.recommendations
        ]
        story.append(table(rows, [width * 0.16, width * 0.24, width * 0.14, width * 0.24, width * 0.22]))
    else:
        story.append(p("None recorded.", st.small))
    story.append(p("Decisions", st.h2))
    for c in view.children:
        category = c.category + (f" (primary), {c.secondary_category} (secondary)" if c.secondary_category else "")
        story.append(p(f"{c.name}: {c.outcome}{', ' + category if category else ''}", st.h3))
        for label, text in (
            ("Reasons", c.reasons),
            ("Why these categories", c.category_reason),
            ("Repeat plan", c.repeat),
            ("Dissent", c.dissent),
        ):
            if text:
                story.append(p(f"{label}: {text}", st.body))
    story.append(p("The outline plan", st.h2))
    if view.actions:
        rows = [cells(["What needs to happen", "Who", "By when", "How we will know"], st.cell_bold)]
        for a in view.actions:
            rows += rows_for_long_text([a.what, a.who, a.by_when, a.how_we_know], st.cell)
        story.append(table(rows, [width * 0.34, width * 0.2, width * 0.15, width * 0.31]))
    if view.first_core_group or view.next_review:
        story.append(Spacer(1, 2 * mm))
        story.append(
            p(f"First core group by {view.first_core_group or '-'}; next review {view.next_review or '-'}.", st.body)
        )
    story += [
        p("Contingency plan", st.h3),
        p(view.contingency_plan or "Not recorded.", st.body),
        p("Distribution", st.h2),
        p("; ".join(view.distribution) or "-", st.body),
    ]
    if view.amendments:  # after sign-off: what was corrected, when and why
        story.append(p("Amendments since sign-off", st.h2))
        story += [p(line, st.body) for line in view.amendments]
    return build_pdf(spec, story)
