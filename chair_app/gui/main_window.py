"""The main window: the conference list, today's and upcoming first, with search and a summary pane.

The window shows before the database is open: opening it (imports, schema check), listing and summarising
run on a worker thread and arrive as signals, so the UI thread never waits on the store.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelection, QTimer, Signal  # not Qt: see list_model
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from chair_app.domain.dates import uk_date
from chair_app.gui.list_model import ConferenceListModel, ConferenceSortProxy
from chair_app.gui.tasks import TaskRunner
from chair_app.gui.theme import apply_theme

if TYPE_CHECKING:
    from chair_app.rules.policy import Policy
    from chair_app.store.engine import Database


_KEY_DOWN = 0x01000015  # Qt.Key.Key_Down, without Qt's namespace (see list_model)


def enter_presses_buttons(root: QWidget) -> None:
    """Enter and Return on a focused push button press it, as Space does, for every button under ``root``.

    Qt presses a focused button on Enter only when it is "auto-default", which it is by default only inside a
    dialog; the window's own buttons (the list's, every step's) are made so here. Dialogs already are.
    """
    for b in root.findChildren(QPushButton):
        b.setAutoDefault(True)


def _freeze_long_lived() -> None:
    """Leave what start-up made (the modules, SQLAlchemy's and PySide's tables, the workspace's modules) out of
    the garbage collector's full passes from now on, once: a full pass over all of it took 40 to 90 ms, and the
    first conference opened made enough new objects to start one on the UI thread (docs/performance.md).
    Objects frozen are still freed when nothing refers to them; only cyclic garbage already made is kept."""
    import gc

    if not gc.get_freeze_count():
        gc.freeze()


class MainWindow(QMainWindow):
    #: The conference list was filled (with this many rows).
    sig_rows_shown = Signal(int)
    #: Start-up was refused (a malformed policy): the launcher ends the application with this exit status.
    sig_refused = Signal(int)

    #: A conference was opened in the workspace (its id), or the list was shown again (None).
    sig_workspace = Signal(object)

    def __init__(
        self,
        open_backend: Callable[[], tuple[Database, Policy]],
        *,
        demo: bool = False,
        place_file: Path | None = None,
    ) -> None:
        super().__init__()
        self._place_file = place_file
        self.session = None  # the open conference's EditSession
        self.workspace = None  # built the first time a conference is opened
        self.presentation = None
        self._open_backend = open_backend
        self.db: Database | None = None
        self.policy: Policy | None = None
        self.exit_code = 0
        self.tasks = TaskRunner(self)
        self._list_generation = 0
        self.demo = demo  # the demo database's accounts have a documented password (issue 14: encrypting it)
        self.title_family: str | None = None
        self.show_title()
        self.setObjectName("mainWindow")
        apply_theme(self)

        self.search = QLineEdit(placeholderText="Search by family, child, reference or chair")
        self.search.setAccessibleName("Search conferences")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=150)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._open_from_search)
        self.search.installEventFilter(self)

        self.model = ConferenceListModel(self)
        self.proxy = ConferenceSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("conferenceList")
        self.table.setAccessibleName("Conferences")
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self._model_attached = False  # see _attach_model

        self.summary = QTextBrowser()
        self.summary.setObjectName("summary")
        self.summary.setAccessibleName("Conference summary")
        self.summary.setPlaceholderText("Choose a conference to see its quoracy, timescales and decisions.")

        self.note = QLabel("Opening the conference record…")
        self.note.setObjectName("emptyNote")
        self.note.setWordWrap(True)

        self.documents_button = QPushButton("&Documents…")
        self.documents_button.setAccessibleName("Documents for the selected conference")
        self.documents_button.setToolTip("Preview, print or save the handout, plan, record and letter (Ctrl+P)")
        self.documents_button.setEnabled(False)
        self.documents_button.clicked.connect(self.open_documents)
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.open_documents)

        self.new_button = QPushButton("&New conference…")
        self.new_button.setAccessibleName("New conference")
        self.new_button.setToolTip("Create a conference (Ctrl+N)")
        self.new_button.setEnabled(False)
        self.new_button.clicked.connect(self.new_conference)
        QShortcut(QKeySequence.StandardKey.New, self, activated=self.new_conference)
        self.open_button = QPushButton("&Open")
        self.open_button.setAccessibleName("Open the selected conference")
        self.open_button.setToolTip("Chair the selected conference (Enter)")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_selected)
        self.table.activated.connect(lambda _index: self.open_selected())
        QShortcut(QKeySequence("F1"), self, activated=self.show_shortcuts)

        self.reports_button = QPushButton("&Reports…")
        self.reports_button.setAccessibleName("Reports: the service's measures")
        self.reports_button.clicked.connect(self.open_reports)

        left = QWidget()
        lay = QVBoxLayout(left)
        lay.setContentsMargins(12, 12, 6, 12)
        lay.addWidget(self.search)  # a line of its own: beside the buttons it would be squeezed on a small screen
        top = QHBoxLayout()
        top.addWidget(self.new_button)
        top.addWidget(self.open_button)
        top.addWidget(self.documents_button)
        top.addStretch(1)
        # The clerk's queue (issue 14): to type up, to sign off, to send out, with due dates.
        self.queue_button = QPushButton("Clerk's &queue…")
        self.queue_button.setAccessibleName("The clerk's queue: records to type up, sign off and send out")
        self.queue_button.clicked.connect(self.open_clerk_queue)
        top.addWidget(self.queue_button)
        top.addWidget(self.reports_button)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.note)
        split = QSplitter()  # horizontal (not named: see list_model on Qt's namespace enums)
        split.addWidget(left)
        split.addWidget(self.summary)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self._split = split
        self.pages = QStackedWidget()
        self.pages.addWidget(split)
        self.setCentralWidget(self.pages)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search.setFocus)
        self._sort_column = -1
        screen = QGuiApplication.primaryScreen().availableGeometry()
        self.resize(min(1600, int(screen.width() * 0.95)), min(950, int(screen.height() * 0.92)))
        self._split.setSizes([int(self.width() * 0.58), int(self.width() * 0.42)])
        self._opening = False
        self._open_first_when_listed = False  # Enter was pressed in the search box before the list caught up
        self._paint_pending = False
        self._deferred = 0  # list work waiting for the first page's paint (see _show_rows)
        self._shown_rows = False
        # The first frame shows the menu bar's titles and the status bar; the menus' actions are made after it
        # (see _build_after_paint), before the store opens, so before the window is ready.
        from chair_app.gui.menus import menu_named

        menu_named(self, "&File")
        menu_named(self, "&Conference")
        self.statusBar()
        self.backup_state_file = None  # None: the user data folder (tests give their own before it is shown)
        self._built = False
        self._loads = 0  # conferences loaded to be opened: only the last one asked for is shown (see _loaded)

    def _build_after_paint(self) -> None:
        """What the first frame does not show: the menus' actions (importing their dialogs' modules) and Enter on
        the buttons. Made after the first paint, or when the store is opened without it (open_now)."""
        if self._built:
            return
        self._built = True
        enter_presses_buttons(self)
        from chair_app.gui.backup_menu import add_backup_menu

        state = self.backup_state_file
        add_backup_menu(self)  # File > Back up now…, and the reminder when the last backup is too old
        self.backup_state_file = state
        from chair_app.gui.workspace.history import add_history_menu

        add_history_menu(self)  # Conference > History… (issue 11): the open conference's History panel
        from chair_app.gui.continuity_dialog import add_continuity_menu

        add_continuity_menu(self)  # Conference > Convene review…, Rearrange… (issue 13)
        from chair_app.gui.import_conflicts import add_import_action

        add_import_action(self)  # File > Import conference files…, with the conflicts dialog (issue 11)

    def _attach_model(self) -> None:
        """Give the table its model, once the window is on screen.

        A Python model called by Qt with an orientation or a role makes PySide build every enum of Qt's
        namespace the first time (about 40 ms here); attached when the database has opened, that happens
        after the window is up, not before (docs/performance.md).
        """
        if self._model_attached:
            return
        self._model_attached = True
        self.table.setModel(self.proxy)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.sectionClicked.connect(self._sort_by)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ConferenceListModel.HEADERS.index("Children"), QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(96)  # "Children" (the column that gives way) keeps its heading
        header.setResizeContentsPrecision(60)  # widths from the first rows, not all 10,000
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.selectionModel().selectionChanged.connect(self._selected)

    def eventFilter(self, obj, event) -> bool:
        """Down in the search box moves into the list (to the chosen conference, or the first)."""
        if obj is self.search and event.type() == QEvent.Type.KeyPress and event.key() == _KEY_DOWN:
            if self.proxy.rowCount():
                if not self.table.selectionModel().hasSelection():
                    self.table.selectRow(0)
                self.table.setFocus()
                self.table.setCurrentIndex(self.table.selectionModel().selectedRows()[0])
            return True
        return super().eventFilter(obj, event)

    def _open_from_search(self) -> None:
        """Enter in the search box opens the chosen conference, or the first one listed."""
        if self._search_timer.isActive():  # the list has not caught up with the typing yet
            self._search_timer.stop()
            self._open_first_when_listed = True
            self.refresh()
            return
        if self.proxy.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self.open_selected()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.pages.currentIndex() == 0:
            self.search.setFocus()  # keyboard from the start: type to search, Down to the list, Enter to open
        if not self._opening:  # open the store once the window is painted, not before (see paintEvent)
            self._opening = True
            self._paint_pending = True
            QTimer.singleShot(250, self, self._start_backend)  # a window never painted (minimised) opens it anyway

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self._paint_pending:
            # After the first paint: a worker importing SQLAlchemy would hold the GIL while the window paints.
            QTimer.singleShot(0, self, self._start_backend)

    def _start_backend(self) -> None:
        if self._paint_pending:
            self._paint_pending = False
            self._build_after_paint()
            self.tasks.start(self._open_backend, self._db_opened, self._failed)

    # Database arrival --------------------------------------------------------------------------------

    def _db_opened(self, backend: tuple[Database, Policy]) -> None:
        from chair_app.gui import signin  # accounts (issue 14): sign in before anything is shown
        from chair_app.gui.first_admin import ensure_first_administrator

        if not ensure_first_administrator(self, *backend) or not signin.ensure_signed_in(self, *backend):
            self.close()
            return
        self.db, self.policy = backend
        self._attach_model()
        self.statusBar().showMessage(f"Policy: {self.policy.name}")
        self.new_button.setEnabled(True)
        self.refresh()
        from chair_app.gui.changes import LiveUpdates  # colleagues' changes keep the list current (issue 19)

        self.live = LiveUpdates(self)
        from chair_app.gui.lock import start_idle_lock

        signin.apply_roles(self)  # hide what the signed-in account's roles may not do
        self.idle_lock = start_idle_lock(self)  # locks after the policy's idle minutes, the projector blank too
        from chair_app.services.place import last_place

        place = last_place(self.place_file(), self.db_key())
        if place is not None:  # reopened after a close or a crash: back to the same conference and step
            self.open_conference(place.conference_id, place.step)
        from chair_app.gui.encrypt_dialog import offer_encryption

        offer_encryption(self)  # a plain laptop database where the policy wants it encrypted (issue 14)

    def _failed(self, exc: Exception) -> None:
        from chair_app.domain.errors import ChairError
        from chair_app.rules.policy import PolicyError

        if isinstance(exc, PolicyError) and self.policy is None:
            self._refuse_to_start(str(exc))
            return
        from chair_app.gui.signin import ask_to_unlock  # an encrypted database: its password first (issue 14)

        if self.db is None and ask_to_unlock(self, exc):
            return
        text = str(exc) if isinstance(exc, ChairError) else f"Unexpected error ({type(exc).__name__})."
        if not isinstance(exc, ChairError):
            from chair_app.logs import setup_logging

            setup_logging().crash(exc)
        self.note.setText(text)
        self.note.show()
        self.statusBar().showMessage(text)

    def _refuse_to_start(self, text: str) -> None:
        """A malformed policy: say which file, key and problem, then close (nothing was opened)."""
        import sys

        from PySide6.QtWidgets import QApplication, QMessageBox

        print(f"chair-app: {text}", file=sys.stderr)
        self.exit_code = 2
        self.note.setText(text)
        if not QApplication.instance().property("chair_no_dialogs"):
            QMessageBox.critical(self, "Chair cannot start", text)
        self.sig_refused.emit(2)

    def is_ready(self) -> bool:
        """True once the database is open and no list or summary is still on its way."""
        settling = self.workspace is not None and self.workspace.settling()
        waiting = self.tasks.busy() or self._deferred or settling or not self._built  # (menus: _build_after_paint)
        return self.db is not None and not waiting

    def open_now(self) -> None:
        """Open the store without waiting to be shown (tests that never show the window)."""
        if not self._opening:
            self._opening = True
            self._build_after_paint()
            self.tasks.start(self._open_backend, self._db_opened, self._failed)

    # The list ----------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the list: today's, upcoming and recent conferences first, then (if any) the older ones."""
        if self.db is None:
            return
        from chair_app.services import conferences

        self._list_generation += 1
        generation, needle, db, today = self._list_generation, self.search.text(), self.db, date.today()
        self.tasks.start(
            lambda: conferences.first_page(db, today, needle),
            lambda page: self._show_rows(generation, *page),
            self._failed,
        )

    def _show_rows(self, generation: int, rows, more: bool = False) -> None:
        if generation != self._list_generation:  # a newer search has been typed since
            return
        self.model.set_rows(rows)
        empty = not rows and not self.search.text()
        self.note.setText(
            "No conferences yet. To try Chair on fictional data, fill the demo database with "
            "chair-app --demo demo and open it with chair-app --demo"
        )
        self.note.setVisible(empty)
        if rows and not self.table.selectionModel().hasSelection():
            if self._shown_rows:
                self.table.selectRow(0)
            else:
                # The first list after start-up is selected after its paint: selecting starts the row's summary
                # on a worker, whose first run imports the ORM, holding the GIL while the rows paint.
                self._deferred += 1
                QTimer.singleShot(150, self, self._select_first)  # dropped if the window is gone
        self._shown_rows = True
        self.sig_rows_shown.emit(len(rows))
        if self._open_first_when_listed:
            self._open_first_when_listed = False
            if rows:
                self.open_selected()
        if more:
            db, today = self.db, date.today()
            self.statusBar().showMessage("Reading older conferences…")
            # A moment later: a worker turning thousands of rows into Python objects holds the GIL, and the
            # first page's paint (a Python data() call per cell) would wait for it (docs/performance.md).
            self._deferred += 1
            QTimer.singleShot(300, self, lambda: self._read_older(generation, db, today))

    def _select_first(self) -> None:
        self._deferred -= 1
        if self.model.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def _read_older(self, generation: int, db, today: date) -> None:
        from chair_app.services import conferences

        self._deferred -= 1
        if generation != self._list_generation:  # a newer search has been typed since
            return
        self.tasks.start(
            lambda: conferences.older_conferences(db, today),
            lambda older: self._more_rows(generation, older),
            self._failed,
        )

    def _more_rows(self, generation: int, rows) -> None:
        if generation != self._list_generation:
            return
        self.model.append_rows(rows)
        self.statusBar().showMessage(f"{self.model.rowCount():,} conferences")

    def _sort_by(self, column: int) -> None:
        from PySide6.QtCore import Qt

        order = Qt.SortOrder.AscendingOrder
        if column == self._sort_column and self.proxy.sortOrder() == Qt.SortOrder.AscendingOrder:
            order = Qt.SortOrder.DescendingOrder
        self._sort_column = column
        self.proxy.sort(column, order)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().setSortIndicator(column, order)

    # The summary -------------------------------------------------------------------------------------

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ConferenceListModel.IdRole) if rows else None

    def open_documents(self, key: str = "") -> None:
        if self.db is None or self.policy is None:
            return
        from chair_app.gui.documents_dialog import DocumentsDialog

        if self.in_workspace():
            c = self.session.bundle.conference
            ref, title = str(c.id), f"{self.session.bundle.family.name}, {uk_date(c.held_on)}"
        else:
            ref = self.selected_id()
            if ref is None:
                return
            row = self.table.selectionModel().selectedRows()[0].row()
            title = f"{self.proxy.index(row, 4).data()}, {self.proxy.index(row, 1).data()}"
        self.documents = DocumentsDialog(self.db, self.policy, ref, title, self)
        if key:
            self.documents.choose(key)
        self.documents.show()
        self.documents.produce("preview")

    def open_reports(self) -> None:
        if self.db is None or self.policy is None:
            return
        from chair_app.gui.reports_dialog import ReportsDialog

        self.reports = ReportsDialog(self.db, self.policy, self)
        self.reports.show()

    def open_clerk_queue(self) -> None:
        if self.db is None or self.policy is None:
            return
        from chair_app.gui.clerk_queue import ClerkQueueDialog

        self.clerk_queue = ClerkQueueDialog(self.db, self.policy, self)
        self.clerk_queue.show()

    def _selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        self.documents_button.setEnabled(bool(indexes) and self.db is not None)
        self.open_button.setEnabled(bool(indexes) and self.db is not None)
        if not indexes or self.db is None:
            self.summary.clear()
            return
        from chair_app.gui.summary import summary_html
        from chair_app.services import overview

        ref, db, policy = indexes[0].data(ConferenceListModel.IdRole), self.db, self.policy
        self.tasks.start(
            lambda: summary_html(overview.conference_overview(db, ref, policy, date.today())),
            self.summary.setHtml,
            self._failed,
        )

    # The workspace -----------------------------------------------------------------------------------

    def place_file(self) -> Path:
        from chair_app.services.place import default_place_file

        return self._place_file or default_place_file()

    def _places(self):
        """The place file's writer for this database (it writes on a thread of its own)."""
        from chair_app.services.place import PlaceKeeper

        key = (self.place_file(), self.db_key())
        keeper = getattr(self, "_place_keeper", None)
        if keeper is None or (keeper.path, keeper.db_url) != key:
            if keeper is not None:
                keeper.flush()
            keeper = self._place_keeper = PlaceKeeper(*key)
        return keeper

    def db_key(self) -> str:
        assert self.db is not None
        return self.db.engine.url.render_as_string(hide_password=False)

    def who(self) -> str:
        import getpass

        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return "unknown"

    def in_workspace(self) -> bool:
        return self.session is not None and self.pages.currentWidget() is self.workspace

    def open_selected(self) -> None:
        ref = self.selected_id()
        if ref is not None:
            import uuid

            self.open_conference(uuid.UUID(ref), "before")

    def open_conference(self, conference_id, step: str = "before") -> None:
        """Load the conference on a worker, then show it in the workspace at ``step``."""
        if self.db is None:
            return
        from chair_app.services import workspace as wsvc

        db = self.db
        self.statusBar().showMessage("Opening the conference…")

        def load():
            # The workspace's modules are imported here, on the worker, not by the UI thread when it shows them.
            import chair_app.gui.workspace.conflict  # noqa: F401
            import chair_app.gui.workspace.network  # noqa: F401
            import chair_app.gui.workspace.session  # noqa: F401
            import chair_app.gui.workspace.steps  # noqa: F401
            import chair_app.gui.workspace.workspace  # noqa: F401
            import chair_app.services.core_groups  # noqa: F401 (the Before step of a review)
            import chair_app.services.statutory  # noqa: F401 (the Before step's referral sources)

            _freeze_long_lived()
            return wsvc.open_conference(db, conference_id)

        self.tasks.start(load, lambda opened: self._loaded(opened, step), self._open_failed)

    def _loaded(self, opened, step: str) -> None:
        """The conference has arrived: its step's page is built first, the Before step a part per turn of the
        event loop with the list still shown and answering, then the workspace is shown on it."""
        bundle, previous = opened
        self._make_workspace()
        self._loads += 1
        self._deferred += 1
        load = self._loads

        def then() -> None:
            self._deferred -= 1
            if load == self._loads and self.db is not None:  # not when another was opened meanwhile
                self._show_workspace(bundle, step, previous=previous, apart=True)

        self.workspace.prepare(step, then)

    def _open_failed(self, exc: Exception) -> None:
        self._places().remember(None)  # a conference no longer here: start at the list
        self._failed(exc)

    def _make_workspace(self) -> None:
        """The workspace, built the first time a conference is opened (its steps' pages when needed)."""
        from chair_app.gui.workspace.workspace import ConferenceWorkspace

        if self.workspace is None:
            self.workspace = ConferenceWorkspace(self)
            self.workspace.sig_step.connect(self._remember_step)
            self.workspace.sig_back.connect(self.back_to_list)
            self.workspace.sig_present.connect(self.present)
            self.workspace.sig_documents.connect(self.open_documents)
            self.pages.addWidget(self.workspace)
            enter_presses_buttons(self.workspace)
            self.workspace.sig_page_built.connect(enter_presses_buttons)

    def _show_workspace(self, bundle, step: str, *, previous=None, apart: bool = False) -> None:
        """Open ``bundle`` in the workspace at ``step`` and show it. ``apart``: when the list is shown, the
        workspace is brought up to date on this turn of the event loop and shown on the next (about half the
        work each), the window answering in between."""
        from chair_app.gui.workspace.session import EditSession

        assert self.db is not None and self.policy is not None
        self._make_workspace()
        session = EditSession(self.db, self.policy, bundle, self.who(), self, previous=previous)
        apart = apart and not self.in_workspace()
        if not apart:
            self.session = session
        self.workspace.open(session, step)  # before it is shown: showing it first would show step 1
        if apart:
            self._deferred += 1
            QTimer.singleShot(0, self, lambda: self._present(bundle, session, apart=True))
        else:
            self._present(bundle, session)

    def _present(self, bundle, session, *, apart: bool = False) -> None:
        if apart:
            self._deferred -= 1
            if self.workspace.session is not session or self.db is None:  # another was opened meanwhile
                return
        self.session = session
        self.pages.setCurrentWidget(self.workspace)
        self._remember_step(self.workspace.step())
        if self.presentation is not None and self.presentation.isVisible():
            self.presentation.attach(self.session)
        self.show_title(bundle.family.name)
        self.statusBar().showMessage("Every change is stored as you make it. Ctrl+Z undoes, F1 lists the keys.")
        self.sig_workspace.emit(bundle.conference.id)

    def show_title(self, family: str | None = None) -> None:
        """The title bar: the open conference's family (None: the list), the demo's mark, and who is signed in
        with their roles (the same whether the list or a conference is showing)."""
        self.title_family = family
        title = "Chair" + (f": {family}" if family else "") + (" (demo data)" if self.demo else "")
        db = self.db
        if db is not None and db.signed_in is not None:
            from chair_app.rules.access import roles_text

            title += f" - {db.signed_in.name} ({roles_text(db.signed_in.roles)})"
        self.setWindowTitle(title)

    def _remember_step(self, step: str) -> None:
        from chair_app.services.place import Place

        if self.session is not None and self.db is not None:
            self._places().remember(Place(self.session.conference_id, step))

    def back_to_list(self) -> None:
        if self.presentation is not None:
            self.presentation.close()
        if self.db is not None:
            self._places().remember(None)
        self.session = None
        self.pages.setCurrentIndex(0)
        self.show_title()
        self.refresh()
        self.table.setFocus()
        self.sig_workspace.emit(None)

    def present(self) -> None:
        """Presentation mode: open (or close) the map on the projector or second screen."""
        from chair_app.gui.workspace.presentation import PresentationWindow

        if self.session is None:
            return
        if self.presentation is not None and self.presentation.isVisible():
            self.presentation.close()
            return
        self.presentation = PresentationWindow(self.session, keys_from=self.workspace)
        self.presentation.show_on_best_screen(self)

    def new_conference(self) -> None:
        if self.db is None or self.policy is None:
            return
        from chair_app.gui.workspace.create_dialog import CreateConferenceDialog

        dialog = CreateConferenceDialog(self.db, self.policy, self.who(), self)
        self.create_dialog = dialog
        if dialog.exec() and dialog.created is not None:
            self._show_workspace(dialog.created, "before")

    def show_shortcuts(self) -> None:
        from chair_app.gui.workspace.shortcuts import ShortcutSheet

        self.shortcut_sheet = ShortcutSheet(self, self.workspace)
        self.shortcut_sheet.show()

    def closeEvent(self, event) -> None:
        if getattr(self, "idle_lock", None) is not None:
            self.idle_lock.stop()
        if getattr(self, "live", None) is not None:
            self.live.stop()
        if getattr(self, "_place_keeper", None) is not None:
            self._place_keeper.flush()
        if self.presentation is not None:
            self.presentation.close()
        super().closeEvent(event)
