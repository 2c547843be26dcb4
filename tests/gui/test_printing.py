"""Printing through QtPrintSupport to a real CUPS queue (cups-pdf, started by tests/gui/conftest.py).

What the queue receives is read back: the spooled PDF must be A4 landscape with its text in it, named by the
conference reference and document, and the print must be recorded with its method, queue, job id and pages
only once the job was handed over.
"""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter

from chair_app.domain.enums import DocumentKind
from chair_app.gui import printing
from chair_app.gui.documents_dialog import DocumentsDialog
from chair_app.services import conferences, documents
from chair_app.services.demo import build_demo

FAMILY = "Hayes family"


def _dialog(qtbot, db, policy, key="handout") -> tuple[DocumentsDialog, str]:
    bundle = conferences.add_conference(db, build_demo(policy, date(2026, 11, 23)))
    dialog = DocumentsDialog(db, policy, bundle.conference.ref, FAMILY)
    qtbot.addWidget(dialog)
    dialog.choose(key)
    return dialog, bundle.conference.ref


def _answer_print_dialog(dialog: DocumentsDialog, *, accept: bool, seen: list) -> None:
    """When the print dialog is up, press its Print (accept) or Cancel (reject) button's slot."""

    def poll() -> None:
        shown = dialog.print_dialog
        if shown is not None and shown.isVisible():
            seen.append(shown.printer().pageLayout())
            shown.accept() if accept else shown.reject()
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def _page_shape(path) -> tuple[str, str]:
    """(paper, orientation) of the first page as a viewer shows it, from pdfinfo."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    w, h = (float(x) for x in fields["Page size"].split("pts")[0].split(" x "))
    rotated = int(fields.get("Page rot", "0").strip() or 0) % 180 == 90
    if rotated:
        w, h = h, w
    paper = "A4" if sorted((round(w), round(h))) == [595, 842] else f"{w:.0f}x{h:.0f}"
    return paper, "landscape" if w > h else "portrait"


def test_the_handout_prints_to_a_cups_queue_as_a4_landscape_with_its_text_and_is_recorded(
    qtbot, sqlite_db, policy, cups_queue
):
    dialog, ref = _dialog(qtbot, sqlite_db, policy)
    seen: list[QPageLayout] = []
    _answer_print_dialog(dialog, accept=True, seen=seen)
    with qtbot.waitSignal(dialog.sig_printed, timeout=60_000) as printed:
        dialog.produce("print")
    # The dialog opened already set to the document's paper: A4 landscape (issue 18 point 1).
    assert seen[0].orientation() is QPageLayout.Orientation.Landscape
    assert seen[0].pageSize().id() is QPageSize.PageSizeId.A4

    records = conferences.load(sqlite_db, ref).documents
    assert [(r.kind, r.method, r.queue, r.pages) for r in records] == [
        (DocumentKind.HANDOUT, "printed", cups_queue.name, printed.args[0])
    ]
    job = records[0].job_id
    assert job.startswith(f"{cups_queue.name}-")
    assert f"as job {job}" in dialog.status.text()

    spooled = cups_queue.spooled(job)
    assert _page_shape(spooled) == ("A4", "landscape")
    assert len(PdfReader(spooled).pages) == printed.args[0] == dialog.pdf.pageCount()
    text = subprocess.run(["pdftotext", str(spooled), "-"], capture_output=True, text=True, check=True).stdout
    assert FAMILY in text  # vector pages: the words are in the job, not pictures of them
    title = subprocess.run(["pdfinfo", str(spooled)], capture_output=True, text=True, check=True).stdout
    assert f"{ref} mapping handout" in title and "Hayes" not in title  # the job's name on a shared queue


def test_cancelling_the_print_dialog_sends_and_records_nothing(qtbot, sqlite_db, policy, cups_queue):
    dialog, ref = _dialog(qtbot, sqlite_db, policy)
    before = cups_queue.completed()
    seen: list = []
    _answer_print_dialog(dialog, accept=False, seen=seen)
    dialog.produce("print")
    qtbot.waitUntil(lambda: "Printing cancelled" in dialog.status.text(), timeout=60_000)
    assert seen  # the dialog was shown, then cancelled
    assert conferences.load(sqlite_db, ref).documents == []
    queued = subprocess.run(["lpstat", "-o", cups_queue.name], capture_output=True, text=True).stdout
    assert queued.strip() == "" and cups_queue.completed() == before


def test_a_job_cancelled_part_way_on_the_image_path_records_nothing(qtbot, sqlite_db, policy, cups_queue, monkeypatch):
    monkeypatch.setattr(printing, "cups_queue", lambda _printer: "")  # as on a platform that cannot take a PDF
    dialog, ref = _dialog(qtbot, sqlite_db, policy, "handout-copies")
    dialog.produce("preview")
    qtbot.waitUntil(lambda: dialog.produced is not None and not dialog.tasks.busy(), timeout=60_000)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPrinterName(cups_queue.name)
    with qtbot.waitSignal(dialog.sig_printed, timeout=120_000) as printed:
        dialog.print_to(dialog.produced, printer)
        dialog.printing[1].canceled.emit()  # what the progress window's Cancel sends
    assert printed.args == [0]
    assert dialog.status.text() == "Printing cancelled: nothing was recorded."
    assert conferences.load(sqlite_db, ref).documents == []


def test_the_choices_in_the_dialog_are_what_goes_to_the_queue(qapp, sqlite_db, policy):
    bundle = conferences.add_conference(sqlite_db, build_demo(policy, date(2026, 11, 23)))
    made = documents.handout(sqlite_db, bundle.conference.ref, policy, record=False)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printing.prepare(printer, made.pdf, documents.job_name(made))
    assert printer.pageLayout().orientation() is QPageLayout.Orientation.Landscape
    assert printer.docName() == f"{bundle.conference.ref} mapping handout"
    document = printing.document_layout(made.pdf)
    total = printing.page_count(made.pdf)
    cmd = printing.lp_command(printer, "Office", "J", document, 1, total, total)
    assert "media=A4" in cmd and "orientation-requested=4" in cmd and "fit-to-page" not in cmd and "-P" not in cmd

    wall = documents.handout(sqlite_db, bundle.conference.ref, policy, a3=True, record=False)
    assert printing.document_layout(wall.pdf).pageSize().id() is QPageSize.PageSizeId.A3
    plan = documents.cp_plan(sqlite_db, bundle.conference.ref, policy, record=False)
    assert printing.document_layout(plan.pdf).orientation() is QPageLayout.Orientation.Portrait

    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A3))  # the person chose A3 for the wall
    printer.setCopyCount(2)
    cmd = printing.lp_command(printer, "Office", "J", document, 2, 2, total)
    assert "media=A3" in cmd and "fit-to-page" in cmd and cmd[cmd.index("-P") + 1] == "2-2"
    assert cmd[cmd.index("-n") + 1] == "2"


def test_print_to_file_writes_the_pdf_itself_and_records_it_as_saved(qtbot, sqlite_db, policy, tmp_path):
    dialog, ref = _dialog(qtbot, sqlite_db, policy)
    dialog.produce("preview")
    qtbot.waitUntil(lambda: dialog.produced is not None and not dialog.tasks.busy(), timeout=60_000)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "out.pdf"))
    with qtbot.waitSignal(dialog.sig_printed, timeout=60_000) as printed:
        dialog.print_to(dialog.produced, printer)
    assert (tmp_path / "out.pdf").read_bytes() == dialog.produced.pdf
    assert FAMILY in PdfReader(tmp_path / "out.pdf").pages[0].extract_text()
    records = conferences.load(sqlite_db, ref).documents
    assert [(r.method, r.queue, r.job_id, r.pages) for r in records] == [("saved", "", "", printed.args[0])]


@pytest.mark.parametrize("key", [k for k, _label, _fn in documents.CHOICES])
def test_job_names_carry_the_reference_and_document_never_a_name(sqlite_db, policy, key):
    bundle = conferences.add_conference(sqlite_db, build_demo(policy, date(2026, 11, 23)))
    make = dict((k, fn) for k, _label, fn in documents.CHOICES)[key]
    made = make(sqlite_db, bundle.conference.ref, policy, record=False)
    name = documents.job_name(made)
    assert name.startswith(bundle.conference.ref + " ")
    words = name.removeprefix(bundle.conference.ref + " ")  # the reference is random letters and digits
    assert words in documents.JOB_NAMES.values()
    people = [p.name for p in bundle.people] + [c.full_name for c in bundle.children] + [FAMILY]
    assert not any(part.lower() in words.split() for person in people for part in person.split())


def test_only_copies_whose_pages_went_are_recorded(sqlite_db, policy):
    bundle = conferences.add_conference(sqlite_db, build_demo(policy, date(2026, 11, 23)))
    made = documents.handout(sqlite_db, bundle.conference.ref, policy, per_attendee=True, record=False)
    assert conferences.load(sqlite_db, bundle.conference.ref).documents == []
    per_copy = made.copy_pages[0]
    pages = documents.pages_sent(made, 1, per_copy, copies=2)  # the first copy's pages, twice
    assert pages[0] == 2 * per_copy and not any(pages[1:])
    assert documents.record_output(sqlite_db, made, method="printed", queue="Office", job_id="Office-7", pages=pages)
    records = conferences.load(sqlite_db, bundle.conference.ref).documents
    assert [(r.recipient, r.job_id, r.pages) for r in records] == [(made.copies[0], "Office-7", 2 * per_copy)]
    with pytest.raises(Exception, match="method"):
        documents.record_output(sqlite_db, made, method="emailed")
