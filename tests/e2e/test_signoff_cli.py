"""`chair-app finalise` and `chair-app amend` as a person uses them: real processes, a real database file."""

from __future__ import annotations

import io
import os
import re
from datetime import date

import pypdf
import pytest

from chair_app.domain import model as m
from chair_app.rules.policy import load_policy
from chair_app.services import workspace
from chair_app.services.demo import create_demo
from chair_app.store.engine import open_database, sqlite_url
from tests.e2e.test_cli import db_state, refused, run

TODAY = date(2026, 11, 23)


@pytest.fixture
def env(tmp_path):
    e = dict(os.environ)
    e["CHAIR_DB_URL"] = sqlite_url(tmp_path / "chair.db")
    e["CHAIR_LOG_DIR"] = str(tmp_path / "log")
    e["CHAIR_DEVICE_ID"] = "e2e-laptop"
    e["CHAIR_USER"] = "Jo Clerk"
    e.pop("CHAIR_POLICY", None)
    return e


def _demo(env, *, without_code: bool = False) -> str:
    """The demo conference stored by this process (optionally with Kayden's participation code taken away)."""
    db = open_database(env["CHAIR_DB_URL"])
    try:
        bundle = create_demo(db, load_policy(), TODAY)
        if without_code:
            kayden = next(c for c in bundle.children if c.forename == "Kayden")
            voice = next(v for v in bundle.conference_children if v.child_id == kayden.id)
            cid = bundle.conference.id
            workspace.set_fields(
                db,
                cid,
                m.ConferenceChild,
                voice.id,
                {"participation_code": None},
                who="Helen Marsh",
                policy=load_policy(),
                seen=None,
            )
        return bundle.conference.ref
    finally:
        db.dispose()


def test_finalise_prints_what_is_missing_one_line_each_and_writes_nothing(env):
    ref = _demo(env, without_code=True)
    before = db_state(env)
    proc = run(env, "finalise", ref, "--by", "Helen Marsh", check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [
        f"chair-app: finalise: {ref} is not ready to sign off; put right first:",
        "  - Child's voice: no participation code for Kayden Hayes",
    ]
    assert db_state(env) == before


def test_finalise_by_someone_other_than_the_chair_is_refused_naming_the_chair(env):
    ref = _demo(env)
    before = db_state(env)
    refused(run(env, "finalise", ref, "--by", "Jo Clerk", check=False), "only the conference's chair, Helen Marsh")
    assert db_state(env) == before


def test_amend_corrects_a_field_listed_by_amend_list_and_the_record_and_show_carry_it(env, tmp_path):
    ref = _demo(env)
    run(env, "finalise", ref, "--by", "Helen Marsh")
    listing = run(env, "amend", ref, "--list").stdout.splitlines()
    spec = next(line.split()[0] for line in listing if "Mapping item" in line and ".text " in line + " ")
    assert re.fullmatch(r"[0-9a-f]{8}\.text", spec), spec
    out = run(
        env, "amend", ref, "--field", spec, "--value", "Zinc corrected item", "--by", "Jo Clerk", "--reason", "Typo"
    ).stdout
    assert out.startswith(f'Amended {ref}: Mapping item, text: now "Zinc corrected item" (was ')
    assert re.search(r"amended \d\d/\d\d/\d{4}: Typo \(by Jo Clerk\)$", out.strip())
    assert any("Zinc corrected item" in line for line in run(env, "amend", ref, "--list").stdout.splitlines())

    shown = run(env, "show", ref).stdout
    assert "Signed off by Helen Marsh on " in shown and 'Amendment: Mapping item, text: now "Zinc' in shown
    run(env, "record", ref, "--out", str(tmp_path / "record.pdf"))
    reader = pypdf.PdfReader(io.BytesIO((tmp_path / "record.pdf").read_bytes()))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert text.count("Zinc corrected item") == 2 and "Amendments since sign-off" in text

    history = run(env, "history", ref).stdout
    assert re.search(rf"Jo Clerk  amended\n    Mapping item {spec[:8]}, Text \(amended\): \".*\" -> \"Zinc", history)


def test_amend_keeps_the_note_form_and_refuses_bad_options_in_one_line(env):
    ref = _demo(env)
    refused(run(env, "amend", ref, "--text", "A note", "--by", "Jo", "--reason", "R", check=False), "not finalised")
    run(env, "finalise", ref, "--by", "Helen Marsh")
    out = run(env, "amend", ref, "--text", "Kayden's school is Meadowbank", "--by", "Jo", "--reason", "Typo").stdout
    assert out.startswith(f"Amended {ref}: Kayden's school is Meadowbank; amended ")
    before = db_state(env)
    refused(
        run(env, "amend", ref, "--field", "conference.venue", "--by", "Jo", "--reason", "R", check=False), "--value"
    )
    refused(
        run(env, "amend", ref, "--field", "venue", "--value", "x", "--by", "J", "--reason", "R", check=False), "--field"
    )
    refused(run(env, "amend", ref, "--text", "x", "--by", "Jo", check=False), "--reason: required")
    refused(
        run(env, "amend", ref, "--field", "zzzz.text", "--value", "x", "--by", "J", "--reason", "R", check=False),
        "is not a record",
    )
    refused(
        run(env, "amend", ref, "--field", "conference.kind", "--value", "x", "--by", "J", "--reason", "R", check=False),
        "no field 'kind'",
    )
    assert db_state(env) == before
    out = run(
        env, "amend", ref, "--field", "conference.venue", "--value", "Room 3", "--by", "Jo", "--reason", "Wrong room"
    ).stdout
    assert 'Conference, venue: now "Room 3"' in out
