"""The Documents window's "For" list and "view as" (issue 12, points 3 and 4)."""

from __future__ import annotations

import io
import re
from datetime import date

from pypdf import PdfReader
from PySide6.QtWidgets import QFileDialog

from chair_app.gui.documents_dialog import CHAIRS_COPY, DocumentsDialog
from chair_app.services import conferences
from chair_app.services.demo import build_demo

TODAY = date(2026, 11, 23)


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


def _dialog(qtbot, db, policy, bundle) -> DocumentsDialog:
    dialog = DocumentsDialog(db, policy, bundle.conference.ref, "Hayes family")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.reader.count() > 1, timeout=20000)
    dialog.choose("plan")
    return dialog


def test_the_for_list_offers_the_chairs_copy_and_every_invitee(qtbot, sqlite_db, policy):
    bundle = conferences.add_conference(sqlite_db, build_demo(policy, TODAY))
    dialog = _dialog(qtbot, sqlite_db, policy, bundle)
    names = [dialog.reader.itemText(i) for i in range(dialog.reader.count())]
    assert names[0] == CHAIRS_COPY and "Ryan Cole (Mother's partner)" in names and len(names) == 1 + len(bundle.people)


def test_view_as_ryan_shows_the_whole_plan_and_lists_what_his_copy_leaves_out(qtbot, sqlite_db, policy):
    bundle = conferences.add_conference(sqlite_db, build_demo(policy, TODAY))
    dialog = _dialog(qtbot, sqlite_db, policy, bundle)
    dialog.choose_reader("Ryan Cole")
    dialog.produce("preview")
    qtbot.waitUntil(lambda: "as Ryan Cole will receive it" in dialog.status.text(), timeout=20000)
    status = dialog.status.text()
    assert "Contingency plan" in status and "Danielle Hayes's contact details" in status
    assert "cannot be released" not in status
    preview = _text(dialog.preview_pdf)
    assert "Freeva" in preview and "View as Ryan Cole" in preview  # the chair sees what is shaded
    assert dialog.produced is None  # a preview is nobody's copy: nothing to print from it
    assert conferences.load(sqlite_db, bundle.conference.ref).documents == []


def test_saving_for_ryan_writes_his_own_copy_and_records_it_as_his(qtbot, sqlite_db, policy, tmp_path, monkeypatch):
    bundle = conferences.add_conference(sqlite_db, build_demo(policy, TODAY))
    dialog = _dialog(qtbot, sqlite_db, policy, bundle)
    dialog.choose_reader("Ryan Cole")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(tmp_path / "ryan.pdf"), ""))
    dialog.produce("save")
    qtbot.waitUntil(lambda: dialog.done_purpose == "save" and not dialog.tasks.busy(), timeout=20000)
    text = _text((tmp_path / "ryan.pdf").read_bytes())
    assert "Copy for Ryan Cole" in text and "Freeva" not in text and "Beth" not in text
    records = conferences.load(sqlite_db, bundle.conference.ref).documents
    assert [d.recipient for d in records] == ["Ryan Cole"]


def test_a_copy_that_would_breach_a_restriction_is_refused_in_words_and_not_saved(
    qtbot, sqlite_db, policy, tmp_path, monkeypatch
):
    demo = build_demo(policy, TODAY)
    danielle = next(p for p in demo.people if p.name == "Danielle Hayes")
    demo.audience = [a for a in demo.audience if not (a.subject_id == danielle.id and a.part == "contact")]
    bundle = conferences.add_conference(sqlite_db, demo)
    dialog = _dialog(qtbot, sqlite_db, policy, bundle)
    dialog.choose_reader("Ryan Cole")
    dialog.produce("preview")
    qtbot.waitUntil(lambda: "cannot be released yet" in dialog.status.text(), timeout=20000)
    assert "Danielle Hayes's phone number" in dialog.status.text()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(tmp_path / "ryan.pdf"), ""))
    dialog.produce("save")
    qtbot.waitUntil(lambda: "not released" in dialog.status.text(), timeout=20000)
    assert not (tmp_path / "ryan.pdf").exists()
    assert conferences.load(sqlite_db, bundle.conference.ref).documents == []


def test_view_as_from_the_workspace_opens_the_open_conferences_documents_and_shows_ryans_copy(
    qtbot, sqlite_db, policy, tmp_path
):
    """Issue 12 point 4: "view as" in the workspace too. The Close step's document buttons (and Ctrl+P) open the
    Documents window for the conference open in the workspace, where the chair picks the reader."""
    from chair_app.gui.main_window import MainWindow
    from tests.gui.test_workspace import open_at, start

    bundle = conferences.add_conference(sqlite_db, build_demo(policy, TODAY))
    window = start(qtbot, sqlite_db, policy, tmp_path / "place.json")
    assert isinstance(window, MainWindow)
    ws = open_at(qtbot, window, bundle.conference.id, "close")
    ws.pages["close"].document_buttons["plan"].click()
    dialog = window.documents
    assert dialog.choice.currentText() == "Child protection plan"
    qtbot.waitUntil(lambda: dialog.reader.count() > 1, timeout=20000)
    dialog.choose_reader("Ryan Cole")
    dialog.produce("preview")
    qtbot.waitUntil(lambda: "as Ryan Cole will receive it" in dialog.status.text(), timeout=30000)
    assert "Danielle Hayes's contact details" in dialog.status.text()
    assert "View as Ryan Cole" in _text(dialog.preview_pdf)
    qtbot.waitUntil(lambda: not dialog.tasks.busy(), timeout=30000)
    dialog.close()
