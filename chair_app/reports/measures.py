"""The service's measures: the annual report's tables, computed from what chairs and clerks record.

Each measure is a function of (frames, policy, period) returning a tidy DataFrame with stable column names.
``MEASURES`` lists them with the file name they are written under and the definition docs/measures.md gives.
A conference counts as held when its status is held or in progress; a child counts once per conference.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from chair_app.reports.frames import Frames, WorkingDays, in_period
from chair_app.reports.period import Period, year_before
from chair_app.rules.ages import plan_age_band, repeat_plan_age_band
from chair_app.rules.calendar import WorkingCalendar
from chair_app.rules.decisions import time_since_band
from chair_app.rules.participation import PARTICIPATED
from chair_app.rules.policy import Policy

INITIAL = ["initial", "initial_pre_birth", "reconvened_initial"]
TRANSFER = ["transfer_in"]
REVIEW = ["first_review", "review"]
HELD = ["held", "in_progress"]
CATEGORY_LABELS = {
    "NEG": "Neglect",
    "EMO": "Emotional abuse",
    "PHY": "Physical abuse",
    "SAB": "Sexual abuse",
    "MUL": "Multiple",
}
SINCE_BANDS = ["Within 6 months", "6 to 12 months", "1 to 2 years", "Over 2 years"]
REPEAT_AGE_BANDS = ["1-4", "5-9", "10-15", "16-17"]


def pct(n: float, d: float) -> float:
    return round(100.0 * n / d, 1) if d else np.nan


def text(n: int, d: int) -> str:
    return f"{pct(n, d):.1f}% ({n} of {d})" if d else "no cases"


class Context:
    """Frames with the derived columns several measures share, worked out once."""

    def __init__(self, frames: Frames, policy: Policy, period: Period, as_of: date | None = None) -> None:
        self.f, self.policy, self.period = frames, policy, period
        self.as_of = as_of or date.today()  # what is due after this day is not yet due (not missed)
        self.wd = WorkingDays(WorkingCalendar.from_policy(policy))
        c = frames.conference.copy()
        t = policy.timescales
        prev = c.set_index("id")["held_on"]
        # pandas cannot map through an empty Series of dates (a period with no conferences)
        c["previous_held_on"] = (
            c["previous_conference_id"].map(prev) if len(prev) else pd.Series(pd.NaT, index=c.index, dtype=prev.dtype)
        )
        review_due = pd.Series(pd.NaT, index=c.index, dtype="datetime64[ns]")
        for kind, months in (("first_review", t["first_review_months"]), ("review", t["review_months"])):
            rows = (c["kind"] == kind) & c["previous_held_on"].notna()
            review_due[rows] = c.loc[rows, "previous_held_on"] + pd.DateOffset(months=months)
        has_due = review_due.notna()
        roll = "backward" if policy.deadline_roll == "before" else "forward"
        if has_due.any():
            rolled = np.busday_offset(
                review_due[has_due].to_numpy().astype("datetime64[D]"), 0, roll=roll, holidays=self.wd.holidays
            )
            review_due[has_due] = pd.to_datetime(rolled)
        review_due = self._after_birth(c, review_due, t["pre_birth_first_review_working_days_after_birth"])
        c["due"] = np.select(
            [c["kind"].isin(INITIAL), c["kind"].isin(TRANSFER), c["kind"].isin(REVIEW)],
            [
                self.wd.add(c["strategy_discussion_on"], t["initial_conference_working_days"]),
                self.wd.add(c["transfer_notified_on"], t["transfer_in_working_days"]),
                review_due,
            ],
            default=pd.NaT,
        ).astype("datetime64[ns]")
        c["held"] = c["status"].isin(HELD)
        c["in_period"] = in_period(c["held_on"], period.start, period.end)
        self.conference = c
        self.held = c[c["held"] & c["in_period"]]
        ph = frames.plan_history.merge(
            frames.child[["id", "date_of_birth"]].rename(columns={"id": "child_id"}), on="child_id", how="left"
        )
        self.plans = ph
        end = pd.Timestamp(period.end)
        self.open_at_end = ph[(ph["started_on"] <= end) & (ph["ended_on"].isna() | (ph["ended_on"] > end))]
        self.started = ph[in_period(ph["started_on"], period.start, period.end)]

    def _after_birth(self, c: pd.DataFrame, review_due: pd.Series, working_days: int) -> pd.Series:
        """A first review after a pre-birth conference is due by the earlier of its date and ``working_days``
        after the birth (of a child it considers, born since the earlier conference), as rules.timescales."""
        first = c.loc[(c["kind"] == "first_review") & c["previous_held_on"].notna(), ["id", "previous_held_on"]]
        if first.empty:
            return review_due
        kids = self.f.conference_child[["conference_id", "child_id"]].merge(
            first.rename(columns={"id": "conference_id"}), on="conference_id"
        )
        kids = kids.merge(self.f.child[["id", "date_of_birth"]].rename(columns={"id": "child_id"}), on="child_id")
        born = kids[kids["date_of_birth"] > kids["previous_held_on"]].groupby("conference_id")["date_of_birth"].min()
        if born.empty:
            return review_due
        after = self.wd.add(born, working_days)
        rows = c["id"].isin(after.index)
        review_due = review_due.copy()
        review_due[rows] = np.minimum(review_due[rows].to_numpy(), c.loc[rows, "id"].map(after).to_numpy())
        return review_due


# ---------------------------------------------------------------------------------------------------------
# 1, 2, 10: timeliness


def timeliness(ctx: Context) -> pd.DataFrame:
    rows = []
    for name, kinds in (
        ("Initial conferences", INITIAL),
        ("Transfer-in conferences", TRANSFER),
        ("Review conferences", REVIEW),
    ):
        c = ctx.held[ctx.held["kind"].isin(kinds)]
        known = c[c["due"].notna()]
        met = int((known["held_on"] <= known["due"]).sum())
        rows.append(
            {
                "measure": name,
                "within_timescale": met,
                "total": len(known),
                "percent": pct(met, len(known)),
                "text": text(met, len(known)),
                "cannot_tell": len(c) - len(known),
            }
        )
    rows.append(first_core_groups(ctx))
    return pd.DataFrame(rows)


def first_core_groups(ctx: Context) -> dict:
    """Measure 01's row "First core groups" (issue 13): of the reviews held in the period, those whose first core
    group was held within the policy's working days of the conference before (as rules.timescales judges it on
    the review, which records the core groups that report to it). A review with no core group recorded counts
    as missed; one whose conference before is not known counts in ``cannot_tell``."""
    c = ctx.held[ctx.held["kind"].isin(REVIEW)]
    known = c[c["previous_held_on"].notna()]
    due = ctx.wd.add(known["previous_held_on"], ctx.policy.timescales["first_core_group_working_days"])
    groups = ctx.f.core_group
    held = pd.Series(pd.NaT, index=known.index, dtype="datetime64[ns]")
    if len(groups) and len(known):  # (pandas cannot map through an empty Series of dates)
        held = pd.to_datetime(known["id"].map(groups.groupby("conference_id")["held_on"].min()))
    met = int((held.notna() & (held <= due)).sum())
    return {
        "measure": "First core groups",
        "within_timescale": met,
        "total": len(known),
        "percent": pct(met, len(known)),
        "text": text(met, len(known)),
        "cannot_tell": len(c) - len(known),
    }


def reports_before_conference(ctx: Context) -> pd.DataFrame:
    rows = []
    for ctype, kinds in (("Initial", INITIAL + TRANSFER), ("Review", REVIEW)):
        c = ctx.held[ctx.held["kind"].isin(kinds)]
        for recipient, col in (("Parents", "report_to_parents_on"), ("Chair", "report_to_chair_on")):
            before = int((c[col] < c["held_on"]).sum())
            on_day = int((c[col] == c["held_on"]).sum())
            missing = len(c) - before - on_day
            for status, n in (("Before the conference", before), ("On the day", on_day), ("Not received", missing)):
                rows.append(
                    {
                        "conference_type": ctype,
                        "recipient": recipient,
                        "received": status,
                        "count": n,
                        "percent": pct(n, len(c)),
                        "total": len(c),
                    }
                )
    return pd.DataFrame(rows)


def _distributed_from_records(ctx: Context, c: pd.DataFrame) -> pd.DataFrame:
    """Measure 10 from distribution (issue 14, services/distribution.py): a record or plan counts as distributed
    on the day the last of its recipients had it (each recipient's first copy; a corrected version sent later
    does not move the day). A conference with no distribution recorded keeps its own ``record_distributed_on``
    and ``plan_distributed_on`` (records kept before distribution was recorded, imports)."""
    d = ctx.f.document_record
    if d is None or d.empty:
        return c
    d = d[d["distributed_on"].notna() & d["kind"].isin(["record", "cp_plan"])]
    if d.empty:
        return c
    first = d.groupby(["conference_id", "kind", "recipient"])["distributed_on"].min()
    done = first.groupby(level=["conference_id", "kind"]).max().unstack("kind")
    for kind, column in (("record", "record_distributed_on"), ("cp_plan", "plan_distributed_on")):
        if kind in done:
            c[column] = c["id"].map(done[kind]).combine_first(c[column])
    return c


def distribution_and_decisions(ctx: Context) -> pd.DataFrame:
    """The record (its target, and its ceiling reported apart), the plan to the family and the chair's decision
    letter, each within the policy's working days of the conference."""
    t = ctx.policy.timescales
    c = _distributed_from_records(ctx, ctx.held.copy())
    decisions = (
        ctx.f.decision.assign(plan=ctx.f.decision["outcome"].isin(["plan", "continue"]))
        .groupby("conference_id")
        .agg(decided=("decided_on", "max"), plan=("plan", "max"))
    )
    docs = ctx.f.document_record
    letters = docs[docs["kind"] == "decision_letter"]
    sent = pd.to_datetime(letters["distributed_on"]).fillna(
        pd.to_datetime(letters["produced_at"], utc=True).dt.tz_localize(None).dt.normalize()
    )
    first_letter = sent.groupby(letters["conference_id"]).min() if len(letters) else pd.Series(dtype="datetime64[ns]")
    c = c.join(decisions, on="id").join(first_letter.rename("letter_sent"), on="id")
    decided = c[c["decided"].notna()]
    rows = []
    for name, due_wd, actual, subset in (
        ("Records distributed within timescale", t["record_distribution_working_days"], "record_distributed_on", c),
        (
            "Records distributed within the ceiling",
            t["record_ceiling_working_days"],
            "record_distributed_on",
            c,
        ),
        (
            "Plans distributed within timescale",
            t["plan_distribution_working_days"],
            "plan_distributed_on",
            c[c["plan"].fillna(False).astype(bool)],
        ),
        ("Decision letters sent within timescale", t["decision_letter_working_days"], "letter_sent", decided),
    ):
        due = ctx.wd.add(subset["held_on"], due_wd)
        done = subset[actual].notna()
        # Not done and not due yet (the due day is after today): neither within timescale nor missed.
        pending = int((~done & (due > pd.Timestamp(ctx.as_of))).sum())
        total = len(subset) - pending
        met = int((done & (subset[actual] <= due)).sum())
        rows.append(
            {
                "measure": name,
                "within_timescale": met,
                "total": total,
                "percent": pct(met, total),
                "text": text(met, total) if total or not pending else "none due yet",
                "working_days": due_wd,
                "not_yet_due": pending,
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------------------
# 3-7: children and plans


def _children_at(ctx: Context, conferences: pd.DataFrame) -> pd.DataFrame:
    cc = ctx.f.conference_child.merge(conferences[["id", "held_on", "kind"]], left_on="conference_id", right_on="id")
    return cc.merge(
        ctx.f.decision[["conference_id", "child_id", "outcome"]], on=["conference_id", "child_id"], how="left"
    )


def icpc_children_by_month(ctx: Context) -> pd.DataFrame:
    kids = _children_at(ctx, ctx.held[ctx.held["kind"].isin(INITIAL)])
    kids["month"] = kids["held_on"].dt.strftime("%Y-%m")
    rows = []
    for month, group in [*sorted(kids.groupby("month")), ("Total", kids)]:
        plan = int((group["outcome"] == "plan").sum())
        no_plan = int((group["outcome"] == "no_plan").sum())
        rows.append(
            {
                "month": month,
                "subject_of_plan": plan,
                "no_plan_required": no_plan,
                "no_decision_recorded": len(group) - plan - no_plan,
                "total": len(group),
                "plan_percent": pct(plan, plan + no_plan),
                "no_plan_percent": pct(no_plan, plan + no_plan),
            }
        )
    return pd.DataFrame(rows)


def plans(ctx: Context) -> pd.DataFrame:
    end = pd.Timestamp(ctx.period.end)
    ended = ctx.plans[in_period(ctx.plans["ended_on"], ctx.period.start, ctx.period.end)]
    reviews = ctx.conference[ctx.conference["kind"] == "first_review"][["id", "held_on"]]
    ends_at_first = ctx.f.decision[ctx.f.decision["outcome"] == "end"].merge(
        reviews, left_on="conference_id", right_on="id"
    )
    at_first = ended.merge(
        ends_at_first[["child_id", "held_on"]], left_on=["child_id", "ended_on"], right_on=["child_id", "held_on"]
    )
    open_end = ctx.open_at_end
    t = ctx.policy.timescales
    long_m, exit_m = t["long_plan_months"], t["exit_planning_review_months"]
    # As rules.timescales.plan_length: "over N months" is after start + N months; "N months reached" on or after.
    long_plans = (end > open_end["started_on"] + pd.DateOffset(months=long_m)).sum()
    nine = (end >= open_end["started_on"] + pd.DateOffset(months=exit_m)).sum()
    rows = [
        ("Children subject to a plan at the period end", len(open_end), ""),
        ("Plans started in the period", len(ctx.started), ""),
        ("Plans ended in the period", len(ended), ""),
        ("Plans ended at the first review", len(at_first), text(len(at_first), len(ended))),
        (f"Plans open over {long_m} months at the period end", int(long_plans), ""),
        (f"Plans open {exit_m} months or more at the period end", int(nine), ""),
    ]
    return pd.DataFrame(rows, columns=["measure", "count", "text"])


def _previous_end(ctx: Context, started: pd.DataFrame) -> pd.Series:
    """For each plan, when the child's latest earlier plan ended (NaT when it is a first plan)."""
    earlier = started[["id", "child_id", "started_on"]].merge(
        ctx.plans[["child_id", "started_on", "ended_on"]].rename(
            columns={"started_on": "prev_start", "ended_on": "prev_end"}
        ),
        on="child_id",
    )
    earlier = earlier[earlier["prev_start"] < earlier["started_on"]]
    count = earlier.groupby("id").size()
    last = earlier.groupby("id")["prev_end"].max()
    return count, last


def repeat_plan_rate(ctx: Context) -> pd.DataFrame:
    count, _ = _previous_end(ctx, ctx.started)
    repeats = int(ctx.started["id"].isin(count.index).sum())
    return pd.DataFrame(
        [
            {
                "measure": "Plans that are a second or subsequent plan",
                "repeat_plans": repeats,
                "plans_started": len(ctx.started),
                "percent": pct(repeats, len(ctx.started)),
                "text": text(repeats, len(ctx.started)),
            }
        ]
    )


def repeat_plans_by_age_and_time(ctx: Context) -> pd.DataFrame:
    count, last = _previous_end(ctx, ctx.started)
    rep = ctx.started[ctx.started["id"].isin(count.index)].copy()
    rep["age_band"] = [
        repeat_plan_age_band(d.date() if pd.notna(d) else None, s.date())
        for d, s in zip(rep["date_of_birth"], rep["started_on"], strict=True)
    ]
    rep["since"] = [
        time_since_band(last[i].date(), s.date()) if pd.notna(last.get(i)) else "Previous plan still open"
        for i, s in zip(rep["id"], rep["started_on"], strict=True)
    ]
    table = pd.crosstab(rep["age_band"], rep["since"]).reindex(
        index=REPEAT_AGE_BANDS, columns=SINCE_BANDS, fill_value=0
    )
    table["Grand total"] = table.sum(axis=1)
    table.loc["Grand total"] = table.sum(axis=0)
    table.index.name = "age_at_repeat_plan_start"
    return table.reset_index()


def category_at_start(ctx: Context) -> pd.DataFrame:
    """Plans started in the period counted by their primary category; beside each, how many named it as the
    secondary category (reported, not counted in the total)."""
    counts = ctx.started["initial_category"].fillna("Not recorded").map(lambda c: CATEGORY_LABELS.get(c, c))
    out = counts.value_counts().reindex([*CATEGORY_LABELS.values(), "Not recorded"], fill_value=0)
    out = out[(out > 0) | out.index.isin(CATEGORY_LABELS.values())]
    total = int(out.sum())
    decisions = ctx.f.decision[ctx.f.decision["outcome"] == "plan"][["conference_id", "child_id", "secondary_category"]]
    secondary = ctx.started[["conference_id", "child_id"]].merge(decisions, on=["conference_id", "child_id"])
    second = secondary["secondary_category"].dropna().map(lambda c: CATEGORY_LABELS.get(c, c)).value_counts()
    return pd.DataFrame(
        {
            "category": out.index,
            "count": out.values.astype(int),
            "percent": [pct(int(n), total) for n in out.values],
            "as_secondary": [int(second.get(c, 0)) for c in out.index],
        }
    )


def _ethnic_group(code: str | None) -> str:
    if not code or code in ("REFU", "NOBT"):
        return "Not known"
    return {"W": "White", "M": "Mixed", "A": "Asian or Asian British", "B": "Black or Black British"}.get(
        code[0], "Other ethnic group"
    )


def characteristics(ctx: Context) -> pd.DataFrame:
    kids = ctx.open_at_end.merge(
        ctx.f.child.drop(columns=["date_of_birth"]).rename(columns={"id": "child_id"}), on="child_id", how="left"
    ).drop_duplicates("child_id")
    end = ctx.period.end
    dims = {
        "Age band": [plan_age_band(d.date() if pd.notna(d) else None, end) for d in kids["date_of_birth"]],
        "Gender": kids["sex"].map({"female": "Female", "male": "Male"}).fillna("Not known").tolist(),
        "Ethnicity group": [_ethnic_group(e) for e in kids["ethnicity"]],
        "Disability": kids["disability"]
        .map(lambda d: None if pd.isna(d) else ("Disability recorded" if bool(d) else "No disability"))
        .fillna("Not recorded")
        .tolist(),
    }
    rows = []
    for dim, values in dims.items():
        s = pd.Series(values, dtype="object").value_counts()
        for value, n in sorted(s.items()):
            rows.append({"characteristic": dim, "value": value, "count": int(n), "percent": pct(int(n), len(kids))})
    return pd.DataFrame(rows, columns=["characteristic", "value", "count", "percent"])


# ---------------------------------------------------------------------------------------------------------
# 8, 9, 11, 12


KIND_GROUP = {kind: "initial" for kind in INITIAL} | {"transfer_in": "transfer_in"}
ALL_LATE = "All out of timescale or stood down"


def held_instead(conference: pd.DataFrame, link_days: int) -> pd.Series:
    """For each stood-down meeting (by id), the conference it became: the one held (or yet to be held)
    instead, at the end of its chain of rearrangements; missing when it was never rearranged.

    A conference rearranged in the app names the meeting it was rearranged from (``rearranged_from_id``). A
    stood-down meeting that nothing names (one recorded before the link, or imported without it) is taken to
    have become the family's next meeting of the same kind (an initial conference re-convened counts as the
    same kind) following on from the same conference, held within ``link_days`` days of it: the report's
    "stood down on the day and rearranged". Nothing is stored by this reading; it is how the measures count.
    """
    c = conference[["id", "family_id", "kind", "held_on", "status", "previous_conference_id", "rearranged_from_id"]]
    stood = c["status"] == "stood_down"
    explicit = c[c["rearranged_from_id"].notna()]
    successor = pd.Series(explicit["id"].to_numpy(), index=explicit["rearranged_from_id"].to_numpy(), dtype=object)
    successor = successor[~successor.index.duplicated()]
    unlinked_ids = set(c.loc[stood, "id"]) - set(successor.index)
    if unlinked_ids:
        o = c.assign(
            group=c["kind"].map(KIND_GROUP).fillna(c["kind"]),
            prev=c["previous_conference_id"].fillna(""),
            later=~stood,  # on the same day, the stood-down meeting comes first
        ).sort_values(["family_id", "group", "prev", "held_on", "later"], kind="stable")
        same = (
            (o["family_id"] == o["family_id"].shift(-1))
            & (o["group"] == o["group"].shift(-1))
            & (o["prev"] == o["prev"].shift(-1))
        )
        gap = (o["held_on"].shift(-1) - o["held_on"]).dt.days
        nxt_from = o["rearranged_from_id"].shift(-1)
        ok = (
            o["id"].isin(unlinked_ids)
            & same
            & (gap <= link_days)
            & (nxt_from.isna() | (nxt_from == o["id"]))
            & ~o["id"].shift(-1).isin(successor.to_numpy())  # not already the rearrangement of another
        )
        inferred = pd.Series(o["id"].shift(-1)[ok].to_numpy(), index=o.loc[ok, "id"].to_numpy(), dtype=object)
        successor = pd.concat([successor, inferred])
    # Follow each chain (stood down, stood down again, held) to its end.
    status = c.set_index("id")["status"]
    out = successor[successor.index.isin(set(c.loc[stood, "id"]))]
    for _ in range(len(out)):
        again = out.map(lambda i: successor.get(i) if status.get(i) == "stood_down" else None).dropna()
        if again.empty:
            break
        out[again.index] = again
    return out


def out_of_timescale_or_stood_down(ctx: Context) -> pd.DataFrame:
    """Conferences held in the period that went out of timescale or were stood down and rearranged, by reason.

    As the 2019-20 report counts them ("877 conferences held, of which 116 had to go out of date or be stood
    down on the day and rearranged"): the denominator is the conferences held in the period; each counts once,
    in the period it was held, whether it was held late, stood down and rearranged, or both. A conference
    with stood-down meetings in its history is counted under the reason its first meeting was stood down;
    one held late and never stood down under the reason for delay recorded for it. A meeting stood down and
    never rearranged is not a conference held, so it is not counted.
    """
    c = ctx.conference
    held = ctx.held
    became = held_instead(c, ctx.policy.timescales["rearranged_within_days"])
    stood = c[c["id"].isin(became.index)].assign(became=lambda d: d["id"].map(became))
    stood = stood[stood["became"].isin(held["id"])].sort_values("held_on", kind="stable")
    first = stood.drop_duplicates("became").set_index("became")
    meetings = stood.groupby("became").size()
    late = held[held["due"].notna() & (held["held_on"] > held["due"])]
    counted = held[held["id"].isin(first.index) | held["id"].isin(late["id"])]
    reasons = ctx.f.delay_reason[ctx.f.delay_reason["measure"] == "conference"].drop_duplicates("conference_id")
    reasons = reasons.set_index("conference_id")["reason"]
    labels = [
        ctx.policy.stood_down_reasons.get(r, r or "Unknown reason")
        if (r := first["stood_down_reason"].get(i)) is not None
        else reasons.get(i, "Reason not recorded")
        for i in counted["id"]
    ]
    total = len(held)
    rows = [
        {"reason": r, "conferences": int(n), "percent_of_all": pct(int(n), total), "conferences_held": total}
        for r, n in pd.Series(labels, dtype="object").value_counts().items()
    ]
    rows.append(
        {
            "reason": ALL_LATE,
            "conferences": len(labels),
            "percent_of_all": pct(len(labels), total),
            "conferences_held": total,
            "stood_down_meetings": int(meetings[meetings.index.isin(counted["id"])].sum()),
            "text": text(len(labels), total),
        }
    )
    columns = ["reason", "conferences", "percent_of_all", "conferences_held", "stood_down_meetings", "text"]
    return pd.DataFrame(rows, columns=columns)


def participation(ctx: Context) -> pd.DataFrame:
    kids = _children_at(ctx, ctx.held).merge(
        ctx.f.child[["id", "date_of_birth"]].rename(columns={"id": "child_id"}), on="child_id", how="left"
    )
    born = kids[kids["date_of_birth"].notna() & (kids["date_of_birth"] <= kids["held_on"])]
    codes = born["participation_code"].fillna("Not recorded").value_counts()
    rows = [
        {"code": c, "children": int(codes.get(c, 0))}
        for c in ["PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7", "Not recorded"]
    ]
    took_part = sum(r["children"] for r in rows if r["code"] in {p.value for p in PARTICIPATED})
    eligible = took_part + int(codes.get("PN7", 0))
    no_code = int(codes.get("Not recorded", 0))
    rows.append(
        {
            "code": "Participation rate (PN1-PN6 of PN1-PN7)",
            "children": took_part,
            "percent": pct(took_part, eligible),
            "text": text(took_part, eligible)
            + (
                f"; {no_code} child{'ren' if no_code != 1 else ''} with no code recorded, not counted"
                if no_code
                else ""
            ),
        }
    )
    return pd.DataFrame(rows, columns=["code", "children", "percent", "text"])


def agency_attendance(ctx: Context) -> pd.DataFrame:
    inv = ctx.f.invitation[ctx.f.invitation["conference_id"].isin(ctx.held["id"])].merge(
        ctx.f.person.rename(columns={"id": "person_id"}), on="person_id", how="left"
    )
    columns = ["agency", "invited", "attended", "report_provided", "attended_percent", "report_percent"]
    if inv.empty:
        return pd.DataFrame(columns=columns)
    roles = ctx.policy.roles
    inv["group"] = inv["role_code"].map({k: r.group for k, r in roles.items()}).fillna("other")
    inv = inv[~inv["role_code"].map({k: r.family for k, r in roles.items()}).fillna(False).astype(bool)]
    inv = inv.assign(attended=inv["status"] == "attended", report=inv["report_submitted"].astype(bool))
    sums = inv.groupby("group").agg(invited=("status", "size"), attended=("attended", "sum"), report=("report", "sum"))
    rows = [
        {
            "agency": ctx.policy.group_label(group),
            "invited": int(sums.at[group, "invited"]),
            "attended": int(sums.at[group, "attended"]),
            "report_provided": int(sums.at[group, "report"]),
            "attended_percent": pct(int(sums.at[group, "attended"]), int(sums.at[group, "invited"])),
            "report_percent": pct(int(sums.at[group, "report"]), int(sums.at[group, "invited"])),
        }
        for group in ctx.policy.agency_groups
        if group in sums.index
    ]
    return pd.DataFrame(rows, columns=columns)


def linked_history(ctx: Context) -> pd.DataFrame:
    """Each family with a conference held in the period, and every held conference of its linked history so far:
    those held in the period and each one's earlier conferences, followed back through
    ``previous_conference_id`` however far (to the initial conference), whenever they were held. Columns
    ``family_id`` (the family of the conference held in the period) and the earlier conference's ``id``,
    ``held_on`` and ``chair``. Stood-down meetings are not held, so a rearranged conference counts once (as the
    conference held); conferences after the period are not its history yet."""
    c = ctx.conference
    held_ids = set(c.loc[c["held"], "id"])
    previous = c.set_index("id")["previous_conference_id"].dropna()
    pairs = [ctx.held[["family_id", "id"]]]
    frontier = ctx.held[["family_id", "id"]]
    seen = set(zip(frontier["family_id"], frontier["id"], strict=True))
    while not frontier.empty:  # one step back a pass: as many passes as the longest run of conferences
        step = frontier.assign(id=frontier["id"].map(previous)).dropna(subset=["id"])
        step = step[~pd.Series(list(zip(step["family_id"], step["id"], strict=True)), index=step.index).isin(seen)]
        step = step.drop_duplicates()
        seen.update(zip(step["family_id"], step["id"], strict=True))
        pairs.append(step)
        frontier = step
    out = pd.concat(pairs).drop_duplicates()
    out = out[out["id"].isin(held_ids)]
    facts = c.set_index("id")[["held_on", "chair"]]
    return out.join(facts, on="id")


def chair_consistency(ctx: Context) -> pd.DataFrame:
    """Measure 12, chair consistency, from each family's linked history (issue 13).

    The 2019-20 report: "The service strives to provide the same conference chair for all conferences for a
    family" (recommendation 15: "continue to evidence consistency of chair for child protection conferences").
    So: of the families with a conference held in the period whose conferences so far number two or more, the
    share whose conferences so far all had the same chair. A family's conferences so far are those held in the
    period and all the earlier conferences they follow on from (the initial conference and every review, through
    ``previous_conference_id``, whenever held: a family whose first conference was last year with another chair
    counts as changed). A conference stood down and rearranged counts once, as the conference held; an earlier
    plan's conferences that the current run does not follow on from are not counted.
    """
    history = linked_history(ctx)
    by_family = history.groupby("family_id").agg(conferences=("id", "size"), chairs=("chair", "nunique"))
    several = by_family[by_family["conferences"] >= 2]
    same = int((several["chairs"] == 1).sum())
    return pd.DataFrame(
        [
            {
                "measure": "Families whose conferences so far (initial and every review) all had the same chair",
                "families": same,
                "families_with_two_or_more_conferences": len(several),
                "percent": pct(same, len(several)),
                "text": text(same, len(several)),
            }
        ]
    )


# ---------------------------------------------------------------------------------------------------------
# 13 and the registry


def headline(ctx: Context) -> dict[str, float]:
    t = timeliness(ctx).set_index("measure")["percent"]
    kids = icpc_children_by_month(ctx).set_index("month")
    return {
        "Initial conferences within timescale (%)": t.get("Initial conferences"),
        "Review conferences within timescale (%)": t.get("Review conferences"),
        "Children at initial conferences with no plan (%)": kids.loc["Total", "no_plan_percent"],
        "Children subject to a plan at the period end": float(len(ctx.open_at_end)),
        "Repeat plans (%)": repeat_plan_rate(ctx)["percent"].iloc[0],
        "Participation rate (%)": participation(ctx)["percent"].iloc[-1],
        "Conferences out of timescale or stood down (%)": out_of_timescale_or_stood_down(ctx)["percent_of_all"].iloc[
            -1
        ],
        "Records distributed within timescale (%)": distribution_and_decisions(ctx)["percent"].iloc[0],
    }


def year_on_year(
    frames: Frames, policy: Policy, earlier: Period, later: Period, later_context: Context | None = None
) -> pd.DataFrame:
    a = headline(Context(frames, policy, earlier))
    b = headline(later_context or Context(frames, policy, later))
    rows = []
    for name in a:
        va, vb = a[name], b[name]
        change = "" if pd.isna(va) or pd.isna(vb) else ("up" if vb > va else "down" if vb < va else "same")
        rows.append({"measure": name, earlier.label: va, later.label: vb, "change": change})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Measure:
    key: str  # the CSV file name and XLSX sheet name
    title: str
    compute: Callable[[Context], pd.DataFrame]


MEASURES: tuple[Measure, ...] = (
    Measure("01_conference_timeliness", "Conferences held within timescale", timeliness),
    Measure("02_reports_before_conference", "Reports received before the conference", reports_before_conference),
    Measure("03_icpc_children_by_month", "Children discussed at initial conferences, by month", icpc_children_by_month),
    Measure("04_plans", "Child protection plans", plans),
    Measure("05a_repeat_plan_rate", "Repeat child protection plans", repeat_plan_rate),
    Measure(
        "05b_repeat_plans_by_age_and_time",
        "Age at repeat plan start by time since previous plan",
        repeat_plans_by_age_and_time,
    ),
    Measure("06_category_at_plan_start", "Category of abuse at the start of the plan", category_at_start),
    Measure("07_characteristics_at_period_end", "Children subject to a plan at the period end", characteristics),
    Measure(
        "08_out_of_timescale_or_stood_down",
        "Conferences out of timescale or stood down, by reason",
        out_of_timescale_or_stood_down,
    ),
    Measure("09_participation", "Children's participation (PN codes)", participation),
    Measure(
        "10_distribution_and_decisions", "Records, plans and decisions within timescale", distribution_and_decisions
    ),
    Measure("11_agency_attendance", "Agency attendance and reports", agency_attendance),
    Measure("12_chair_consistency", "Consistency of chair", chair_consistency),
)


def compute_all(
    frames: Frames, policy: Policy, period: Period, previous: Period | None = None, as_of: date | None = None
) -> dict[str, pd.DataFrame]:
    """Every measure for ``period``, plus the year-on-year summary against ``previous`` (default: the year before).
    ``as_of`` (default today) is the day before which a record not yet distributed is late, after it not yet due."""
    ctx = Context(frames, policy, period, as_of)
    out = {m.key: m.compute(ctx) for m in MEASURES}
    if previous is None:
        previous = year_before(period)
    out["13_year_on_year"] = year_on_year(frames, policy, previous, period, ctx)
    return out


TITLES = {m.key: m.title for m in MEASURES} | {"13_year_on_year": "Year on year"}
