"""The shortcut sheet (F1): every key the workspace answers to, read from the actions themselves."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from chair_app.gui.theme import apply_theme

LIST_KEYS = (
    ("Ctrl+N", "New conference"),
    ("Enter", "Open the selected conference"),
    ("Ctrl+F", "Search conferences"),
    ("Ctrl+P", "Documents: preview, print, save"),
    ("F1", "This sheet"),
)


def workspace_keys(workspace: QWidget | None) -> list[tuple[str, str, str]]:
    """(where, keys, what) for every action with a shortcut in the workspace and its steps."""
    if workspace is None:
        return []
    rows = []
    for action in workspace.actions():
        rows.append(("Anywhere in a conference", action, action.text()))
    workspace.build_all_pages()
    for key, page in workspace.pages.items():
        where = dict(_step_names())[key]
        for action in page.actions():
            rows.append((where, action, action.text()))
    out = []
    for where, action, text in rows:
        keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())
        if keys and isinstance(action, QAction):
            out.append((where, keys, text))
    return out


def _step_names():
    from chair_app.gui.workspace.workspace import STEPS

    return STEPS


class ShortcutSheet(QDialog):
    def __init__(self, parent: QWidget | None, workspace: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("shortcutSheet")
        apply_theme(self)
        rows = [("The conference list", k, t) for k, t in LIST_KEYS] + workspace_keys(workspace)
        if workspace is None:
            rows.append(("In a conference", "", "Open a conference to see its keys"))
        html = ["<table cellspacing='0' cellpadding='4'>"]
        last = None
        for where, keys, text in rows:
            if where != last:
                html.append(f"<tr><td colspan='2'><h3>{where}</h3></td></tr>")
                last = where
            html.append(f"<tr><td width='200'><b>{keys}</b></td><td>{text}</td></tr>")
        html.append("</table>")
        label = QLabel("".join(html))
        label.setObjectName("shortcutTable")
        label.setAccessibleName("Keyboard shortcuts")
        area = QScrollArea()
        area.setWidget(label)
        area.setWidgetResizable(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(area)
        lay.addWidget(buttons)
        self.rows = rows
        self.resize(640, 640)
