"""Files merge (issue 11): importing 1,000 conference files that carry their journals, merged field by field.

Two laptops each hold the same 1,000 demo-sized conferences (the second imported them from the first's files).
Each then changes every conference: the first its venue and one mapping item's text, the second another item's
text. The first exports all 1,000 again; the second imports them in one batch (`chair-app import FILE...`), every
one merged (both sides' changes kept). Baselines measured in the same run: parsing the same files as plain JSON,
reading them as Chair does (JSON, schema, references, values) before anything is written, and importing them
into an empty database (every conference added, no merging: what an import cost before files merged). Also the size a
journal adds to a file: the demo's, and a three-hour conference's (300 items, typing in runs between 500 other
operations, as bench/journal.py simulates).
"""

from __future__ import annotations

import json
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import select

from bench.exchange import export_all, fill
from chair_app.exchange import conference_file
from chair_app.rules.policy import Policy
from chair_app.services import conferences
from chair_app.store import models as rows_
from chair_app.store.engine import Database, open_database, sqlite_url


def _edit_all(db: Database, ids: list[str], who: str, item_index: int, venue: bool) -> None:
    for cid in ids:
        key = uuid.UUID(cid)
        with db.unit_of_work("set_fields", who=who, conference_id=key, typing=False) as session:
            table = rows_.MappingItemRow
            items = session.scalars(select(table).where(table.conference_id == key).order_by(table.id)).all()
            items[item_index].text = f"{who} changed this"
            if venue:
                session.get(rows_.ConferenceRow, key).venue = "Room 4"


def measure(policy: Policy, n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="chair-bench-merge-") as tmp:
        folder = Path(tmp)
        chair = open_database(sqlite_url(folder / "chair.db"))
        ids = fill(chair, policy, n)
        (folder / "first").mkdir()
        _, first = export_all(chair, ids, folder / "first")
        clerk = open_database(sqlite_url(folder / "clerk.db"))
        assert all(r.action == "added" for r in conferences.import_files(clerk, first))
        _edit_all(chair, ids, "Jo Chair", 0, venue=True)
        _edit_all(clerk, ids, "Sam Clerk", 1, venue=False)
        (folder / "second").mkdir()
        _, files = export_all(chair, ids, folder / "second")

        t = time.perf_counter()
        for path in files:
            json.loads(path.read_bytes())
        parse = time.perf_counter() - t
        t = time.perf_counter()
        for path in files:
            conference_file.read_conference_file(path)
        read = time.perf_counter() - t
        fresh = open_database(sqlite_url(folder / "fresh.db"))
        t = time.perf_counter()
        assert all(r.action == "added" for r in conferences.import_files(fresh, files))
        added = time.perf_counter() - t
        fresh.dispose()
        t = time.perf_counter()
        results = conferences.import_files(clerk, files)
        merge = time.perf_counter() - t
        assert all(r.action == "merged" for r in results), {r.action for r in results}
        sizes = [p.stat().st_size for p in files]
        docs = [json.loads(p.read_bytes()) for p in files[:20]]
        journal_bytes = [len(conference_file.dumps({"j": d["journal"]})) for d in docs]
        chair.dispose()
        clerk.dispose()
    return {
        "n": n,
        "parse": parse,
        "read": read,
        "merge": merge,
        "added": added,
        "size": sum(sizes) / len(sizes),
        "journal": sum(journal_bytes) / len(journal_bytes),
    }


def three_hour_file(policy: Policy, keystrokes: int, others: int) -> tuple[int, int, int]:
    """(file bytes, of which the journal, journal entries) after a simulated long conference."""
    from bench.journal import _conference, simulate

    with tempfile.TemporaryDirectory(prefix="chair-bench-merge-") as tmp:
        db, bundle = _conference(sqlite_url(Path(tmp) / "long.db"), policy, 300)
        simulate(db, bundle, keystrokes, others, policy)
        path = Path(tmp) / "long.json"
        conferences.write_export(db, str(bundle.conference.id), path)
        doc = json.loads(path.read_bytes())
        db.dispose()
        return path.stat().st_size, len(conference_file.dumps({"j": doc["journal"]})), len(doc["journal"])


def rows(policy: Policy, quick: bool) -> list[tuple[str, str, str, str]]:
    r = measure(policy, 100 if quick else 1000)
    n = r["n"]
    out = [
        (
            f"import {n:,} conference files, each merged (both sides' changes kept), one batch",
            f"{r['merge']:.2f} s ({1000 * r['merge'] / n:.1f} ms a file)",
            f"plain JSON parse {r['parse']:.2f} s / {r['merge'] / r['parse']:.0f}x; "
            f"read and validate {r['read']:.2f} s / {r['merge'] / r['read']:.1f}x; "
            f"the same files into an empty database {r['added']:.2f} s / {r['merge'] / r['added']:.1f}x",
            "<= 10 s for 1,000 " + ("met" if r["merge"] * 1000 / n <= 10 else "NOT MET"),
        ),
        (
            "conference file with its journal, demo-sized conference, mean",
            f"{r['size'] / 1000:.0f} kB",
            f"journal {r['journal'] / 1000:.1f} kB",
            "(reported)",
        ),
    ]
    keystrokes, others = (2_000, 100) if quick else (20_000, 500)
    size, journal_size, entries = three_hour_file(policy, keystrokes, others)
    out.append(
        (
            f"conference file after {keystrokes:,} keystrokes and {others} other operations, 300 items",
            f"{size / 1e6:.2f} MB",
            f"journal {journal_size / 1e6:.2f} MB, {entries:,} entries",
            "(reported)",
        )
    )
    return out
