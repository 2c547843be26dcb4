"""The register's look-up for a new child among 50,000 children (issue 13: <= 50 ms).

The register is filled with Core inserts (fictional families of one to four children, random names and dates
of birth over 18 years). Each look-up is ``services.register.find_child`` for a child as a clerk types one:
half are children already registered (found by name and date of birth), a quarter by local child ID, a
quarter not registered. Baseline in the same run: reading one child by its id through a unit of work, the
floor of any read the service makes.
"""

from __future__ import annotations

import random
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.common import median, percentile
from chair_app.services.register import Wanted, find_child
from chair_app.store import models as rows
from chair_app.store.engine import open_database, sqlite_url

FORENAMES = ["Amy", "Ben", "Cara", "Dan", "Ella", "Finn", "Grace", "Harry", "Isla", "Jack", "Kai", "Lola", "Max"]
SURNAMES = [f"Surname{i:04d}" for i in range(4000)]


def fill(db, n_children: int, rnd: random.Random) -> list[dict]:
    now = datetime.now(UTC)
    families, children = [], []
    while len(children) < n_children:
        fid = uuid.uuid4()
        surname = rnd.choice(SURNAMES)
        families.append(dict(id=fid, version=1, created_at=now, updated_at=now, name=f"{surname} family"))
        for _ in range(rnd.randint(1, 4)):
            children.append(
                dict(
                    id=uuid.uuid4(),
                    version=1,
                    created_at=now,
                    updated_at=now,
                    family_id=fid,
                    forename=rnd.choice(FORENAMES),
                    surname=surname,
                    date_of_birth=date(2008, 1, 1) + timedelta(days=rnd.randrange(18 * 365)),
                    local_child_id=f"B{len(children):06d}",
                )
            )
    with db.engine.begin() as conn:
        conn.execute(rows.FamilyRow.__table__.insert(), families)
        for i in range(0, len(children), 5000):
            conn.execute(rows.ChildRow.__table__.insert(), children[i : i + 5000])
    return children


def measure(quick: bool = False) -> list[tuple[str, str, str, str]]:
    n = 5_000 if quick else 50_000
    lookups = 40 if quick else 200
    rnd = random.Random(13)
    with tempfile.TemporaryDirectory(prefix="chair-bench-register-") as tmp:
        db = open_database(sqlite_url(Path(tmp) / "register.db"))
        children = fill(db, n, rnd)
        wanted = []
        for i in range(lookups):
            c = rnd.choice(children)
            if i % 4 in (0, 1):
                wanted.append(Wanted(c["forename"], c["surname"], c["date_of_birth"]))
            elif i % 4 == 2:
                wanted.append(Wanted("", "", None, c["local_child_id"]))
            else:
                wanted.append(Wanted("Zed", "Unregistered", date(2015, 6, 1) + timedelta(days=i)))
        find_child(db, wanted[0])  # warm: the engine, the mapper, the page cache
        times, base, found = [], [], 0
        for w in wanted:
            t = time.perf_counter()
            found += bool(find_child(db, w))
            times.append(time.perf_counter() - t)
            cid = rnd.choice(children)["id"]
            t = time.perf_counter()
            with db.unit_of_work() as session:
                session.get(rows.ChildRow, cid)
            base.append(time.perf_counter() - t)
        db.dispose()
    med, p95, b = median(times), percentile(times, 95), median(base)
    scale = "" if n >= 50_000 else " (budget is for 50,000)"
    return [
        (
            f"register: match a new child among {n:,} children, median (95th percentile)",
            f"{1000 * med:.1f} ms ({1000 * p95:.1f} ms)",
            f"one child by id {1000 * b:.1f} ms / {med / b:.1f}x; {found} of {lookups} found",
            "<= 50 ms " + ("met" if p95 <= 0.05 else "NOT MET") + scale,
        )
    ]


if __name__ == "__main__":
    from bench.common import table

    print(table("The register", measure()))
