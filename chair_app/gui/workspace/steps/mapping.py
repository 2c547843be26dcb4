"""Step 3, Mapping: the three columns and their parts, danger statement / safety goal pairs with their
scales, private scaling and the overall scale."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chair_app.domain import model as m
from chair_app.domain.dates import uk_date
from chair_app.domain.enums import MappingColumn, MappingSection
from chair_app.gui.workspace.audience_marks import MARK_KEY, marker
from chair_app.gui.workspace.audience_marks import menu as audience_menu
from chair_app.gui.workspace.common import Notice, button, select_id, selected_id, shrinkable, table
from chair_app.gui.workspace.fields import ChoiceBinder, ScaleBinder, TextBinder
from chair_app.gui.workspace.models import Column, RecordTableModel
from chair_app.gui.workspace.steps.base import Page, form, invitations_in_order, person_name
from chair_app.rules.decisions import escalation
from chair_app.rules.scores import apart_prompt

if TYPE_CHECKING:
    from chair_app.gui.workspace.workspace import ConferenceWorkspace

SECTION_ORDER = (
    MappingSection.PAST_HARM,
    MappingSection.COMPLICATING_FACTOR,
    MappingSection.STRENGTH,
    MappingSection.EXISTING_SAFETY,
    MappingSection.NEXT_STEP,
)
COLUMN_ORDER = (MappingColumn.WORRIED, MappingColumn.WORKING_WELL, MappingColumn.NEEDS_TO_HAPPEN)
ADD_KEYS = {
    MappingSection.PAST_HARM: "Ctrl+1",
    MappingSection.COMPLICATING_FACTOR: "Ctrl+2",
    MappingSection.STRENGTH: "Ctrl+3",
    MappingSection.EXISTING_SAFETY: "Ctrl+4",
    MappingSection.NEXT_STEP: "Ctrl+5",
}
ADD_PAIR_KEY = "Ctrl+6"


def items_of(bundle: m.ConferenceBundle, section: MappingSection) -> list[m.MappingItem]:
    return sorted((i for i in bundle.mapping_items if i.section is section), key=lambda i: (i.position, i.created_at))


def pairs_of(bundle: m.ConferenceBundle) -> list[m.DangerGoalPair]:
    return sorted(bundle.pairs, key=lambda p: (p.position, p.created_at))


LAST_TIME_CHOICES = [(words, key) for key, words in m.LAST_TIME.items()]


def last_time_tag(item: m.MappingItem) -> str:
    """How an item from the last map reads in its column: "[last time]" until marked, then the mark."""
    if item.carried_from_id is None:
        return ""
    return f"  [last time: {m.LAST_TIME[item.last_time].lower()}]" if item.last_time else "  [last time]"


def scale_line(points) -> str:
    return ", ".join(f"{'-' if p.scale is None else p.scale} ({uk_date(p.held_on)})" for p in points)


class MappingPage(Page):
    def __init__(self, workspace: ConferenceWorkspace) -> None:
        super().__init__(
            workspace,
            "Mapping",
            "Ctrl+1 to Ctrl+5 add to a part of the map, Ctrl+6 a danger statement. Alt+Up/Down reorder, "
            "Ctrl+Shift+Left/Right move an item to the next column. F8: who may read the chosen item. F5 shows the map "
            "on the projector.",
        )
        ws = workspace
        grid = QHBoxLayout()
        self.section_views: dict[MappingSection, QTableView] = {}
        self.section_models: dict[MappingSection, RecordTableModel] = {}
        columns = QHBoxLayout()
        for column in COLUMN_ORDER:
            # The column's name is a label that wraps, not the group's title (a title never wraps, and three of
            # them side by side would not fit a 1024-pixel screen).
            box = QGroupBox()
            box.setObjectName("mapColumn")
            box.setAccessibleName(column.label)
            cl = QVBoxLayout(box)
            name = QLabel(column.label)
            name.setObjectName("mapColumnTitle")
            name.setWordWrap(True)
            cl.addWidget(name)
            for section in (s for s in SECTION_ORDER if s.column is column):
                model = RecordTableModel(
                    [Column(section.label, self._item_text)],
                    lambda section=section: items_of(self.bundle, section),
                    self,
                )
                view = table(model, section.label)
                view.horizontalHeader().hide()
                view.setMinimumHeight(110)
                view.selectionModel().selectionChanged.connect(
                    lambda selected, _d, section=section: self._item_chosen(section) if selected.indexes() else None
                )
                self.section_models[section], self.section_views[section] = model, view
                head = QHBoxLayout()
                title = QLabel(f"<b>{section.label}</b>")
                title.setWordWrap(True)  # a narrow column wraps its part's name rather than widening
                head.addWidget(title, 1)
                add = QPushButton("+ Add")
                add.setObjectName("small")
                add.setAccessibleName(f"Add to {section.label} ({ADD_KEYS[section]})")
                add.setToolTip(f"Add to {section.label} ({ADD_KEYS[section]})")
                add.clicked.connect(lambda _=False, section=section: self.add_item(section))
                head.addWidget(add)
                cl.addLayout(head)
                cl.addWidget(view, 1)
                self.shortcut(
                    f"Add to {section.label}",
                    ADD_KEYS[section],
                    lambda section=section: self.add_item(section),
                    f"add_{section.value}",
                )
            columns.addWidget(box, 1)
        left = QVBoxLayout()
        left.addLayout(columns, 3)

        pairs_box = QGroupBox("Danger statements and safety goals")
        pl = QVBoxLayout(pairs_box)
        self.pairs_model = RecordTableModel(
            [
                Column("Danger statement", lambda p: marker(self.bundle, p.id) + p.danger_statement),
                Column("Safety goal", lambda p: p.safety_goal),
                Column("Agreed scale", lambda p: "" if p.scale is None else f"{p.scale} / 10"),
                Column("Private scores", self._scores_summary),
            ],
            lambda: pairs_of(self.bundle),
            self,
        )
        self.pairs_view = table(self.pairs_model, "Danger statements and safety goals", stretch=0, max_column=240)
        self.pairs_view.horizontalHeader().setSectionResizeMode(
            1, self.pairs_view.horizontalHeader().ResizeMode.Stretch
        )
        self.pairs_view.setMinimumHeight(120)
        self.pairs_view.selectionModel().selectionChanged.connect(
            lambda selected, _d: self._pair_chosen() if selected.indexes() else None
        )
        pl.addWidget(self.pairs_view, 1)
        prow = QHBoxLayout()
        add_pair = button(
            f"Add danger statement ({ADD_PAIR_KEY})",
            "A danger statement and the safety goal that answers it",
            self.add_pair,
        )
        prow.addWidget(add_pair)
        self.shortcut("Add a danger statement and safety goal", ADD_PAIR_KEY, self.add_pair, "add_pair")
        prow.addStretch(1)
        pl.addLayout(prow)
        prow = QHBoxLayout()  # on a line of its own: side by side they would not fit a small screen
        prow.addStretch(1)
        prow.addWidget(QLabel("Overall safety scale"))
        self.overall = QSpinBox()
        ScaleBinder(ws, self.overall, self.conf_target, "overall_scale", "Overall safety scale")
        prow.addWidget(self.overall)
        prow.addWidget(
            button(
                "Private scores…",
                "Everyone scores the overall judgement privately, then all are revealed together",
                self._overall_chosen,
                "Private scores for the overall scale",
            )
        )
        pl.addLayout(prow)
        left.addWidget(pairs_box, 2)
        grid.addLayout(left, 3)

        # The editor for what is chosen.
        self.editor = QStackedWidget()
        # Beside the columns, a third of the width at most; hidden while nothing is chosen, so that the map's
        # columns then have the whole width (the hint says how to choose: it is the page's intro too).
        self.editor.setMinimumWidth(280)
        self.editor.setMaximumWidth(420)
        self.editor.currentChanged.connect(lambda index: self.editor.setVisible(index != 0))
        hint = QLabel("Choose an item or a danger statement to edit it here, or add one.")
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.editor.addWidget(hint)
        self.editor.addWidget(self._item_editor(ws))
        self.editor.addWidget(self._pair_editor(ws))
        grid.addWidget(self.editor, 1)
        self.editor.hide()
        self.lay.addLayout(grid, 1)
        self.shortcut("Move item up", "Alt+Up", lambda: self.move_item(-1), "itemUp")
        self.shortcut("Move item down", "Alt+Down", lambda: self.move_item(1), "itemDown")
        self.shortcut("Move item to the next column", "Ctrl+Shift+Right", lambda: self.move_column(1), "itemRight")
        self.shortcut("Move item to the previous column", "Ctrl+Shift+Left", lambda: self.move_column(-1), "itemLeft")
        self.shortcut(
            "Who may read the item or danger statement (everyone, professionals, not for...)",
            MARK_KEY,
            self.mark_item,
            "itemAudience",
        )
        self.item_id: uuid.UUID | None = None
        self.pair_id: uuid.UUID | None = None
        self.scoring_overall = False
        self._histories: dict = {}  # pair id -> its scale history (issue 13), read when the step opens

    # Editors
    def _item_editor(self, ws) -> QWidget:
        box = QGroupBox("Item")
        f = QVBoxLayout(box)
        self.item_text = QPlainTextEdit(placeholderText="In plain words a parent understands")
        self.item_text.setMinimumHeight(120)
        TextBinder(ws, self.item_text, self._item_target, "text", "Item text")
        f.addWidget(self.item_text)
        ff = form()
        self.said_by = shrinkable(QComboBox())
        self.said_by_binder = ChoiceBinder(ws, self.said_by, self._item_target, "said_by", "Said by", [])
        ff.addRow("Said by", self.said_by)
        self.about = shrinkable(QComboBox())
        self.about_binder = ChoiceBinder(ws, self.about, self._item_target, "child_id", "About", [])
        ff.addRow("About", self.about)
        self.part = shrinkable(QComboBox())
        ChoiceBinder(
            ws,
            self.part,
            self._item_target,
            "section",
            "Part of the map",
            [(f"{s.label} ({s.column.label})", s) for s in SECTION_ORDER],
        )
        ff.addRow("Part", self.part)
        # Issue 13: an item from the last map, marked by the chair (the wording last time shown above it).
        self.earlier = QLabel()
        self.earlier.setObjectName("lastTime")
        self.earlier.setWordWrap(True)
        f.addWidget(self.earlier)
        self.last_time = shrinkable(QComboBox())
        self.last_time.setAccessibleName("Last time")
        ChoiceBinder(
            ws,
            self.last_time,
            self._item_target,
            "last_time",
            "Last time",
            [("Not marked yet", ""), *LAST_TIME_CHOICES],
        )
        ff.addRow("Last time", self.last_time)
        f.addLayout(ff)
        row = QGridLayout()
        row.addWidget(button("▲ Up", "Move up (Alt+Up)", lambda: self.move_item(-1), "Move item up (Alt+Up)"), 0, 0)
        row.addWidget(
            button("▼ Down", "Move down (Alt+Down)", lambda: self.move_item(1), "Move item down (Alt+Down)"), 0, 1
        )
        row.addWidget(
            button(
                "◀ Column",
                "Move to the previous column (Ctrl+Shift+Left)",
                lambda: self.move_column(-1),
                "Move item to the previous column",
            ),
            1,
            0,
        )
        row.addWidget(
            button(
                "Column ▶",
                "Move to the next column (Ctrl+Shift+Right)",
                lambda: self.move_column(1),
                "Move item to the next column",
            ),
            1,
            1,
        )
        row.addWidget(button("Remove item", "Remove this item (undo with Ctrl+Z)", self.remove_item), 2, 0, 1, 2)
        f.addLayout(row)
        f.addStretch(1)
        return box

    def _pair_editor(self, ws) -> QWidget:
        box = QGroupBox("Danger statement and safety goal")
        self.pair_box = box
        f = QVBoxLayout(box)
        self.pair_texts = QWidget()
        pt = QVBoxLayout(self.pair_texts)
        pt.setContentsMargins(0, 0, 0, 0)
        pt.addWidget(QLabel("Danger statement"))
        self.danger = QPlainTextEdit(placeholderText="Children's services and the agencies are worried that…")
        self.danger.setMinimumHeight(80)
        TextBinder(ws, self.danger, self._pair_target, "danger_statement", "Danger statement")
        pt.addWidget(self.danger)
        pt.addWidget(QLabel("Safety goal"))
        self.goal = QPlainTextEdit(placeholderText="Everyone will know the children are safe when…")
        self.goal.setMinimumHeight(80)
        TextBinder(ws, self.goal, self._pair_target, "safety_goal", "Safety goal")
        pt.addWidget(self.goal)
        srow = QHBoxLayout()
        srow.addWidget(QLabel("Agreed scale"))
        self.agreed = QSpinBox()
        self.agreed.setFixedWidth(150)
        ScaleBinder(ws, self.agreed, self._pair_target, "scale", "Agreed scale")
        srow.addWidget(self.agreed)
        srow.addStretch(1)
        pt.addLayout(srow)
        f.addWidget(self.pair_texts)
        self.scale_note = QLabel()
        self.scale_note.setWordWrap(True)
        f.addWidget(self.scale_note)
        self.scale_history = QLabel()  # issue 13: the scale at the earlier conferences
        self.scale_history.setObjectName("scaleHistory")
        self.scale_history.setWordWrap(True)
        f.addWidget(self.scale_history)
        self.escalation = Notice("Escalation prompt")
        f.addWidget(self.escalation)
        self.apart = Notice("Private scores apart")  # issue 12: no joint score where there is domestic abuse
        f.addWidget(self.apart)
        private = QLabel("<b>Private scaling</b>: each person's score stays hidden until all are revealed.")
        private.setWordWrap(True)
        f.addWidget(private)
        self.scores_model = RecordTableModel(
            [
                Column("Who", lambda s: person_name(self.bundle, s.person_id) or s.label),
                Column("Score", lambda s: str(s.score) if s.revealed else "Hidden"),
            ],
            self._scores,
            self,
        )
        self.scores_view = table(self.scores_model, "Private scores", stretch=0)
        self.scores_view.setMinimumHeight(110)
        f.addWidget(self.scores_view)
        add = QHBoxLayout()
        self.score_who = shrinkable(QComboBox())
        self.score_who.setAccessibleName("Who is scoring")
        self.score_value = QSpinBox()
        self.score_value.setRange(0, 10)
        self.score_value.setAccessibleName("Their score, 0 to 10")
        self.score_value.setFixedWidth(96)
        f.addWidget(self.score_who)
        add.addWidget(QLabel("Score"))
        add.addWidget(self.score_value)
        add.addStretch(1)
        f.addLayout(add)
        f.addWidget(
            button(
                "Add hidden score",
                "Store this person's score, hidden until revealed",
                self.add_score,
                "Add hidden score",
            )
        )
        self.reveal_button = button("&Reveal scores", "Show everyone's scores together", self.reveal)
        f.addWidget(self.reveal_button)
        row = QHBoxLayout()
        self.remove_pair_button = button(
            "Remove danger statement", "Remove it and its scores (undo with Ctrl+Z)", self.remove_pair
        )
        row.addWidget(self.remove_pair_button)
        f.addLayout(row)
        f.addStretch(1)
        return box

    def _item_text(self, item: m.MappingItem) -> str:
        who = person_name(self.bundle, item.said_by)
        return marker(self.bundle, item.id) + item.text + (f"  ({who})" if who else "") + last_time_tag(item)

    def mark_item(self) -> None:
        """Who may read the selected item, or the selected danger statement and its goal: a menu at it (issue 12)."""
        if not self.ws.editable():
            return
        if self.editor.currentIndex() == 2 and self.pair_id and not self.scoring_overall:
            view, subject = self.pairs_view, self.pair_id
        else:
            item = self.s.record(m.MappingItem, self.item_id) if self.item_id else None
            if item is None:
                return
            view, subject = self.section_views[item.section], item.id
        self.audience_menu = audience_menu(self, self.s, subject)
        self.audience_menu.popup(view.viewport().mapToGlobal(view.visualRect(view.currentIndex()).bottomLeft()))

    def _scores_summary(self, pair: m.DangerGoalPair) -> str:
        scores = [s for s in self.bundle.scores if s.pair_id == pair.id]
        if not scores:
            return ""
        hidden = sum(not s.revealed for s in scores)
        shown = ", ".join(str(s.score) for s in scores if s.revealed)
        return shown + (f" ({hidden} hidden)" if hidden else "")

    def _scores(self) -> list[m.ScaleScore]:
        if self.ws.session is None:
            return []
        pair_id = None if self.scoring_overall else self.pair_id
        if pair_id is None and not self.scoring_overall:
            return []
        return sorted((s for s in self.bundle.scores if s.pair_id == pair_id), key=lambda s: s.created_at)

    # Targets and choosing
    def _item_target(self):
        return (m.MappingItem, self.item_id) if self.ws.session and self.item_id else None

    def _pair_target(self):
        return (
            (m.DangerGoalPair, self.pair_id) if self.ws.session and self.pair_id and not self.scoring_overall else None
        )

    def _item_chosen(self, section: MappingSection) -> None:
        self.item_id = selected_id(self.section_views[section])
        for other, view in self.section_views.items():
            if other is not section:
                view.clearSelection()
        self.pairs_view.clearSelection()
        self.editor.setCurrentIndex(1)
        self._refresh_editor()

    def _pair_chosen(self) -> None:
        self.pair_id = selected_id(self.pairs_view)
        self.scoring_overall = False
        for view in self.section_views.values():
            view.clearSelection()
        self.editor.setCurrentIndex(2)
        self._refresh_editor()

    def _overall_chosen(self) -> None:
        self.scoring_overall = True
        self.pairs_view.clearSelection()
        self.editor.setCurrentIndex(2)
        self._refresh_editor()

    def _refresh_editor(self) -> None:
        b = self.bundle
        self.said_by_binder.set_choices(
            [("Not recorded", None)] + [(f"{p.name} ({p.role})" if p.role else p.name, p.id) for p in self._people()]
        )
        self.about_binder.set_choices(
            [("All the children", None)] + [(c.full_name, c.id) for c in b.considered_children()]
        )
        self.ws.refresh_binders(self._item_target, self._pair_target)
        item = self.s.record(m.MappingItem, self.item_id) if self.item_id else None
        carried = item is not None and item.carried_from_id is not None
        self.earlier.setVisible(carried)
        self.earlier.setText(f"Last time: {item.earlier_text}" if carried else "")
        self.last_time.setEnabled(carried)
        history = self._histories.get(self.pair_id, ()) if self.pair_id and not self.scoring_overall else ()
        self.scale_history.setVisible(len(history) > 1)
        self.scale_history.setText(f"Scale history: {scale_line(history[:-1])}" if len(history) > 1 else "")
        self.pair_texts.setVisible(not self.scoring_overall)
        self.pair_box.setTitle(
            "Overall judgement: private scores" if self.scoring_overall else "Danger statement and safety goal"
        )
        self.remove_pair_button.setVisible(not self.scoring_overall)
        self.score_who.clear()  # each person scores on their own: there is no joint parents' score
        for p in self._people():
            self.score_who.addItem(f"{p.name} ({p.role})" if p.role else p.name, p.id)
        self.scores_model.refresh()
        scores = self._scores()
        self.reveal_button.setEnabled(any(not s.revealed for s in scores) and self.ws.editable())
        policy = self.s.policy
        ends = f"0: {policy.zero_means.rstrip('.')}. 10: {policy.ten_means.rstrip('.')}."
        self.scale_note.setText(ends)
        pair = self.s.record(m.DangerGoalPair, self.pair_id) if self.pair_id else None
        value = b.conference.overall_scale if self.scoring_overall else (pair.scale if pair else None)
        # Every score on this judgement counts: the agreed one and each private score once revealed.
        values = ([value] if value is not None else []) + [s.score for s in scores if s.revealed]
        reading = escalation(values, policy)
        self.escalation.say("warning", reading.explanation) if reading else self.escalation.hide()
        apart = apart_prompt(b, None if self.scoring_overall else self.pair_id)
        self.apart.say("info", apart) if apart else self.apart.hide()

    def _people(self) -> list[m.Person]:
        ids = [i.person_id for i in invitations_in_order(self.bundle)]
        return [p for p in (self.bundle.person(i) for i in ids) if p is not None]

    # Actions
    def add_item(self, section: MappingSection) -> None:
        if not self.ws.editable():
            return
        position = 1 + max((i.position for i in items_of(self.bundle, section)), default=-1)
        item = m.MappingItem(conference_id=self.s.conference_id, section=section, text="", position=position)
        if self.s.add([item], f"add to {section.label.lower()}"):
            self.ws.go("mapping")
            self.section_models[section].refresh()
            select_id(self.section_views[section], item.id)
            self.item_text.setFocus()

    def remove_item(self) -> None:
        if self.item_id:
            self.s.remove([(m.MappingItem, self.item_id)], "remove item")
            self.item_id = None
            self.editor.setCurrentIndex(0)

    def move_item(self, step: int) -> None:
        item = self.s.record(m.MappingItem, self.item_id) if self.item_id else None
        if item is None:
            return
        siblings = items_of(self.bundle, item.section)
        index = next(i for i, x in enumerate(siblings) if x.id == item.id)
        other_index = index + step
        if not 0 <= other_index < len(siblings):
            return
        positions = list(range(len(siblings)))  # normalised first; unchanged positions are not written
        positions[index], positions[other_index] = positions[other_index], positions[index]
        self.s.stack.beginMacro("move item")
        for sibling, pos in zip(siblings, positions, strict=True):
            self.s.set(m.MappingItem, sibling.id, {"position": pos})
        self.s.stack.endMacro()
        select_id(self.section_views[item.section], item.id)

    def move_column(self, step: int) -> None:
        item = self.s.record(m.MappingItem, self.item_id) if self.item_id else None
        if item is None:
            return
        col = COLUMN_ORDER.index(item.section.column) + step
        if not 0 <= col < len(COLUMN_ORDER):
            return
        target = next(s for s in SECTION_ORDER if s.column is COLUMN_ORDER[col])
        position = 1 + max((i.position for i in items_of(self.bundle, target)), default=-1)
        if self.s.set(m.MappingItem, item.id, {"section": target, "position": position}):
            select_id(self.section_views[target], item.id)

    def add_pair(self) -> None:
        if not self.ws.editable():
            return
        position = 1 + max((p.position for p in self.bundle.pairs), default=-1)
        pair = m.DangerGoalPair(conference_id=self.s.conference_id, danger_statement="", position=position)
        if self.s.add([pair], "add danger statement"):
            self.ws.go("mapping")
            self.pairs_model.refresh()
            select_id(self.pairs_view, pair.id)
            self.danger.setFocus()

    def remove_pair(self) -> None:
        if self.pair_id:
            self.s.remove([(m.DangerGoalPair, self.pair_id)], "remove danger statement")
            self.pair_id = None
            self.editor.setCurrentIndex(0)

    def add_score(self) -> None:
        if not self.scoring_overall and self.pair_id is None:
            return
        who = self.score_who.currentData()
        if who is None:  # nobody invited yet: a score is always one person's
            return
        score = m.ScaleScore(
            conference_id=self.s.conference_id,
            pair_id=None if self.scoring_overall else self.pair_id,
            person_id=who,
            score=self.score_value.value(),
        )
        self.s.add([score], "add a private score")
        self.score_value.setValue(0)

    def reveal(self) -> None:
        from chair_app.services import workspace as wsvc

        s, pair_id = self.s, None if self.scoring_overall else self.pair_id
        s.operation("reveal scores", lambda: wsvc.reveal_scores(s.db, s.conference_id, pair_id, who=s.who))

    # Page
    def show_record(self, record, record_id) -> None:
        if record is m.DangerGoalPair and record_id is not None:
            select_id(self.pairs_view, record_id)
            self.agreed.setFocus()
            return
        self.section_views[SECTION_ORDER[0]].setFocus()

    def opened(self) -> None:
        self.item_id = self.pair_id = None
        self.scoring_overall = False
        self.editor.setCurrentIndex(0)
        self._histories = {}
        if any(p.carried_from_id for p in self.bundle.pairs):  # a review: the scales at earlier conferences
            from chair_app.services.continuity import scale_histories

            self._histories = scale_histories(self.s.db, self.s.conference_id)

    def changed(self, cls, record_id=None) -> None:
        if cls is m.AudienceMark:  # a marker changed: the map's items and the danger statements show it
            self.pairs_model.refresh(None)
            cls, record_id = m.MappingItem, None
        if cls in (None, m.MappingItem, m.Person):
            item = self.s.record(m.MappingItem, record_id) if cls is m.MappingItem and record_id else None
            for section, model in self.section_models.items():
                if item is None or item.section is section or model.row_of(item.id) >= 0:
                    model.refresh(record_id)
        if cls in (None, m.DangerGoalPair, m.ScaleScore):
            self.pairs_model.refresh(record_id if cls is m.DangerGoalPair else None)
        chosen = self.s.record(m.MappingItem, self.item_id) if self.item_id else None
        if cls is None and chosen is not None:  # the record was read again: keep the chosen item chosen
            select_id(self.section_views[chosen.section], chosen.id)
        if self.editor.currentIndex() == 1 and cls in (None, m.MappingItem) and chosen is None:
            self.editor.setCurrentIndex(0)
        if self.editor.currentIndex() == 2 and cls in (None, m.DangerGoalPair, m.ScaleScore, m.Conference):
            if not self.scoring_overall and self.s.record(m.DangerGoalPair, self.pair_id) is None:
                self.editor.setCurrentIndex(0)
            else:
                self._refresh_editor()
