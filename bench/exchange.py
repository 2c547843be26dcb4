"""Export and import of many conferences through conference files."""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path

from chair_app.rules.policy import Policy
from chair_app.services import conferences
from chair_app.services.demo import build_demo
from chair_app.store import repository as repo
from chair_app.store.engine import Database


def fill(db: Database, policy: Policy, count: int, start: date = date(2025, 1, 6)) -> list[str]:
    """Store ``count`` demo-sized conferences (13 invitees, 17 mapping items...), 500 per transaction, with
    the import's Core statements (three times faster than the ORM for 10,000)."""
    ids: list[str] = []
    for first in range(0, count, 500):
        bundles = [build_demo(policy, start + timedelta(days=i % 700)) for i in range(first, min(count, first + 500))]
        with db.unit_of_work() as session:
            repo.replace_bundles(session, bundles)
        ids += [str(b.conference.id) for b in bundles]
    return ids


def export_all(db: Database, ids: list[str], folder: Path) -> tuple[float, list[Path]]:
    paths = []
    t = time.perf_counter()
    for cid in ids:
        path = folder / f"{cid}.json"
        conferences.write_export(db, cid, path)
        paths.append(path)
    return time.perf_counter() - t, paths


def import_each(db: Database, paths: list[Path]) -> float:
    """One file, one transaction, as `chair-app import FILE` run once per file would (less process start)."""
    t = time.perf_counter()
    for path in paths:
        result = conferences.import_file(db, path)
        assert result.action == "added", result
    return time.perf_counter() - t


def import_batch(db: Database, paths: list[Path]) -> float:
    """All files validated first, then stored in one transaction, as `chair-app import FILE...` does."""
    t = time.perf_counter()
    results = conferences.import_files(db, paths)
    assert all(r.action == "added" for r in results)
    return time.perf_counter() - t
