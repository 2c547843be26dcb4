"""The child protection plan: per family or per child, as the policy says."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from chair_app.documents.page import PageSpec, build_pdf, styles
from chair_app.documents.parts import (
    cells,
    details_line,
    email_paragraph,
    fitted_widths,
    p,
    pairs_table,
    phone_text,
    rows_for_long_text,
    table,
)
from chair_app.documents.views import ChildLine, ConferenceView

TITLE = "Child protection plan"


def _plan_section(view: ConferenceView, children: list[ChildLine], st, width: float) -> list:
    names = ", ".join(c.name for c in children)
    out = [
        p(f"{TITLE}: {names}" if view.plan_per_child else f"{TITLE}: {view.family}", st.h1),
        p(details_line(view), st.body),
    ]
    rows = [cells(["Child", "Age", "Decision", "Category"], st.cell_bold)]
    rows += [cells([c.name, c.age, c.outcome, c.category or "-"], st.cell) for c in children]
    out += [table(rows, [width * 0.3, width * 0.2, width * 0.25, width * 0.25]), Spacer(1, 3 * mm)]
    if view.next_review:
        out.append(
            p(f"Next review conference: {view.next_review}. First core group by: {view.first_core_group}.", st.body)
        )
    out += [p("Danger statements and safety goals", st.h2), *pairs_table(view, st, width)]
    out.append(p("What needs to happen", st.h2))
    actions = [a for a in view.actions if not a.child or a.child in {c.name for c in children}]
    if actions:
        rows = [cells(["What needs to happen", "Who", "By when", "How we will know it has happened"], st.cell_bold)]
        for a in actions:
            rows += rows_for_long_text([a.what, a.who, a.by_when, a.how_we_know], st.cell)
        out.append(table(rows, [width * 0.34, width * 0.2, width * 0.15, width * 0.31]))
    else:
        out.append(p("No actions recorded yet.", st.small))
    out += [
        p("If things go wrong: the contingency plan", st.h2),
        p(view.contingency_plan or "Not recorded yet.", st.body),
    ]
    out.append(p("The core group", st.h2))
    if view.core_group:
        out.append(_core_group_table(view, st, width))
    else:
        out.append(p("Core group members not recorded yet.", st.small))
    out += [p("What the family said", st.h2), p(view.parents_views or "Not recorded.", st.body)]
    for c in children:
        if c.views:
            out += [p(f"What {c.name} said", st.h3), p(c.views, st.body)]
            if c.views_how:
                out.append(p(f"How: {c.views_how}", st.small))
    out += [p("Who receives this plan", st.h2), p("; ".join(view.distribution) or "-", st.body)]
    return out


def _core_group_table(view: ConferenceView, st, width: float):
    """Names and agencies wrap at spaces; a phone number and an email address are never broken mid-word:
    their columns take the width the longest needs (an address too long even for that breaks after "@" or ".")."""
    header = ["Name and role", "Agency", "Telephone", "Email"]
    names = [f"{c.name}, {c.role}" if c.role else c.name for c in view.core_group]
    phones = [phone_text(c.phone) for c in view.core_group]
    emails = [c.email for c in view.core_group]
    widths = fitted_widths(
        [[header[0], *names], [header[1]], [header[2], *phones], [header[3], *emails]],
        st.cell,
        width,
        weights=[0.55, 0.45, 0, 0],
        whole={2, 3},
    )
    rows = [cells(header, st.cell_bold)]
    rows += [
        [p(name, st.cell), p(c.agency, st.cell), p(phone, st.cell), email_paragraph(c.email, st.cell, widths[3])]
        for name, phone, c in zip(names, phones, view.core_group, strict=True)
    ]
    return table(rows, widths)


def plan_pdf(view: ConferenceView) -> bytes:
    spec = PageSpec.for_view(view, TITLE)
    st = styles(10)
    width = spec.pagesize[0] - 30 * mm
    on_plan = [c for c in view.children if c.category]
    story: list = []
    if view.plan_per_child and on_plan:
        for i, child in enumerate(on_plan):
            if i:
                story.append(PageBreak())
            story += _plan_section(view, [child], st, width)
    else:
        story = _plan_section(view, on_plan or view.children, st, width)
    return build_pdf(spec, story)
