"""Process start to the first paint a person sees: Chair's real window (and its filled list) against a bare
PySide6 window started the same way in the same run (bench/paint.py prints the moment of the paint)."""

from __future__ import annotations

from bench.common import median
from bench.scale import child_env, paint_after


def measure_start(db_url: str, runs: int = 11, *, when: str = "paint") -> tuple[float, float, float]:
    """Median seconds to the first paint of chair-app's window (``when="ready"``: of its filled list) and of the
    bare window, and the ratio of their minimums (less sensitive to a busy machine)."""
    env = child_env(CHAIR_DB_URL=db_url)
    paint_after("bare", when, env)  # warm the file cache, the bytecode and the database's schema for both
    paint_after("chair", when, env)
    bare, chair = [], []
    for _ in range(runs):  # interleaved, so drift in the machine's load hits both alike
        bare.append(paint_after("bare", when, env))
        chair.append(paint_after("chair", when, env))
    return median(chair), median(bare), min(chair) / min(bare)


def measure_open_stall(db_url: str, runs: int = 3) -> dict:
    """bench/open_stall.py in fresh processes: the longest UI-thread stall while first opening a conference
    (median and worst of ``runs``) and which heavy libraries were imported while opening, on which thread."""
    import json
    import subprocess
    import sys

    from bench.scale import ROOT

    results = []
    for _ in range(runs + 1):
        proc = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "open_stall.py"), db_url],
            env=child_env(),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        line = next((x for x in proc.stdout.splitlines() if x.startswith("OPEN ")), None)
        if line is None:
            raise RuntimeError(f"open_stall: no result (exit {proc.returncode}): {proc.stderr[-400:]}")
        results.append(json.loads(line[5:]))
    results = results[1:]  # the first run writes bytecode
    stalls = [r["longest_stall_s"] for r in results]
    return {
        "stall": median(stalls),
        "worst": max(stalls),
        "opened": median([r["opened_s"] for r in results]),
        "heavy": sorted({m for r in results for m in r["heavy_imported_while_opening"]}),
        "heavy_ui": sorted({m for r in results for m in r["heavy_imported_on_ui_thread"]}),
        "full_gcs": sum(len(r["full_gc_on_ui_thread_ms"]) for r in results),
        "runs": len(results),
    }


def measure_list_ready(empty_url: str, full_url: str, runs: int = 7) -> tuple[float, float, float]:
    """Start to the first paint of the filled list: median seconds on a full database and on an empty one,
    interleaved in the same run, and the ratio of their minimums."""
    empty_env, full_env = child_env(CHAIR_DB_URL=empty_url), child_env(CHAIR_DB_URL=full_url)
    paint_after("chair", "ready", empty_env)  # warm caches, bytecode and schema checks
    paint_after("chair", "ready", full_env)
    empty, full = [], []
    for _ in range(runs):
        empty.append(paint_after("chair", "ready", empty_env))
        full.append(paint_after("chair", "ready", full_env))
    return median(full), median(empty), min(full) / min(empty)
