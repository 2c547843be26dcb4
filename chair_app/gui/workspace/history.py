"""The History panel: the conference's journal as people read it, and who saw or sent the record.

Two lists from ``services/journal``: the changes (when, who, the operation, and under it each field's from and
to) and the audit trail (opened, shown, previewed, printed, saved, exported, imported, signed off, amended).
One filter line narrows both to the entries whose words contain what is typed. The layout is a Qt Designer
form, ui/history.ui; the panel is a window beside the workspace (Ctrl+H, or Conference > History) and reads
the journal again whenever the record changes while it is open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from chair_app.gui.theme import apply_theme
from chair_app.paths import UI

if TYPE_CHECKING:
    from chair_app.gui.workspace.session import EditSession

REFRESH_MS = 300  # a run of typing refreshes the panel once it pauses, not on every keystroke


def _when(at) -> str:
    return f"{at:%d/%m/%Y %H:%M}"


class HistoryPanel(QDialog):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.session: EditSession | None = None
        self.setWindowTitle("History")
        self.setObjectName("historyPanel")
        self.setModal(False)
        apply_theme(self)
        from chair_app.gui.workspace.create_dialog import load_form  # (not at start-up: the menu is built then)

        form = load_form(UI / "history.ui", self)
        names = {
            "filter": QLineEdit,
            "count": QLabel,
            "tabs": QTabWidget,
            "changes": QTreeWidget,
            "audit": QTreeWidget,
            "buttons": QDialogButtonBox,
        }
        found = {name: form.findChild(kind, name) for name, kind in names.items()}
        missing = [name for name, widget in found.items() if widget is None]
        if missing:
            raise RuntimeError(f"ui/history.ui: no widget named {', '.join(missing)}")
        self.filter, self.count, self.tabs = found["filter"], found["count"], found["tabs"]
        self.changes, self.audit = found["changes"], found["audit"]
        found["buttons"].rejected.connect(self.close)
        lay = QVBoxLayout(self)
        lay.addWidget(form)
        for tree in (self.changes, self.audit):
            tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            tree.header().setStretchLastSection(True)
        self.filter.textChanged.connect(self.apply_filter)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self.resize(960, 600)

    # Which conference ---------------------------------------------------------------------------------

    def attach(self, session: EditSession) -> None:
        """Show this session's conference, and follow its changes."""
        if self.session is not None:
            try:
                self.session.sig_changed.disconnect(self._changed)
            except (RuntimeError, TypeError):  # the session has gone
                pass
        self.session = session
        session.sig_changed.connect(self._changed)
        self.refresh()

    def _changed(self, *_args) -> None:
        if self.isVisible():
            self._timer.start()

    # Reading the journal ------------------------------------------------------------------------------

    def refresh(self) -> None:
        from chair_app.services import journal

        if self.session is None:
            return
        db, cid = self.session.db, self.session.conference_id
        c = self.session.bundle.conference
        self.setWindowTitle(f"History: {self.session.bundle.family.name}, {c.ref}")
        entries, seen = journal.history(db, cid), journal.audit(db, cid)
        self.changes.clear()
        for e in reversed(entries):  # newest first: what a person looking for a change wants
            detail = f" ({e.detail})" if e.detail else ""
            what = journal.operation_words(e.operation)
            top = QTreeWidgetItem([_when(e.at), e.who, what + detail, "", "", ""])
            for change in e.changes:
                if change.field:
                    row = ["", "", change.record, change.field, change.before, change.after]
                elif change.before == "(none)":
                    row = ["", "", change.record, "added", "", change.after]
                else:
                    row = ["", "", change.record, "removed", change.before, ""]
                child = QTreeWidgetItem(row)
                for column in (4, 5):
                    child.setToolTip(column, row[column])
                top.addChild(child)
            self.changes.addTopLevelItem(top)
        self.changes.expandAll()
        self.audit.clear()
        for a in reversed(seen):
            self.audit.addTopLevelItem(QTreeWidgetItem([_when(a.at), a.who, a.action, a.detail]))
        for tree, widths in ((self.changes, (0, 0, 220, 150, 150)), (self.audit, (0, 0, 220))):
            for column, width in enumerate(widths):
                if width:
                    tree.setColumnWidth(column, width)
                else:  # when and who: as wide as their words
                    tree.resizeColumnToContents(column)
        self.apply_filter()

    def apply_filter(self) -> None:
        """Show only the entries (and, of a change, the fields) whose words contain the filter's text."""
        words = self.filter.text().strip().casefold()
        shown_changes = 0
        for i in range(self.changes.topLevelItemCount()):
            top = self.changes.topLevelItem(i)
            top_text = " ".join(top.text(c) for c in range(3)).casefold()
            any_child = False
            for j in range(top.childCount()):
                child = top.child(j)
                hit = not words or words in top_text or words in " ".join(child.text(c) for c in range(6)).casefold()
                child.setHidden(not hit)
                any_child |= hit
            visible = not words or words in top_text or any_child
            top.setHidden(not visible)
            shown_changes += visible
        shown_audit = 0
        for i in range(self.audit.topLevelItemCount()):
            item = self.audit.topLevelItem(i)
            visible = not words or words in " ".join(item.text(c) for c in range(4)).casefold()
            item.setHidden(not visible)
            shown_audit += visible
        self.count.setText(
            f"{shown_changes} of {self.changes.topLevelItemCount()} changes, "
            f"{shown_audit} of {self.audit.topLevelItemCount()} views and sendings"
        )


def add_history_menu(window: QMainWindow) -> None:
    """Conference > History… in the main window: the workspace's History panel (Ctrl+H in the workspace)."""
    from chair_app.gui.menus import menu_named

    menu = menu_named(window, "&Conference")
    action = QAction("&History of changes and who saw it…", window)
    action.setObjectName("historyMenu")
    action.setStatusTip("Every change to the open conference, and who opened, printed or sent it (Ctrl+H)")
    action.setEnabled(False)

    def show() -> None:
        if window.workspace is not None and window.session is not None:
            window.workspace.show_history()

    action.triggered.connect(show)
    menu.addAction(action)
    window.sig_workspace.connect(lambda conference_id: action.setEnabled(conference_id is not None))
    window.history_action = action
