"""What every document page carries, and the fonts that carry it.

OFFICIAL-SENSITIVE at the top and the bottom, the document title, the document's date (the conference's, or
the day a report was produced), DRAFT or, once the record is finalised, its issue, "Page x of y", the
recipient of a personalised copy, and a DRAFT watermark until the record is finalised. (The record's internal
version counter changes with every edit and means nothing to a reader: it is never printed.) Text is set
in DejaVu Sans (bundled in resources/fonts, embedded and subset), which covers the Latin, Greek and Cyrillic
letters of the names families have, Polish, Romanian, Lithuanian and Czech among them.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, KeepTogether, PageTemplate, Paragraph, Table

from chair_app.paths import RESOURCES

FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
MARKING = "OFFICIAL-SENSITIVE"
INK = colors.HexColor("#1b1f24")
MUTED = colors.HexColor("#3d4650")
RULE = colors.HexColor("#9aa3ad")
SHADE = colors.HexColor("#eef1f5")


@cache
def register_fonts() -> None:
    folder = RESOURCES / "fonts"
    for name, file in (
        (FONT, "DejaVuSans.ttf"),
        (BOLD, "DejaVuSans-Bold.ttf"),
        (ITALIC, "DejaVuSans-Oblique.ttf"),
        ("DejaVuSans-BoldOblique", "DejaVuSans-BoldOblique.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic="DejaVuSans-BoldOblique")
    # The canvas' own starting font: otherwise every PDF names Helvetica, unembedded, even if never drawn.
    rl_config.canvas_basefontname = FONT


def missing_characters(texts: list[str]) -> list[str]:
    """Characters that would not print properly, for the caller to warn about: those the bundled font has no
    glyph for (they would print as boxes), and right-to-left letters (Arabic, Hebrew, Urdu...), which this
    reportlab set-up can neither shape nor order (no bidi support)."""
    register_fonts()
    cmap = pdfmetrics.getFont(FONT).face.charToGlyph
    seen: dict[str, None] = {}
    for text in texts:
        for ch in text:
            if ch in seen or ord(ch) < 32:
                continue
            if ord(ch) not in cmap or unicodedata.bidirectional(ch) in ("R", "AL"):
                seen[ch] = None
    return list(seen)


def heading(style: ParagraphStyle) -> ParagraphStyle:
    """A heading never ends a page (or a column) alone: it is kept with what follows it."""
    style.keepWithNext = 1
    return style


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    item: ParagraphStyle  # a bulleted item: the bullet at body size, the text hanging after it
    size: float


def styles(body_size: float = 10) -> Styles:
    """Paragraph styles scaled from the body size; nothing is ever smaller than 9 pt."""
    register_fonts()
    small = body_size if body_size >= 16 else max(9.0, body_size - 1)  # large print: nothing below 16 pt
    lead = 1.3

    def st(
        name: str, size: float, font: str = FONT, space_after: float = 0, space_before: float = 0, color=INK
    ) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            fontName=font,
            fontSize=size,
            leading=size * lead,
            spaceAfter=space_after,
            spaceBefore=space_before,
            textColor=color,
            alignment=TA_LEFT,
        )

    return Styles(
        body=st("body", body_size, space_after=body_size * 0.4),
        small=st("small", small, color=MUTED),
        h1=heading(st("h1", body_size * 1.6, BOLD, space_after=body_size * 0.5)),
        h2=heading(st("h2", body_size * 1.25, BOLD, space_after=body_size * 0.3, space_before=body_size * 0.8)),
        h3=heading(st("h3", body_size * 1.05, BOLD, space_after=body_size * 0.2, space_before=body_size * 0.4)),
        cell=st("cell", body_size),
        cell_bold=st("cell_bold", body_size, BOLD),
        item=ParagraphStyle(
            "item",
            parent=st("item_base", body_size, space_after=body_size * 0.4),
            bulletFontName=FONT,
            bulletFontSize=body_size,
            leftIndent=body_size * 1.1,
            bulletIndent=0,
            allowWidows=0,  # no item's last line alone at the top of the next page or column
        ),
        size=body_size,
    )


@dataclass(frozen=True)
class PageSpec:
    title: str
    dated: str  # the header's right-hand side: "Conference 23/11/2026 · DRAFT", "Produced 29/11/2026"
    draft: bool
    recipient: str = ""
    landscape: bool = False
    a3: bool = False
    marking_size: float = 9

    @classmethod
    def for_view(cls, view, title: str, **options) -> PageSpec:
        """The page of a conference document: "Title: family", the conference date, DRAFT or the issue once
        finalised, and the recipient."""
        return cls(
            title=f"{title}: {view.family}",
            dated=f"Conference {view.date} · {'DRAFT' if view.draft else view.issue}",
            draft=view.draft,
            recipient=view.recipient,
            **options,
        )

    @property
    def pagesize(self) -> tuple[float, float]:
        size = A3 if self.a3 else A4
        return landscape(size) if self.landscape else size


class HeadingWithStart(KeepTogether):
    """A heading (or headings) and what follows: never a heading alone at a page foot.

    reportlab groups a keepWithNext heading with the next flowable in a KeepTogether, which moves the whole group
    to a new page when it does not fit, leaving a half-empty page before a long table. Here the group stays
    where it is when the heading and the *start* of what follows fit (a table's heading row and first row, or a
    paragraph's first two lines); otherwise it goes to the next page together.
    """

    def _start_height(self, avail_width: float) -> float:
        *heads, last = self._content
        need = 0.0
        for i, f in enumerate(heads):
            need += f.wrapOn(self.canv, avail_width, 1e9)[1] + (f.getSpaceBefore() if i else 0) + f.getSpaceAfter()
        need += last.getSpaceBefore()
        _, whole = last.wrapOn(self.canv, avail_width, 1e9)  # wrapOn: a nested KeepTogether needs the canvas
        if isinstance(last, Table):
            heights = getattr(last, "_rowHeights", None) or [whole]
            return need + sum(heights[: last.repeatRows + 1])
        if isinstance(last, Paragraph):
            return need + min(whole, 2 * last.style.leading)
        return need + whole

    def split(self, avail_width: float, avail_height: float) -> list:
        if getattr(self, "_wrapInfo", None) != (avail_width, avail_height):
            self.wrap(avail_width, avail_height)
        content = self._content[:]
        if self._H <= avail_height or self._start_height(avail_width) <= avail_height:
            return content
        frame = getattr(self, "_frame", None)
        if frame is not None and getattr(frame, "_atTop", False):
            return content  # already at the top of a page: nothing to gain by moving
        return [self.FrameBreak(), *content]


def _numbered_canvas(spec: PageSpec) -> type[Canvas]:
    """A canvas that holds its pages until the end so each can say "Page x of y"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                width, _ = self._pagesize
                self.setFont(FONT, spec.marking_size)
                self.setFillColor(INK)
                self.drawRightString(width - 15 * mm, 6 * mm, f"Page {self._pageNumber} of {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


def _header_stacks(spec: PageSpec) -> bool:
    """Whether the title and the date line need a line each (large print, long family names)."""
    register_fonts()
    needed = pdfmetrics.stringWidth(spec.title + "    " + spec.dated, FONT, spec.marking_size)
    return needed > spec.pagesize[0] - 30 * mm


def margins(spec: PageSpec) -> tuple[float, float]:
    """Top and bottom margins that clear the header and footer at the marking's size."""
    m = spec.marking_size
    top = 6 * mm + m * (2.4 + (1.3 if _header_stacks(spec) else 0) + 0.6) + 4 * mm
    bottom = 6 * mm + m * 1.6 + 4 * mm
    return top, bottom


def _decorate(spec: PageSpec) -> Callable[[Canvas, BaseDocTemplate], None]:
    def on_page(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        width, height = spec.pagesize
        canvas.saveState()
        if spec.draft:
            canvas.setFillColor(colors.Color(0.85, 0.85, 0.85))
            canvas.setFont(BOLD, 110 if spec.landscape else 96)
            canvas.translate(width / 2, height / 2)
            canvas.rotate(35)
            canvas.drawCentredString(0, -35, "DRAFT")
            canvas.rotate(-35)
            canvas.translate(-width / 2, -height / 2)
        m = spec.marking_size
        canvas.setFillColor(INK)
        canvas.setFont(BOLD, m + 1)
        canvas.drawCentredString(width / 2, height - 6 * mm - m, MARKING)
        canvas.drawCentredString(width / 2, 6 * mm, MARKING)
        canvas.setFont(FONT, m)
        right = spec.dated
        line = height - 6 * mm - m * 2.4
        canvas.drawString(15 * mm, line, spec.title)
        if _header_stacks(spec):
            line -= m * 1.3
            canvas.drawString(15 * mm, line, right)
        else:
            canvas.drawRightString(width - 15 * mm, line, right)
        canvas.setStrokeColor(RULE)
        canvas.line(15 * mm, line - m * 0.6, width - 15 * mm, line - m * 0.6)
        canvas.line(15 * mm, 6 * mm + m * 1.6, width - 15 * mm, 6 * mm + m * 1.6)
        if spec.recipient:
            canvas.drawString(15 * mm, 6 * mm, spec.recipient)
        canvas.restoreState()

    return on_page


def recipient_overlay(spec: PageSpec, label: str) -> bytes:
    """A one-page PDF holding only the recipient's footer line, to stamp onto a shared layout."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=spec.pagesize, invariant=True)
    canvas.setFont(FONT, spec.marking_size)
    canvas.setFillColor(INK)
    canvas.drawString(15 * mm, 6 * mm, label)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def add_personalised_copy(writer, spec: PageSpec, layout: bytes, label: str) -> None:
    """Append the pages of ``layout`` to a pypdf ``writer``, each stamped with the recipient's footer."""
    from pypdf import PdfReader

    stamp = PdfReader(io.BytesIO(recipient_overlay(spec, label))).pages[0]
    for page in PdfReader(io.BytesIO(layout)).pages:
        writer.add_page(page).merge_page(stamp)


def build_pdf(spec: PageSpec, story: list) -> bytes:
    """Lay out ``story`` on pages carrying the marking, title, date and issue, numbering and watermark."""
    register_fonts()
    buffer = io.BytesIO()
    width, height = spec.pagesize
    top, bottom = margins(spec)
    doc = BaseDocTemplate(
        buffer,
        pagesize=spec.pagesize,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=top,
        bottomMargin=bottom,
        title=spec.title,
        author="Chair",
        subject=MARKING,
        creator="Chair",
        invariant=True,
        keepTogetherClass=HeadingWithStart,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_decorate(spec))])
    doc.build(story, canvasmaker=_numbered_canvas(spec))
    return buffer.getvalue()
