"""`chair-app history`, `audit` and `finalise` as a person uses them: real processes, a real database file."""

from __future__ import annotations

import json
import os
import re

import pytest

from chair_app.store.engine import sqlite_url
from tests.e2e.test_cli import refused, run


@pytest.fixture
def env(tmp_path):
    e = dict(os.environ)
    e["CHAIR_DB_URL"] = sqlite_url(tmp_path / "chair.db")
    e["CHAIR_LOG_DIR"] = str(tmp_path / "log")
    e["CHAIR_DEVICE_ID"] = "e2e-laptop"
    e.pop("CHAIR_POLICY", None)
    e.pop("CHAIR_USER", None)
    return e


WHEN = r"\d\d/\d\d/\d{4} \d\d:\d\d UTC"


def _ref(env) -> str:
    return re.search(r"^(C-[0-9A-F]{6})\s", run(env, "list").stdout, re.M).group(1)


def test_history_and_audit_say_who_did_what_when(env, tmp_path):
    env["CHAIR_USER"] = "Jo Clerk"
    run(env, "demo")
    ref = _ref(env)
    out = tmp_path / "c.json"
    run(env, "export", ref, "--out", str(out))
    doc = json.loads(out.read_text())
    old_venue = doc["conference"]["venue"]
    doc.pop("journal")  # a file from before files merged by the journal: judged by its version, as then
    doc["conference"]["version"] += 1
    doc["conference"]["venue"] = "Video call"
    doc["conference"]["updated_by"] = "Clerk laptop"
    (tmp_path / "newer.json").write_text(json.dumps(doc))
    assert "Updated" in run(env, "import", str(tmp_path / "newer.json")).stdout
    run(env, "record", ref, "--out", str(tmp_path / "record.pdf"))
    run(env, "show", ref)

    history = run(env, "history", ref).stdout.splitlines()
    assert history[0].startswith(f"History of {ref} (")
    assert re.match(rf"^{WHEN}  Jo Clerk  created the conference$", history[1]), history[1]
    imported = next(
        i for i, line in enumerate(history) if "  imported from a conference file (updated at version" in line
    )
    assert re.match(
        rf"^{WHEN}  Jo Clerk  imported from a conference file \(updated at version \d+\)$", history[imported]
    )
    assert re.match(
        rf'^    Conference [0-9a-f]{{8}}, Venue: "{re.escape(old_venue)}" -> "Video call"$', history[imported + 1]
    )
    assert any(re.match(rf"^{WHEN}  Jo Clerk  saved a document \(record\)$", line) for line in history)  # --out: saved

    audit = run(env, "audit", ref).stdout.splitlines()
    assert audit[0] == f"Who saw or sent {ref}, oldest first"
    actions = [re.sub(rf"^{WHEN}  Jo Clerk  ", "", line) for line in audit[1:]]
    assert actions == [
        "exported to a conference file (conference file, version 1)",
        "imported from a conference file (updated at version 2)",
        "saved a document (record)",
        "shown",
    ], audit


def test_finalise_signs_the_record_off_once_and_history_shows_it(env):
    env["CHAIR_USER"] = "Jo Clerk"
    run(env, "demo")
    ref = _ref(env)
    assert f"Finalised {ref}, signed off by Helen Marsh" in run(env, "finalise", ref, "--by", "Helen Marsh").stdout
    assert "finalised" in run(env, "list").stdout
    line = refused(run(env, "finalise", ref, "--by", "Someone Else", check=False), "signed off by Helen Marsh")
    assert "amendment" in line
    history = run(env, "history", ref).stdout.splitlines()
    signed = next(i for i, line in enumerate(history) if line.endswith("Helen Marsh  signed off (finalised)"))
    assert re.match(rf"^{WHEN}  Helen Marsh  signed off \(finalised\)$", history[signed])
    assert any(line.endswith('Record status: "draft" -> "finalised"') for line in history[signed + 1 :])
    assert "signed off (finalised)" in run(env, "audit", ref).stdout


def test_history_of_an_unknown_reference_is_refused_in_one_line(env):
    run(env, "demo")
    refused(run(env, "history", "C-ZZZZZZ", check=False), "no conference")
    refused(run(env, "audit", "C-ZZZZZZ", check=False), "no conference")


def test_setup_app_role_is_refused_on_sqlite_in_one_line(env):
    refused(run(env, "setup-app-role", check=False), "PostgreSQL")


@pytest.mark.postgres
def test_the_owner_sets_up_the_app_role_and_the_app_works_as_it(env, pg_cluster, pg_database):
    from tests.conftest import _empty_postgres

    _empty_postgres(pg_database)
    owner = pg_cluster.url
    app = f"postgresql+psycopg://chair_app@127.0.0.1:{pg_cluster.port}/postgres"
    assert "granted what the app needs" in run(env, "--db", owner, "setup-app-role").stdout
    run(env, "--db", app, "demo")
    ref = re.search(r"^(C-[0-9A-F]{6})\s", run(env, "--db", app, "list").stdout, re.M).group(1)
    run(env, "--db", app, "finalise", ref, "--by", "Helen Marsh")
    assert "Helen Marsh  signed off (finalised)" in run(env, "--db", app, "history", ref).stdout
