"""File > Import conference files…, and the dialog that lists what the files and this copy both changed.

Importing merges each file into its stored conference by the journal (services/merge.py). When the same field
was changed differently here and in a file, the import refuses with the list (``MergeConflicts``) and changes
nothing; this dialog shows that list, one row per field, with both values and who changed each and when. No
row is chosen for the person: Import stays disabled until every row says "here" or "the file", and then the
import runs again with those choices. Cancel imports nothing. The form is ui/import_conflicts.ui.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from chair_app.gui.theme import apply_theme
from chair_app.paths import UI

if TYPE_CHECKING:
    from chair_app.services.merge import MergeConflict

HERE, FILE = "mine", "theirs"  # the service's words for the two sides; the person reads "here" and "the file"


class ImportConflictsDialog(QDialog):
    """One row per conflict: record, field, the value here and in the file (with who and when), and a choice."""

    def __init__(self, conflicts: list[MergeConflict], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from chair_app.gui.workspace.create_dialog import load_form  # (not at start-up: only when needed)
        from chair_app.services.merge import shown_by, shown_value

        self.setWindowTitle("Import: choose what to keep")
        self.setObjectName("importConflicts")
        apply_theme(self)
        form = load_form(UI / "import_conflicts.ui", self)
        QVBoxLayout(self).addWidget(form)
        self.conflicts = conflicts
        self.groups: dict[int, QButtonGroup] = {}
        self.table: QTableWidget = form.findChild(QTableWidget, "conflicts")
        self.remaining: QLabel = form.findChild(QLabel, "remaining")
        self.table.setRowCount(len(conflicts))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for row, c in enumerate(conflicts):
            cells = (
                f"{c.number}. {c.conference_ref}, {c.record}",
                c.field_words,
                f"{shown_value(c.mine, 200, c.kind)}\n{shown_by(c.mine)}",
                f"{shown_value(c.theirs, 200, c.kind)}\n{shown_by(c.theirs)}",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
            self.table.setCellWidget(row, 4, self._choice(c.number))
        header = self.table.horizontalHeader()
        for column, mode in enumerate(
            (
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.ResizeToContents,
            )
        ):
            header.setSectionResizeMode(column, mode)
        form.findChild(QPushButton, "keep_all_mine").clicked.connect(lambda: self.choose_all(HERE))
        form.findChild(QPushButton, "keep_all_theirs").clicked.connect(lambda: self.choose_all(FILE))
        buttons: QDialogButtonBox = form.findChild(QDialogButtonBox, "buttons")
        self.import_button = buttons.addButton("&Import with these choices", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.resize(1100, min(720, 260 + 110 * len(conflicts)))
        self._update()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.table.resizeRowsToContents()  # once the columns have their widths: wrapped text, whole

    def _choice(self, number: int) -> QWidget:
        box = QWidget()
        lay = QHBoxLayout(box)
        lay.setContentsMargins(6, 0, 6, 0)
        group = QButtonGroup(box)
        for text, side in (("Here", HERE), ("The file", FILE)):
            button = QRadioButton(text)
            button.setObjectName(f"keep_{side}_{number}")
            button.setAccessibleName(f"Conflict {number}: keep {'here' if side == HERE else 'the file'}")
            group.addButton(button)
            button.toggled.connect(self._update)
            button.setProperty("side", side)
            lay.addWidget(button)
        self.groups[number] = group
        return box

    def choose(self, number: int, side: str) -> None:
        for button in self.groups[number].buttons():
            if button.property("side") == side:
                button.setChecked(True)

    def choose_all(self, side: str) -> None:
        for number in self.groups:
            self.choose(number, side)

    def chosen(self) -> dict[int, str]:
        """Each conflict's choice so far ("mine" for here, "theirs" for the file)."""
        out = {}
        for number, group in self.groups.items():
            checked = group.checkedButton()
            if checked is not None:
                out[number] = checked.property("side")
        return out

    def _update(self, *_args) -> None:
        left = len(self.groups) - len(self.chosen())
        self.import_button.setEnabled(left == 0)
        self.remaining.setText(f"{left} still to choose" if left else "Every conflict chosen")


# ---------------------------------------------------------------------------------------------------------
# File > Import conference files…


def add_import_action(window: QMainWindow) -> None:
    """Put Import conference files… in the window's File menu (made by the backup menu, or made here)."""
    from chair_app.gui.menus import menu_named

    menu = menu_named(window, "&File")
    action = QAction("&Import conference files…", window)
    action.setObjectName("importFiles")
    action.setStatusTip("Bring in conference files from another laptop: both sides' changes are kept")
    action.triggered.connect(lambda: import_files_now(window))
    menu.addAction(action)
    window.import_action = action
    window.import_conflicts_dialog = None


def import_files_now(window, paths: list[Path] | None = None) -> None:
    """Ask which files (unless told), then import them on the thread pool; conflicts open the dialog."""
    if window.db is None:
        return
    if paths is None:
        chosen, _filter = QFileDialog.getOpenFileNames(
            window, "Import conference files", str(Path.home()), "Conference files (*.json)"
        )
        if not chosen:
            return
        paths = [Path(p) for p in chosen]
    _run(window, paths, None)


_WORDS = {"added": "added", "updated": "updated", "merged": "merged", "unchanged": "already up to date"}


def _run(window, paths: list[Path], chosen: dict[int, str] | None) -> None:
    from chair_app.services.merge import MergeConflicts

    db = window.db
    window.statusBar().showMessage("Importing…")

    def work():
        from chair_app.services.conferences import import_files

        return import_files(db, paths, chosen=chosen)

    def done(results) -> None:
        said = ", ".join(f"{r.ref} {_WORDS[r.action]}" for r in results)
        window.statusBar().showMessage(f"Imported: {said}")
        window.refresh()

    def failed(exc: Exception) -> None:
        if not isinstance(exc, MergeConflicts):
            window._failed(exc)
            return
        window.statusBar().showMessage(f"{len(exc.conflicts)} to choose before anything is imported")
        dialog = ImportConflictsDialog(exc.conflicts, window)
        window.import_conflicts_dialog = dialog
        dialog.accepted.connect(lambda: _run(window, paths, dialog.chosen()))
        dialog.rejected.connect(lambda: window.statusBar().showMessage("Import cancelled: nothing was imported"))
        dialog.open()

    window.tasks.start(work, done, failed)
