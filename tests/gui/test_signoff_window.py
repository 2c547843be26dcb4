"""Sign-off from the Close step, amendments from the read-only workspace, and the History panel (issue 11)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from chair_app.domain import model as m
from chair_app.domain.enums import MappingSection, RecordStatus
from chair_app.gui.workspace.signoff_dialogs import AmendDialog, SignOffDialog
from chair_app.services import conferences, signoff
from chair_app.services import workspace as wsvc
from chair_app.services.demo import build_demo
from tests.conftest import dump
from tests.gui.test_workspace import open_at, start


@pytest.fixture
def place(tmp_path):
    return tmp_path / "place.json"


@pytest.fixture
def demo(sqlite_db, policy):
    return conferences.add_conference(sqlite_db, build_demo(policy, date.today()))


def _in_dialog(kind, handle, seen: list) -> None:
    """Run ``handle`` on the modal dialog once it is shown (exec() blocks the test until it closes)."""

    def go() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, go)
            return
        seen.append(dialog)
        handle(dialog)

    QTimer.singleShot(0, go)


def test_sign_off_from_the_close_step_makes_the_workspace_read_only_and_says_who_and_when(
    qtbot, sqlite_db, policy, place, demo
):
    window = start(qtbot, sqlite_db, policy, place)
    ws = open_at(qtbot, window, demo.conference.id, "close")
    close = ws.pages["close"]
    assert close.sign_button.isVisibleTo(close) and not close.amend_button.isVisibleTo(close)
    states = []

    def sign(dialog: SignOffDialog) -> None:
        dialog.signed_by.setText("Helen Marsh")
        states.append(dialog.sign_button.isEnabled())  # not before the confirmation
        dialog.confirm.setChecked(True)
        states.append(dialog.sign_button.isEnabled())
        dialog.sign_button.click()

    seen: list = []
    _in_dialog(SignOffDialog, sign, seen)
    assert close.sign_off()
    assert states == [False, True]
    stored = conferences.load(sqlite_db, demo.conference.ref).conference
    assert stored.record_status is RecordStatus.FINALISED and stored.signed_off_by == "Helen Marsh"
    assert not ws.editable() and "finalised: read only" in ws.title.text()
    today = date.today().strftime("%d/%m/%Y")
    assert close.signed.text.text().startswith(f"Signed off by Helen Marsh on {today}")
    assert close.amend_button.isVisibleTo(close) and not close.sign_button.isVisibleTo(close)


def test_the_sign_off_form_holds_back_while_a_blocking_gap_remains_or_the_signer_is_not_the_chair(
    qtbot, sqlite_db, policy, place, demo
):
    kayden = next(c for c in demo.children if c.forename == "Kayden")
    voice = next(v for v in demo.conference_children if v.child_id == kayden.id)
    wsvc.set_fields(
        sqlite_db,
        demo.conference.id,
        m.ConferenceChild,
        voice.id,
        {"participation_code": None},
        who="t",
        policy=policy,
        seen=None,
    )
    window = start(qtbot, sqlite_db, policy, place)
    ws = open_at(qtbot, window, demo.conference.id, "close")
    close = ws.pages["close"]
    assert any(
        "no participation code for Kayden Hayes (must be put right before sign-off)" in close.checklist.item(i).text()
        for i in range(close.checklist.count())
    )
    before = dump(sqlite_db)
    seen_state = []

    def look(dialog: SignOffDialog) -> None:
        lines = [dialog.checklist.item(i).text() for i in range(dialog.checklist.count())]
        dialog.signed_by.setText("Jo Clerk")
        dialog.confirm.setChecked(True)
        seen_state.append((lines, dialog.sign_button.isEnabled(), dialog.message.text()))
        dialog.signed_by.setText("Helen Marsh")
        seen_state.append(dialog.sign_button.isEnabled())
        dialog.sign_off()  # pressing Enter anyway: nothing happens
        dialog.reject()

    _in_dialog(SignOffDialog, look, [])
    assert not close.sign_off()
    (lines, enabled, message), enabled_for_chair = seen_state
    assert "Must be put right first: Child's voice: no participation code for Kayden Hayes" in lines
    assert not enabled and not enabled_for_chair
    assert "only the conference's chair, Helen Marsh" in message
    assert dump(sqlite_db) == before
    assert ws.editable()


def test_amending_the_selected_mapping_item_shows_the_corrected_words_in_the_read_only_workspace(
    qtbot, sqlite_db, policy, place, demo
):
    signoff.finalise(sqlite_db, demo.conference.ref, who="Helen Marsh", policy=policy)
    window = start(qtbot, sqlite_db, policy, place)
    ws = open_at(qtbot, window, demo.conference.id, "mapping")
    mapping = ws.pages["mapping"]
    view = mapping.section_views[MappingSection.STRENGTH]
    view.selectRow(0)
    view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)
    from chair_app.gui.workspace.common import selected_id

    item_id = selected_id(view)
    chosen = []

    def correct(dialog: AmendDialog) -> None:
        chosen.append(dialog.chosen_field().record.id)
        dialog.new_value.setPlainText("Grandma collects the children every Tuesday (corrected)")
        dialog.reason.setText("Mis-typed in the meeting")
        dialog.add_button.click()

    _in_dialog(AmendDialog, correct, [])
    assert ws.amend()  # Ctrl+Shift+M's slot
    assert chosen == [item_id]
    (amendment,) = conferences.load(sqlite_db, demo.conference.ref).amendments
    assert (amendment.record_id, amendment.field_name) == (item_id, "text")
    assert amendment.new_value == "Grandma collects the children every Tuesday (corrected)"
    shown = next(i for i in ws.session.bundle.mapping_items if i.id == item_id)
    assert shown.text == amendment.new_value
    model = mapping.section_models[MappingSection.STRENGTH]
    texts = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert any("every Tuesday (corrected)" in (t or "") for t in texts), texts
    ws.go("close")
    assert "1 amendment since" in ws.pages["close"].signed.text.text()
    ws.show_history()
    top = ws.history_panel.changes.topLevelItem(0)  # newest first
    assert (top.text(1), top.text(2)) == (window.who(), "amended")
    assert top.child(0).text(3) == "Text (amended)"
    assert top.child(0).text(5) == f'"{amendment.new_value}"'


def test_a_refused_amendment_keeps_the_form_open_with_one_line_and_stores_nothing(
    qtbot, sqlite_db, policy, place, demo
):
    signoff.finalise(sqlite_db, demo.conference.ref, who="Helen Marsh", policy=policy)
    window = start(qtbot, sqlite_db, policy, place)
    ws = open_at(qtbot, window, demo.conference.id, "close")
    before = dump(sqlite_db)
    said = []

    def refuse(dialog: AmendDialog) -> None:
        dialog.field.setCurrentIndex(0)  # a note
        dialog.new_value.setPlainText("Kayden's school is Meadowbank")
        dialog.reason.setText("")
        dialog.add_button.click()
        said.append((dialog.isVisible(), dialog.message.text()))
        dialog.reject()

    _in_dialog(AmendDialog, refuse, [])
    assert not ws.amend()
    assert said == [(True, "reason: say why the finalised record needs amending")]
    assert dump(sqlite_db) == before


def test_the_history_panel_lists_edits_refreshes_when_the_record_changes_and_filters(
    qtbot, sqlite_db, policy, place, demo
):
    window = start(qtbot, sqlite_db, policy, place)
    ws = open_at(qtbot, window, demo.conference.id, "before")
    cid = demo.conference.id
    assert ws.session.set(m.Conference, cid, {"venue": "Room 9, County Hall"})
    ws.end_typing()
    window.history_action.trigger()  # Conference > History…
    panel = ws.history_panel
    assert panel.isVisible()

    def rows(tree):
        out = []
        for i in range(tree.topLevelItemCount()):
            top = tree.topLevelItem(i)
            out.append(([top.text(c) for c in range(tree.columnCount())], top.isHidden()))
            for j in range(top.childCount()):
                child = top.child(j)
                out.append(([child.text(c) for c in range(tree.columnCount())], child.isHidden()))
        return out

    def venue_rows():
        return [r for r, _hidden in rows(panel.changes) if r[3] == "Venue"]

    assert any(r[5] == '"Room 9, County Hall"' for r in venue_rows())
    assert any(r[2] == "opened in the workspace" for r, _h in rows(panel.audit))
    assert re.match(r"\d\d/\d\d/\d{4} \d\d:\d\d$", panel.changes.topLevelItem(0).text(0))

    assert ws.session.set(m.Conference, cid, {"venue": "Video call"})  # the panel follows the record
    qtbot.waitUntil(lambda: any(r[5] == '"Video call"' for r in venue_rows()))

    panel.filter.setText("video call")
    visible = [r for r, hidden in rows(panel.changes) if not hidden]
    assert visible and all("video call" in " ".join(r).casefold() or r[3] == "" for r in visible)
    assert all("Room 9" not in r[5] for r in visible if r[3] == "Venue")
    assert panel.count.text().startswith("1 of ")


def test_the_shortcut_sheet_lists_history_and_amend(qtbot, sqlite_db, policy, place, demo):
    window = start(qtbot, sqlite_db, policy, place)
    open_at(qtbot, window, demo.conference.id, "close")
    window.show_shortcuts()
    texts = {(keys, text) for _where, keys, text in window.shortcut_sheet.rows}
    assert ("Ctrl+H", "History of changes and who saw it") in texts
    assert ("Ctrl+Shift+M", "Amend the selected item (signed-off record)") in texts


def _audit(db, conference_id) -> list[tuple[str, str]]:
    from chair_app.services import journal

    return [(a.action, a.detail) for a in journal.audit(db, conference_id)]


def test_opening_previewing_and_saving_from_the_window_each_write_their_audit_entry(
    qtbot, sqlite_db, policy, place, demo, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QFileDialog

    from chair_app.gui.documents_dialog import DocumentsDialog

    window = start(qtbot, sqlite_db, policy, place)
    open_at(qtbot, window, demo.conference.id, "close")
    assert ("opened in the workspace", "") in _audit(sqlite_db, demo.conference.id)
    dialog = DocumentsDialog(sqlite_db, policy, demo.conference.ref, "Hayes family")
    qtbot.addWidget(dialog)
    dialog.choice.setCurrentIndex([k for k, _l, _f in dialog.choices].index("record"))
    dialog.produce("preview")
    qtbot.waitUntil(lambda: dialog.produced is not None and not dialog.tasks.busy())
    assert ("previewed a document", "record") in _audit(sqlite_db, demo.conference.id)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(tmp_path / "record.pdf"), ""))
    dialog.produce("save")
    qtbot.waitUntil(lambda: dialog.done_purpose == "save" and not dialog.tasks.busy())
    assert ("saved a document", "record") in _audit(sqlite_db, demo.conference.id)


def test_printing_from_the_window_writes_its_audit_entry(qtbot, sqlite_db, policy, place, demo, cups_queue):
    from PySide6.QtPrintSupport import QPrinter

    from chair_app.gui.documents_dialog import DocumentsDialog

    dialog = DocumentsDialog(sqlite_db, policy, demo.conference.ref, "Hayes family")
    qtbot.addWidget(dialog)
    dialog.choice.setCurrentIndex([k for k, _l, _f in dialog.choices].index("record"))
    dialog.produce("preview")
    qtbot.waitUntil(lambda: dialog.produced is not None and not dialog.tasks.busy())
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPrinterName(cups_queue.name)
    with qtbot.waitSignal(dialog.sig_printed, timeout=120_000):
        dialog.print_to(dialog.produced, printer)
    assert ("printed a document", "record") in _audit(sqlite_db, demo.conference.id)


def test_a_tables_right_click_menu_amends_its_selected_item_once_signed_off(qtbot, sqlite_db, policy, place, demo):
    window = start(qtbot, sqlite_db, policy, place)
    ws = open_at(qtbot, window, demo.conference.id, "plan")
    assert not any(a.isVisible() for a in ws.item_amend_actions)  # a draft is changed in its step
    signoff.finalise(sqlite_db, demo.conference.ref, who="Helen Marsh", policy=policy)
    ws.session.reload()
    view = ws.pages["mapping"].section_views[MappingSection.PAST_HARM]
    (action,) = [a for a in view.actions() if a.objectName() == "amendItem"]
    assert action.isVisible() and action.text() == "Amend this item…"
    ws.go("mapping")
    view.selectRow(1)
    from chair_app.gui.workspace.common import selected_id

    chosen = []

    def look(dialog: AmendDialog) -> None:
        chosen.append(dialog.chosen_field().record.id)
        dialog.reject()

    _in_dialog(AmendDialog, look, [])
    action.trigger()
    assert chosen == [selected_id(view)]
