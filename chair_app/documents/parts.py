"""Pieces several documents share: escaped paragraphs, item lists, tables that split across pages."""

from __future__ import annotations

import re
from html import escape

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from chair_app.documents.page import FONT, RULE, SHADE, Styles
from chair_app.documents.views import REMOVED_END, REMOVED_MARK, ConferenceView, Item, plain

# A paragraph longer than this is cut at sentence (or word) ends into several, so a table row always fits a
# page and nothing is ever shrunk or lost.
CHUNK = 600


#: Mark what a reader's copy leaves out, in the chair's "view as" preview (rules.audience.shaded): the text
#: between REMOVED_MARK and REMOVED_END is shaded where it stands (a sentence, an item, a cell), the rest of
#: the paragraph is not, and a table row left out whole is shaded across. The marks never reach the page.
REMOVED_SHADE = "#f2c9c9"
_OPEN = f'<span backColor="{REMOVED_SHADE}">'


def wholly_removed(text: str) -> bool:
    """Whether every letter and digit of ``text`` lies between the marks (a record left out whole)."""
    if REMOVED_MARK not in text and REMOVED_END not in text:
        return False
    inside = REMOVED_END in text and (REMOVED_MARK not in text or text.index(REMOVED_END) < text.index(REMOVED_MARK))
    for ch in text:
        if ch == REMOVED_MARK:
            inside = True
        elif ch == REMOVED_END:
            inside = False
        elif not inside and ch.isalnum():  # spaces and punctuation between marked parts do not count
            return False
    return True


def shade_markup(safe: str) -> str:
    """Escaped text with the marks turned into shaded spans, balanced: a piece cut from the middle of a marked
    text (a long paragraph split into rows) opens or closes its span where it starts or ends."""
    if REMOVED_MARK not in safe and REMOVED_END not in safe:
        return safe
    # Two marked pieces with only spaces or punctuation between ("Beth Lowry (Domestic abuse advocate"): one shade.
    safe = re.sub(f"{REMOVED_END}([^\\w{REMOVED_MARK}{REMOVED_END}]*){REMOVED_MARK}", r"\1", safe)
    inside = REMOVED_END in safe and (REMOVED_MARK not in safe or safe.index(REMOVED_END) < safe.index(REMOVED_MARK))
    out = [_OPEN] if inside else []
    for ch in safe:
        if ch == REMOVED_MARK:
            if not inside:
                out.append(_OPEN)
            inside = True
        elif ch == REMOVED_END:
            if inside:
                out.append("</span>")
            inside = False
        else:
            out.append(ch)
    if inside:
        out.append("</span>")
    html = "".join(out)
    # A line break inside a span: close and reopen it around the break, so each line is shaded on its own.
    return _spans_by_line(html) if "<br/>" in html else html


def _spans_by_line(html: str) -> str:
    lines = html.split("<br/>")
    out, inside = [], False
    for line in lines:
        piece = (_OPEN if inside else "") + line
        inside = piece.rfind(_OPEN) > piece.rfind("</span>")
        out.append(piece + ("</span>" if inside else ""))
    return "<br/>".join(out)


def _paragraph(safe: str, text: str, style, bullet: str | None = None) -> Paragraph:
    para = Paragraph(shade_markup(safe), style, bulletText=bullet)
    para.removed_whole = wholly_removed(text)  # read by table(): a row left out whole is shaded across
    return para


def p(text: str, style, bullet: str | None = None) -> Paragraph:
    """A paragraph of user text: escaped (never read as markup), line breaks kept; what the reader's copy
    leaves out shaded in the chair's preview."""
    safe = escape(text).replace("\n", "<br/>")
    return _paragraph(safe, text, style, bullet)


def markup(html: str, style) -> Paragraph:
    return Paragraph(html, style)


def chunks(text: str, limit: int = CHUNK) -> list[str]:
    if len(text) <= limit:
        return [text]
    sentences = re.split(r"(?<=[.!?])\s+", text)
    out: list[str] = []
    current = ""
    for whole in sentences:
        rest = whole
        while len(rest) > limit:  # a single very long sentence: cut at a space
            cut = rest.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            if current:
                out.append(current)
                current = ""
            out.append(rest[:cut])
            rest = rest[cut:].lstrip()
        if current and len(current) + 1 + len(rest) > limit:
            out.append(current)
            current = rest
        else:
            current = f"{current} {rest}".strip()
    if current:
        out.append(current)
    return out


def item_flowables(items: list[Item], st: Styles, *, attribute: bool = True) -> list:
    """Each item as a bulleted paragraph with who said it in small type after it (paragraphs split across
    pages between lines, so nothing is ever shrunk or cut)."""
    out = []
    for item in items:
        said_by = item.said_by
        said = f' <font size="{st.small.fontSize}" color="#3d4650">({escape(said_by)})</font>'
        text = escape(item.text).replace("\n", "<br/>")
        text += said if attribute and plain(said_by) else ""
        out.append(_paragraph(text, item.text, st.item, "•"))
    if not items:
        out.append(p("Nothing recorded.", st.small))
    return out


def table(rows: list[list], widths: list[float], *, header: bool = True) -> Table:
    """A ruled table that splits between rows across pages, repeating its header row."""
    t = Table(rows, colWidths=widths, repeatRows=1 if header else 0, splitByRow=True, hAlign="LEFT")
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # for empty cells too: else the table names Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    style += [("BACKGROUND", (0, i), (-1, i), REMOVED_SHADE) for i in removed_rows(rows)]
    t.setStyle(TableStyle(style))
    return t


def removed_rows(rows: list[list]) -> list[int]:
    """The rows of a table that stand for a record the reader's copy leaves out whole (the chair's preview
    shades them across): rows whose first cell with text is shaded whole. A record is told by its first
    column (an action's "what", a person's name); its other cells may be worked out (a date, a child's name)."""

    def flat(cell) -> list:
        return [x for c in cell for x in flat(c)] if isinstance(cell, list | tuple) else [cell]

    out = []
    for i, row in enumerate(rows):
        first = next((x for x in flat(row) if isinstance(x, Paragraph) and x.getPlainText().strip()), None)
        if first is not None and getattr(first, "removed_whole", False):
            out.append(i)
    return out


def cells(values: list[str], style) -> list:
    return [p(v, style) for v in values]


NBSP = "\u00a0"
CELL_PADDING = 8  # table() pads each cell 4 points either side


def phone_text(phone: str) -> str:
    """A telephone number that never breaks between its digit groups ("0116 305 4100" stays on one line).
    Applied at layout only: redaction matches the stored text, so the view keeps ordinary spaces."""
    return re.sub(r"(?<=[\d)]) (?=[\d(])", NBSP, phone.strip())


def unbroken_width(text: str, style) -> float:
    """The width of the longest piece of ``text`` that must not be broken (words; NBSP joins)."""
    words = re.split(r"[ \t\n]+", plain(text))
    return max((stringWidth(w, style.fontName, style.fontSize) for w in words if w), default=0)


def email_paragraph(email: str, style, width: float) -> Paragraph:
    """An email address on one line, or, when it is wider than ``width``, broken only after "@" or a "."."""
    inner = width - CELL_PADDING
    marked, email = email, plain(email)
    if stringWidth(email, style.fontName, style.fontSize) <= inner:
        return p(marked, style)
    lines: list[str] = []
    line = ""
    for piece in re.findall(r"[^@.]+[@.]?|[@.]", email):
        if line and stringWidth(line + piece, style.fontName, style.fontSize) > inner:
            lines.append(line)
            line = ""
        line += piece
    lines.append(line)
    safe = "<br/>".join(escape(x) for x in lines)
    return _paragraph(REMOVED_MARK + safe + REMOVED_END if marked != email else safe, marked, style)


def fitted_widths(
    columns: list[list[str]], style, total: float, weights: list[float], whole: set[int], cap: float = 0.4
) -> list[float]:
    """Column widths for a table: each column in ``whole`` is as wide as its widest unbreakable text (a phone
    number, an email address) up to ``cap`` of the total; the other columns share what is left by ``weights``."""
    widths = [0.0] * len(columns)
    for i in whole:
        need = max((unbroken_width(t, style) for t in columns[i]), default=0) + CELL_PADDING + 1
        widths[i] = min(need, cap * total)
    rest = total - sum(widths)
    share = sum(w for i, w in enumerate(weights) if i not in whole)
    for i, w in enumerate(weights):
        if i not in whole:
            widths[i] = rest * w / share
    return widths


def rows_for_long_text(values: list[str], style) -> list[list]:
    """One or more table rows for one record, so that a long cell continues in the next row, never lost."""
    split = [chunks(v) for v in values]
    depth = max(len(s) for s in split)
    return [[p(s[i], style) if i < len(s) else "" for s in split] for i in range(depth)]


def scale_text(scale: int | None) -> str:
    return f"{scale} out of 10" if scale is not None else "Not scaled"


def pairs_table(view: ConferenceView, st: Styles, width: float) -> list:
    if not view.pairs:
        return [p("No danger statements recorded.", st.small)]
    w = [width * 0.42, width * 0.42, width * 0.16]
    rows: list[list] = [
        cells(
            [
                "What we are worried will happen (danger statement)",
                "What needs to happen so the children are safe (safety goal)",
                "Safety scale",
            ],
            st.cell_bold,
        )
    ]
    for pair in view.pairs:
        block = rows_for_long_text([pair.danger, pair.goal], st.cell)
        block[0].append(p(scale_text(pair.scale), st.cell_bold))
        if pair.history:  # issue 13: the scale at the earlier conferences, under today's
            block[0][-1] = [block[0][-1], p(pair.history, st.cell)]
        for extra in block[1:]:
            extra.append("")
        rows.extend(block)
    out = [table(rows, w)]
    if view.scale_zero or view.scale_ten:
        out.append(Spacer(1, 2 * mm))
        out.append(p(f"On the scale, 10 means: {view.scale_ten}. 0 means: {view.scale_zero}.", st.small))
    if view.overall_scale is not None:
        out.append(p(f"Overall safety scale: {view.overall_scale} out of 10.", st.body))
    return out


def details_line(view: ConferenceView) -> str:
    when = f"{view.date}{' at ' + view.time if view.time else ''}"
    return f"{view.kind} · {when} · {view.venue} · Chair: {view.chair}"


def children_line(view: ConferenceView) -> str:
    return "; ".join(f"{c.name} ({c.age})" for c in view.children)
