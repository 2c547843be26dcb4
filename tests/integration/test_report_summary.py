"""The report's summary PDF read back: what it is, headings in words, counts as whole numbers, nothing hidden."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

from pypdf import PdfReader

from chair_app.reports.measures import Period
from chair_app.services import conferences, reporting
from chair_app.services.demo import build_demo


def test_the_summary_pdf_reads_as_a_service_wide_report_in_words(sqlite_db, policy, tmp_path):
    today = date.today()
    bundle = build_demo(policy, today)  # held today: its record and plan are not yet due
    kayden = next(c for c in bundle.children if c.forename == "Kayden")
    next(v for v in bundle.conference_children if v.child_id == kayden.id).participation_code = None
    conferences.add_conference(sqlite_db, bundle)
    period = Period(today - timedelta(days=200), today + timedelta(days=100))
    files = reporting.write_report(sqlite_db, policy, period, tmp_path / "report")
    texts = [page.extract_text() for page in PdfReader(io.BytesIO(files.pdf.read_bytes())).pages]
    everything = re.sub(r"\s+", " ", " ".join(texts))
    for text in texts:
        assert "Service-wide report · produced" in text
        assert "Version" not in text and "Conference " + bundle.conference.held_on.strftime("%d/%m/%Y") not in text
    # Headings in words from the one mapping, never field names (nor field names broken across lines).
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", everything), re.search(r"\b[a-z]+_[a-z_]+\b", everything)
    for heading in ("Within timescale", "Not yet due", "Subject of a plan", "Report provided (%)"):
        assert heading in everything
    # Counts as whole numbers: the year on year's children on a plan is "0" then "3", never "3.0".
    assert re.search(r"Children subject to a plan at the period end 0 3 up", everything)
    assert not re.search(r"\b\d+\.0 / \d+\.0\b", everything)
    # None due yet, in words; and the child with no participation code is counted out loud.
    assert re.search(r"Records distributed within timescale 0 0 none due yet", everything)
    assert "1 child with no code recorded, not counted" in everything
