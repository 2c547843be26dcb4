"""Backup and restore: a consistent copy while another process is typing, checked restores, nothing replaced early."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from chair_app.domain.errors import ChairError, InvalidInput
from chair_app.services import conferences
from chair_app.services.backup import backup_database, restore_database
from chair_app.services.demo import build_demo
from chair_app.store.engine import open_database, sqlite_url
from tests.conftest import dump

ROOT = Path(__file__).resolve().parents[2]

WRITER = textwrap.dedent(
    """
    import sys, uuid
    from pathlib import Path
    from chair_app.domain import model as m
    from chair_app.domain.enums import MappingSection
    from chair_app.rules.policy import load_policy
    from chair_app.services import workspace
    from chair_app.store.engine import open_database

    url, conference_id, stop = sys.argv[1], uuid.UUID(sys.argv[2]), Path(sys.argv[3])
    db = open_database(url)
    i = 0
    while not stop.exists() and i < 100000:
        i += 1
        item = m.MappingItem(conference_id=conference_id, section=MappingSection.STRENGTH, text=f"edit {i}",
                             position=1000 + i)
        workspace.add_records(db, conference_id, [item], who="writer", policy=load_policy())  # one edit, committed
        print(f"ACK {i}", flush=True)  # acknowledged only once stored
    """
)


def _edits(path: Path) -> tuple[set[int], int, str]:
    """(numbers of the writer's edits held, the journal's entries that added a record, integrity_check) of a
    database file (each edit is one journal entry: the conference row no longer counts them)."""
    with sqlite3.connect(path) as conn:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        texts = [r[0] for r in conn.execute("SELECT text FROM mapping_item WHERE text LIKE 'edit %'")]
        version = conn.execute("SELECT count(*) FROM journal WHERE operation = 'add_records'").fetchone()[0]
    return {int(t.split()[1]) for t in texts}, version, check


def test_a_backup_taken_while_another_process_types_restores_every_acknowledged_edit(sqlite_db, policy, tmp_path):
    bundle = conferences.add_conference(sqlite_db, build_demo(policy, date.today()))
    url = sqlite_db.engine.url.render_as_string(hide_password=False)
    stop = tmp_path / "stop"
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    writer = subprocess.Popen(
        [sys.executable, str(script), url, str(bundle.conference.id), str(stop)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        acked = 0
        while acked < 30:  # the writer is well under way
            acked = int(writer.stdout.readline().split()[1])
        before_backup = acked  # every edit up to here was acknowledged before the backup began
        result = backup_database(sqlite_db, tmp_path / "backup.db", state_file=tmp_path / "backups.json")
        while acked < before_backup + 30:  # and it carried on typing after
            acked = int(writer.stdout.readline().split()[1])
    finally:
        stop.touch()
        writer.wait(timeout=60)
    assert writer.returncode == 0

    restored = tmp_path / "restored.db"
    restore_database(sqlite_url(restored), result.path)
    held, version, check = _edits(restored)
    assert check == "ok"
    assert set(range(1, before_backup + 1)) <= held  # every acknowledged edit up to the backup
    assert held == set(range(1, max(held) + 1))  # a moment in time: no edit missing from the middle
    # The conference's counter agrees with the edits held, as it does in the live database at the end.
    live_held, live_version, _ = _edits(Path(url.split("///", 1)[1]))
    assert version - len(held) == live_version - len(live_held)
    assert max(held) < acked  # the writer was still going after the copy was taken
    assert result.conferences == 1 and result.revision
    # The copy is one self-contained file (no WAL beside it needed).
    assert not Path(str(result.path) + "-wal").exists()
    assert sqlite3.connect(result.path).execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_restore_replaces_the_open_database_and_keeps_the_old_one_aside(sqlite_db, policy, tmp_path):
    conferences.add_conference(sqlite_db, build_demo(policy, date.today()))
    backup = backup_database(sqlite_db, tmp_path / "one.db", state_file=tmp_path / "b.json").path
    conferences.add_conference(sqlite_db, build_demo(policy, date.today()))  # work done after the backup
    url = sqlite_db.engine.url.render_as_string(hide_password=False)

    result = restore_database(url, backup)  # while this process still holds the database open
    assert len(conferences.list_conferences(sqlite_db)) == 1  # the open connection sees the restored record
    assert result.kept_aside is not None and result.kept_aside.name.startswith("chair.db.before-restore-")
    with sqlite3.connect(result.kept_aside) as conn:
        assert conn.execute("SELECT count(*) FROM conference").fetchone()[0] == 2  # nothing lost by restoring
    again = open_database(url)  # the store opens it as usual (WAL, schema check)
    try:
        assert len(conferences.list_conferences(again)) == 1
    finally:
        again.dispose()


def _variant(tmp_path: Path, backup: Path, name: str, change) -> Path:
    path = tmp_path / name
    shutil.copy(backup, path)
    change(path)
    return path


def test_restore_refuses_a_damaged_file_a_newer_schema_and_a_stranger_and_replaces_nothing(sqlite_db, policy, tmp_path):
    conferences.add_conference(sqlite_db, build_demo(policy, date.today()))
    backup = backup_database(sqlite_db, tmp_path / "good.db", state_file=tmp_path / "b.json").path
    url = sqlite_db.engine.url.render_as_string(hide_password=False)
    before = dump(sqlite_db)

    def damage(path: Path) -> None:
        data = bytearray(path.read_bytes())
        page = 4096
        for start in range(page * 2, len(data) - page, page * 3):  # scribble over every third page's cells
            data[start + 200 : start + 1200] = os.urandom(1000)
        path.write_bytes(bytes(data))

    def newer(path: Path) -> None:
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '9999'")

    def stranger(path: Path) -> None:
        path.unlink()
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE notes (x)")

    for name, change, words in (
        ("damaged.db", damage, "is damaged"),
        ("newer.db", newer, "newer version of Chair"),
        ("stranger.db", stranger, "not a Chair database"),
        ("text.db", lambda p: p.write_text("not a database"), "not a Chair backup"),
    ):
        with pytest.raises(InvalidInput, match=words) as refused:
            restore_database(url, _variant(tmp_path, backup, name, change))
        assert "nothing was replaced" in str(refused.value)
    with pytest.raises(InvalidInput, match="does not exist"):
        restore_database(url, tmp_path / "missing.db")
    assert dump(sqlite_db) == before
    assert not list(tmp_path.glob("chair.db.before-restore-*"))


def test_the_restore_command_refuses_in_one_line_with_exit_status_2(sqlite_db, tmp_path):
    (tmp_path / "junk.db").write_bytes(b"x" * 100)
    env = dict(os.environ, PYTHONPATH=str(ROOT), CHAIR_LOG_DIR=str(tmp_path / "log"))
    url = sqlite_db.engine.url.render_as_string(hide_password=False)
    proc = subprocess.run(
        [sys.executable, "-m", "chair_app", "--db", url, "restore", str(tmp_path / "junk.db")],
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "not a Chair backup" in proc.stderr


def test_backup_refuses_an_out_in_a_missing_folder_or_onto_the_database_itself(sqlite_db, tmp_path):
    with pytest.raises(InvalidInput, match="--out: the folder"):
        backup_database(sqlite_db, tmp_path / "no" / "such" / "copy.db")
    with pytest.raises(InvalidInput, match="the database itself"):
        backup_database(sqlite_db, tmp_path / "chair.db")


@pytest.mark.postgres
def test_a_postgresql_database_is_backed_up_with_pg_dump(empty_pg_database, tmp_path):
    pg_database = empty_pg_database
    out = tmp_path / "server.dump"
    result = backup_database(pg_database, out)  # pg_dump comes with the server packages the tests need
    assert out.read_bytes()[:5] == b"PGDMP"
    assert result.size == out.stat().st_size
    with pytest.raises(ChairError, match="pg_restore"):
        restore_database(pg_database.engine.url.render_as_string(hide_password=False), out)


def test_no_reminder_for_the_demo_database_or_after_a_recent_backup(sqlite_db, tmp_path, monkeypatch):
    from chair_app.services.backup import backup_reminder
    from chair_app.services.context import open_app_database

    state = tmp_path / "b.json"
    assert backup_reminder(sqlite_db, 7, state_file=state).startswith("Not backed up yet")
    backup_database(sqlite_db, tmp_path / "copy.db", state_file=state)
    assert backup_reminder(sqlite_db, 7, state_file=state) == ""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    demo = open_app_database(None, demo=True)
    try:
        assert backup_reminder(demo, 7, state_file=state) == ""
    finally:
        demo.dispose()


def test_the_policy_reminder_days_default_to_7_and_a_bad_value_is_refused_naming_the_key():
    from chair_app.paths import RESOURCES
    from chair_app.rules.policy import PolicyError, parse_policy

    text = (RESOURCES / "policy.toml").read_text(encoding="utf-8")
    assert parse_policy(text, "default").backup_reminder_days == 7
    without = text.split("[backup]")[0]
    assert parse_policy(without, "without").backup_reminder_days == 7
    assert parse_policy(without + "[backup]\nreminder_days = 30\n", "monthly").backup_reminder_days == 30
    with pytest.raises(PolicyError, match="backup.reminder_days: must be between 1 and 365"):
        parse_policy(without + "[backup]\nreminder_days = 0\n", "bad")
    with pytest.raises(PolicyError, match="backup.reminder_days: must be an? whole number"):
        parse_policy(without + '[backup]\nreminder_days = "weekly"\n', "bad")


def test_restore_knows_every_schema_revision_of_this_chair_up_to_the_head():
    from chair_app.services.backup import known_revisions
    from chair_app.store.migrate import SCHEMA_HEAD

    known = known_revisions()
    assert SCHEMA_HEAD in known and len(known) == len(list((ROOT / "db" / "versions").glob("*.py")))
