"""Presentation mode: the map on the projector or a second screen, large and high-contrast, updating live.

It shows what the room may see. Nothing here reads contact details at all; a person whose name is withheld
is shown by their role; private scores appear only once revealed (before that, only how many are in).
Body text is 22 pt (readable at 3 m), dark on white.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from chair_app.domain import model as m
from chair_app.domain.dates import uk_date
from chair_app.domain.enums import MappingColumn
from chair_app.gui.workspace.pages import COLUMN_ORDER, SECTION_ORDER, items_of, pairs_of, person_name

if TYPE_CHECKING:
    from chair_app.gui.workspace.session import EditSession

BODY_PT = 22
HEAD_PT = 26


def presentation_html(bundle: m.ConferenceBundle) -> str:
    """The map as the room sees it."""
    e = html.escape
    c = bundle.conference

    def items(section) -> str:
        rows = [i for i in items_of(bundle, section) if i.text.strip()]
        if not rows:
            return "<p class='none'>Nothing yet</p>"
        out = []
        for i in rows:
            who = person_name(bundle, i.said_by, public=True)
            out.append(f"<li>{e(i.text)}" + (f" <span class='who'>({e(who)})</span>" if who else "") + "</li>")
        return "<ul>" + "".join(out) + "</ul>"

    def scores(pair_id) -> str:
        own = [s for s in bundle.scores if s.pair_id == pair_id]
        if not own:
            return ""
        hidden = sum(not s.revealed for s in own)
        shown = [s for s in own if s.revealed]
        parts = [f"{e(person_name(bundle, s.person_id, public=True) or s.label)}: {s.score}" for s in shown]
        if hidden:
            parts.append(f"{hidden} score(s) given, not yet revealed")
        return "<p class='scores'>" + "; ".join(parts) + "</p>"

    cells = []
    for column in COLUMN_ORDER:
        body = [f"<h2>{e(column.label)}</h2>"]
        for section in (s for s in SECTION_ORDER if s.column is column):
            body.append(f"<h3>{e(section.label)}</h3>" + items(section))
        if column is MappingColumn.WORRIED:
            body.append("<h3>Danger statements</h3>")
            for p in pairs_of(bundle):
                if p.danger_statement.strip():
                    body.append(f"<p>{e(p.danger_statement)}</p>")
        if column is MappingColumn.NEEDS_TO_HAPPEN:
            body.append("<h3>Safety goals</h3>")
            for p in pairs_of(bundle):
                if p.safety_goal.strip() or p.scale is not None:
                    scale = f" <b>Scale: {p.scale} / 10</b>" if p.scale is not None else ""
                    body.append(f"<p>{e(p.safety_goal)}{scale}</p>" + scores(p.id))
        cells.append("<td width='33%' valign='top'>" + "".join(body) + "</td>")
    overall = c.overall_scale
    footer = f"<p class='overall'><b>Overall safety scale: {overall} / 10</b></p>" if overall is not None else ""
    footer += scores(None)
    title = f"{e(bundle.family.name)} · {e(c.kind.label)} · {uk_date(c.held_on)}"
    style = (
        f"body {{ font-size: {BODY_PT}pt; color: #111111; background: #ffffff; }}"
        f"h1 {{ font-size: {HEAD_PT + 4}pt; }} h2 {{ font-size: {HEAD_PT}pt; color: #0b2f5c; }}"
        f"h3 {{ font-size: {BODY_PT + 1}pt; margin-top: 14px; }} .who {{ color: #333333; }}"
        ".none { color: #444444; font-style: italic; } td { padding: 10px 18px; }"
    )
    return (
        f"<html><head><style>{style}</style></head><body><h1>{title}</h1>"
        f"<table width='100%' cellspacing='0'><tr>{''.join(cells)}</tr></table>{footer}</body></html>"
    )


class PresentationWindow(QWidget):
    """A second top-level window: full screen on a second screen when there is one. Esc or F5 closes it."""

    def __init__(self, session: EditSession) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setWindowTitle("Chair: presentation")
        self.setObjectName("presentation")
        self.setAccessibleName("Presentation of the map")
        self.view = QTextBrowser()
        self.view.setObjectName("presentationView")
        self.view.setAccessibleName("The map, as the room sees it")
        self.view.setStyleSheet(
            f"QTextBrowser {{ background: #ffffff; color: #111111; border: none; "
            f"font-size: {BODY_PT}pt; padding: 12px; }}"
        )
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.view)
        self.session = session
        session.sig_changed.connect(self._changed)
        self._pending = False
        for key in ("Esc", "F5"):
            QShortcut(QKeySequence(key), self, activated=self.close)
        self.render()

    def attach(self, session: EditSession) -> None:
        self.session.sig_changed.disconnect(self._changed)
        self.session = session
        session.sig_changed.connect(self._changed)
        self.render()

    def _changed(self, cls) -> None:
        if cls in (None, m.MappingItem, m.DangerGoalPair, m.ScaleScore, m.Conference, m.Person, m.Family):
            self.render()

    def render(self) -> None:
        bar = self.view.verticalScrollBar()
        at = bar.value()
        self.view.setHtml(presentation_html(self.session.bundle))
        bar.setValue(at)

    def show_on_best_screen(self) -> None:
        screens = QGuiApplication.screens()
        here = self.screen() if self.parent() is None else None
        target = next((s for s in screens if s is not QGuiApplication.primaryScreen()), None) or here or screens[0]
        self.setGeometry(target.geometry())
        self.showFullScreen()
        QTimer.singleShot(0, self.raise_)

    def closeEvent(self, event) -> None:
        try:
            self.session.sig_changed.disconnect(self._changed)
        except (RuntimeError, TypeError):
            pass
        super().closeEvent(event)
