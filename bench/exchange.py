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
    """Store ``count`` demo-sized conferences (13 invitees, 17 mapping items...), in one transaction per 100."""
    ids: list[str] = []
    for first in range(0, count, 100):
        with db.unit_of_work() as session:
            for i in range(first, min(count, first + 100)):
                bundle = build_demo(policy, start + timedelta(days=i % 700))
                repo.add_bundle(session, bundle)
                ids.append(str(bundle.conference.id))
    return ids


def fill_fast(db: Database, policy: Policy, count: int, start: date = date(2025, 1, 6)) -> None:
    """The same conferences as ``fill``, written with the import's Core statements, 500 per transaction."""
    for first in range(0, count, 500):
        with db.unit_of_work() as session:
            for i in range(first, min(count, first + 500)):
                repo.replace_bundle(session, build_demo(policy, start + timedelta(days=i % 700)))


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
