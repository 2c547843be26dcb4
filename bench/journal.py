"""The journal over a three-hour conference: its size, and what it adds to one stored keystroke.

A 300-item map; 20,000 keystrokes in runs (a run is typing in one field until something else is done) between
500 other operations (a field set, an item added or removed, attendance recorded and undone through the journal).
The journal's size is the bytes its rows hold (and, on SQLite, the pages its table and indexes take). The
keystroke's cost is timed through the service (``workspace.set_fields``), with the journal and the per-record
version check (``seen``) as the window makes it, and, in the same run, with the hook switched off and no check
(the baseline: the store as it was before issue 11).
"""

from __future__ import annotations

import random
import tempfile
import time
import uuid
from datetime import time as clock
from pathlib import Path

from bench.common import median, percentile
from bench.workspace import conference_with_items
from chair_app.domain import model as m
from chair_app.domain.enums import AttendanceMode, AttendanceStatus, MappingSection
from chair_app.rules.policy import Policy
from chair_app.services import conferences, recording, undo, workspace
from chair_app.store import journal
from chair_app.store.engine import open_database, sqlite_url

WHO = "Helen Marsh"


def _conference(url: str, policy: Policy, n_items: int):
    db = open_database(url)
    bundle = conferences.add_conference(db, conference_with_items(policy, n_items))
    return db, bundle


def simulate(
    db,
    bundle: m.ConferenceBundle,
    keystrokes: int,
    others: int,
    policy: Policy,
    seed: int = 11,
    *,
    checked: bool = True,
) -> list[float]:
    """Type ``keystrokes`` characters in runs between ``others`` other operations; returns each keystroke's time.

    ``checked``: as the window does since issue 11, every edit carries the version its copy read (``seen``,
    kept up to date from each ``Written``) and every fourth other operation is an undo of the last one through
    the journal; else the edits are stored unchecked (``seen=None``) and the undo is left out (the baseline)."""
    rng = random.Random(seed)
    cid = bundle.conference.id
    items = {i.id: i.text for i in bundle.mapping_items}
    versions = {i.id: i.version for i in bundle.mapping_items} | {cid: bundle.conference.version}
    invitations = [i.id for i in bundle.invitations]
    added: list[uuid.UUID] = []
    per_run = keystrokes // (others + 1)
    times: list[float] = []
    words = "the family said they would keep going to the appointments and call the school ".split()

    def seen(record_id: uuid.UUID) -> int | None:
        return versions[record_id] if checked else None

    def keep(written: workspace.Written) -> workspace.Written:
        versions.update(written.versions)
        return written

    for op in range(others + 1):
        item_id = rng.choice(list(items))
        text = items[item_id]
        for _ in range(per_run if op < others else keystrokes - per_run * others):
            text += rng.choice(words)[0] if rng.random() < 0.2 else rng.choice("abcdefghij ")
            start = time.perf_counter()
            keep(
                workspace.set_fields(
                    db, cid, m.MappingItem, item_id, {"text": text}, who=WHO, policy=policy, seen=seen(item_id)
                )
            )
            times.append(time.perf_counter() - start)
        items[item_id] = text
        if op == others:
            break
        kind = op % 4
        if kind == 0:
            keep(
                workspace.set_fields(
                    db, cid, m.Conference, cid, {"venue": f"Room {op}"}, who=WHO, policy=policy, seen=seen(cid)
                )
            )
        elif kind == 1:
            item = m.MappingItem(conference_id=cid, section=MappingSection.STRENGTH, text=f"Added {op}", position=op)
            keep(workspace.add_records(db, cid, [item], who=WHO, policy=policy))
            added.append(item.id)
        elif kind == 2 and added:
            gone = added.pop()
            workspace.remove_records(db, cid, [(m.MappingItem, gone)], who=WHO, seen={gone: versions[gone]})
        else:
            recording.record_attendance(
                db, rng.choice(invitations), AttendanceStatus.ATTENDED, AttendanceMode.IN_PERSON, who=WHO
            )
            entry = journal.last_entry()  # None: they were already recorded as attending
            if checked and entry is not None:  # and undone at once, through the journal (as the window's Undo does)
                keep(undo.undo(db, entry, who=WHO))
        keep(
            workspace.set_fields(
                db, cid, m.Conference, cid, {"start_time": clock(10, op % 60)}, who=WHO, policy=policy, seen=seen(cid)
            )
        )
    return times


def journal_size(db) -> dict[str, int]:
    from sqlalchemy import text

    j = journal.JOURNAL.c
    cols = [j.who, j.device, j.operation, j.detail, j.old_values, j.new_values, j.typing_key]
    with db.engine.connect() as conn:
        payload = conn.execute(
            text(
                "SELECT COUNT(*), SUM(" + " + ".join(f"COALESCE(LENGTH({c.name}), 0)" for c in cols) + ") FROM journal"
            )
        ).one()
        pages = None
        if db.dialect == "sqlite":
            try:
                pages = conn.execute(
                    text("SELECT SUM(pgsize) FROM dbstat WHERE name = 'journal' OR name LIKE '%journal%'")
                ).scalar()
            except Exception:  # SQLite built without the dbstat table
                pages = None
    return {"entries": payload[0], "payload": int(payload[1] or 0), "on_disk": int(pages or 0)}


def measure(policy: Policy, keystrokes: int = 20_000, others: int = 500, n_items: int = 300) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="chair-bench-journal-") as tmp:
        db, bundle = _conference(sqlite_url(Path(tmp) / "journal.db"), policy, n_items)
        from sqlalchemy import text

        with db.engine.connect() as conn:
            first = conn.execute(text("SELECT MAX(id) FROM journal")).scalar()
        times = simulate(db, bundle, keystrokes, others, policy)
        size = journal_size(db)
        with db.engine.connect() as conn:
            setup = conn.execute(
                text("SELECT LENGTH(old_values) + LENGTH(new_values) FROM journal WHERE id = :i"), {"i": first}
            ).scalar()
        db.dispose()

        # The same keystrokes with the hook switched off: the baseline, in the same run.
        base_db, base_bundle = _conference(sqlite_url(Path(tmp) / "baseline.db"), policy, n_items)
        write, collect = journal.write, journal.collect
        journal.write = journal.collect = lambda *_a, **_k: None  # type: ignore[assignment]
        try:
            n = min(keystrokes, 2000)
            base = simulate(base_db, base_bundle, n, others * n // keystrokes, policy, checked=False)
        finally:
            journal.write, journal.collect = write, collect
        base_db.dispose()
    sample = times[: len(base)]
    return {
        "keystrokes": keystrokes,
        "others": others,
        "entries": size["entries"],
        "payload": size["payload"] - (setup or 0),
        "setup": setup or 0,
        "on_disk": size["on_disk"],
        "p50": median(sample),
        "p95": percentile(sample, 95),
        "base_p50": median(base),
        "base_p95": percentile(base, 95),
        "all_p95": percentile(times, 95),
    }


def rows(policy: Policy, quick: bool = False) -> list[tuple[str, str, str, str]]:
    keys, others = (2000, 50) if quick else (20_000, 500)
    r = measure(policy, keys, others)
    scale = 20_000 / keys  # a quick run's size scaled to the budget's conference
    size_mb = max(r["payload"], r["on_disk"]) * scale / 1e6  # judged on the larger: pages on disk, when known
    return [
        (
            f"journal after {r['keystrokes']:,} keystrokes + {r['others']} operations ({r['entries']} entries)",
            f"{r['payload'] / 1e6:.2f} MB",
            f"on disk {r['on_disk'] / 1e6:.2f} MB; the conference's own first entry {r['setup'] / 1e3:.0f} kB",
            "<= 2 MB " + ("met" if size_mb <= 2 else "NOT MET"),
        ),
        (
            "keystroke stored through the service, p50 / p95 (journal and per-record check on)",
            f"{1000 * r['p50']:.2f} / {1000 * r['p95']:.2f} ms",
            f"journal and check off {1000 * r['base_p50']:.2f} / {1000 * r['base_p95']:.2f} ms; "
            f"p95 ratio {r['p95'] / r['base_p95']:.2f}x",
            "(reported; the painted budget is the workspace bench)",
        ),
    ]


def main() -> None:
    import argparse

    from bench.common import table
    from chair_app.rules.policy import load_policy

    parser = argparse.ArgumentParser(prog="python -m bench.journal")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print(table("Journal", rows(load_policy(), args.quick)))


if __name__ == "__main__":
    main()
