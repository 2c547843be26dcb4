"""Backup and restore of a 10,000-conference database (the synthetic county of bench/county.py, ten years).

Baseline in the same run: copying the same database file with shutil (which is not safe while Chair is open,
and is what the backup API replaces).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from bench.county import build_county
from chair_app.services.backup import backup_database, restore_database
from chair_app.store.engine import open_database, sqlite_url


def measure(quick: bool = False) -> list[tuple[str, str, str, str]]:
    years = 2 if quick else 10
    with tempfile.TemporaryDirectory(prefix="chair-bench-backup-") as tmp:
        folder = Path(tmp)
        db = open_database(sqlite_url(folder / "county.db"))
        counts = build_county(db, years)
        size = (folder / "county.db").stat().st_size
        copies, backups, restores = [], [], []
        for i in range(3):
            t = time.perf_counter()
            shutil.copyfile(folder / "county.db", folder / f"plain{i}.db")
            copies.append(time.perf_counter() - t)
            t = time.perf_counter()
            backup_database(db, folder / f"backup{i}.db", state_file=folder / "backups.json")
            backups.append(time.perf_counter() - t)
        target = folder / "restored.db"
        for i in range(3):
            t = time.perf_counter()
            restore_database(sqlite_url(target), folder / f"backup{i}.db")  # from the second: keeps one aside
            restores.append(time.perf_counter() - t)
        db.dispose()
    copy, backup, restore = min(copies), min(backups), min(restores)
    n = counts["conference"]
    scale = "" if n >= 10000 else f" (budget is for 10,000; scaled {10000 / n:.1f}x)"
    backup_10k, restore_10k = backup * max(1, 10000 / n), restore * max(1, 10000 / n)
    return [
        (
            f"backup, {n:,} conferences ({size / 1e6:.0f} MB), checked",
            f"{backup:.2f} s",
            f"plain copy {copy:.2f} s / {backup / copy:.1f}x",
            "<= 2 s " + ("met" if backup_10k <= 2 else "NOT MET") + scale,
        ),
        (
            f"restore, {n:,} conferences, checked, old one kept aside",
            f"{restore:.2f} s",
            f"plain copy {copy:.2f} s / {restore / copy:.1f}x",
            "<= 3 s " + ("met" if restore_10k <= 3 else "NOT MET") + scale,
        ),
    ]


if __name__ == "__main__":
    from bench.common import table

    print(table("Backup and restore", measure()))
