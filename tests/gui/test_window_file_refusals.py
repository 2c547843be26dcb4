"""Saving a PDF from the window: a place that is not a regular file is refused on the dialog's status line,
the place is left as it was, and nothing escapes as an unexpected error."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QFileDialog

from chair_app.gui.documents_dialog import DocumentsDialog
from chair_app.services import conferences
from chair_app.services.demo import build_demo


@pytest.fixture
def dialog(qtbot, sqlite_db, policy):
    bundle = conferences.add_conference(sqlite_db, build_demo(policy, date(2026, 11, 23)))
    d = DocumentsDialog(sqlite_db, policy, bundle.conference.ref, "Hayes family")
    qtbot.addWidget(d)
    return d


def _made(dialog):
    """The chair's handout as the window builds it for its preview: nothing recorded until it is saved."""
    from chair_app.services import documents

    return documents.handout(dialog.db, dialog.ref, dialog.policy, record=False)


def _saved(dialog) -> list:
    return [(d.method, d.recipient) for d in conferences.load(dialog.db, dialog.ref).documents]


def _choose(monkeypatch, path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(path), "")))


def test_saving_over_a_symbolic_link_is_refused_on_the_status_line(dialog, monkeypatch, tmp_path):
    target = tmp_path / "elsewhere.pdf"
    target.write_bytes(b"keep")
    link = tmp_path / "link.pdf"
    link.symlink_to(target)
    _choose(monkeypatch, link)
    dialog._save(_made(dialog), "handout")
    assert (
        dialog.status.text()
        == f"Save PDF: {link} is a symbolic link; Chair writes only regular files: give another path"
    )
    assert link.is_symlink() and target.read_bytes() == b"keep"
    assert _saved(dialog) == []  # a refused save records nothing


def test_saving_onto_a_device_or_a_folder_is_refused_and_a_file_is_saved_0600(dialog, monkeypatch, tmp_path):
    made = _made(dialog)
    _choose(monkeypatch, "/dev/full")
    dialog._save(made, "handout")
    assert dialog.status.text().startswith("Save PDF: /dev/full is a device")
    _choose(monkeypatch, tmp_path)
    dialog._save(made, "handout")
    assert "is a folder" in dialog.status.text()
    assert _saved(dialog) == []
    _choose(monkeypatch, tmp_path / "h.pdf")
    dialog._save(made, "handout")
    assert dialog.status.text() == f"Saved {tmp_path / 'h.pdf'}."
    assert (tmp_path / "h.pdf").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "h.pdf").read_bytes() == made.pdf
    assert _saved(dialog) == [("saved", "Chair's copy")]
