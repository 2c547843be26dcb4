"""Document building: personalised handouts, the CP plan, and the builder's overhead over bare reportlab."""

from __future__ import annotations

import dataclasses
import io
import statistics
import time
import uuid
from datetime import date

from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import Paragraph, SimpleDocTemplate

from chair_app.documents import views as v
from chair_app.documents.handout import handout_pdf
from chair_app.documents.page import register_fonts, styles
from chair_app.domain import model as m
from chair_app.domain.enums import AttendanceMode, AttendanceStatus, MappingSection
from chair_app.rules.policy import Policy
from chair_app.services.demo import build_demo
from chair_app.services.documents import build_view


def big_conference(policy: Policy) -> m.ConferenceBundle:
    """The demo with 80 mapping items and 12 attendees."""
    bundle = build_demo(policy, date(2026, 11, 23))
    base = list(bundle.mapping_items)
    sections = list(MappingSection)
    bundle.mapping_items = [
        m.MappingItem(
            conference_id=bundle.conference.id,
            section=sections[i % 5],
            position=i,
            text=f"{base[i % len(base)].text} (point {i + 1})",
            said_by=base[i % len(base)].said_by,
        )
        for i in range(80)
    ]
    # Each copy of a marked demo item keeps its mark (who may not read it), as the demo's own items do: the
    # per-attendee copies are then released, as they are for the demo.
    marks = {mark.subject_id: mark for mark in bundle.audience}
    for i, item in enumerate(bundle.mapping_items):
        mark = marks.get(base[i % len(base)].id)
        if mark is not None:
            bundle.audience.append(dataclasses.replace(mark, id=uuid.uuid4(), subject_id=item.id))
    for i, inv in enumerate(bundle.invitations):
        inv.status = AttendanceStatus.ATTENDED if i < 12 else AttendanceStatus.APOLOGIES
        inv.mode = AttendanceMode.IN_PERSON if i < 12 else None
    return bundle


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bare_reportlab(view: v.ConferenceView) -> bytes:
    """The same text as the handout, as plain paragraphs in one frame: the floor."""
    st = styles(9.5)
    texts = [view.family, *(p.danger for p in view.pairs), *(p.goal for p in view.pairs)]
    for items in (view.past_harm, view.complicating, view.strengths, view.existing_safety, view.next_steps):
        texts += [f"{i.text} ({i.said_by})" for i in items]
    texts += [c.plain_decision for c in view.children]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=landscape(A4)).build([Paragraph(t, st.body) for t in texts])
    return buffer.getvalue()


def bare_columns(view: v.ConferenceView) -> bytes:
    """The handout's mapping paragraphs, as the handout sets them, in three plain frames: the same text at the
    same measure, with none of Chair's page furniture, pairs table or column logic."""
    from reportlab.lib.units import mm
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    from chair_app.documents.parts import item_flowables

    st = styles(9.5)
    size = landscape(A4)
    width = (size[0] - 42 * mm) / 3
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=size)
    doc.addPageTemplates(
        [
            PageTemplate(
                frames=[Frame(15 * mm + i * (width + 6 * mm), 17 * mm, width, size[1] - 38 * mm) for i in range(3)]
            )
        ]
    )
    flow = []
    for items in (view.past_harm, view.complicating, view.strengths, view.existing_safety, view.next_steps):
        flow += item_flowables(items, st)
    doc.build(flow)
    return buffer.getvalue()


def measure(db, policy: Policy, runs: int = 5) -> dict[str, float]:
    """Median times through the service (as the CLI and the window produce them) and the builders alone."""
    from chair_app.services import conferences, documents

    register_fonts()
    bundle = conferences.add_conference(db, big_conference(policy))
    ref = bundle.conference.ref
    n = sum(i.status is AttendanceStatus.ATTENDED for i in bundle.invitations)
    documents.handout(db, ref, policy)  # warm fonts and caches
    copy_runs = max(3, runs // 2)
    copies = _median(lambda: documents.handout(db, ref, policy, per_attendee=True), copy_runs)
    plan = _median(lambda: documents.cp_plan(db, ref, policy), runs)
    view = build_view(bundle, policy)
    one = _median(lambda: handout_pdf(view), runs)
    bare = _median(lambda: bare_reportlab(view), runs)
    bare_cols = _median(lambda: bare_columns(view), runs)
    # The baseline for the copies: as many layouts of the same paragraphs in three plain frames by bare reportlab
    # (what one layout per copy would cost with none of Chair's furniture).
    bare_copies = _median(lambda: [bare_columns(view) for _ in range(n)], copy_runs)
    return {
        "copies": copies,
        "n_copies": n,
        "plan": plan,
        "one": one,
        "bare": bare,
        "bare_cols": bare_cols,
        "bare_copies": bare_copies,
    }
