"""Benchmarks (not tests): `python -m bench [--quick]` prints a table of figures and ratios.

Each figure is compared with a baseline measured in the same run: a bare PySide6 window for start-up.
Budgets are from the issues; the table says whether each was met. Record results in docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.common import table  # noqa: E402

SECTIONS = (
    "start",
    "exchange",
    "list10k",
    "workspace",
    "journal",
    "merge",
    "open",
    "documents",
    "printing",
    "county",
    "scale",
    "backup",
    "bundle",
    "register",
    "review",
    "keys",
)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="fewer runs and conferences (a smoke test)")
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help="comma-separated sections to run (default: all): " + ", ".join(SECTIONS),
    )
    parser.add_argument(
        "--sizes",
        default="",
        help="archive sizes for the scale section (default 1000,10000,50000; --quick 100,1000,2000)",
    )
    parser.add_argument("--no-postgres", action="store_true", help="scale section on SQLite only")
    parser.add_argument("--load", action="store_true", help="the unit-server load test instead (bench/load.py)")
    args, rest = parser.parse_known_args()
    if args.load:  # e.g. python -m bench --load --seconds 60
        from bench.load import main as load

        raise SystemExit(load(rest))
    if rest:
        parser.error(f"unrecognised arguments: {' '.join(rest)}")
    only = set(args.only.split(","))
    unknown = only - set(SECTIONS)
    if unknown:
        parser.error(f"--only: unknown section {', '.join(sorted(unknown))}; use {', '.join(SECTIONS)}")
    runs = 3 if args.quick else 11
    n_conf = 100 if args.quick else 1000
    load_start = os.getloadavg()

    from bench.exchange import export_all, fill, import_batch, import_each
    from bench.start import measure_list_ready, measure_open_stall, measure_start
    from chair_app.rules.policy import load_policy
    from chair_app.store.engine import open_database, sqlite_url

    policy = load_policy()
    rows = []
    with tempfile.TemporaryDirectory(prefix="chair-bench-") as tmp:
        folder = Path(tmp)
        one = open_database(sqlite_url(folder / "one.db"))
        fill(one, policy, 1)
        one.dispose()
        if "start" in only:
            shown, bare, best = measure_start(sqlite_url(folder / "one.db"), runs)
            rows.append(
                (
                    "start to first paint of the window (1 conference), median",
                    f"{shown:.3f} s",
                    f"bare window {bare:.3f} s / {shown / bare:.2f}x (min {best:.2f}x)",
                    "<= 1.5x " + ("met" if shown / bare <= 1.5 else "NOT MET"),
                )
            )
            ready, bare2, best2 = measure_start(sqlite_url(folder / "one.db"), runs, when="ready")
            rows.append(
                (
                    "start to first paint of the filled list (1 conference), median",
                    f"{ready:.3f} s",
                    f"bare window {bare2:.3f} s / {ready / bare2:.2f}x (min {best2:.2f}x)",
                    "(reported)",
                )
            )
        if "open" in only:
            o = measure_open_stall(sqlite_url(folder / "one.db"), 3 if args.quick else 5)
            rows.append(
                (
                    "longest UI-thread stall while first opening a conference, median (worst)",
                    f"{1000 * o['stall']:.0f} ms ({1000 * o['worst']:.0f} ms)",
                    f"open to workspace shown {1000 * o['opened']:.0f} ms; pandas/numpy/matplotlib imported: "
                    + (", ".join(o["heavy"]) or "none")
                    + f"; full garbage collections on the UI thread: {o['full_gcs']} in {o['runs']} runs",
                    "<= 50 ms " + ("met" if o["stall"] <= 0.05 else "NOT MET"),
                )
            )

        if "exchange" in only:
            source = open_database(sqlite_url(folder / "source.db"))
            ids = fill(source, policy, n_conf)
            out = folder / "files"
            out.mkdir()
            export_s, paths = export_all(source, ids, out)
            rows.append(
                (
                    f"export {n_conf} conferences to files",
                    f"{export_s:.2f} s",
                    f"{1000 * export_s / n_conf:.1f} ms each",
                    "(reported)",
                )
            )
            target = open_database(sqlite_url(folder / "target.db"))
            batch_s = import_batch(target, paths)
            rows.append(
                (
                    f"import {n_conf} conference files, one batch",
                    f"{batch_s:.2f} s",
                    f"{1000 * batch_s / n_conf:.1f} ms each",
                    f"<= 10 s for 1,000 {'met' if batch_s * 1000 / n_conf <= 10 else 'NOT MET'}",
                )
            )
            each_db = open_database(sqlite_url(folder / "each.db"))
            each_s = import_each(each_db, paths)
            rows.append(
                (
                    f"import {n_conf} conference files, one by one",
                    f"{each_s:.2f} s",
                    f"{1000 * each_s / n_conf:.1f} ms each",
                    "(reported)",
                )
            )
            for db in (source, target, each_db):
                db.dispose()

        # Issue 4: start to a usable conference list with many demo-sized conferences, against an empty database.
        if "list10k" in only:
            from bench.scale import CACHE

            n_many = 1000 if args.quick else 10_000
            empty = open_database(sqlite_url(folder / "empty.db"))
            empty.dispose()
            many_file = CACHE / f"fill-{n_many}.db"  # fill() takes a minute for 10,000: built once, kept
            if not (CACHE / f"fill-{n_many}.done").exists():
                CACHE.mkdir(parents=True, exist_ok=True)
                many_file.unlink(missing_ok=True)
                many = open_database(sqlite_url(many_file))
                fill(many, policy, n_many)
                many.dispose()
                (CACHE / f"fill-{n_many}.done").touch()
            open_database(sqlite_url(many_file)).dispose()  # at this checkout's schema before timing
            full_s, empty_s, best_ratio = measure_list_ready(
                empty_url=sqlite_url(folder / "empty.db"),
                full_url=sqlite_url(many_file),
                runs=3 if args.quick else 7,
            )
            rows.append(
                (
                    f"start to first paint of the filled list, {n_many:,} demo-sized conferences, median",
                    f"{full_s:.3f} s",
                    f"empty {empty_s:.3f} s / {full_s / empty_s:.2f}x (min {best_ratio:.2f}x)",
                    "<= 1.2x " + ("met" if full_s / empty_s <= 1.2 else "NOT MET"),
                )
            )

    if "workspace" in only:
        from bench.workspace import measure as measure_keys

        k = measure_keys(policy, 300, 100 if args.quick else 400)
        rows.append(
            (
                f"keystroke to stored and painted, {k['n_items']} map items, p50 / p95 / p99",
                f"{1000 * k['p50']:.1f} / {1000 * k['p95']:.1f} / {1000 * k['p99']:.1f} ms",
                f"bare text box {1000 * k['base_p50']:.2f} / {1000 * k['base_p95']:.2f} / "
                f"{1000 * k['base_p99']:.2f} ms",
                "p95 <= 16 ms " + ("met" if k["p95"] <= 0.016 else "NOT MET"),
            )
        )
        rows.append(
            (
                "the same, with presentation mode showing, p50 / p95 / p99",
                f"{1000 * k['present_p50']:.1f} / {1000 * k['present_p95']:.1f} / {1000 * k['present_p99']:.1f} ms",
                "",
                "p95 <= 16 ms " + ("met" if k["present_p95"] <= 0.016 else "NOT MET"),
            )
        )
        rows.append(
            (
                "re-read the open conference (after a decision), 300 items, median",
                f"{1000 * k['reload']:.0f} ms",
                "",
                "<= 50 ms on the UI thread " + ("met" if k["reload"] <= 0.05 else "NOT MET"),
            )
        )

    if "journal" in only:
        from bench.journal import rows as journal_rows  # issue 11: the journal's size and keystroke cost

        rows += journal_rows(policy, args.quick)

    if "merge" in only:
        from bench.merge import rows as merge_rows  # issue 11: importing files merged by their journals

        rows += merge_rows(policy, args.quick)

    if "documents" in only:
        from bench.documents import measure as measure_documents

        with tempfile.TemporaryDirectory(prefix="chair-bench-") as tmp:
            docs_db = open_database(sqlite_url(Path(tmp) / "docs.db"))
            d = measure_documents(docs_db, policy, 3 if args.quick else 7)
            docs_db.dispose()
        n = d["n_copies"]
        rows.append(
            (
                f"{n} personalised handout copies, 80 items, median",
                f"{d['copies']:.2f} s",
                f"{n} layouts by bare reportlab in 3 frames {d['bare_copies']:.2f} s / "
                f"{d['copies'] / d['bare_copies']:.2f}x",
                "<= 1.5 s " + ("met" if d["copies"] <= 1.5 else "NOT MET"),
            )
        )
        rows.append(
            ("CP plan, median", f"{d['plan']:.3f} s", "", "<= 0.3 s " + ("met" if d["plan"] <= 0.3 else "NOT MET"))
        )
        ratio = d["one"] / d["bare_cols"]
        rows.append(
            (
                "one handout vs bare reportlab, same paragraphs in 3 frames, median",
                f"{d['one']:.3f} s",
                f"{d['bare_cols']:.3f} s / {ratio:.2f}x",
                "<= 2x " + ("met" if ratio <= 2 else "NOT MET"),
            )
        )
        rows.append(
            (
                "one handout vs bare reportlab, same text full width, median",
                f"{d['one']:.3f} s",
                f"{d['bare']:.3f} s / {d['one'] / d['bare']:.2f}x",
                "(reported)",
            )
        )

    if "county" in only:
        from datetime import date

        from bench.common import median
        from bench.county import build_county
        from chair_app.reports.measures import Period
        from chair_app.services import reporting

        years = 2 if args.quick else 10
        with tempfile.TemporaryDirectory(prefix="chair-bench-") as tmp:
            county = open_database(sqlite_url(Path(tmp) / "county.db"))
            counts = build_county(county, years)
            period = Period(date(2016, 1, 1), date(2016 + years - 1, 12, 31))
            reads, fulls = [], []
            for _ in range(3):
                t = time.perf_counter()
                reporting.load_frames(county)
                reads.append(time.perf_counter() - t)
                t = time.perf_counter()
                reporting.measures(county, policy, period)
                fulls.append(time.perf_counter() - t)
            county.dispose()
        read, full = median(reads), median(fulls)
        rows.append(
            (
                f"full report, {years} years ({counts['conference']} conferences, "
                f"{counts['invitation']} attendance rows), median",
                f"{full:.2f} s",
                f"reading every row only {read:.2f} s / {full / read:.2f}x",
                "<= 3 s " + ("met" if full <= 3 else "NOT MET"),
            )
        )

    if "printing" in only:
        from bench.printing import measure as measure_printing

        rows += measure_printing(policy, 1 if args.quick else 3)

    if "scale" in only:
        from bench import pg
        from bench.scale import measure as measure_scale

        sizes = (
            [int(x) for x in args.sizes.split(",")]
            if args.sizes
            else (
                [100, 1000, 2000]
                if args.quick
                else [
                    1000,
                    10_000,
                    50_000,
                ]
            )
        )
        backends = ["sqlite"] + ([] if args.no_postgres or not pg.available() else ["postgresql"])
        rows += measure_scale(sizes, backends, policy, 3 if args.quick else 5)

    if "backup" in only:
        from bench.backup import measure as measure_backup

        rows += measure_backup(args.quick)
    if "bundle" in only:
        from bench.bundle import measure as measure_bundle

        rows += measure_bundle(runs)
    if "register" in only:
        from bench.register import measure as measure_register

        rows += measure_register(args.quick)
    if "review" in only:
        from bench.review_open import measure as measure_review

        rows += measure_review(args.quick)

    if "keys" in only:  # issue 14: the encrypted laptop database against the same plain one
        from bench.keys import measure as measure_keys

        rows += measure_keys(1000 if args.quick else 10_000, 3 if args.quick else 9)

    load_end = os.getloadavg()
    title = (
        f"Chair benchmarks ({os.cpu_count()} cores, QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']}; "
        f"load average {load_start[0]:.1f} at the start, {load_end[0]:.1f} at the end)"
    )
    print(table(title, rows))


if __name__ == "__main__":
    main()
