"""`chair-app show` prints what the chair recorded about going ahead: proceeded without quorum, or stood down."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from chair_app.domain.enums import AttendanceStatus
from chair_app.rules.policy import load_policy
from chair_app.services import conferences, recording
from chair_app.store.engine import open_database, sqlite_url

WHO = "Helen Marsh"


@pytest.fixture
def env(tmp_path):
    e = dict(os.environ)
    e["CHAIR_DB_URL"] = sqlite_url(tmp_path / "chair.db")
    e["CHAIR_LOG_DIR"] = str(tmp_path / "log")
    e.pop("CHAIR_POLICY", None)
    return e


def run(env, *args) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "chair_app", *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _demo(env) -> str:
    return re.search(r"demo conference (C-[0-9A-F]{6})", run(env, "demo")).group(1)


def test_show_prints_proceeded_without_quorum_and_the_rationale(env):
    ref = _demo(env)
    policy = load_policy()
    db = open_database(env["CHAIR_DB_URL"])
    try:
        bundle = conferences.load(db, ref)
        people = {p.id: p for p in bundle.people}
        for inv in bundle.invitations:
            if people[inv.person_id].role_code in ("social_worker", "family_support_worker"):
                recording.record_attendance(db, inv.id, AttendanceStatus.DID_NOT_ATTEND, None, who=WHO)
        recording.proceed_not_quorate(
            db, bundle.conference.id, policy, "The social worker's report is full and the manager joins later.", who=WHO
        )
    finally:
        db.dispose()
    shown = run(env, "show", ref)
    assert "Not quorate:" in shown
    assert "Recorded: proceeded without quorum." in shown
    assert "Chair's rationale: The social worker's report is full and the manager joins later." in shown
    assert "Recorded: quorate." not in shown


def test_show_prints_a_stood_down_reason_and_note(env):
    from chair_app.rules.timescales import reconvene_by

    ref = _demo(env)
    policy = load_policy()
    db = open_database(env["CHAIR_DB_URL"])
    try:
        conference = conferences.load(db, ref).conference
        recording.stand_down(
            db,
            conference.id,
            policy,
            "no_interpreter",
            "The Polish interpreter did not arrive",
            reconvene_on=reconvene_by(conference.held_on, conference.kind, policy),
            interim_arrangement="The safety plan from the strategy discussion stays in place.",
            who=WHO,
        )
    finally:
        db.dispose()
    shown = run(env, "show", ref)
    assert "Stood down: Lack of an interpreter. The Polish interpreter did not arrive" in shown
    assert "Re-convened on: " in shown and "Until then: The safety plan from the strategy discussion" in shown


def test_show_prints_a_recorded_quorate_outcome(env):
    ref = _demo(env)  # the demo conference was recorded as quorate
    assert "Recorded: quorate." in run(env, "show", ref)
