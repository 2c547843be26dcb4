"""Small forms asked in a dialog: a new child, a new invitee, a rationale, a stand-down reason."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from chair_app.gui.theme import apply_theme


class FormDialog(QDialog):
    """Labelled inputs and OK / Cancel. ``check`` turns the answers into a value or raises ValueError(message)."""

    def __init__(self, parent: QWidget | None, title: str, intro: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        apply_theme(self)
        self.form = QFormLayout()
        self.inputs: dict[str, QWidget] = {}
        self.message = QLabel()
        self.message.setObjectName("formMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        lay = QVBoxLayout(self)
        if intro:
            text = QLabel(intro)
            text.setWordWrap(True)
            lay.addWidget(text)
        lay.addLayout(self.form)
        lay.addWidget(self.message)
        lay.addWidget(buttons)
        self.check = lambda answers: answers
        self.result_value: Any = None
        self.setMinimumWidth(520)

    def line(self, key: str, label: str, placeholder: str = "", text: str = "") -> QLineEdit:
        w = QLineEdit(text, placeholderText=placeholder)
        return self._add(key, label, w)

    def para(self, key: str, label: str, placeholder: str = "") -> QPlainTextEdit:
        w = QPlainTextEdit(placeholderText=placeholder)
        w.setTabChangesFocus(True)
        w.setMinimumHeight(90)
        return self._add(key, label, w)

    def choice(self, key: str, label: str, choices: list[tuple[str, Any]]) -> QComboBox:
        w = QComboBox()
        for text, value in choices:
            w.addItem(text, value)
        return self._add(key, label, w)

    def _add(self, key: str, label: str, widget):
        widget.setAccessibleName(label.replace("&", ""))
        self.form.addRow(label, widget)
        self.inputs[key] = widget
        return widget

    def answers(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, w in self.inputs.items():
            if isinstance(w, QLineEdit):
                out[key] = w.text().strip()
            elif isinstance(w, QPlainTextEdit):
                out[key] = w.toPlainText().strip()
            elif isinstance(w, QComboBox):
                out[key] = w.currentData()
        return out

    def _ok(self) -> None:
        try:
            self.result_value = self.check(self.answers())
        except ValueError as exc:
            self.message.setText(str(exc))
            self.message.show()
            return
        self.accept()
