"""The chair's "view as" preview shades exactly what the reader's copy leaves out (issue 12, point 4): an
item, a table row, a cell or a sentence on its own, the rest of its paragraph unshaded; the letter too. The
marks that carry the shading never reach a real copy.

Shading is checked on the built flowables (each paragraph's shaded fragments, each table's row backgrounds)
and, for the letter, on the PDF's drawing operations; the text is read back from the PDFs.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from reportlab.lib import colors
from reportlab.platypus import Paragraph, Table

from chair_app.documents import plan
from chair_app.documents.page import styles
from chair_app.documents.parts import REMOVED_SHADE, p, shade_markup, table
from chair_app.documents.views import REMOVED_END, REMOVED_MARK
from chair_app.domain.enums import DocumentKind
from chair_app.rules import audience
from chair_app.services import conferences, documents
from chair_app.services.demo import build_demo
from tests.integration.test_safe_copies import BETH_EMAIL, BETH_PHONE, text_of

TODAY = date(2026, 11, 23)
SHADE_FILL = ".94902 .788235 .788235 rg"  # REMOVED_SHADE as the PDF's fill colour


def shaded_words(para: Paragraph) -> str:
    """The text of a paragraph's shaded fragments, in order."""
    text = "".join(f.text for f in para.frags if getattr(f, "backColor", None) is not None)
    return text.replace("\u00a0", " ").strip()


def unshaded_words(para: Paragraph) -> str:
    return "".join(f.text for f in para.frags if getattr(f, "backColor", None) is None).strip()


def row_backgrounds(t: Table) -> list[int]:
    """The rows of ``t`` given the preview's shade across."""
    shade = colors.toColor(REMOVED_SHADE)
    return [cmd[1][1] for cmd in t._bkgrndcmds if cmd[0] == "BACKGROUND" and colors.toColor(cmd[3]) == shade]


def test_a_sentence_left_out_is_shaded_on_its_own_and_the_rest_of_its_paragraph_is_not():
    st = styles(10)
    para = p(f"Kayden is doing well. {REMOVED_MARK}He goes to Grandma Sue's.{REMOVED_END} He likes school.", st.body)
    assert shaded_words(para) == "He goes to Grandma Sue's."
    assert "Kayden is doing well." in unshaded_words(para) and "He likes school." in unshaded_words(para)
    assert REMOVED_MARK not in para.getPlainText() and REMOVED_END not in para.getPlainText()


def test_a_piece_cut_from_the_middle_of_a_shaded_text_opens_and_closes_its_own_shade():
    assert shade_markup(f"tail of it.{REMOVED_END} next").count("<span") == 1
    assert shade_markup(f"kept {REMOVED_MARK}start of it").endswith("</span>")
    assert shade_markup(f"{REMOVED_MARK}one<br/>two{REMOVED_END}").count("<span") == 2  # each line shaded


def test_a_table_row_left_out_whole_is_shaded_across_and_a_row_with_one_cell_left_out_is_not():
    st = styles(10)
    rows = [
        [p("Header", st.cell), p("Header", st.cell)],
        [p(f"{REMOVED_MARK}Weekly sessions{REMOVED_END}", st.cell), p("21/01/2027", st.cell)],
        [p("Beth Lowry", st.cell), p(f"{REMOVED_MARK}0116 305 4111{REMOVED_END}", st.cell)],
        [p("Kept", st.cell), p("Kept too", st.cell)],
    ]
    t = table(rows, [100, 100])
    assert row_backgrounds(t) == [1]
    assert shaded_words(rows[2][1]) == "0116 305 4111" and not shaded_words(rows[2][0])


@pytest.fixture
def demo(sqlite_db, policy):
    return conferences.add_conference(sqlite_db, build_demo(policy, TODAY))


def _preview(db, bundle, policy, name: str, kind: DocumentKind):
    bundle = documents.load(db, bundle.conference.ref)
    reader = documents.find_reader(bundle, name)
    copy = audience.for_reader(bundle, reader, policy)
    return documents.preview_view(bundle, copy, policy, reader, kind, TODAY)


def test_ryans_plan_preview_shades_the_left_out_action_row_and_beths_contact_cells_and_nothing_of_kept_rows(
    sqlite_db, demo, policy
):
    view = _preview(sqlite_db, demo, policy, "Ryan Cole", DocumentKind.CP_PLAN)
    st = styles(10)
    story = plan._plan_section(view, view.children, st, 480)
    tables = [f for f in story if isinstance(f, Table)]
    actions = next(t for t in tables if "What needs to happen" in t._cellvalues[0][0].getPlainText())
    shaded_rows = row_backgrounds(actions)
    texts = [row[0].getPlainText() for row in actions._cellvalues]
    assert [texts[i] for i in shaded_rows] == ["Weekly sessions on the effects of domestic abuse on children"]
    core = plan._core_group_table(view, st, 480)
    cells = {row[0].getPlainText(): row for row in core._cellvalues[1:]}
    danielle = cells["Danielle Hayes, Mother"]
    assert shaded_words(danielle[2]) == "0116 305 4100" and not shaded_words(danielle[0])  # her number only
    beth_row = next(i for i, row in enumerate(core._cellvalues) if row[0].getPlainText().startswith("Beth Lowry"))
    assert row_backgrounds(core) == [beth_row]  # Beth is not in Ryan's copy at all
    paragraphs = [f for f in story if isinstance(f, Paragraph)]
    contingency = next(f for f in paragraphs if "Grandma Sue's and ring 999" in f.getPlainText())
    assert shaded_words(contingency) == contingency.getPlainText().strip()
    sent_to = next(f for f in paragraphs if f.getPlainText().startswith("Danielle Hayes (Mother);"))
    assert shaded_words(sent_to) == "Beth Lowry (Domestic abuse advocate"  # one entry of the list, not the list
    assert "Amira Begum (Social worker)" in unshaded_words(sent_to)


def test_ryans_letter_preview_shades_what_his_letter_leaves_out_and_his_own_letter_has_neither_it_nor_shade(
    sqlite_db, demo, policy
):
    ref = demo.conference.ref
    preview = documents.view_as(sqlite_db, ref, policy, DocumentKind.DECISION_LETTER, "Ryan Cole").produced.pdf
    own = documents.decision_letter(sqlite_db, ref, policy, recipient="Ryan Cole", record=None).pdf
    assert "Beth Lowry, Domestic abuse advocate: child protection plan" in text_of(preview)
    assert "Beth Lowry" not in text_of(own)
    assert SHADE_FILL in _drawing(preview) and SHADE_FILL not in _drawing(own)
    view = _preview(sqlite_db, demo, policy, "Ryan Cole", DocumentKind.DECISION_LETTER)
    from chair_app.documents.letter import views_and_recommendations

    said = [f for f in views_and_recommendations(view, styles(12), "Ryan Cole") if isinstance(f, Paragraph)]
    shaded = [f.getPlainText() for f in said if shaded_words(f)]
    assert shaded == ["Beth Lowry, Domestic abuse advocate: child protection plan, emotional abuse, for Baby Hayes."]


def _drawing(pdf: bytes) -> str:
    return " ".join(page.get_contents().get_data().decode("latin-1") for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("kind", ["handout", "plan", "record", "letter"])
def test_no_real_copy_carries_the_previews_marks_or_shade(sqlite_db, demo, policy, kind):
    producer = {
        "handout": documents.handout,
        "plan": documents.cp_plan,
        "record": documents.conference_record,
        "letter": documents.decision_letter,
    }[kind]
    for who in (None, "Ryan Cole", "Danielle Hayes"):
        if kind == "letter" and who is None:
            continue
        pdf = producer(sqlite_db, demo.conference.ref, policy, recipient=who, record=None).pdf
        text = text_of(pdf)
        assert REMOVED_MARK not in text and REMOVED_END not in text
        assert SHADE_FILL not in _drawing(pdf)
    assert BETH_PHONE not in text and BETH_EMAIL not in text  # Danielle's copy: Beth's details for professionals
