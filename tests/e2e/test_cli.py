"""The `chair-app` command as a person uses it: real processes, a real database file."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from chair_app.store.engine import open_database, sqlite_url
from tests.conftest import dump


@pytest.fixture
def env(tmp_path):
    e = dict(os.environ)
    e["CHAIR_DB_URL"] = sqlite_url(tmp_path / "chair.db")
    e["CHAIR_LOG_DIR"] = str(tmp_path / "log")
    e.pop("CHAIR_POLICY", None)
    return e


def run(env, *args, check=True):
    proc = subprocess.run(
        [sys.executable, "-m", "chair_app", *args], env=env, capture_output=True, text=True, timeout=120
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"{args}: exit {proc.returncode}: {proc.stderr}")
    return proc


def db_state(env):
    db = open_database(env["CHAIR_DB_URL"])
    try:
        return dump(db)
    finally:
        db.dispose()


def refused(proc, *words):
    assert proc.returncode == 2, proc
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for w in words:
        assert w in lines[0], lines[0]
    return lines[0]


def test_demo_list_show_export_import(env, tmp_path):
    assert "fictional" in run(env, "demo").stdout
    listing = run(env, "list").stdout
    ref = re.search(r"^(C-[0-9A-F]{6})\s", listing, re.M).group(1)
    assert "Hayes family" in listing and re.search(r"\d\d/\d\d/\d{4}", listing)

    shown = run(env, "show", ref).stdout
    for expected in (
        "Hayes family",
        "Quorate:",
        "Conference held within timescale",
        "Repeat plan",
        "unborn, due",
        "First core group",
    ):
        assert expected in shown

    out = tmp_path / "x.json"
    run(env, "export", ref, "--out", str(out))
    assert json.loads(out.read_text())["format"] == "chair-conference"
    assert "Already up to date" in run(env, "import", str(out)).stdout

    # Into an empty database on another "laptop", then out again: the same document.
    other = dict(env, CHAIR_DB_URL=sqlite_url(tmp_path / "clerk.db"))
    assert "Added" in run(other, "import", str(out)).stdout
    again = tmp_path / "again.json"
    run(other, "export", ref, "--out", str(again))
    one, two = json.loads(out.read_text()), json.loads(again.read_text())
    journal_one, journal_two = one.pop("journal"), two.pop("journal")  # the journal goes on: the import's entry
    assert one == two and journal_two[: len(journal_one)] == journal_one


def test_wrong_input_is_refused_in_one_line_and_changes_nothing(env, tmp_path):
    run(env, "demo")
    ref = re.search(r"^(C-[0-9A-F]{6})\s", run(env, "list").stdout, re.M).group(1)
    good = tmp_path / "good.json"
    run(env, "export", ref, "--out", str(good))
    doc = json.loads(good.read_text())
    before = db_state(env)

    def variant(name, change):
        d = json.loads(json.dumps(doc))
        change(d)
        path = tmp_path / name
        path.write_text(json.dumps(d))
        return path

    refused(run(env, "import", str(tmp_path / "missing.json"), check=False), "does not exist")
    (tmp_path / "invalid.json").write_text("{ not json")
    refused(run(env, "import", str(tmp_path / "invalid.json"), check=False), "not valid JSON", "line 1")
    refused(
        run(env, "import", str(variant("types.json", lambda d: d["conference"].update(remote="yes"))), check=False),
        "conference.remote",
    )
    refused(
        run(env, "import", str(variant("version.json", lambda d: d.update(format_version=99))), check=False),
        "format version 99",
    )

    def older(d):
        d.pop("journal")  # a file from before files merged: judged by its version counter, as then
        d["conference"]["venue"] = "Changed on another laptop"
        d["conference"]["updated_by"] = "Paul Greaves"

    refused(run(env, "import", str(variant("older.json", older)), check=False), "version 1", "Paul Greaves")

    refused(run(env, "show", "C-000000", check=False), "no conference")
    refused(run(env, "export", ref, "--out", str(tmp_path / "no" / "dir" / "x.json"), check=False), "--out")
    refused(run(env, "export", ref, check=False), "--out")
    refused(run(env, "frobnicate", check=False), "invalid choice")
    refused(run(env, "--db", "nonsense://", "list", check=False), "--db")
    assert db_state(env) == before
    assert not (tmp_path / "no").exists()


def test_version_and_help(env):
    assert run(env, "--version").stdout.startswith("chair-app ")
    helptext = run(env, "--help").stdout
    for sub in ("list", "show", "export", "import", "demo", "policy"):
        assert sub in helptext


def test_policy_show_and_check(env, tmp_path):
    shown = run(env, "policy", "show").stdout
    assert "Policy in force" in shown and "initial_conference_working_days = 15" in shown
    # Issue 20: the new defaults, each with its source.
    assert (
        "#   timescales.plan_distribution_working_days = 5\n#     source: Leicestershire IRO annual report 2019-20"
        in shown
    )
    assert "#   timescales.decision_letter_working_days = 1\n#     source: North Yorkshire" in shown
    assert '#   roles.advocate = { label = "Advocate", group = "other", agency = false }' in shown
    bad = tmp_path / "bad.toml"
    from chair_app.rules.policy import default_policy_path

    bad.write_text(default_policy_path().read_text().replace("review_months = 6", 'review_months = "six"'))
    line = refused(run(env, "policy", "check", str(bad), check=False), str(bad), "timescales.review_months")
    assert "whole number" in line
    assert "valid policy" in run(env, "policy", "check", str(default_policy_path())).stdout
    # A malformed policy in force stops every command that uses it, naming file and key.
    refused(run(dict(env, CHAIR_POLICY=str(bad)), "demo", check=False), "timescales.review_months")


def test_an_unexpected_fault_is_one_line_and_the_log_keeps_no_personal_data(env, tmp_path, monkeypatch, capsys):
    from chair_app import cli, logs

    monkeypatch.setenv("CHAIR_LOG_DIR", env["CHAIR_LOG_DIR"])
    for handler in list(logs.logging.getLogger("chair_app").handlers):
        logs.logging.getLogger("chair_app").removeHandler(handler)

    def explode(args):
        raise RuntimeError("cannot store 'Kayden Hayes, 14 Orchard Close'")

    monkeypatch.setitem(cli.COMMANDS, "list", explode)
    assert cli.main(["list"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "RuntimeError" in err and "Kayden" not in err and "Traceback" not in err
    logged = "".join(p.read_text() for p in Path(env["CHAIR_LOG_DIR"]).glob("*.log*"))
    assert "RuntimeError" in logged and "test_cli.py" in logged
    assert "Kayden" not in logged and "Orchard" not in logged


def test_report_and_exports_from_the_command_line(env, tmp_path):
    run(env, "demo")
    today = __import__("datetime").date.today()
    start, end = f"01/01/{today.year - 1}", f"31/12/{today.year + 1}"
    assert "14 CSV files" in run(env, "report", "--from", start, "--to", end, "--out", str(tmp_path / "r")).stdout
    assert (tmp_path / "r" / "summary.pdf").exists()
    assert (
        "valid against" in run(env, "export-cin", "--from", start, "--to", end, "--out", str(tmp_path / "c.xml")).stdout
    )
    assert (
        "participation rows"
        in run(env, "export-participation", "--from", start, "--to", end, "--out", str(tmp_path / "p.csv")).stdout
    )
    refused(
        run(env, "report", "--from", "yesterday", "--to", end, "--out", str(tmp_path / "x"), check=False),
        "--from:",
        "dd/mm/yyyy",
    )
    (tmp_path / "afile").write_text("x")
    refused(
        run(env, "report", "--from", start, "--to", end, "--out", str(tmp_path / "afile"), check=False), "is a file"
    )
