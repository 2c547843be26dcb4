"""Several Chairs on one database at once, as real processes: imports of overlapping files, first starts.

Each process is a real ``chair-app`` command (``chair_app.entry.main``), its modules imported before it waits
at a starting line (a file appearing), so that all of them reach the database at the same moment.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from chair_app.exchange import conference_file
from chair_app.rules.policy import load_policy
from chair_app.services import conferences
from chair_app.services.demo import build_demo
from chair_app.store import repository as repo
from chair_app.store.engine import open_database, sqlite_url
from chair_app.store.migrate import SCHEMA_HEAD
from chair_app.store.models import Base, JournalTable
from tests.conftest import dump

POLICY = load_policy()  # set_fields and add_records take the policy in force

ROOT = Path(__file__).resolve().parents[2]

# Imports everything a command needs, waits for the starting line, then runs the command.
RUNNER = """
import os, sys, time
import chair_app.cli, chair_app.services.conferences, chair_app.store.migrate, alembic.command  # noqa
go = sys.argv[1]
while not os.path.exists(go):
    time.sleep(0.0005)
from chair_app.entry import main
sys.exit(main(sys.argv[2:]))
"""


def run_together(commands: list[list[str]], tmp: Path) -> list[subprocess.CompletedProcess]:
    go = tmp / f"go-{uuid.uuid4().hex}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CHAIR_LOG_DIR": str(tmp / "logs")}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RUNNER, str(go), *cmd],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for cmd in commands
    ]
    time.sleep(1.5 + 0.3 * len(procs))  # every process imported and waiting (two shared cores)
    go.touch()
    done = []
    for proc, cmd in zip(procs, commands, strict=True):
        out, err = proc.communicate(timeout=300)
        done.append(subprocess.CompletedProcess(cmd, proc.returncode, out, err))
    return done


class Databases:
    """Fresh, empty databases of one kind: SQLite files, or new databases on the session's PostgreSQL."""

    def __init__(self, kind: str, tmp: Path, request) -> None:
        self.kind, self.tmp, self.request = kind, tmp, request

    def new(self) -> str:
        name = f"chair_{uuid.uuid4().hex[:12]}"
        if self.kind == "sqlite":
            return sqlite_url(self.tmp / f"{name}.db")
        cluster = self.request.getfixturevalue("pg_cluster")
        admin = create_engine(cluster.url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        admin.dispose()
        return cluster.url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def databases(request, tmp_path) -> Databases:
    return Databases(request.param, tmp_path, request)


def _copy_conference(bundle, held_on: date):
    """Another conference of the same family: its own records, the family's children and people shared."""
    other = copy.deepcopy(bundle)
    other.conference.id = uuid.uuid4()
    other.conference.held_on = held_on
    for name in repo.OWNED_LISTS:
        for record in getattr(other, name):
            record.id = uuid.uuid4()
            record.conference_id = other.conference.id
    return other


def overlapping_files(policy, folder: Path) -> list[Path]:
    """Twelve conference files of three families; later files carry newer versions of shared records."""
    paths = []
    for family in range(3):
        first = build_demo(policy, date(2026, 1, 5) + timedelta(days=family))
        for n in range(4):
            bundle = _copy_conference(first, first.conference.held_on + timedelta(days=90 * n)) if n else first
            child, person = bundle.children[0], bundle.people[n % len(bundle.people)]
            child.version, child.forename = 1 + n, f"Named in file {n}"
            person.version, person.phone = 1 + n, f"0770090000{n}"
            bundle.family.version, bundle.family.notes = 1 + (n * 7) % 4, f"Notes from file {n}"
            path = folder / f"f{family}-{n}.json"
            path.write_text(conference_file.dumps(conference_file.bundle_to_document(bundle)))
            paths.append(path)
    return paths


def _reference(databases: Databases, paths: list[Path]) -> dict:
    db = open_database(databases.new())
    try:
        conferences.import_files(db, paths)
        return dump(db)
    finally:
        db.dispose()


SPLITS = {
    2: [range(0, 8), range(4, 12)],
    4: [range(0, 6), range(3, 9), range(6, 12), [0, 1, 2, 9, 10, 11]],
}


@pytest.mark.parametrize("n", [2, 4])
def test_concurrent_imports_of_overlapping_files_end_as_one_import_of_all(databases, policy, tmp_path, n):
    paths = overlapping_files(policy, tmp_path)
    # The files of each set in an order of their own, so that the processes meet in different places.
    sets = [[str(paths[i]) for i in (s if k % 2 == 0 else reversed(s))] for k, s in enumerate(SPLITS[n])]
    assert set().union(*sets) == {str(p) for p in paths}
    expected = _reference(databases, paths)
    for _trial in range(2):
        url = databases.new()
        open_database(url).dispose()  # the schema first: this test is about the imports
        done = run_together([["--db", url, "import", *s] for s in sets], tmp_path)
        for proc in done:
            assert proc.returncode == 0, proc.stderr
            assert proc.stderr == ""
        db = open_database(url)
        try:
            assert _state(dump(db)) == _state(expected)
            assert _imports(dump(db)) == _imports(expected)  # each conference journaled as imported once
        finally:
            db.dispose()


def _state(tables: dict) -> dict:
    """The stored record: every table but the journal, whose rows say when and by which process, not what."""
    return {name: rows for name, rows in tables.items() if name != "journal"}


def _imports(tables: dict) -> list[tuple]:
    """Each journal entry as (conference, operation, detail): the same, however many processes imported."""
    columns = [c.name for c in JournalTable.columns]
    picked = [columns.index(name) for name in ("conference_id", "operation", "detail")]
    return sorted(tuple(str(row[i]) for i in picked) for row in tables["journal"])


def test_overlapping_imports_report_each_conference_added_once(databases, policy, tmp_path):
    paths = overlapping_files(policy, tmp_path)
    url = databases.new()
    open_database(url).dispose()
    done = run_together([["--db", url, "import", *map(str, paths)] for _ in range(3)], tmp_path)
    assert [p.returncode for p in done] == [0, 0, 0], [p.stderr for p in done]
    added = sum(line.startswith("Added ") for p in done for line in p.stdout.splitlines())
    assert added == len(paths)


def test_four_first_starts_at_once_end_with_one_schema(databases, tmp_path):
    for _trial in range(2):
        url = databases.new()
        done = run_together([["--db", url, "list"] for _ in range(4)], tmp_path)
        assert [p.returncode for p in done] == [0, 0, 0, 0], [p.stderr for p in done]
        assert all(p.stderr == "" for p in done)
        engine = create_engine(url)
        try:
            assert set(inspect(engine).get_table_names()) == {t.name for t in Base.metadata.tables.values()} | {
                "alembic_version"
            }
            with engine.connect() as conn:
                assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [SCHEMA_HEAD]
                if engine.dialect.name == "postgresql":
                    triggers = conn.execute(
                        text("SELECT count(*) FROM pg_trigger WHERE tgname = 'chair_notify_conference'")
                    ).scalar()
                    assert triggers == 1
        finally:
            engine.dispose()


@pytest.mark.postgres
def test_a_transaction_chosen_as_a_deadlock_victim_is_run_again_and_both_edits_are_stored(request, tmp_path, policy):
    import threading

    from sqlalchemy import update

    from chair_app.store.models import FamilyRow
    from chair_app.store.transactions import retry_transient

    url = Databases("postgres", tmp_path, request).new()
    db = open_database(url)
    one, two = build_demo(policy, date(2026, 3, 2)), build_demo(policy, date(2026, 3, 3))
    conferences.import_bundles(db, [one, two])
    families = [one.family.id, two.family.id]
    attempts = {"a": 0, "b": 0}
    both_hold_one = threading.Barrier(2)
    failures: list[BaseException] = []

    @retry_transient
    def edit(name: str, first, second) -> None:
        attempts[name] += 1
        with db.unit_of_work() as session:
            session.execute(update(FamilyRow).where(FamilyRow.id == first).values(notes=name))
            if attempts[name] == 1:
                both_hold_one.wait(timeout=30)  # each holds one row and now asks for the other's
            session.execute(update(FamilyRow).where(FamilyRow.id == second).values(notes=name))

    def run(name, first, second):
        try:
            edit(name, first, second)
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [
        threading.Thread(target=run, args=("a", families[0], families[1])),
        threading.Thread(target=run, args=("b", families[1], families[0])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert failures == []
    assert sorted(attempts.values()) == [1, 2]  # PostgreSQL ended one; it was run again and stored
    again = next(name for name, n in attempts.items() if n == 2)
    with db.engine.connect() as conn:
        notes = conn.execute(text("SELECT notes FROM family ORDER BY id")).scalars().all()
    assert notes == [again, again]
    db.dispose()


def test_an_operation_that_keeps_meeting_other_writers_is_refused_in_one_line():
    from chair_app.store.transactions import ATTEMPTS, Busy, ConcurrentWrite, retry_transient

    calls = []

    @retry_transient
    def always_overtaken() -> None:
        calls.append(1)
        raise ConcurrentWrite("another import got there first")

    with pytest.raises(Busy) as info:
        always_overtaken()
    assert len(calls) == ATTEMPTS
    assert "\n" not in str(info.value) and "nothing was changed" in str(info.value)


@pytest.mark.postgres
def test_the_server_says_which_conference_changed_and_whether_the_list_shows_it(request, tmp_path, policy):
    from chair_app.domain import model as m
    from chair_app.services import changes
    from chair_app.services import workspace as ws

    db = open_database(Databases("postgres", tmp_path, request).new())
    bundle = conferences.add_conference(db, build_demo(policy, date(2026, 4, 6)))
    cid = bundle.conference.id
    watcher = changes.watch(db)
    try:

        def heard_after(edit) -> changes.Heard:
            edit()
            heard = changes.NOTHING
            for _ in range(20):
                heard = heard | watcher.wait(0.5)
                if heard:
                    return heard | watcher.wait(0.2)
            return heard

        item = bundle.mapping_items[0]
        typed = heard_after(
            lambda: ws.set_fields(db, cid, m.MappingItem, item.id, {"text": "Typed"}, who="a", policy=POLICY, seen=None)
        )
        assert typed.conferences == {cid} and not typed.list_changed and not typed.unknown
        chair = heard_after(
            lambda: ws.set_fields(
                db, cid, m.Conference, cid, {"chair": "Sam Okafor"}, who="a", policy=POLICY, seen=None
            )
        )
        assert chair.conferences == {cid} and chair.list_changed
        family = bundle.family
        renamed = heard_after(
            lambda: ws.set_fields(
                db, cid, m.Family, family.id, {"name": "Okafor family"}, who="a", policy=POLICY, seen=None
            )
        )
        assert renamed.list_changed
        assert not watcher.wait(0.3)  # and nothing else was said
    finally:
        watcher.close()
        db.dispose()


def test_a_report_reads_every_table_as_of_one_moment_while_others_import(db, policy):
    import pandas as pd

    from chair_app.store.transactions import snapshot

    conferences.import_bundles(db, [build_demo(policy, date(2026, 5, 4))])
    with snapshot(db.engine) as connection:
        # Read as the report reads (pandas, table by table), with an import committed between two reads.
        before = len(pd.read_sql_table("conference", connection, columns=["id"]))
        conferences.import_bundles(db, [build_demo(policy, date(2026, 5, 5))])
        assert len(pd.read_sql_table("conference", connection, columns=["id"])) == before
        plans = pd.read_sql_table("plan_history", connection, columns=["child_id"])
        children = pd.read_sql_table("child", connection, columns=["id"])
        assert set(plans["child_id"]) <= set(children["id"])
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM conference")).scalar() == before + 1


def test_a_stored_conference_whose_own_records_match_is_unchanged_whatever_its_shared_records(db, policy):
    first = build_demo(policy, date(2026, 6, 1))
    conferences.import_bundles(db, [first])
    # The same conference's file exported before a sibling conference renamed a child: the child is older here.
    sibling = _copy_conference(first, date(2026, 9, 1))
    renamed = sibling.children[0]
    renamed.forename, renamed.version = "Renamed", renamed.version + 1
    conferences.import_bundles(db, [sibling])
    before = dump(db)
    assert [r.action for r in conferences.import_bundles(db, [first])] == ["unchanged"]
    assert dump(db) == before
    # A file of the same conference bringing a newer child: the child is written, the conference kept.
    newer_child = copy.deepcopy(first)
    child = next(c for c in newer_child.children if c.id == renamed.id)
    child.forename, child.version = "Renamed again", renamed.version + 1
    assert [r.action for r in conferences.import_bundles(db, [newer_child])] == ["updated"]
    stored = conferences.load(db, str(first.conference.id))
    assert next(c for c in stored.children if c.id == renamed.id).forename == "Renamed again"
    assert stored.conference.version == first.conference.version
