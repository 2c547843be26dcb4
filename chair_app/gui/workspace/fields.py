"""Binding an input widget to one field of one record: each user edit is stored at once.

A binder knows its record through ``target()``, which returns ``(record type, id)`` or None (nothing chosen:
the widget is disabled). Text is stored on every keystroke (merged into one undo step per field); dates and
times when the user leaves the box, because half a date is not a date. A value the store refuses leaves the
stored record unchanged and the message is shown by the workspace.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from chair_app.domain import dates as domain_dates
from chair_app.domain import model as m
from chair_app.domain.dates import uk_date

Target = Callable[[], tuple[type[m.Record], uuid.UUID] | None]


class Binder(QObject):
    def __init__(self, workspace, widget: QWidget, target: Target, name: str, label: str) -> None:
        super().__init__(widget)
        self.workspace, self.widget, self.target, self.name = workspace, widget, target, name
        self.label = label
        self.kind: type[m.Record] | None = None  # the record type, known once a target has been seen
        self.draft = False  # True: with no record yet, the widget keeps what is typed for an operation to use
        widget.setAccessibleName(label)
        workspace.binders.append(self)

    def value(self) -> Any:
        """The stored value, from the session's copy of the record."""
        t = self.target()
        session = self.workspace.session
        if t is None or session is None:
            return None
        record = session.record(*t)
        return getattr(record, self.name) if record is not None else None

    def store(self, value: Any, *, typing: bool = False) -> bool:
        t = self.target()
        if t is None or self.workspace.session is None:
            return False
        return self.workspace.session.set(t[0], t[1], {self.name: value}, typing=typing)

    def refresh(self) -> None:
        t = self.target()
        if t is not None:
            self.kind = t[0]
        if t is None and self.draft:
            self.widget.setEnabled(self.workspace.editable())
            return
        enabled = t is not None and self.workspace.editable()
        self.widget.setEnabled(enabled)
        self.show(self.value())

    def show(self, value: Any) -> None:  # pragma: no cover - each kind overrides
        raise NotImplementedError


class TextBinder(Binder):
    def __init__(self, workspace, widget: QLineEdit | QPlainTextEdit, target: Target, name: str, label: str) -> None:
        super().__init__(workspace, widget, target, name, label)
        self._showing = False
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(self._typed)
            widget.editingFinished.connect(workspace.end_typing)
        else:
            widget.textChanged.connect(self._typed)
            widget.setTabChangesFocus(True)
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.FocusOut:
            self.workspace.end_typing()
        return False

    def text(self) -> str:
        w = self.widget
        return w.text() if isinstance(w, QLineEdit) else w.toPlainText()

    def _typed(self, *_args) -> None:
        if self._showing or self.target() is None:
            return  # nothing to store into yet (e.g. a decision's reasons before it is recorded): a draft
        if not self.store(self.text(), typing=True):
            self.show(self.value())  # refused (e.g. too long): show what is stored

    def show(self, value: Any) -> None:
        t, session = self.target(), self.workspace.session
        held, mine = session.held(t[0], t[1], self.name) if t is not None and session is not None else (False, None)
        if held or self.widget.property("invalid"):  # a conflict not settled: the box keeps yours, marked
            self.widget.setProperty("invalid", held)
            self.widget.setToolTip("Not saved: someone else changed this; type in it to choose" if held else "")
            self.widget.style().polish(self.widget)
        text = (mine if held else value) or ""
        if text == self.text():
            return
        self._showing = True
        try:
            w = self.widget
            if isinstance(w, QLineEdit):
                w.setText(text)
            else:
                w.setPlainText(text)
        finally:
            self._showing = False


def parse_date(text: str) -> date | None:
    """The app's one date parser (dd/mm/yyyy, d/m/yy, dd.mm.yyyy, yyyy-mm-dd): it names an impossible day."""
    return domain_dates.parse_date(text)


def parse_time(text: str) -> time | None:
    text = text.strip()
    if not text:
        return None
    for fmt in ("%H:%M", "%H.%M", "%H%M"):
        try:
            return datetime.strptime(text, fmt).time()
        except ValueError:
            continue
    raise ValueError(text)


class DateBinder(Binder):
    """A date typed as dd/mm/yyyy, stored when the user leaves the box (or presses Enter)."""

    def __init__(self, workspace, widget: QLineEdit, target: Target, name: str, label: str, *, clock=False) -> None:
        super().__init__(workspace, widget, target, name, label)
        self.clock = clock
        widget.setPlaceholderText("hh:mm" if clock else "dd/mm/yyyy")
        metrics = widget.fontMetrics()
        samples = ("00:00", "hh:mm") if clock else ("00/00/0000", "dd/mm/yyyy")
        width = max(metrics.horizontalAdvance(t) for t in samples) + 44  # the theme's padding and border
        widget.setFixedWidth(width)
        widget.editingFinished.connect(self._finished)

    def _finished(self) -> None:
        if self.target() is None:
            return
        text = self.widget.text()
        try:
            value = parse_time(text) if self.clock else parse_date(text)
        except ValueError as exc:
            want = "type a time as hh:mm, e.g. 09:30" if self.clock else str(exc)
            self.workspace.problem(f"{self.label}: {want}")
            self._mark(stored=False)
            return
        # A date the store refuses (its message is shown) stays marked until it is changed.
        self._mark(stored=value == self.value() or self.store(value))

    def _mark(self, *, stored: bool) -> None:
        self.widget.setProperty("invalid", not stored)
        self.widget.style().polish(self.widget)

    def show(self, value: Any) -> None:
        if self.widget.hasFocus() and self.widget.property("invalid"):
            return
        text = value.strftime("%H:%M") if isinstance(value, time) else uk_date(value)
        if self.widget.text() != text:
            self.widget.setText(text)


class CheckBinder(Binder):
    def __init__(self, workspace, widget: QCheckBox, target: Target, name: str, label: str) -> None:
        super().__init__(workspace, widget, target, name, label)
        widget.clicked.connect(lambda checked: self.store(bool(checked)) or self.show(self.value()))

    def show(self, value: Any) -> None:
        self.widget.setChecked(bool(value))


class ChoiceBinder(Binder):
    """A closed choice. The values are kept here, not as item data: Qt would turn an enum into a plain string."""

    def __init__(
        self, workspace, widget: QComboBox, target: Target, name: str, label: str, choices: list[tuple[str, Any]]
    ) -> None:
        super().__init__(workspace, widget, target, name, label)
        self.values: list[Any] = []
        self.set_choices(choices)
        widget.activated.connect(self._chosen)

    def set_choices(self, choices: list[tuple[str, Any]]) -> None:
        w = self.widget
        w.blockSignals(True)
        w.clear()
        self.values = [value for _text, value in choices]
        for text, _value in choices:
            w.addItem(text)
        w.blockSignals(False)
        self.show(self.value())

    def _chosen(self, index: int) -> None:
        if not 0 <= index < len(self.values) or not self.store(self.values[index]):
            self.show(self.value())

    def show(self, value: Any) -> None:
        index = next((i for i, v in enumerate(self.values) if v == value and type(v) is type(value)), -1)
        self.widget.setCurrentIndex(index)


NOT_SCORED = -1


class ScaleBinder(Binder):
    """A 0-10 scale, or not scored yet."""

    def __init__(self, workspace, widget: QSpinBox, target: Target, name: str, label: str) -> None:
        super().__init__(workspace, widget, target, name, label)
        widget.setRange(NOT_SCORED, 10)
        widget.setSpecialValueText("Not scored")
        self._showing = False
        widget.valueChanged.connect(self._changed)

    def _changed(self, value: int) -> None:
        if self._showing:
            return
        if not self.store(None if value == NOT_SCORED else value):
            self.show(self.value())

    def show(self, value: Any) -> None:
        self._showing = True
        self.widget.setValue(NOT_SCORED if value is None else value)
        self._showing = False
