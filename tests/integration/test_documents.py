"""The documents, read back with pypdf as text: content, marking, numbering, redaction, sizes, fonts."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from chair_app.documents.handout import COLUMNS, handout_pdf
from chair_app.documents.page import PageSpec, margins
from chair_app.domain import model as m
from chair_app.domain.enums import DocumentKind, MappingSection, RecordStatus
from chair_app.domain.errors import InvalidInput
from chair_app.services import conferences, documents
from chair_app.services.demo import build_demo
from chair_app.store import models as rows

TODAY = date(2026, 11, 23)
MARK_PHONE = "0116 305 4102"  # Mark Hayes, contact withheld from the family


def pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def column_streams(pdf: bytes, columns: int, *, large_print: bool = False) -> list[str]:
    """The text of each column as one stream across pages, leaving out the page furniture.

    Column text is told apart by where it is drawn (x), furniture by being in the header or footer band (y).
    """
    streams = [""] * columns
    for page in PdfReader(io.BytesIO(pdf)).pages:
        width = float(page.mediabox.width)
        height = float(page.mediabox.height)
        content_left, content_width = 15 * 72 / 25.4, width - 30 * 72 / 25.4
        spec = PageSpec(
            title="Mapping: Hayes family",
            dated="Conference 23/11/2026 · DRAFT",
            draft=True,
            landscape=width > height,
            a3=width > 1000,
            marking_size=16 if large_print else (12 if width > 1000 else 9),
        )
        top, bottom = margins(spec)

        def visit(text, cm, tm, font, size, height=height, cl=content_left, cw=content_width, top=top, bottom=bottom):
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            furniture = y > height - top or y < bottom or text.strip() in COLUMNS  # page bands, repeated headings
            if not text or furniture or abs(tm[1]) > 0.01 or abs(cm[1]) > 0.01:  # or the rotated watermark
                return
            col = min(columns - 1, max(0, int((x - cl) / (cw / columns))))
            streams[col] += text if text.endswith((" ", "\n")) else text + " "

        page.extract_text(visitor_text=visit)
    return [flat(s) for s in streams]


def font_sizes(pdf: bytes) -> set[float]:
    sizes: set[float] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(
            visitor_text=lambda text, _cm, tm, _font, size: sizes.add(round(size * tm[0], 1)) if text.strip() else None
        )
    return sizes


@pytest.fixture
def demo(sqlite_db, policy):
    bundle = build_demo(policy, TODAY)
    bundle.people.append(
        m.Person(
            name="Tomasz Nowak",
            role="Grandmother's partner",
            role_code="relative",
            relationship="Grandma Sue's partner",
            name_withheld=True,
        )
    )
    bundle.invitations.append(
        m.Invitation(conference_id=bundle.conference.id, person_id=bundle.people[-1].id, position=99)
    )
    bundle.mapping_items.append(
        m.MappingItem(
            conference_id=bundle.conference.id,
            section=MappingSection.STRENGTH,
            text="Tomasz Nowak drives the children to school on Fridays.",
            position=50,
        )
    )
    return conferences.add_conference(sqlite_db, bundle)


def test_handout_has_every_part(sqlite_db, demo, policy):
    text = flat(" ".join(pages(documents.handout(sqlite_db, demo.conference.ref, policy).pdf)))
    for expected in (
        "Mapping: Hayes family",
        "What are we worried about?",
        "What's working well?",
        "What needs to happen?",
        "Past harm",
        "Complicating factors",
        "Strengths",
        "Existing safety",
        "Safety goals",
        "Next steps",
        "Danger statements and safety goals",
        "4 out of 10",
        "Kayden Hayes (9 years)",
        "unborn, due",
        "Chair: Helen Marsh",
        "What was decided",
        "needs a child protection plan because of the risk of emotional harm",
        "What happens next",
        "first core group meeting will be held by 07/12/2026",
        "next review conference will be on 23/02/2027",
        "contact Amira Begum",
    ):
        assert expected in text, expected
    for item in demo.mapping_items:
        assert flat(item.text) in text


def test_every_page_is_marked_numbered_and_watermarked_until_finalised(sqlite_db, demo, policy):
    made = documents.conference_record(sqlite_db, demo.conference.ref, policy)
    texts = pages(made.pdf)
    assert len(texts) >= 3
    for n, text in enumerate(texts, 1):
        assert text.count("OFFICIAL-SENSITIVE") >= 2  # top and bottom
        assert f"Page {n} of {len(texts)}" in text
        assert "Child protection conference record: Hayes family" in text
        assert "Conference 23/11/2026 · DRAFT" in text
    with sqlite_db.unit_of_work() as s:
        s.get_one(rows.ConferenceRow, demo.conference.id).record_status = RecordStatus.FINALISED
    final = pages(documents.conference_record(sqlite_db, demo.conference.ref, policy).pdf)
    assert not any("DRAFT" in t for t in final)


def test_page_headers_show_the_date_and_issue_never_the_version_counter(sqlite_db, demo, policy):
    from datetime import UTC, datetime

    ref = demo.conference.ref
    # Many edits of the conference itself: its counter is far from 1, and no page may print it.
    from chair_app.services import workspace

    for n in range(12):
        venue = f"Room {n + 1}, Harbour House"
        workspace.set_fields(
            sqlite_db,
            demo.conference.id,
            m.Conference,
            demo.conference.id,
            {"venue": venue},
            who=("Paul Greaves", "Helen Marsh")[n % 2],
            policy=policy,
            seen=None,
        )
    version = conferences.load(sqlite_db, ref).conference.version
    assert version > 10
    makers = [
        lambda: documents.handout(sqlite_db, ref, policy, record=False),
        lambda: documents.handout(sqlite_db, ref, policy, a3=True, record=False),
        lambda: documents.cp_plan(sqlite_db, ref, policy, record=False),
        lambda: documents.conference_record(sqlite_db, ref, policy, record=False),
        lambda: documents.decision_letter(sqlite_db, ref, policy, record=False),
    ]
    for make in makers:
        for text in pages(make().pdf):
            assert "Conference 23/11/2026 · DRAFT" in text
            assert "Version" not in text and not re.search(rf"\b{version}\b", text)
    with sqlite_db.unit_of_work() as s:
        row = s.get_one(rows.ConferenceRow, demo.conference.id)
        row.record_status = RecordStatus.FINALISED
        row.finalised_at = datetime(2026, 11, 25, 14, 30, tzinfo=UTC)
    for make in makers:
        for text in pages(make().pdf):
            assert "Conference 23/11/2026 · Issue 1, finalised 25/11/2026" in text
            assert "DRAFT" not in text and "Version" not in text
    with sqlite_db.unit_of_work() as s:
        s.add(
            rows.AmendmentRow(
                conference_id=demo.conference.id, made_by="Helen Marsh", reason="Date typo", text="Corrected."
            )
        )
    assert "Issue 2, finalised 25/11/2026" in pages(makers[2]().pdf)[0]


def test_record_plan_and_letter_sections(sqlite_db, demo, policy):
    record = flat(" ".join(pages(documents.conference_record(sqlite_db, demo.conference.ref, policy).pdf)))
    for expected in (
        "Who took part",
        "Present (video)",
        "Apologies",
        "Did not attend",
        "Report provided",
        "Quorate:",
        "Information shared by each agency",
        "The mapping",
        "The children's views",
        "I like it when it's quiet at home",
        "The family's views",
        "Danielle Hayes (Mother): I want the children to feel safe",
        "Ryan Cole (Mother's partner): I know I need to sort out my cannabis use",
        "The professionals' recommendations",
        "Dissent within the agency",
        "Decisions",
        "Emotional abuse (primary), Neglect (secondary)",
        "Why these categories: Kayden's lateness and missed appointments are neglect",
        "Repeat plan: 1 previous plan",
        "Chair's analysis",
        "The outline plan",
        "Distribution",
        "Minutes taken by: Paul Greaves",
    ):
        assert expected in record, expected
    plan = flat(" ".join(pages(documents.cp_plan(sqlite_db, demo.conference.ref, policy).pdf)))
    for expected in (
        "Child protection plan: Hayes family",
        "What needs to happen",
        "How we will know",
        "contingency plan",
        "The core group",
        "amira.begum@example.org.uk",
        "What the family said",
        "What Kayden Hayes said",
        "Who receives this plan",
        "Next review conference: 23/02/2027",
    ):
        assert expected in plan, expected
    letters = documents.decision_letter(sqlite_db, demo.conference.ref, policy)
    assert letters.copies == ("Danielle Hayes", "Ryan Cole", "Mark Hayes")
    text = flat(" ".join(pages(letters.pdf)))
    assert "Dear Danielle Hayes," in text and "Dear Mark Hayes," in text
    assert "The conference decided that Kayden needs a child protection plan because the children" in text
    assert "Yours sincerely" in text
    # Issue 20: the family's views and the professionals' recommendations, apart and in plain words.
    assert "What you and your family told us Danielle Hayes (Mother): I want the children to feel safe" in text
    assert "What the professionals said Before the decision, each service at the conference gave its view" in text
    assert "Children's social care: child protection plan, emotional abuse, for Baby Hayes, Kayden Hayes and" in text


def test_plan_per_child_when_the_policy_says(sqlite_db, demo, policy):
    import dataclasses

    per_child = dataclasses.replace(policy, plan_per="child")
    texts = pages(documents.cp_plan(sqlite_db, demo.conference.ref, per_child).pdf)
    joined = flat(" ".join(texts))
    for name in ("Kayden Hayes", "Lily-Mae Hayes", "Baby Hayes"):
        assert f"Child protection plan: {name}" in joined


def test_personalised_copies_are_redacted_for_the_family_only(sqlite_db, demo, policy):
    made = documents.handout(sqlite_db, demo.conference.ref, policy, per_attendee=True)
    attended = [i for i in demo.invitations if i.status.value == "attended"]
    assert len(made.copies) == len(attended)
    reader = PdfReader(io.BytesIO(made.pdf))
    copies: dict[str, str] = {}
    for page in reader.pages:
        text = page.extract_text()
        who = re.search(r"Copy for ([^(\n]+?) \(", text).group(1)
        copies[who] = copies.get(who, "") + text
        assert re.search(r"Page \d of \d", text)
    assert set(copies) == set(made.copies)
    mother, social_worker = flat(copies["Danielle Hayes"]), flat(copies["Amira Begum"])
    # A new partner's name, withheld: replaced by who they are, from the text layer too.
    assert "Tomasz Nowak" not in mother and "Grandma Sue's partner drives the children" in mother
    assert "Tomasz Nowak drives the children" in social_worker
    chair = flat(" ".join(pages(documents.handout(sqlite_db, demo.conference.ref, policy).pdf)))
    assert "Tomasz Nowak" in chair


def test_withheld_contact_and_address_are_absent_from_family_documents(sqlite_db, demo, policy):
    letters = documents.decision_letter(sqlite_db, demo.conference.ref, policy)
    record_for = {}
    bundle = conferences.load(sqlite_db, demo.conference.ref)
    danielle = next(p for p in bundle.people if p.name == "Danielle Hayes")
    amira = next(p for p in bundle.people if p.name == "Amira Begum")
    from chair_app.documents.record import record_pdf

    for person in (danielle, amira, None):
        view = documents.build_view(bundle, policy, person)
        record_for[person.name if person else "chair"] = flat(" ".join(pages(record_pdf(view))))
    view = documents.build_view(bundle, policy, danielle)
    assert all(MARK_PHONE not in c.phone for c in view.core_group)
    # The family's address is withheld from the family: not in the letter to Mark, who does not live there.
    for_mark = documents.decision_letter(sqlite_db, demo.conference.ref, policy, recipient="Mark Hayes")
    assert "Orchard Close" not in flat(" ".join(pages(for_mark.pdf)))
    assert "Orchard Close" in flat(" ".join(pages(letters.pdf)))  # Danielle's letter goes to her home
    # The record lists no phone numbers, but the view for a family member has every withheld detail replaced.
    assert MARK_PHONE not in repr(view)
    # The family's address is withheld from family members who do not live there (the family network says who).
    mark = next(p for p in bundle.people if p.name == "Mark Hayes")
    assert "Orchard Close" not in repr(documents.build_view(bundle, policy, mark))
    assert "Orchard Close" in repr(documents.build_view(bundle, policy, amira))
    assert "Tomasz Nowak" not in record_for["Danielle Hayes"] and "Tomasz Nowak" in record_for["chair"]


def test_a_300_item_mapping_with_long_paragraphs_loses_nothing(policy):
    bundle = build_demo(policy, TODAY)
    sections = list(MappingSection)
    words = (
        "safety network school attendance appointment police health visitor grandmother evening weekend "
        "arguments calm breakfast nursery"
    ).split()
    bundle.mapping_items = []
    for i in range(300):
        length = 20 + (i * 37) % 260  # up to ~280 words: longer than half a column
        body = " ".join(words[(i + j) % len(words)] for j in range(length))
        bundle.mapping_items.append(
            m.MappingItem(
                conference_id=bundle.conference.id, section=sections[i % 5], text=f"item-{i:03d} {body}.", position=i
            )
        )
    view = documents.build_view(bundle, policy)
    for pdf, columns in (
        (handout_pdf(view), 3),
        (handout_pdf(view, a3=True), 3),
        (handout_pdf(view, large_print=True), 1),
    ):
        streams = column_streams(pdf, columns, large_print=columns == 1)
        assert len(pages(pdf)) > 5
        for item in bundle.mapping_items:
            assert any(flat(item.text) in stream for stream in streams), item.text[:12]


def test_nothing_is_smaller_than_9pt_or_16pt_in_large_print(sqlite_db, demo, policy):
    normal = font_sizes(documents.handout(sqlite_db, demo.conference.ref, policy).pdf)
    large = font_sizes(documents.handout(sqlite_db, demo.conference.ref, policy, large_print=True).pdf)
    assert min(normal) >= 9
    watermark = max(large)
    assert min(s for s in large if s != watermark) >= 16


def test_fonts_are_embedded_and_names_with_diacritics_survive(sqlite_db, policy):
    bundle = build_demo(policy, TODAY)
    bundle.family.name = "Dvořáková family"
    names = ["Łucja Wiśniewska", "Ștefan Țurcanu", "Žaneta Dvořáková", "Jonas Žukauskas"]
    for person, name in zip(bundle.people, names, strict=False):
        person.name = name
    view = documents.build_view(bundle, policy)
    from chair_app.documents.record import record_pdf

    pdf = record_pdf(view)
    text = " ".join(pages(pdf))
    for name in names:
        assert name in text
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            assert "Helvetica" not in str(font["/BaseFont"])
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            assert "/FontFile2" in descendant["/FontDescriptor"].get_object()


def test_unprintable_characters_are_reported_not_silently_boxed(sqlite_db, policy):
    bundle = build_demo(policy, TODAY)
    bundle.people[0].name = "مريم Hayes"  # Arabic: reportlab here can neither join nor order it
    bundle.people[1].name = "আমিনা Begum"  # Bengali: no glyphs in the bundled font
    conferences.add_conference(sqlite_db, bundle)
    made = documents.conference_record(sqlite_db, bundle.conference.ref, policy)
    assert "م" in made.unprintable and "আ" in made.unprintable
    assert "H" not in made.unprintable and "ł" not in made.unprintable


def test_each_document_produced_is_recorded(sqlite_db, demo, policy):
    documents.handout(sqlite_db, demo.conference.ref, policy, per_attendee=True)
    documents.cp_plan(sqlite_db, demo.conference.ref, policy)
    stored = conferences.load(sqlite_db, demo.conference.ref).documents
    kinds = [d.kind for d in stored]
    assert kinds.count(DocumentKind.HANDOUT) == sum(i.status.value == "attended" for i in demo.invitations)
    assert kinds.count(DocumentKind.CP_PLAN) == 1
    assert {d.recipient for d in stored} >= {"Danielle Hayes", "Chair's copy"}
    assert all(d.document_version == demo.conference.version for d in stored)


def test_refusals(sqlite_db, policy):
    bundle = build_demo(policy, TODAY)
    for inv in bundle.invitations:
        inv.status = inv.status.__class__.INVITED
    bundle.decisions = []
    conferences.add_conference(sqlite_db, bundle)
    with pytest.raises(InvalidInput, match="take the roll-call first"):
        documents.handout(sqlite_db, bundle.conference.ref, policy, per_attendee=True)
    with pytest.raises(InvalidInput, match="no child has a child protection plan"):
        documents.cp_plan(sqlite_db, bundle.conference.ref, policy)


def body_size(pdf: bytes) -> float:
    """The size most of the text is set in (counted by characters, the watermark left out)."""
    counts: dict[float, int] = {}

    def visit(text, _cm, tm, _font, size):
        if text.strip() and abs(tm[1]) < 0.01:
            key = round(size * tm[0], 2)
            counts[key] = counts.get(key, 0) + len(text.strip())

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return max(counts, key=counts.get)


def test_the_a3_handout_fits_the_demo_map_on_one_sheet_in_type_larger_than_a4(sqlite_db, demo, policy):
    a4 = documents.handout(sqlite_db, demo.conference.ref, policy, record=False).pdf
    a3 = documents.handout(sqlite_db, demo.conference.ref, policy, a3=True, record=False).pdf
    assert len(pages(a3)) == 1
    assert len(pages(a4)) == 2 and body_size(a4) == 9.5  # A4 as it was
    assert body_size(a3) > body_size(a4) + 1
    text = flat(pages(a3)[0])
    for item in demo.mapping_items:
        assert flat(item.text) in text
    for pair in demo.pairs:  # the safety goals are there once, beside their danger statements
        assert flat(pair.safety_goal) in text
    for expected in ("What was decided", "What happens next", "contact Amira Begum", "4 out of 10"):
        assert expected in text


def test_a_shorter_map_on_a3_is_set_in_larger_type(policy):
    bundle = build_demo(policy, TODAY)
    first_of_each = {}
    for item in bundle.mapping_items:
        first_of_each.setdefault(item.section, item)
    bundle.mapping_items = list(first_of_each.values())  # one item in each part of the map
    bundle.pairs = bundle.pairs[:1]
    pdf = handout_pdf(documents.build_view(bundle, policy), a3=True)
    assert len(pages(pdf)) == 1
    full = handout_pdf(documents.build_view(build_demo(policy, TODAY), policy), a3=True)
    assert body_size(pdf) >= 12.5 and body_size(pdf) > body_size(full) + 1  # the shorter the map, the larger


def test_a_map_too_long_for_one_a3_sheet_continues_at_the_smallest_a3_size(policy):
    from chair_app.documents.handout import A3_SMALLEST

    bundle = build_demo(policy, TODAY)
    sections = list(MappingSection)
    bundle.mapping_items = [
        m.MappingItem(
            conference_id=bundle.conference.id,
            section=sections[i % 5],
            text=f"item-{i:03d} Grandma Sue collects the children from school on Tuesdays and Thursdays.",
            position=i,
        )
        for i in range(80)
    ]
    pdf = handout_pdf(documents.build_view(bundle, policy), a3=True)
    assert len(pages(pdf)) >= 2
    assert body_size(pdf) == A3_SMALLEST
    text = flat(" ".join(pages(pdf)))
    assert all(f"item-{i:03d}" in text for i in range(80))


def lowest_body_lines(pdf: bytes) -> list[str]:
    """For each page, the lowest line of body text (page furniture and the watermark left out)."""
    out = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        height = float(page.mediabox.height)
        top, bottom = margins(PageSpec(title="x", dated="x", draft=True))
        lines: dict[float, str] = {}

        def visit(text, cm, tm, _font, _size, lines=lines, height=height, top=top, bottom=bottom):
            y = tm[5] * cm[3] + cm[5]
            if text.strip() and abs(tm[1]) < 0.01 and bottom < y < height - top:
                lines[round(y)] = lines.get(round(y), "") + text

        page.extract_text(visitor_text=visit)
        out.append(flat(lines[min(lines)]).strip() if lines else "")
    return out


PLAN_HEADINGS = (
    "Danger statements and safety goals",
    "What needs to happen",
    "If things go wrong: the contingency plan",
    "The core group",
    "What the family said",
    "What Kayden Hayes said",
    "What Lily-Mae Hayes said",
    "Who receives this plan",
)


def test_no_heading_of_the_plan_is_left_alone_at_a_page_foot(policy):
    from chair_app.documents.plan import plan_pdf

    checked = 0
    for extra in range(0, 16):
        bundle = build_demo(policy, TODAY)
        for i in range(extra):
            bundle.actions.append(
                m.PlanAction(
                    conference_id=bundle.conference.id,
                    what=f"Extra action {i}: attend every core group and the parenting course sessions",
                    who="Danielle Hayes",
                    by_when=TODAY,
                    how_we_know="Confirmed at the core group",
                    position=10 + i,
                )
            )
        pdf = plan_pdf(documents.build_view(bundle, policy))
        feet = lowest_body_lines(pdf)[:-1]
        checked += len(feet)
        for foot in feet:
            assert not any(foot.startswith(h) for h in PLAN_HEADINGS), (extra, foot)
    assert checked >= 16


def test_plan_phone_numbers_and_email_addresses_are_never_broken_mid_word(policy):
    from chair_app.documents.plan import plan_pdf

    bundle = build_demo(policy, TODAY)
    long_email = "safeguarding.children.and.families.duty.team@leicestershire-partnership.nhs.uk"
    amira = next(p for p in bundle.people if p.name == "Amira Begum")
    amira.email = long_email
    text = "\n".join(pages(plan_pdf(documents.build_view(bundle, policy)))).replace("\u00a0", " ")
    lines = [line.strip() for line in text.splitlines()]
    core = [p for p in bundle.people if p.name != "Mark Hayes" and p.role_code != "nursery"]
    invited = {i.person_id for i in bundle.invitations if i.core_group_member}
    for person in (p for p in core if p.id in invited):
        assert any(person.phone in line for line in lines), person.phone
        if person.email and person is not amira:
            assert any(person.email in line for line in lines), person.email
    # Too long for any column: broken only after "@" or ".", and nothing lost.
    start = next(i for i, line in enumerate(lines) if line.startswith("safeguarding."))
    pieces = []
    for line in lines[start:]:
        piece = line.split()[-1] if pieces else line.split()[-1]
        pieces.append(piece)
        if "".join(pieces) == long_email:
            break
        assert piece.endswith(("@", ".")), pieces
    assert "".join(pieces) == long_email
