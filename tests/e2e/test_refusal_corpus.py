"""The refusal corpus: bad inputs of every kind, each refused in one line with exit status 2 and nothing written.

Each case is a command line (with its input files written first) and words its one line of refusal must
contain. Every case must: exit 2; print exactly one line on stderr, starting "chair-app"; never say
"unexpected error" or show a traceback; leave every table of the database as it was (``dump``); and leave no
new, changed or removed file in the database's folder or the case's own folder.

Most cases run ``chair_app.cli.main`` in this process with stderr captured: the same function the installed
``chair-app`` command runs, without a Python start-up per case. ``test_some_refusals_as_real_processes``
runs a handful through a real process, including those that depend on the process (exit status, a broken
pipe). The window's date boxes have their own corpus in tests/gui/test_window_date_refusals.py.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from chair_app.cli import main as cli_main
from chair_app.rules.policy import default_policy_path
from chair_app.services.conferences import write_export
from chair_app.services.demo import create_demo
from chair_app.store.engine import open_database, sqlite_url
from tests.conftest import dump

DEFAULT_POLICY = default_policy_path().read_text(encoding="utf-8")


@dataclass
class World:
    folder: Path
    url: str
    ref: str
    doc: dict[str, Any]
    db: Any


@pytest.fixture(scope="module")
def world(tmp_path_factory, policy):
    folder = tmp_path_factory.mktemp("corpus")
    url = sqlite_url(folder / "chair.db")
    db = open_database(url)
    bundle = create_demo(db, policy)
    ref = bundle.conference.ref
    good = tmp_path_factory.mktemp("corpus-export") / "good.json"
    write_export(db, ref, good)
    yield World(folder, url, ref, json.loads(good.read_text(encoding="utf-8")), db)
    db.dispose()


# ---------------------------------------------------------------------------------------------------------
# Cases


@dataclass
class Case:
    id: str
    argv: list[str]  # {db} {ref} {case} are filled in
    words: tuple[str, ...] = ()
    files: dict[str, bytes | Callable[[World], bytes] | None] = field(default_factory=dict)  # None: a folder
    setup: Callable[[Path], None] | None = None


def _doc_case(name: str, change: Callable[[dict], Any], *words: str) -> Case:
    """A conference file: the demo conference's export with one thing wrong."""

    def make(w: World) -> bytes:
        doc = copy.deepcopy(w.doc)
        change(doc)
        return json.dumps(doc).encode("ascii")  # a lone surrogate is written as the escape \\ud800

    return Case(f"conference-file-{name}", ["--db", "{db}", "import", "{case}/in.json"], words, {"in.json": make})


def _raw_case(name: str, data: bytes, *words: str) -> Case:
    return Case(f"conference-file-{name}", ["--db", "{db}", "import", "{case}/in.json"], words, {"in.json": data})


def _set(path: str, value: Any) -> Callable[[dict], None]:
    """A change setting one value, by a path like "children.0.forename"."""

    def change(doc: dict) -> None:
        *head, last = path.split(".")
        node: Any = doc
        for part in head:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return change


def _drop(path: str) -> Callable[[dict], None]:
    def change(doc: dict) -> None:
        *head, last = path.split(".")
        node: Any = doc
        for part in head:
            node = node[int(part)] if isinstance(node, list) else node[part]
        del node[last]

    return change


def _dup_child(doc: dict) -> None:
    doc["children"].append(dict(doc["children"][0]))


UUID_ELSEWHERE = "0b5e1f0a-3c1d-4e5f-8a9b-0c1d2e3f4a5b"

CONFERENCE_FILES = [
    # What arrives instead of a conference file.
    _raw_case("empty", b"", "is empty"),
    _raw_case("only-spaces", b"  \n\t ", "is empty"),
    _raw_case("cut-short", b'{"format": ', "not valid JSON", "line 1"),
    _raw_case("a-list", b"[]", "not a Chair conference file"),
    _raw_case("null", b"null", "not a Chair conference file"),
    _raw_case("a-string", b'"conference"', "not a Chair conference file"),
    _raw_case("a-number", b"123", "not a Chair conference file"),
    _raw_case("utf-16", '{"format": "chair-conference"}'.encode("utf-16"), "not UTF-8"),
    _raw_case("latin-1", b'{"name": "Zaz\xf3\xb3"}', "not UTF-8"),
    _raw_case("a-png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8"),
    _raw_case("byte-order-mark", b'\xef\xbb\xbf{"format": "chair-conference"}', "not valid JSON"),
    _raw_case("nested-100000-lists", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    _raw_case("nested-50000-objects", b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "nested too deeply"),
    _raw_case("a-5000-digit-number", b'{"format_version": ' + b"9" * 5000 + b"}", "not a conference file"),
    _raw_case("nan", b'{"format": NaN}', "not a Chair conference file"),
    Case(
        "conference-file-a-folder",
        ["--db", "{db}", "import", "{case}/folder"],
        ("is a folder: give a file",),
        {"folder": None},
    ),
    Case("conference-file-missing", ["--db", "{db}", "import", "{case}/nowhere.json"], ("does not exist",)),
    Case("conference-file-dev-null", ["--db", "{db}", "import", "/dev/null"], ("is a device",)),
    Case("conference-file-dev-zero", ["--db", "{db}", "import", "/dev/zero"], ("is a device",)),
    # The document's frame.
    _doc_case("format-wrong", _set("format", "something-else"), "not a Chair conference file"),
    _doc_case("format-version-2", _set("format_version", 2), "format version 2"),
    _doc_case("format-version-text", _set("format_version", "1"), "format version '1'"),
    _doc_case("conference-missing", _drop("conference"), "in.json: is missing conference"),
    _doc_case("pairs-missing", _drop("pairs"), "in.json: is missing pairs"),
    _doc_case("conference-null", _set("conference", None), "conference: must be a record"),
    _doc_case("conference-a-list", _set("conference", []), "conference: must be a record"),
    _doc_case("children-not-a-list", _set("children", {}), "children: must be a list"),
    _doc_case("children-of-numbers", _set("children", [1]), "children[0]: must be a record"),
    _doc_case("extra-top-level-key", _set("colour", "red"), "does not know (colour)"),
    _doc_case("extra-field", _set("conference.colour", "red"), "conference: has a field", "colour"),
    _doc_case("surrogate-key", _set("conference.\ud800", 1), "conference: has a field"),
    _doc_case("field-missing", _drop("mapping_items.0.text"), "mapping_items[0]: is missing text"),
    # Numbers.
    _doc_case("version-10-to-the-30", _set("conference.version", 10**30), "conference.version", "at most"),
    _doc_case("version-0", _set("conference.version", 0), "conference.version", "at least 1"),
    _doc_case("version-negative", _set("conference.version", -1), "conference.version", "at least 1"),
    _doc_case("version-text", _set("conference.version", "3"), "conference.version", "whole number"),
    _doc_case("version-fraction", _set("conference.version", 1.5), "conference.version", "whole number"),
    _doc_case("version-true", _set("conference.version", True), "conference.version", "whole number"),
    _doc_case("position-10-to-the-20", _set("mapping_items.0.position", 10**20), "mapping_items[0].position"),
    _doc_case("position-negative", _set("mapping_items.0.position", -1), "mapping_items[0].position"),
    _doc_case("score-11", _set("scores.0.score", 11), "scores[0].score", "at most 10"),
    _doc_case("score-negative", _set("scores.0.score", -1), "scores[0].score", "at least 0"),
    _doc_case("remote-yes", _set("conference.remote", "yes"), "conference.remote", "true or false"),
    # Dates and times.
    _doc_case(
        "held-on-30-february",
        _set("conference.held_on", "2026-02-30"),
        "conference.held_on",
        "2026-02-30 is not a date: February 2026 has 28 days",
    ),
    _doc_case("held-on-month-13", _set("conference.held_on", "2026-13-01"), "there is no month 13"),
    _doc_case(
        "held-on-uk-style",
        _set("conference.held_on", "31/01/2026"),
        "conference.held_on",
        "give a date as yyyy-mm-dd, not 31/01/2026",
    ),
    _doc_case("held-on-empty", _set("conference.held_on", ""), "conference.held_on", "yyyy-mm-dd"),
    _doc_case("held-on-null", _set("conference.held_on", None), "conference.held_on", "must be text"),
    _doc_case(
        "held-on-1990",
        _set("conference.held_on", "1990-01-01"),
        "conference.held_on",
        "outside the dates the policy allows",
    ),
    _doc_case(
        "held-on-2099",
        _set("conference.held_on", "2099-01-01"),
        "conference.held_on",
        "outside the dates the policy allows",
    ),
    _doc_case("held-on-year-0001", _set("conference.held_on", "0001-01-01"), "conference.held_on", "year from"),
    _doc_case(
        "expected-birth-uk-style",
        _set("children.0.expected_date_of_birth", "12/03/2027"),
        "children[0].expected_date_of_birth: give a date as yyyy-mm-dd, not 12/03/2027",
    ),
    _doc_case(
        "born-in-the-future",
        _set("children.0.date_of_birth", "2030-01-01"),
        "children[0].date_of_birth",
        "in the future",
    ),
    _doc_case("born-29-february-2023", _set("children.0.date_of_birth", "2023-02-29"), "February 2023 has 28 days"),
    _doc_case("start-time-25-99", _set("conference.start_time", "25:99"), "conference.start_time", "hh:mm"),
    _doc_case("start-time-words", _set("conference.start_time", "ten"), "conference.start_time", "hh:mm"),
    _doc_case(
        "stamp-month-13",
        _set("conference.created_at", "2026-13-01T00:00:00Z"),
        "conference.created_at",
        "yyyy-mm-ddThh:mm:ssZ",
    ),
    _doc_case("stamp-no-zone", _set("conference.created_at", "2026-01-01T00:00:00"), "conference.created_at"),
    # Identities, choices and references.
    _doc_case("id-not-a-uuid", _set("conference.id", "not-a-uuid"), "conference.id", "give an id like"),
    _doc_case("id-upper-case", _set("conference.id", UUID_ELSEWHERE.upper()), "conference.id"),
    _doc_case("kind-tea-party", _set("conference.kind", "tea_party"), "conference.kind", "must be one of"),
    _doc_case("sex-unknown-word", _set("children.0.sex", "robot"), "children[0].sex", "must be one of"),
    _doc_case("family-id-elsewhere", _set("conference.family_id", UUID_ELSEWHERE), "conference.family_id"),
    _doc_case("invitation-to-nobody", _set("invitations.0.person_id", UUID_ELSEWHERE), "invitations[0].person_id"),
    _doc_case(
        "action-of-another-conference", _set("actions.0.conference_id", UUID_ELSEWHERE), "actions[0].conference_id"
    ),
    _doc_case("child-twice", _dup_child, "appears twice"),
    # Text the window would refuse.
    _doc_case("surrogate-in-family-name", _set("family.name", "Hayes \ud800family"), "family.name", "U+D800"),
    _doc_case("surrogate-in-mapping-text", _set("mapping_items.0.text", "\udfff"), "mapping_items[0].text"),
    _doc_case("nul-in-forename", _set("children.0.forename", "A\x00B"), "children[0].forename", "U+0000"),
    _doc_case("escape-in-surname", _set("children.0.surname", "A\x1b[31mB"), "children[0].surname", "U+001B"),
    _doc_case("line-break-in-person-name", _set("people.0.name", "Ann\nLee"), "people[0].name", "line break"),
    _doc_case("tab-in-family-name", _set("family.name", "Hayes\tfamily"), "family.name", "line break or tab"),
    _doc_case("nul-in-mapping-text", _set("mapping_items.0.text", "a\x00b"), "mapping_items[0].text", "U+0000"),
    _doc_case("mapping-text-20001", _set("mapping_items.0.text", "x" * 20_001), "at most 20,000 characters"),
    _doc_case(
        "local-child-id-65", _set("children.0.local_child_id", "X" * 65), "children[0].local_child_id", "at most 64"
    ),
    _doc_case("upn-17", _set("children.0.upn", "A" * 17), "children[0].upn", "at most 16"),
    _doc_case("ethnicity-9", _set("children.0.ethnicity", "WBRIWBRIW"), "children[0].ethnicity", "at most 8"),
    _doc_case("referral-source-5", _set("conference.referral_source", "12345"), "conference.referral_source"),
]


def _policy_case(name: str, old: str, new: str, *words: str, via: str = "check") -> Case:
    assert old in DEFAULT_POLICY, old
    text = DEFAULT_POLICY.replace(old, new, 1).encode("utf-8")
    argv = (
        ["policy", "check", "{case}/p.toml"]
        if via == "check"
        else ["--policy", "{case}/p.toml", "--db", "{db}", *via.split()]
    )
    return Case(f"policy-{name}-{via.split(maxsplit=1)[0]}", argv, ("policy", *words), {"p.toml": text})


TIMESCALE = "initial_conference_working_days = 15"
POLICY_FILES = [
    _policy_case(
        "key-typo",
        TIMESCALE,
        "inital_conference_working_days = 15",
        "unknown key inital_conference_working_days in [timescales]: did you mean initial_conference_working_days?",
    ),
    _policy_case("key-typo", TIMESCALE, "inital_conference_working_days = 15", "did you mean", via="list"),
    _policy_case("key-typo", TIMESCALE, "inital_conference_working_days = 15", "did you mean", via="demo"),
    _policy_case("key-typo", TIMESCALE, "inital_conference_working_days = 15", "did you mean", via="show {ref}"),
    _policy_case(
        "key-typo",
        TIMESCALE,
        "inital_conference_working_days = 15",
        "did you mean",
        via="export {ref} --out {case}/x.json",
    ),
    _policy_case(
        "key-typo",
        TIMESCALE,
        "inital_conference_working_days = 15",
        "did you mean",
        via="report --from 01/04/2026 --to 31/03/2027 --out {case}/r",
    ),
    _policy_case(
        "section-typo", "[timescales]", "[timescale]", "unknown section [timescale]: did you mean timescales?"
    ),
    _policy_case("section-unknown", "[plan]", "[zzz]", "unknown section [zzz]", "known ones are"),
    _policy_case(
        "role-setting-typo",
        'group = "csc", direct_contact = true }',
        'group = "csc", direct_contct = true }',
        "unknown key direct_contct",
        "did you mean direct_contact?",
    ),
    _policy_case(
        "quoracy-key-typo", "other_groups_needed = 2", "other_group_needed = 2", "did you mean other_groups_needed?"
    ),
    _policy_case("missing-key", "review_months = 6\n", "", "timescales.review_months", "missing"),
    _policy_case(
        "text-for-number", TIMESCALE, 'initial_conference_working_days = "15"', 'must be a whole number, not "15"'
    ),
    _policy_case("negative", TIMESCALE, "initial_conference_working_days = -1", "between 0 and 120"),
    _policy_case("too-many-days", TIMESCALE, "initial_conference_working_days = 1000", "between 0 and 120"),
    _policy_case(
        "10-to-the-30",
        TIMESCALE,
        "initial_conference_working_days = 1000000000000000000000000000000",
        "between 0 and 120",
    ),
    _policy_case("fraction", TIMESCALE, "initial_conference_working_days = 15.5", "must be a whole number"),
    _policy_case("true-for-number", "advocacy_age = 10", "advocacy_age = true", "must be a whole number"),
    _policy_case("advocacy-age-3", "advocacy_age = 10", "advocacy_age = 3", "between 4 and 18"),
    _policy_case("subdivision", 'subdivision = "ENG"', 'subdivision = "XYZ"', "one of ENG, WLS, SCT, NIR"),
    _policy_case(
        "closure-uk-style",
        "local_closure_days = []",
        'local_closure_days = ["29/12/2026"]',
        "calendar.local_closure_days[0]",
        "give a date as yyyy-mm-dd, not 29/12/2026",
    ),
    _policy_case(
        "closure-30-february",
        "local_closure_days = []",
        'local_closure_days = ["2026-02-30"]',
        "February 2026 has 28 days",
    ),
    _policy_case(
        "role-group-unknown",
        'police = { label = "Police", group = "police"',
        'police = { label = "Police", group = "polis"',
        "roles.police.group",
        "not in [agency_groups]",
    ),
    _policy_case(
        "role-not-a-table",
        'police = { label = "Police", group = "police", direct_contact = true }',
        'police = "Police"',
        "roles.police",
        "must be a table",
    ),
    _policy_case(
        "required-group-unknown",
        'required_groups = ["csc"]',
        'required_groups = ["social"]',
        "quoracy.required_groups[0]",
    ),
    _policy_case(
        "exception-kind-unknown",
        "[quoracy.exceptions.initial_pre_birth]",
        "[quoracy.exceptions.birthday_party]",
        "not a meeting kind",
    ),
    _policy_case("prompt-placeholder", "{score} means", "{scor} means", "{score}"),
    _policy_case("long-plan-short", "long_plan_months = 18", "long_plan_months = 6", "more than"),
    _policy_case("plan-per", 'per = "family"', 'per = "household"', "one of child, family"),
    _policy_case("lea-code", 'lea_code = "855"', 'lea_code = "85"', "three-digit"),
    _policy_case("years-back-0", "conference_years_back = 20", "conference_years_back = 0", "between 1 and 100"),
    _policy_case("not-toml", "[policy]", "[policy\n", "not valid TOML"),
    _policy_case("duplicate-key", "review_months = 6", "review_months = 6\nreview_months = 7", "not valid TOML"),
    _policy_case("nul-byte", 'name = "Leicestershire', 'name = "Leic\x00estershire', "not valid TOML"),
    _policy_case("empty-agency-groups", 'csc = "Children\'s social care"\nhealth', "health", "csc"),
    _policy_case(
        "empty-reason", 'unknown = "Unknown reason"', 'unknown = ""', "stood_down_reasons.unknown", "non-empty text"
    ),
    Case("policy-empty-file", ["policy", "check", "{case}/p.toml"], ("policy", "is empty"), {"p.toml": b""}),
    Case("policy-latin-1", ["policy", "check", "{case}/p.toml"], ("not UTF-8",), {"p.toml": b'name = "\xe9"'}),
    Case(
        "policy-nested-deep",
        ["policy", "check", "{case}/p.toml"],
        ("policy",),
        {"p.toml": b"a = " + b"[" * 100_000 + b"]" * 100_000},
    ),
    Case("policy-missing-file", ["--policy", "{case}/nope.toml", "--db", "{db}", "list"], ("does not exist",)),
    Case("policy-a-folder", ["--policy", "{case}/dir", "--db", "{db}", "list"], ("is a folder",), {"dir": None}),
    Case("policy-empty-name", ["--policy", "", "--db", "{db}", "list"], ("--policy", "empty")),
    Case(
        "policy-broken-with-demo-list",
        ["--policy", "{case}/p.toml", "--demo", "list"],
        ("policy",),
        {"p.toml": b"[policy]\nname = 1\n"},
    ),
    Case("policy-check-missing", ["policy", "check", "{case}/nope.toml"], ("does not exist",)),
]


def _symlink(name: str, target: str) -> Callable[[Path], None]:
    def setup(case: Path) -> None:
        (case / name).symlink_to(target if target.startswith("/") else case / target)

    return setup


def _other_sqlite(_world: World) -> bytes:
    import sqlite3
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "other.db"
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE songs (title TEXT)")
        return path.read_bytes()


def _fifo(case: Path) -> None:
    os.mkfifo(case / "pipe")


ARGUMENTS = [
    # --db
    Case("db-empty", ["--db", "", "list"], ("--db", "empty")),
    Case("db-folder-missing", ["--db", "sqlite:///{case}/missing/dir/x.db", "list"], ("--db", "does not exist")),
    Case("db-relative-folder-missing", ["--db", "sqlite:///missing/dir/x.db", "list"], ("--db", "does not exist")),
    Case("db-text-file", ["--db", "sqlite:///{case}/t.txt", "list"], ("not a SQLite database",), {"t.txt": b"hello\n"}),
    Case(
        "db-json-file", ["--db", "sqlite:///{case}/d.json", "list"], ("not a SQLite database",), {"d.json": b'{"a": 1}'}
    ),
    Case(
        "db-pdf-file",
        ["--db", "sqlite:///{case}/d.pdf", "demo"],
        ("not a SQLite database",),
        {"d.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"},
    ),
    Case(
        "db-another-programs-sqlite",
        ["--db", "sqlite:///{case}/other.db", "list"],
        ("another program",),
        {"other.db": _other_sqlite},
    ),
    Case("db-sqlite-without-a-file", ["--db", "sqlite:///", "demo"], ("--db", "names no file")),
    Case(
        "db-sqlite-header-then-garbage",
        ["--db", "sqlite:///{case}/bad.db", "list"],
        ("--db",),
        {"bad.db": b"SQLite format 3\x00" + b"\xff" * 200},
    ),
    Case("db-a-folder", ["--db", "sqlite:///{case}/dir", "list"], ("is a folder",), {"dir": None}),
    Case("db-unknown-scheme", ["--db", "nonsense://", "list"], ("--db",)),
    Case("db-not-a-url", ["--db", "not a url", "list"], ("--db",)),
    Case("db-server-not-there", ["--db", "postgresql://nobody@127.0.0.1:1/chair", "list"], ("cannot open",)),
    # --out for one file
    Case("export-out-a-folder", ["--db", "{db}", "export", "{ref}", "--out", "{case}"], ("is a folder",)),
    Case("export-out-proc", ["--db", "{db}", "export", "{ref}", "--out", "/proc/x.json"], ("--out", "/proc")),
    Case(
        "export-out-folder-missing",
        ["--db", "{db}", "export", "{ref}", "--out", "{case}/no/x.json"],
        ("--out", "does not exist"),
    ),
    Case("export-out-dev-null", ["--db", "{db}", "export", "{ref}", "--out", "/dev/null"], ("is a device",)),
    Case(
        "export-out-symlink",
        ["--db", "{db}", "export", "{ref}", "--out", "{case}/link.json"],
        ("symbolic link",),
        {"real.json": b"keep me"},
        _symlink("link.json", "real.json"),
    ),
    Case(
        "export-out-dangling-symlink",
        ["--db", "{db}", "export", "{ref}", "--out", "{case}/link.json"],
        ("symbolic link",),
        {},
        _symlink("link.json", "nowhere.json"),
    ),
    Case(
        "export-out-symlink-to-device",
        ["--db", "{db}", "export", "{ref}", "--out", "{case}/full"],
        ("symbolic link",),
        {},
        _symlink("full", "/dev/full"),
    ),
    Case("export-out-fifo", ["--db", "{db}", "export", "{ref}", "--out", "{case}/pipe"], ("is a pipe",), {}, _fifo),
    Case("export-out-empty", ["--db", "{db}", "export", "{ref}", "--out", ""], ("--out", "not an empty one")),
    Case("export-unknown-ref", ["--db", "{db}", "export", "C-000000", "--out", "{case}/x.json"], ("C-000000",)),
    Case("handout-out-proc", ["--db", "{db}", "handout", "{ref}", "--out", "/proc/x.pdf"], ("--out",)),
    Case(
        "handout-out-folder-missing",
        ["--db", "{db}", "handout", "{ref}", "--out", "/missing/x.pdf"],
        ("does not exist",),
    ),
    Case("handout-out-a-folder", ["--db", "{db}", "handout", "{ref}", "--out", "{case}"], ("is a folder",)),
    Case(
        "handout-copies-out-dev-full",
        ["--db", "{db}", "handout", "{ref}", "--per-attendee", "--out", "/dev/full"],
        ("is a device",),
    ),
    Case(
        "record-out-symlink",
        ["--db", "{db}", "record", "{ref}", "--out", "{case}/r.pdf"],
        ("symbolic link",),
        {"real.pdf": b"%PDF"},
        _symlink("r.pdf", "real.pdf"),
    ),
    Case("letter-out-fifo", ["--db", "{db}", "letter", "{ref}", "--out", "{case}/pipe"], ("pipe",), {}, _fifo),
    Case("plan-out-proc", ["--db", "{db}", "plan", "{ref}", "--out", "/proc/plan.pdf"], ("--out",)),
    Case("handout-unknown-ref", ["--db", "{db}", "handout", "C-000000", "--out", "{case}/x.pdf"], ("C-000000",)),
    Case("show-unknown-ref", ["--db", "{db}", "show", "C-000000"], ("C-000000",)),
    Case("show-path-as-ref", ["--db", "{db}", "show", "../../etc/passwd"], ("chair-app",)),
    Case("show-empty-ref", ["--db", "{db}", "show", ""], ("chair-app",)),
    Case("show-ref-not-utf-8", ["--db", "{db}", "show", "C-\udcff"], ("REF", "not UTF-8")),
    Case("search-not-utf-8", ["--db", "{db}", "list", "--search", "\udcffamily"], ("--search", "not UTF-8")),
    Case("db-url-not-utf-8", ["--db", "sqlite:///{case}/\udcff.db", "list"], ("--db", "not UTF-8")),
    # --out for a folder (the report) and for statutory files
    Case(
        "report-out-a-file",
        ["--db", "{db}", "report", "--from", "01/04/2026", "--to", "31/03/2027", "--out", "{case}/afile"],
        ("is a file",),
        {"afile": b"x"},
    ),
    Case(
        "report-out-dev-null",
        ["--db", "{db}", "report", "--from", "01/04/2026", "--to", "31/03/2027", "--out", "/dev/null"],
        ("is a device",),
    ),
    Case(
        "report-out-symlink",
        ["--db", "{db}", "report", "--from", "01/04/2026", "--to", "31/03/2027", "--out", "{case}/link"],
        ("symbolic link",),
        {"dir": None},
        _symlink("link", "dir"),
    ),
    Case(
        "report-out-empty",
        ["--db", "{db}", "report", "--from", "01/04/2026", "--to", "31/03/2027", "--out", ""],
        ("--out",),
    ),
    Case(
        "participation-out-a-folder",
        ["--db", "{db}", "export-participation", "--from", "01/04/2026", "--to", "31/03/2027", "--out", "{case}"],
        ("is a folder",),
    ),
    Case(
        "participation-out-dev-full",
        ["--db", "{db}", "export-participation", "--from", "01/04/2026", "--to", "31/03/2027", "--out", "/dev/full"],
        ("is a device",),
    ),
    Case(
        "cin-out-proc",
        ["--db", "{db}", "export-cin", "--from", "01/04/2026", "--to", "31/03/2027", "--out", "/proc/cin.xml"],
        ("--out",),
    ),
    # The command line itself
    Case("command-unknown", ["frobnicate"], ("invalid choice",)),
    Case("option-unknown", ["--db", "{db}", "list", "--bogus"], ("unrecognized arguments",)),
    Case("export-without-out", ["--db", "{db}", "export", "{ref}"], ("--out",)),
    Case("import-without-files", ["--db", "{db}", "import"], ("FILE",)),
    Case("report-without-to", ["--db", "{db}", "report", "--from", "01/04/2026", "--out", "{case}/r"], ("--to",)),
    Case("policy-without-subcommand", ["policy"], ("show|check",)),
]


def _period(name: str, start: str, end: str, *words: str, command: str = "report") -> Case:
    out = "{case}/r" if command == "report" else "{case}/out.csv"
    return Case(f"date-{name}-{command}", ["--db", "{db}", command, "--from", start, "--to", end, "--out", out], words)


END = "31/03/2027"
DATES = [
    _period("31-february", "31/02/2026", END, "--from: 31/02/2026 is not a date: February 2026 has 28 days"),
    _period("29-february-common-year", "29/02/2027", "31/12/2027", "February 2027 has 28 days"),
    _period("30-february-leap-year", "30/02/2024", END, "February 2024 has 29 days"),
    _period("31-april", "31/04/2026", END, "April 2026 has 30 days"),
    _period("31-june", "31/06/2026", END, "June 2026 has 30 days"),
    _period("31-september", "31/09/2026", END, "September 2026 has 30 days"),
    _period("31-november", "01/04/2026", "31/11/2026", "--to: 31/11/2026 is not a date: November 2026 has 30 days"),
    _period("day-0", "00/01/2026", END, "there is no day 0"),
    _period("day-32", "32/01/2026", END, "January 2026 has 31 days"),
    _period("month-13", "01/13/2026", END, "there is no month 13"),
    _period("month-0", "01/00/2026", END, "there is no month 0"),
    _period("year-0001-to-9999", "01/01/0001", "31/12/9999", "--from", "year from 1900 to 2200"),
    _period("year-1899", "31/12/1899", END, "year from 1900"),
    _period("year-9999", "01/04/2026", "31/12/9999", "--to", "year from"),
    _period("iso-30-february", "2026-02-30", END, "2026-02-30 is not a date: February 2026 has 28 days"),
    _period("iso-month-13", "2026-13-01", END, "there is no month 13"),
    _period("a-word", "yesterday", END, "--from: type a date as dd/mm/yyyy"),
    _period("empty", "", END, "--from", "dd/mm/yyyy"),
    _period("only-a-space", " ", END, "--from", "dd/mm/yyyy"),
    _period("no-year", "01/01", END, "dd/mm/yyyy"),
    _period("one-digit-year", "1/1/1", END, "dd/mm/yyyy"),
    _period("dashes-uk-order", "01-01-2026", END, "dd/mm/yyyy"),
    _period("slashes-iso-order", "2026/01/01", END, "dd/mm/yyyy"),
    _period("arabic-indic-digits", "\u0660\u0661/\u0660\u0661/\u0662\u0660\u0662\u0666", END, "dd/mm/yyyy"),
    _period("exponent", "1e3", END, "dd/mm/yyyy"),
    _period("control-character", "01/01/2026\x1b", END, "dd/mm/yyyy"),
    _period("reversed", "31/12/2026", "01/01/2026", "--to: the end of the period is before its start"),
    _period("31-february", "30/02/2026", END, "February 2026 has 28 days", command="export-participation"),
    _period("31-april", "01/04/2026", "31/04/2027", "--to", "April 2027 has 30 days", command="export-cin"),
    _period("year-0001", "01/01/0001", END, "year from", command="export-cin"),
]

CORPUS = CONFERENCE_FILES + POLICY_FILES + ARGUMENTS + DATES


def test_the_corpus_holds_at_least_150_distinct_bad_inputs():
    ids = [c.id for c in CORPUS]
    assert len(ids) == len(set(ids)), "case names must be unique"
    assert len(CORPUS) >= 150, len(CORPUS)


# ---------------------------------------------------------------------------------------------------------
# Running a case


def _fill(arg: str, world: World, case: Path) -> str:
    return arg.replace("{db}", world.url).replace("{ref}", world.ref).replace("{case}", str(case))


def _prepare(c: Case, world: World, case: Path) -> list[str]:
    for name, content in c.files.items():
        if content is None:
            (case / name).mkdir()
        else:
            (case / name).write_bytes(content(world) if callable(content) else content)
    if c.setup:
        c.setup(case)
    return [_fill(a, world, case) for a in c.argv]


def _files(*folders: Path) -> dict[str, tuple]:
    """Every file under the folders with its size and modification time (the live database's own files are
    compared by their tables instead: SQLite may touch its journal on a read)."""
    out = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.name.startswith("chair.db"):
                continue
            info = path.lstat()
            out[str(path)] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return out


def _check_line(code: int, err: str, words: tuple[str, ...]) -> str:
    assert code == 2, f"exit {code}: {err}"
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith("chair-app"), line
    assert "unexpected error" not in line and "Traceback" not in err, line
    for w in words:
        assert w in line, f"{w!r} not in {line!r}"
    return line


@pytest.mark.parametrize("c", CORPUS, ids=lambda c: c.id)
def test_each_bad_input_is_refused_in_one_line_with_nothing_written(c, world, tmp_path, capsys, monkeypatch):
    case = tmp_path / "case"
    case.mkdir()
    monkeypatch.chdir(case)  # a relative path (sqlite:///missing/dir/x.db) lands here, where it is checked
    argv = _prepare(c, world, case)
    tables, files = dump(world.db), _files(world.folder, case)
    capsys.readouterr()
    try:
        code = cli_main(argv)
    except SystemExit as exc:  # argparse refuses by exiting
        code = exc.code if isinstance(exc.code, int) else 2
    err = capsys.readouterr().err
    _check_line(code, err, c.words)
    assert dump(world.db) == tables, "a table changed"
    assert _files(world.folder, case) == files, "a file was written, changed or removed"


# ---------------------------------------------------------------------------------------------------------
# A handful as real processes


@pytest.fixture
def env(tmp_path):
    e = dict(os.environ)
    e.pop("CHAIR_DB_URL", None)
    e["CHAIR_LOG_DIR"] = str(tmp_path / "log")
    return e


def _run(env, *args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "chair_app", *args], env=env, capture_output=True, text=True, timeout=120, cwd=cwd
    )


def test_some_refusals_as_real_processes(world, tmp_path, env):
    deep = tmp_path / "deep.json"
    deep.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    broken = tmp_path / "broken.toml"
    broken.write_text("[policy]\nname = 1\n")
    surrogate = tmp_path / "surrogate.json"
    surrogate.write_text(json.dumps(world.doc).replace('"Hayes family"', '"Hayes \\ud800family"', 1))
    cases = [
        (["--db", world.url, "import", str(deep)], "nested too deeply"),
        (["--db", world.url, "import", str(surrogate)], "U+D800"),
        (
            ["--db", world.url, "report", "--from", "01/01/0001", "--to", "31/12/9999", "--out", str(tmp_path / "r")],
            "year from",
        ),
        (["--db", world.url, "export", world.ref, "--out", "/dev/full"], "is a device"),
        (["--db", world.url, "handout", world.ref, "--out", "/missing/x.pdf"], "does not exist"),
        (["--policy", str(broken), "--demo", "list"], "policy"),
        (["--db", "sqlite:///missing/dir/x.db", "list"], "does not exist"),
        (["--db", "", "list"], "empty"),
    ]
    tables = dump(world.db)
    for argv, word in cases:
        proc = _run(env, *argv, cwd=tmp_path)
        _check_line(proc.returncode, proc.stderr, (word,))
        assert proc.stdout == "", proc.stdout
    assert dump(world.db) == tables
    assert not (tmp_path / "missing").exists() and not (tmp_path / "r").exists()
    assert not (tmp_path / "log").exists(), "a refusal is not a fault: nothing is logged"


def test_a_closed_pipe_on_stdout_is_a_quiet_exit_not_a_logged_fault(world, tmp_path, env):
    """`chair-app list | head -1`: the reader goes away; no message, no traceback, nothing in the log."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before the first line is written
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "chair_app", "--db", world.url, "list"],
            env=env,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert proc.stderr == "", proc.stderr
    assert proc.returncode == 141  # as a command stopped by SIGPIPE reports it
    assert not (tmp_path / "log").exists()
