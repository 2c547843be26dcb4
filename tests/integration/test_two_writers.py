"""Two people editing one conference at once, as two real processes, on SQLite and PostgreSQL.

Each process is a copy as the window holds it (the versions it read, kept up to date by its own writes) and
makes 500 edits to records the other does not touch: the conference's own fields for one, its danger
statement and a person for the other, each with map items of its own. Per-record versions mean none of the
1,000 edits is refused, and reading back finds every last value each one acknowledged.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from chair_app.services import conferences
from chair_app.services import workspace as ws
from chair_app.services.demo import build_demo

ROOT = Path(__file__).resolve().parents[2]
EDITS = 500

WRITER = """
import json, sys, time, uuid
from pathlib import Path
from chair_app.domain import model as m
from chair_app.rules.policy import load_policy
from chair_app.services import workspace as ws
from chair_app.store.engine import open_database

url, go, out, who = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
targets = json.loads(sys.argv[5])  # [class name, record id, field]
edits = int(sys.argv[6])
policy = load_policy()
db = open_database(url)
cid = uuid.UUID(sys.argv[7])
bundle = ws.load(db, cid)
versions = {bundle.conference.id: bundle.conference.version}
for name, _cls in m.BUNDLE_LISTS:
    versions |= {r.id: r.version for r in getattr(bundle, name)}
while not go.exists():
    time.sleep(0.01)
acked, refused = {}, []
for n in range(edits):
    cls_name, rid, field = targets[n % len(targets)]
    rid = uuid.UUID(rid)
    value = f"{who} edit {n}"
    try:
        written = ws.set_fields(db, cid, getattr(m, cls_name), rid, {field: value}, who=who, policy=policy,
                                seen=versions[rid])
    except Exception as exc:
        refused.append(f"{type(exc).__name__}: {exc}")
        continue
    versions |= written.versions
    acked[f"{cls_name}/{rid}/{field}"] = value
out.write_text(json.dumps({"acked": acked, "refused": refused}), encoding="utf-8")
"""


def _stored(bundle, cls_name: str, rid: str, field: str):
    if cls_name == "Conference":
        return getattr(bundle.conference, field)
    lists = {"MappingItem": bundle.mapping_items, "DangerGoalPair": bundle.pairs, "Person": bundle.people}
    return getattr(next(r for r in lists[cls_name] if str(r.id) == rid), field)


def test_two_processes_making_500_edits_each_to_different_records_refuse_none_and_lose_none(db, policy, tmp_path):
    bundle = conferences.add_conference(db, build_demo(policy, date(2026, 11, 23)))
    cid, items = bundle.conference.id, bundle.mapping_items
    mine = [
        ("Conference", str(cid), "venue"),
        ("Conference", str(cid), "contingency_plan"),
        ("MappingItem", str(items[0].id), "text"),
        ("MappingItem", str(items[1].id), "text"),
    ]
    theirs = [
        ("DangerGoalPair", str(bundle.pairs[0].id), "danger_statement"),
        ("Person", str(bundle.people[0].id), "phone"),
        ("MappingItem", str(items[2].id), "text"),
        ("MappingItem", str(items[3].id), "text"),
    ]
    url = db.engine.url.render_as_string(hide_password=False)
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = []
    for n, (who, targets) in enumerate((("Helen Marsh", mine), ("Sam Clerk", theirs))):
        out = tmp_path / f"out{n}.json"
        cmd = [sys.executable, "-c", WRITER, url, str(go), str(out), who, json.dumps(targets), str(EDITS), str(cid)]
        # Each its own device, as two laptops (or two windows) are.
        device_env = {**env, "CHAIR_DEVICE_ID": f"0000000{n}-0000-4000-8000-000000000000"}
        procs.append((subprocess.Popen(cmd, env=device_env, cwd=ROOT, stderr=subprocess.PIPE, text=True), out))
    time.sleep(1.0)  # both opened the database and read their copy
    go.touch()
    results = []
    for proc, out in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err[-2000:]
        results.append(json.loads(out.read_text(encoding="utf-8")))

    assert [r["refused"] for r in results] == [[], []]
    assert [len(r["acked"]) for r in results] == [4, 4]
    stored = ws.load(db, cid)
    lost = [
        key
        for r in results
        for key, value in r["acked"].items()
        if _stored(stored, *key.split("/")) != value  # the last value each acknowledged is the one stored
    ]
    assert lost == []
    assert {r["acked"][f"Conference/{cid}/venue"] for r in results[:1]} == {f"Helen Marsh edit {EDITS - 4}"}
