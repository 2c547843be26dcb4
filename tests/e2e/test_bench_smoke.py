"""The benchmarks still run: `python -m bench --quick` over every section, at the smallest sizes.

Not a measurement (no figure is checked: speed is measured by bench/, not asserted in tests). It catches a
bench broken by a change elsewhere, as three were once (a renamed helper, a stale cached schema, the demo's
restricted items refusing the per-attendee copies), unnoticed until someone ran them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: One row each section prints (its first words), so a section that silently printed nothing is caught too.
ROWS_BY_SECTION = {
    "start": "start to first paint of the window",
    "open": "longest UI-thread stall while first opening a conference",
    "exchange": "export 100 conferences to files",
    "list10k": "start to first paint of the filled list, 1,000 demo-sized conferences",
    "workspace": "keystroke to stored and painted, 300 map items",
    "journal": "journal after 2,000 keystrokes",
    "merge": "import 100 conference files, each merged",
    "documents": "12 personalised handout copies",
    "county": "full report, 2 years",
    "printing": "print job size, chair's handout",
    "scale": "sqlite: `show REF`, 20 conferences",
    "backup": "backup, ",
    "bundle": "bundle",
    "register": "register: match a new child",
    "review": "open a review after 3 earlier conferences",
    "keys": "`chair-app --user admin list`, 1,000 conferences",
}


def test_every_bench_section_runs_to_its_table_at_the_smallest_sizes(tmp_path):
    from bench.__main__ import SECTIONS

    assert set(ROWS_BY_SECTION) == set(SECTIONS), "a new bench section: add the row it prints here"
    env = dict(os.environ, CHAIR_BENCH_CACHE=str(tmp_path / "cache"), QT_QPA_PLATFORM="offscreen")
    env.pop("CHAIR_BUNDLE", None)
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--no-postgres", "--sizes", "20,40"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = [line.strip() for line in proc.stdout.splitlines()]
    missing = [s for s, row in ROWS_BY_SECTION.items() if not any(line.startswith(row) for line in rows)]
    assert missing == [], f"sections that printed no row: {missing}\n{proc.stdout[-2000:]}"
