"""docs/unit-server.md's set-up, run as written: its SQL through psql as the superuser, then its two `chair-app`
commands as the owner, then a person's login doing their work, and refused what only the owner may do.

The names are changed (the session's cluster is shared with other tests); nothing else is.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from chair_app.domain import model as m
from chair_app.services import conferences
from chair_app.services import workspace as ws
from chair_app.services.demo import build_demo
from chair_app.store.engine import open_database
from tests.conftest import _pg_bin

pytestmark = pytest.mark.postgres

DOC = Path(__file__).resolve().parents[2] / "docs" / "unit-server.md"
RENAMED = {"chair_owner": "doc_owner", "chair_app": "doc_app", "helen_marsh": "doc_helen", "chair": "doc_chair"}


def _documented_sql() -> str:
    block = re.search(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert block, "docs/unit-server.md has no sql block"
    sql = block.group(1)
    for name, other in RENAMED.items():
        sql = re.sub(rf"\b{name}\b", other, sql)
    return sql


def _documented_commands() -> list[list[str]]:
    """The `chair-app` lines of the block after the SQL: each command's arguments after the URL."""
    text_ = DOC.read_text(encoding="utf-8")
    after = text_[text_.index("```sql") :]
    block = re.search(r"```\n(chair-app .*?)```", after, re.S)
    assert block, "docs/unit-server.md gives no chair-app commands after its SQL"
    commands = []
    for line in block.group(1).strip().splitlines():
        words = line.split()
        assert words[:2] == ["chair-app", "--db"], line
        commands.append(words[3:])
    return commands


@pytest.fixture
def server(pg_cluster, tmp_path):
    psql = _pg_bin("psql")
    if not psql:
        pytest.skip("psql is not installed")
    script = tmp_path / "setup.sql"
    script.write_text(_documented_sql(), encoding="utf-8")
    base = [psql, "-h", "127.0.0.1", "-p", str(pg_cluster.port), "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-q"]
    subprocess.run([*base, "-d", "postgres", "-f", str(script)], check=True, capture_output=True, timeout=120)
    yield lambda role: f"postgresql+psycopg://{role}@127.0.0.1:{pg_cluster.port}/doc_chair"
    cleanup = [
        "DROP DATABASE IF EXISTS doc_chair",
        *(f"DROP ROLE IF EXISTS {r}" for r in ("doc_helen", "doc_app", "doc_owner")),
    ]
    done = subprocess.run(
        [*base, "-d", "postgres", *(a for c in cleanup for a in ("-c", c))], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


def _chair_app(url: str, args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, CHAIR_LOG_DIR=str(tmp_path / "log"))
    env.pop("CHAIR_DB_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "chair_app", "--db", url, *args], env=env, capture_output=True, text=True, timeout=120
    )


def _refused(db, statement: str) -> str:
    with pytest.raises(DBAPIError) as info, db.engine.begin() as conn:
        conn.execute(text(statement))
    message = str(info.value.orig)
    assert "permission denied" in message or "must be owner" in message, message
    return message


def test_the_documented_unit_server_set_up_lets_a_person_work_and_keeps_the_journal_append_only(
    server, tmp_path, policy
):
    for command in _documented_commands():  # as the owner: the schema, then the app's role's grants
        renamed = ["--role", RENAMED["chair_app"]] if "setup-app-role" in command else []
        done = _chair_app(server("doc_owner"), [*command, *renamed], tmp_path)
        assert done.returncode == 0, done.stderr
    helen = open_database(server("doc_helen"))
    try:
        with helen.engine.connect() as conn:
            assert conn.execute(text("SELECT current_user")).scalar() == "doc_helen"
        bundle = conferences.add_conference(helen, build_demo(policy, date(2026, 11, 23)))
        cid, item = bundle.conference.id, bundle.mapping_items[0]
        version = item.version
        for text_ in ("Police", "Police were", "Police were called"):  # a run of typing: the journal continued
            version = ws.set_fields(
                helen, cid, m.MappingItem, item.id, {"text": text_}, who="Helen", policy=policy, seen=version
            ).versions[item.id]
        assert ws.load(helen, cid).mapping_items[0].text == "Police were called"
        _refused(helen, "DELETE FROM journal")
        _refused(helen, "UPDATE journal SET who = 'someone else'")
        _refused(helen, "TRUNCATE journal")
        _refused(helen, "ALTER TABLE conference DISABLE TRIGGER ALL")
        _refused(helen, "DROP TABLE mapping_item")
        _refused(helen, "CREATE TABLE elsewhere (id int)")
    finally:
        helen.dispose()
