"""A unit's worth of people on one PostgreSQL server at once (issue 19): `python -m bench.load [--seconds N]`.

A throwaway cluster is started (initdb into a temporary folder, fsync on, as a real server would run), filled
with a year of a synthetic county (bench/county.py), and then, for ``--seconds`` (default 300):

- 20 client processes each type at meeting speed into their own conference's map, through the services the
  workspace uses (``services.workspace.set_fields``, one short transaction per keystroke, the whole text each
  time); each now and then opens another conference, marks its conference (a new chair name: something the
  list shows) and, every few minutes, prints a handout and reads the conference list;
- 2 importer processes import county conference files (exported from another county built by
  bench/county.py), whole families at a time, the two often importing the same families at once;
- 1 process runs the year's report over and over;
- 1 observer keeps the conference list current the way the window does (services/changes.py: LISTEN/NOTIFY,
  then the list read again), and notes when each client's mark appears in it.

At the end every client's last acknowledged text for every item it typed into is compared with what is
stored: any difference is a lost (or silently overwritten) edit. Printed: throughput, keystroke latency per
client (p50/p95/p99), list refresh latency after a colleague's change, errors and lost edits, against the
issue's budgets. Each process opens the database itself, with the app's own pool settings (store/engine.py).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from datetime import date
from pathlib import Path

from bench.common import percentile, table

WORDS = (
    "mum said the children are safer now since the new routine began but school reports late arrivals and "
    "missed breakfasts on three days each week while grandma helps most evenings and the health visitor saw "
    "the baby gaining weight well with a clean home and food in the cupboards"
).split()

BUDGET_P95_MS = 25.0
#: CPU priority of the importers and the report. In a unit each of these runs on someone else's PC; here all
#: share this machine's cores with the server and the typing clients, so they give way for the processor
#: (their work on the server, in PostgreSQL's own processes, is not lowered).
NICE = 10
BUDGET_REFRESH_S = 2.0


# ---------------------------------------------------------------------------------------------------------
# The server


class Cluster:
    """A throwaway PostgreSQL cluster (as tests/conftest.py starts one), with fsync left on."""

    def __init__(self, max_connections: int = 200) -> None:
        import glob

        def binary(name: str) -> str:
            found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
            path = found[-1] if found else shutil.which(name)
            if not path:
                raise SystemExit(f"bench.load: PostgreSQL's {name} is not installed")
            return path

        self.pg_ctl = binary("pg_ctl")
        self.dir = Path(tempfile.mkdtemp(prefix="chair-load-pg-"))
        self.data = self.dir / "data"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.prefix: list[str] = []
        if os.geteuid() == 0:  # initdb refuses root
            shutil.chown(self.dir, user="postgres", group="postgres")
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self._run([binary("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8"])
        opts = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir} "
            f"-c max_connections={max_connections}"
        )
        self._run([self.pg_ctl, "-w", "-D", str(self.data), "-o", opts, "-l", str(self.dir / "log"), "start"])
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, cmd: list[str]) -> None:
        subprocess.run([*self.prefix, *cmd], check=True, capture_output=True, timeout=120)

    def stop(self) -> None:
        try:
            self._run([self.pg_ctl, "-D", str(self.data), "-m", "fast", "stop"])
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------------------------------------------------
# The people


def _error(errors: list, where: str, exc: BaseException) -> None:
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    place = f"{Path(frame.filename).name}:{frame.lineno}" if frame else "?"
    errors.append(f"{where}: {type(exc).__name__} at {place}: {str(exc).splitlines()[0][:160] if str(exc) else ''}")


def _own_device(kind: str, k: int) -> None:
    """Each person works on their own PC: their own device id in the journal (store/journal.device_id), as if the
    processes did not share this machine's user folder. (Twenty processes sharing one device id found a race in
    closing a device's runs of typing, now fixed and tested in tests/integration/test_keystroke_path.py.)"""
    os.environ["CHAIR_DEVICE_ID"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"chair-bench-load/{kind}/{k}"))


def client(k: int, url: str, cid: str, start_at: float, end_at: float, every: float, out, kind="client") -> None:
    """One chair typing into their own conference's map, with the workspace's services."""
    import psycopg

    from chair_app.domain import model as m
    from chair_app.rules.policy import load_policy
    from chair_app.services import conferences, documents
    from chair_app.services import workspace as wsvc
    from chair_app.store.engine import open_database

    rnd = random.Random(k)
    _own_device(kind, k)
    db = open_database(url)
    floor_conn = psycopg.connect(db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False))
    floor: list[float] = []  # the same-run baseline: the smallest durable write, one row updated and committed
    policy = load_policy()
    conference_id = uuid.UUID(cid)
    who = f"Load chair {k}"
    bundle, _ = wsvc.open_conference(db, conference_id)
    items = [i.id for i in bundle.mapping_items]
    texts = {i.id: i.text for i in bundle.mapping_items}
    # The versions this person's copy holds, passed as ``seen`` as the window passes them: each edit is checked
    # against the version they saw, in the UPDATE.
    versions = {i.id: i.version for i in bundle.mapping_items} | {conference_id: bundle.conference.version}
    others = [s.id for s in conferences.list_conferences(db)[:300]]
    latencies: list[float] = []
    expected: dict[str, str] = {}
    errors: list[str] = []
    marks: list[tuple[str, float]] = []
    counts = {"handouts": 0, "lists": 0, "opened": 0}
    slow: dict[str, list[float]] = {"handout": [], "list": [], "open": []}
    next_print = start_at + rnd.uniform(0.2, 1.0) * every
    next_mark = start_at + rnd.uniform(3, 15)
    next_open = start_at + rnd.uniform(5, 30)
    time.sleep(max(0.0, start_at - time.time()))
    while time.time() < end_at:
        item = rnd.choice(items)
        phrase = " " + " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(3, 9)))
        for ch in phrase:
            if time.time() >= end_at:
                break
            text = texts[item] + ch
            t = time.perf_counter()
            try:
                written = wsvc.set_fields(
                    db, conference_id, m.MappingItem, item, {"text": text}, who=who, policy=policy, seen=versions[item]
                )
            except Exception as exc:  # counted: the budget is none
                _error(errors, "keystroke", exc)
            else:
                latencies.append(time.perf_counter() - t)
                versions |= written.versions
                texts[item] = text
                expected[str(item)] = text
            if len(latencies) % 5 == 0:
                time.sleep(rnd.uniform(0.05, 0.1))
                t = time.perf_counter()
                floor_conn.execute("UPDATE bench_floor SET n = n + 1 WHERE id = %s", (k,))
                floor_conn.commit()
                floor.append(time.perf_counter() - t)
            time.sleep(rnd.uniform(0.12, 0.30))  # about four keys a second while typing
        time.sleep(rnd.uniform(1.0, 4.0))  # listening, thinking
        now = time.time()
        try:
            if next_mark <= now < end_at - 3:  # the listening colleague stops 3 s after the end
                mark = f"IRO {k} mark {len(marks) + 1}"
                t0 = time.time()
                written = wsvc.set_fields(
                    db,
                    conference_id,
                    m.Conference,
                    conference_id,
                    {"chair": mark},
                    who=who,
                    policy=policy,
                    seen=versions[conference_id],
                )
                versions |= written.versions
                marks.append((mark, t0))
                next_mark = now + rnd.uniform(10, 20)
            if now >= next_open:
                t = time.perf_counter()
                wsvc.open_conference(db, rnd.choice(others))
                slow["open"].append(time.perf_counter() - t)
                counts["opened"] += 1
                next_open = now + rnd.uniform(20, 40)
            if now >= next_print:
                t = time.perf_counter()
                documents.handout(db, cid, policy)
                slow["handout"].append(time.perf_counter() - t)
                t = time.perf_counter()
                page, more = conferences.first_page(db, date.today())
                if more:
                    conferences.older_conferences(db, date.today())
                slow["list"].append(time.perf_counter() - t)
                counts["handouts"] += 1
                counts["lists"] += 1
                next_print = now + every
        except Exception as exc:
            _error(errors, "client", exc)
    db.dispose()
    floor_conn.close()
    out.put(
        (
            kind,
            k,
            {
                "floor": floor,
                "lat": latencies,
                "expected": expected,
                "errors": errors,
                "marks": marks,
                **counts,
                **slow,
            },
        )
    )


def importer(k: int, url: str, families: list[list[str]], start_at: float, end_at: float, out) -> None:
    """A clerk importing county files, a few whole families at a time."""
    from chair_app.exchange import conference_file
    from chair_app.services import conferences
    from chair_app.store.engine import open_database

    os.nice(NICE)
    _own_device("importer", k)
    rnd = random.Random(100 + k)
    db = open_database(url)
    done = {"batches": 0, "files": 0, "added": 0, "updated": 0, "unchanged": 0, "seconds": []}
    errors: list[str] = []
    time.sleep(max(0.0, start_at - time.time()))
    order = list(range(len(families)))
    rnd.shuffle(order)
    position = 0
    while time.time() < end_at:
        chosen = order[position : position + 6] or rnd.sample(range(len(families)), min(6, len(families)))
        position += 3  # the next batch overlaps this one; the other importer's order overlaps both
        paths = [Path(p) for f in chosen for p in families[f]]
        t = time.perf_counter()
        try:
            bundles = [conference_file.read_file(p) for p in paths]
            results = conferences.import_bundles(db, bundles)
        except Exception as exc:
            _error(errors, "import", exc)
        else:
            done["seconds"].append(time.perf_counter() - t)
            done["batches"] += 1
            done["files"] += len(paths)
            for r in results:
                done[r.action] += 1
        time.sleep(rnd.uniform(0.5, 2.0))
    db.dispose()
    out.put(("importer", k, {**done, "errors": errors}))


def reporter(url: str, year: int, start_at: float, end_at: float, out) -> None:
    """The service manager running the year's report, again and again."""
    from chair_app.reports.measures import Period
    from chair_app.rules.policy import load_policy
    from chair_app.services import reporting
    from chair_app.store.engine import open_database

    os.nice(NICE)
    db = open_database(url)
    policy = load_policy()
    runs: list[float] = []
    errors: list[str] = []
    time.sleep(max(0.0, start_at - time.time()))
    while time.time() < end_at:
        t = time.perf_counter()
        try:
            reporting.measures(db, policy, Period(date(year, 1, 1), date(year, 12, 31)))
        except Exception as exc:
            _error(errors, "report", exc)
            time.sleep(1)
        else:
            runs.append(time.perf_counter() - t)
            time.sleep(2.0)  # read, think, run it again
    db.dispose()
    out.put(("reporter", 0, {"runs": runs, "errors": errors}))


def observer(url: str, start_at: float, end_at: float, out) -> None:
    """A colleague with the conference list open: hears of changes and reads the list again, as the window."""
    from chair_app.gui.changes import GATHER_MS, REST_MS
    from chair_app.services import changes, conferences
    from chair_app.store.engine import open_database

    db = open_database(url)
    watcher = changes.watch(db)
    seen: dict[str, float] = {}
    reads: list[float] = []
    errors: list[str] = []
    time.sleep(max(0.0, start_at - time.time()))
    while time.time() < end_at + 3:
        try:
            if not watcher.wait(0.5).touches_list():  # as gui/changes.LiveUpdates: only what the list shows
                continue
            time.sleep(GATHER_MS / 1000)  # gathered for a moment, as the window does
            watcher.wait(0.0)
            t = time.perf_counter()
            page, more = conferences.first_page(db, date.today())
            rows = page + (conferences.older_conferences(db, date.today()) if more else [])
            reads.append(time.perf_counter() - t)
            now = time.time()
            for row in rows:
                if " mark " in row.chair and row.chair not in seen:
                    seen[row.chair] = now
            time.sleep(REST_MS / 1000)  # and rests between reads, as the window does
        except Exception as exc:
            _error(errors, "observer", exc)
    watcher.close()
    db.dispose()
    out.put(("observer", 0, {"seen": seen, "reads": reads, "errors": errors}))


# ---------------------------------------------------------------------------------------------------------
# Setting up and reporting


def county_files(folder: Path, families: int) -> list[list[str]]:
    """Conference files of another synthetic county (bench/county.py), grouped by family, oldest first."""
    from sqlalchemy import text

    from bench.county import build_county
    from chair_app.services import conferences
    from chair_app.store.engine import open_database, sqlite_url

    db = open_database(sqlite_url(folder / "other-county.db"))
    build_county(db, 1, first_year=2025, seed=7)
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, family_id FROM conference ORDER BY family_id, held_on")).all()
    groups: dict[str, list[str]] = {}
    for cid, fid in rows:
        if len(groups) >= families and str(fid) not in groups:
            continue
        path = folder / f"{cid}.json"
        conferences.write_export(db, str(cid), path)
        groups.setdefault(str(fid), []).append(str(path))
    db.dispose()
    return list(groups.values())


def prepare(url: str, clients: int) -> list[str]:
    """The unit's database: a year of a county, and one demo-sized conference per client to type into."""
    from bench.county import build_county
    from chair_app.rules.policy import load_policy
    from chair_app.services import conferences
    from chair_app.services.demo import build_demo
    from chair_app.store.engine import open_database

    db = open_database(url)
    build_county(db, 1, first_year=date.today().year)
    policy = load_policy()
    ids = []
    for k in range(clients):
        bundle = build_demo(policy, date.today())
        bundle.family.name = f"Load family {k}"
        ids.append(str(conferences.add_conference(db, bundle).conference.id))
    with db.engine.begin() as conn:  # for the baseline: the smallest durable write (not one of Chair's tables)
        conn.exec_driver_sql("CREATE TABLE bench_floor (id int PRIMARY KEY, n int NOT NULL)")
        conn.exec_driver_sql(f"INSERT INTO bench_floor SELECT g, 0 FROM generate_series(0, {clients}) AS g")
    db.dispose()
    return ids


def lost_edits(url: str, results: dict) -> int:
    """Items whose stored text is not the last text their client was told was stored."""
    from chair_app.domain import model as m
    from chair_app.store import repository as repo
    from chair_app.store.engine import open_database

    db = open_database(url)
    lost = 0
    with db.unit_of_work() as session:
        for data in results.values():
            for item_id, text in data["expected"].items():
                row = session.get(repo.RECORD_ROWS[m.MappingItem], uuid.UUID(item_id))
                lost += row is None or row.text != text
    db.dispose()
    return lost


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--seconds", type=float, default=300.0, help="how long the load runs (default 300)")
    parser.add_argument("--clients", type=int, default=20, help="people typing (default 20)")
    parser.add_argument("--importers", type=int, default=2)
    parser.add_argument("--families", type=int, default=150, help="families in the county files imported")
    parser.add_argument("--alone", type=float, default=30.0, help="seconds one client types alone first (the baseline)")
    parser.add_argument(
        "--every",
        type=float,
        default=0.0,
        help="seconds between handouts and list reads (default 120; less for short runs)",
    )
    args = parser.parse_args(argv)
    every = args.every or min(120.0, max(15.0, args.seconds / 2.5))  # 120 s for the full five minutes

    cluster = Cluster(max_connections=max(100, 10 * (args.clients + args.importers + 4)))
    tmp = Path(tempfile.mkdtemp(prefix="chair-load-"))
    ctx = mp.get_context("spawn")
    try:
        t = time.perf_counter()
        ids = prepare(cluster.url, args.clients)
        families = county_files(tmp, args.families)
        print(
            f"prepared in {time.perf_counter() - t:.0f} s: {args.clients} conferences to type into, "
            f"{sum(map(len, families))} county files of {len(families)} families",
            file=sys.stderr,
        )
        out = ctx.Queue()
        # The same-run baseline: one person typing with nobody else on the server.
        t0 = time.time() + 8
        alone = ctx.Process(
            target=client, args=(args.clients, cluster.url, ids[0], t0, t0 + args.alone, 1e9, out, "alone")
        )
        alone.start()
        baseline = out.get(timeout=args.alone + 300)[2]
        alone.join(timeout=30)
        start_at = time.time() + 8 + 0.5 * (args.clients + args.importers)  # every process started and ready
        end_at = start_at + args.seconds
        procs = [
            ctx.Process(target=client, args=(k, cluster.url, ids[k], start_at, end_at, every, out))
            for k in range(args.clients)
        ]
        procs += [
            ctx.Process(target=importer, args=(k, cluster.url, families, start_at, end_at, out))
            for k in range(args.importers)
        ]
        procs.append(ctx.Process(target=reporter, args=(cluster.url, date.today().year, start_at, end_at, out)))
        procs.append(ctx.Process(target=observer, args=(cluster.url, start_at, end_at, out)))
        for p in procs:
            p.start()
        results: dict[tuple[str, int], dict] = {}
        deadline = end_at + 300
        while len(results) < len(procs) and time.time() < deadline:
            try:
                kind, k, data = out.get(timeout=5)
            except Exception:
                if not any(p.is_alive() for p in procs):
                    break
                continue
            results[(kind, k)] = data
        for p in procs:
            p.join(timeout=30)
        crashed = [p.exitcode for p in procs if p.exitcode != 0]
        return report(
            baseline,
            args,
            every,
            results,
            lost_edits(cluster.url, {k: v for k, v in results.items() if k[0] == "client"}),
            crashed,
        )
    finally:
        cluster.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def report(baseline: dict, args, every: float, results: dict, lost: int, crashed: list) -> int:
    clients = {k: v for (kind, k), v in results.items() if kind == "client"}
    importers = {k: v for (kind, k), v in results.items() if kind == "importer"}
    rep = results.get(("reporter", 0), {"runs": [], "errors": []})
    obs = results.get(("observer", 0), {"seen": {}, "reads": [], "errors": []})
    errors = [e for v in results.values() for e in v["errors"]]
    errors += [f"process ended with status {c}" for c in crashed]
    missing = args.clients + args.importers + 2 - len(results)
    if missing:
        errors.append(f"{missing} processes never reported")
    lines = ["client  keys   p50 ms  p95 ms  p99 ms  max ms  floor p95  handouts  lists  opened"]
    all_lat: list[float] = []
    all_floor: list[float] = []
    worst_p95 = 0.0
    for k in sorted(clients):
        v = clients[k]
        lat = v["lat"] or [float("nan")]
        all_lat += v["lat"]
        all_floor += v["floor"]
        floor_p95 = 1000 * percentile(v["floor"], 95) if v["floor"] else float("nan")
        p95 = 1000 * percentile(lat, 95)
        worst_p95 = max(worst_p95, p95)
        lines.append(
            f"{k:>6}  {len(v['lat']):>5}  {1000 * percentile(lat, 50):>6.1f}  {p95:>6.1f}  "
            f"{1000 * percentile(lat, 99):>6.1f}  {1000 * max(lat):>6.0f}  {floor_p95:>9.1f}  "
            f"{v['handouts']:>8}  {v['lists']:>5}  {v['opened']:>6}"
        )
    print("\n".join(lines))
    delays = []
    unseen = 0
    for v in clients.values():
        for mark, t0 in v["marks"]:
            if mark in obs["seen"]:
                delays.append(obs["seen"][mark] - t0)
            else:
                unseen += 1
    keys = len(all_lat)
    files = sum(v["files"] for v in importers.values())
    batches = [s for v in importers.values() for s in v["seconds"]]
    handouts = [s for v in clients.values() for s in v["handout"]]
    lists = [s for v in clients.values() for s in v["list"]]
    opens = [s for v in clients.values() for s in v["open"]]

    def ms(values: list[float], p: float) -> str:
        return f"{1000 * percentile(values, p):.0f}" if values else "-"

    rows = [
        (
            "processes",
            f"{args.clients} typing, {args.importers} importing, 1 report, 1 list",
            f"{args.seconds:.0f} s",
            "",
        ),
        ("keystrokes stored", f"{keys:,} ({keys / args.seconds:.1f}/s)", "", ""),
        (
            f"one client typing alone first ({args.alone:.0f} s), p50 / p95 / p99",
            f"{ms(baseline['lat'], 50)} / {ms(baseline['lat'], 95)} / {ms(baseline['lat'], 99)} ms",
            f"floor p95 {ms(baseline['floor'], 95)} ms",
            "",
        ),
        (
            "keystroke p50 / p95 / p99, all clients",
            f"{ms(all_lat, 50)} / {ms(all_lat, 95)} / {ms(all_lat, 99)} ms",
            f"worst client p95 {worst_p95:.1f} ms; floor p95 {ms(all_floor, 95)} ms, "
            f"{percentile(all_lat, 95) / percentile(all_floor, 95):.1f}x"
            if all_lat and all_floor
            else "",
            f"p95 <= {BUDGET_P95_MS:.0f} ms per client " + ("met" if worst_p95 <= BUDGET_P95_MS else "NOT MET"),
        ),
        (
            "list refresh after a colleague's change, p50 / p95 / max",
            f"{ms(delays, 50)} / {ms(delays, 95)} / {ms(delays, 100)} ms" if delays else "-",
            f"{len(delays)} changes seen, {unseen} not seen",
            f"<= {BUDGET_REFRESH_S:.0f} s "
            + ("met" if delays and not unseen and max(delays) <= BUDGET_REFRESH_S else "NOT MET"),
        ),
        (
            "list read by the listening colleague, p50 / p95",
            f"{ms(obs['reads'], 50)} / {ms(obs['reads'], 95)} ms",
            f"{len(obs['reads'])} reads",
            "",
        ),
        (
            "imports",
            f"{files:,} files in {len(batches)} batches ({files / args.seconds:.1f} files/s)",
            f"batch p50 {ms(batches, 50)} ms, p95 {ms(batches, 95)} ms",
            "",
        ),
        (
            "import results",
            ", ".join(f"{a} {sum(v[a] for v in importers.values())}" for a in ("added", "updated", "unchanged")),
            "",
            "",
        ),
        (
            "year's report runs",
            f"{len(rep['runs'])}",
            f"p50 {ms(rep['runs'], 50)} ms, max {ms(rep['runs'], 100)} ms",
            "",
        ),
        (
            "handout / list / open another conference, p95",
            f"{ms(handouts, 95)} / {ms(lists, 95)} / {ms(opens, 95)} ms",
            f"{len(handouts)} / {len(lists)} / {len(opens)} done (every {every:.0f} s)",
            "",
        ),
        ("errors", f"{len(errors)}", "", "0 " + ("met" if not errors else "NOT MET")),
        ("lost or overwritten edits", f"{lost}", "", "0 " + ("met" if not lost else "NOT MET")),
    ]
    print(table(f"Chair unit-server load ({os.cpu_count()} cores, PostgreSQL, fsync on)", rows))
    for e in errors[:20]:
        print("  error:", e)
    return 0 if not errors and not lost else 1


if __name__ == "__main__":
    sys.exit(main())
