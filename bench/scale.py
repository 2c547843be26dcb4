"""Costs against the size of the archive: 1,000, 10,000 and 50,000 conferences, on SQLite and PostgreSQL.

Each archive is `county.build_archive` (about 1,000 conferences a year going back from a few weeks ahead of
today, so 50,000 is about fifty years) plus one demo-sized conference to `show`. Archives are built once and kept
in the cache folder (``CHAIR_BENCH_CACHE``, default /tmp/chair-bench-cache): SQLite files, and a PostgreSQL
cluster whose databases are named by size. Everything is timed as a whole `chair-app` process, as a person
waits for it; medians, with every ratio taken against a baseline measured in the same run, interleaved.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.common import median

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("CHAIR_BENCH_CACHE", "/tmp/chair-bench-cache"))
GENERATOR = "archive-1"  # change when build_archive changes, to rebuild the cache


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a timed process: this checkout first, bytecode cached as on an installed copy."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("CHAIR_DB_URL", None)
    env["CHAIR_NO_FIRST_RUN_FORM"] = "1"  # the archives have no accounts: no first administrator's form to answer
    env.update(extra)
    return env


def timed_process(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one process (GNU time)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        t = time.perf_counter()
        proc = subprocess.run(
            ["/usr/bin/time", "-o", out.name, "-f", "%M", *cmd], env=env, capture_output=True, text=True, timeout=900
        )
        wall = time.perf_counter() - t
        if proc.returncode != 0:
            raise RuntimeError(f"{cmd[3:]} exited {proc.returncode}: {proc.stderr[-400:]}")
        return wall, int(out.read().split()[-1]) / 1024


def paint_after(what: str, when: str, env: dict[str, str]) -> float:
    start = time.time()
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "paint.py"), what, when],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    for line in proc.stdout.splitlines():
        if line.startswith("SHOWN "):
            return float(line.split()[1]) - start
    raise RuntimeError(f"paint probe {what} {when}: no SHOWN line (exit {proc.returncode}): {proc.stderr[-400:]}")


class Archives:
    """The cached archives: ``url(backend, size)`` (size 0 is the empty database) and the demo's reference."""

    def __init__(self, sizes: list[int], backends: list[str], policy) -> None:
        CACHE.mkdir(parents=True, exist_ok=True)
        self.manifest_file = CACHE / "manifest.json"
        self.manifest = json.loads(self.manifest_file.read_text()) if self.manifest_file.exists() else {}
        self.policy = policy
        self.cluster = None
        if "postgresql" in backends:
            from bench.pg import Cluster

            self.cluster = Cluster(CACHE / "pg")
        self.urls: dict[tuple[str, int], str] = {}
        self.refs: dict[tuple[str, int], str] = {}
        self.last_day: dict[tuple[str, int], date] = {}
        for backend in backends:
            for size in [0, *sizes]:
                self._ensure(backend, size)

    def _url(self, backend: str, size: int) -> str:
        if backend == "sqlite":
            return f"sqlite:///{CACHE / f'archive-{size}.db'}"
        return self.cluster.url(f"archive_{size}")

    def _ensure(self, backend: str, size: int) -> None:
        from bench.county import build_archive
        from chair_app.services import conferences
        from chair_app.services.demo import build_demo
        from chair_app.store.engine import open_database

        key = f"{backend}-{size}"
        entry = self.manifest.get(key)
        url = self._url(backend, size)
        if entry is None or entry.get("generator") != GENERATOR:
            last_day = date.today() + timedelta(days=28)
            print(f"building the {size:,}-conference archive on {backend} (once; kept in {CACHE})", flush=True)
            t = time.perf_counter()
            if backend == "sqlite":
                Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
            else:
                self.cluster.create(f"archive_{size}")
            db = open_database(url)
            counts = build_archive(db, size, last_day) if size else {}
            ref = ""
            if size:
                ref = conferences.add_conference(
                    db, build_demo(self.policy, last_day - timedelta(days=28))
                ).conference.ref
            db.dispose()
            entry = {"generator": GENERATOR, "last_day": last_day.isoformat(), "ref": ref, "counts": counts}
            entry["build_s"] = round(time.perf_counter() - t, 1)
            self.manifest[key] = entry
            self.manifest_file.write_text(json.dumps(self.manifest, indent=1))
        else:  # bring a cached database to this checkout's schema before anything is timed
            open_database(url).dispose()
        self.urls[(backend, size)] = url
        self.refs[(backend, size)] = entry["ref"]
        self.last_day[(backend, size)] = date.fromisoformat(entry["last_day"])

    def close(self) -> None:
        if self.cluster is not None:
            self.cluster.stop()


def measure(sizes: list[int], backends: list[str], policy, runs: int = 5) -> list[tuple[str, str, str, str]]:
    archives = Archives(sizes, backends, policy)
    rows: list[tuple[str, str, str, str]] = []
    chair = [sys.executable, "-m", "chair_app"]
    try:
        for backend in backends:
            urls = {size: archives.urls[(backend, size)] for size in [0, *sizes]}
            small, big = sizes[0], sizes[-1]
            mid = sizes[-2] if len(sizes) > 1 else small

            # Start to the first paint of the filled list, against the empty database, interleaved.
            env = {size: child_env(CHAIR_DB_URL=url) for size, url in urls.items()}
            for size in urls:
                paint_after("chair", "ready", env[size])  # warm caches and bytecode
            listed: dict[int, list[float]] = {size: [] for size in urls}
            for _ in range(runs):
                for size in urls:
                    listed[size].append(paint_after("chair", "ready", env[size]))
            empty = median(listed[0])
            for size in sizes:
                ratio = median(listed[size]) / empty
                rows.append(
                    (
                        f"{backend}: start to first paint of the filled list, {size:,} conferences",
                        f"{median(listed[size]):.3f} s",
                        f"empty {empty:.3f} s / {ratio:.2f}x",
                        ("<= 1.2x " + ("met" if ratio <= 1.2 else "NOT MET")) if size == big else "(reported)",
                    )
                )

            # `show REF` and `list`, whole processes.
            shows: dict[int, list[float]] = {size: [] for size in sizes}
            lists: dict[int, list[float]] = {size: [] for size in sizes}
            for size in sizes:
                timed_process([*chair, "--db", urls[size], "show", archives.refs[(backend, size)]], child_env())
            for _ in range(runs):
                for size in sizes:
                    ref = archives.refs[(backend, size)]
                    shows[size].append(timed_process([*chair, "--db", urls[size], "show", ref], child_env())[0])
                    lists[size].append(timed_process([*chair, "--db", urls[size], "list"], child_env())[0])
            for size in sizes:
                ratio = median(shows[size]) / median(shows[small])
                rows.append(
                    (
                        f"{backend}: `show REF`, {size:,} conferences",
                        f"{median(shows[size]):.3f} s",
                        f"{small:,}: {median(shows[small]):.3f} s / {ratio:.2f}x",
                        ("<= 1.1x " + ("met" if ratio <= 1.1 else "NOT MET")) if size == big else "(reported)",
                    )
                )
            for size in sizes:
                rows.append(
                    (
                        f"{backend}: `list` (every conference printed), {size:,} conferences",
                        f"{median(lists[size]):.3f} s",
                        "",
                        "(reported)",
                    )
                )

            # The report for the last twelve months: the same number of conferences at every size from 10,000.
            reports: dict[int, list[float]] = {size: [] for size in sizes}
            peaks: dict[int, float] = dict.fromkeys(sizes, 0.0)
            with tempfile.TemporaryDirectory(prefix="chair-bench-report-") as tmp:
                for _ in range(max(3, runs // 2)):
                    for size in sizes:
                        end = archives.last_day[(backend, size)] - timedelta(days=28)
                        start = end.replace(year=end.year - 1) + timedelta(days=1)
                        cmd = [*chair, "--db", urls[size], "report", "--from", start.isoformat(), "--to"]
                        wall, peak = timed_process([*cmd, end.isoformat(), "--out", f"{tmp}/{size}"], child_env())
                        reports[size].append(wall)
                        peaks[size] = max(peaks[size], peak)
            for size in sizes:
                ratio = median(reports[size]) / median(reports[mid])
                budget = "(reported)"
                if size == big:
                    ok = ratio <= 1.5 and peaks[size] <= 400
                    budget = f"<= 1.5x and <= 400 MiB {'met' if ok else 'NOT MET'}"
                rows.append(
                    (
                        f"{backend}: `report`, last twelve months, {size:,} conferences (whole process, peak memory)",
                        f"{median(reports[size]):.2f} s, {peaks[size]:.0f} MiB",
                        f"{mid:,}: {median(reports[mid]):.2f} s / {ratio:.2f}x",
                        budget,
                    )
                )
    finally:
        archives.close()
    return rows
