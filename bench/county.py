"""A synthetic county the size of the report's: about 1,000 conferences, 2,400 children at conferences and
15,000 attendance rows a year, for as many years as asked, or as many conferences as asked going back from a
day. Deterministic (seeded); fictional."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert

from chair_app.store import models as rows
from chair_app.store.engine import Database

ROLES = [
    "social_worker",
    "team_manager",
    "health_visitor",
    "school_nurse",
    "gp",
    "school",
    "nursery",
    "police",
    "probation",
    "housing",
    "domestic_abuse_service",
    "midwife",
    "substance_misuse_service",
]
CATEGORIES = ["NEG"] * 52 + ["EMO"] * 26 + ["PHY"] * 10 + ["MUL"] * 8 + ["SAB"] * 4
PN = ["PN1"] * 50 + ["PN2"] + ["PN4"] + ["PN5"] * 8 + ["PN6"] * 25 + ["PN7"] * 12
NOW = datetime(2026, 1, 1, tzinfo=UTC)
STAMP = {"version": 1, "created_at": NOW, "updated_at": NOW}


def _id() -> uuid.UUID:
    return uuid.uuid4()


TABLES = {
    "family": rows.FamilyRow,
    "child": rows.ChildRow,
    "person": rows.PersonRow,
    "conference": rows.ConferenceRow,
    "conference_child": rows.ConferenceChildRow,
    "decision": rows.DecisionRow,
    "plan_history": rows.PlanHistoryRow,
    "invitation": rows.InvitationRow,
}


class County:
    """Rows for a fictional county, generated a family at a time (seeded) and written a batch at a time."""

    def __init__(self, seed: int = 42) -> None:
        self.rnd = random.Random(seed)
        self.data: dict[str, list[dict]] = {k: [] for k in TABLES}
        self.counts = dict.fromkeys(TABLES, 0)
        self.professionals = [
            {"id": _id(), "name": f"Worker {i}", "role_code": self.rnd.choice(ROLES), **STAMP} for i in range(3000)
        ]
        self.data["person"] += self.professionals
        self.n_children = 0

    def family(self, start: date, last_day: date | None = None, room: int | None = None) -> int:
        """One family's conferences from ``start`` (none after ``last_day``, at most ``room``): how many."""
        rnd, data = self.rnd, self.data
        fid = _id()
        data["family"].append({"id": fid, "name": "Family", **STAMP})
        kids = []
        for _ in range(rnd.choice([1, 2, 2, 3, 4])):
            dob = start - timedelta(days=rnd.randrange(-120, 17 * 365))
            kid = {
                "id": _id(),
                "family_id": fid,
                "forename": "Child",
                "surname": "Family",
                "date_of_birth": dob if dob <= start else None,
                "expected_date_of_birth": dob if dob > start else None,
                "sex": rnd.choice(["female", "male"]),
                "ethnicity": rnd.choice(["WBRI"] * 8 + ["AIND", "MWBC"]),
                "disability": rnd.random() < 0.03,
                "local_child_id": f"L{self.n_children}",
                **STAMP,
            }
            self.n_children += 1
            kids.append(kid)
        data["child"] += kids
        parent = {"id": _id(), "name": "Parent", "role_code": "parent", **STAMP}
        data["person"].append(parent)
        held, prev, plan = start, None, rnd.random() < 0.85
        meetings = 1 + (rnd.choice([1, 1, 2, 3]) if plan else 0)
        made = 0
        for n in range(meetings):
            if (last_day is not None and held > last_day) or (room is not None and made >= room):
                break
            made += 1
            cid = _id()
            kind = "initial" if n == 0 else ("first_review" if n == 1 else "review")
            data["conference"].append(
                {
                    "id": cid,
                    "kind": kind,
                    "family_id": fid,
                    "held_on": held,
                    "chair": f"IRO {rnd.randrange(15)}",
                    "strategy_discussion_on": held - timedelta(days=rnd.randrange(10, 26)) if n == 0 else None,
                    "previous_conference_id": prev,
                    "report_to_parents_on": held - timedelta(days=rnd.choice([0, 1, 3])),
                    "record_distributed_on": held + timedelta(days=rnd.randrange(3, 20)),
                    "status": "held" if rnd.random() > 0.04 else "stood_down",
                    "quoracy_outcome": "quorate",
                    **STAMP,
                }
            )
            for person in [parent, *rnd.sample(self.professionals, 14)]:
                data["invitation"].append(
                    {
                        "conference_id": cid,
                        "person_id": person["id"],
                        "id": _id(),
                        "status": rnd.choice(["attended"] * 7 + ["apologies", "did_not_attend"]),
                        "report_submitted": rnd.random() < 0.6,
                        **STAMP,
                    }
                )
            last = n == meetings - 1
            for kid in kids:
                born = kid["date_of_birth"]
                young = born is not None and (held - born).days < 4 * 365
                code = None if born is None else ("PN0" if young else rnd.choice(PN))
                data["conference_child"].append(
                    {"conference_id": cid, "child_id": kid["id"], "id": _id(), "participation_code": code, **STAMP}
                )
                outcome = ("plan" if plan else "no_plan") if n == 0 else ("end" if last else "continue")
                category = rnd.choice(CATEGORIES) if outcome in ("plan", "continue") else None
                data["decision"].append(
                    {
                        "conference_id": cid,
                        "child_id": kid["id"],
                        "id": _id(),
                        "outcome": outcome,
                        "initial_category": category,
                        "latest_category": category,
                        "decided_on": held,
                        **STAMP,
                    }
                )
                if n == 0 and plan:
                    kid["_plan"] = {
                        "id": _id(),
                        "child_id": kid["id"],
                        "started_on": held,
                        "ended_on": None,
                        "conference_id": cid,
                        "initial_category": category,
                        "latest_category": category,
                        **STAMP,
                    }
                    data["plan_history"].append(kid["_plan"])
                if outcome == "end" and "_plan" in kid:
                    kid["_plan"]["ended_on"] = held
            prev = cid
            held = held + timedelta(days=91 if n == 0 else 182)
        for kid in kids:
            kid.pop("_plan", None)
        return made

    def write(self, db: Database) -> None:
        """Store what has been generated since the last write, and forget it."""
        with db.engine.begin() as conn:
            for name, row_cls in TABLES.items():
                records = self.data[name]
                if not records:
                    continue
                keys = set().union(*(r.keys() for r in records))
                for r in records:
                    for k in keys:
                        r.setdefault(k, None)
                for i in range(0, len(records), 20000):
                    conn.execute(insert(row_cls.__table__), records[i : i + 20000])
                self.counts[name] += len(records)
                records.clear()


def build_county(db: Database, years: int, first_year: int = 2016, seed: int = 42) -> dict[str, int]:
    """``years`` of 400 families a year (about 1,000 conferences), from ``first_year``."""
    county = County(seed)
    for year in range(first_year, first_year + years):
        for _family in range(400):
            county.family(date(year, 1, 1) + timedelta(days=county.rnd.randrange(365)))
    county.write(db)
    return dict(county.counts)


def build_archive(db: Database, conferences: int, last_day: date, seed: int = 42) -> dict[str, int]:
    """An archive of exactly ``conferences`` conferences, about 1,000 a year (400 families), going back in time
    from ``last_day`` (the latest a conference is booked), written a year at a time: 1,000 conferences is about
    a year, 50,000 about fifty."""
    county = County(seed)
    year, made = last_day.year, 0
    while made < conferences:
        for _family in range(400):
            if made >= conferences:
                break
            start = date(year, 1, 1) + timedelta(days=county.rnd.randrange(365))
            if start <= last_day:
                made += county.family(start, last_day, conferences - made)
        county.write(db)
        year -= 1
    return dict(county.counts)
