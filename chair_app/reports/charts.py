"""Charts for the measures people would rather see than read, as PNG bytes (matplotlib, no screen needed)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

BLUE, GREY, AMBER = "#1d4f91", "#9aa3ad", "#b8860b"


def _counts(ax, which: str, values) -> None:
    """An axis of counts: whole-number ticks from 0 (no fractions of a child, no negative conferences); with
    nothing to count, say so instead of drawing an empty scale."""
    axis = ax.yaxis if which == "y" else ax.xaxis
    axis.set_major_locator(MaxNLocator(integer=True))
    values = [int(v) for v in values]
    top = max([0, *values])
    if not values:  # no bars at all: no category scale either
        (ax.set_xticks if which == "y" else ax.set_yticks)([])
    (ax.set_ylim if which == "y" else ax.set_xlim)(0, max(1, top) * 1.05)
    if top == 0:
        ax.text(0.5, 0.5, "None in this period", transform=ax.transAxes, ha="center", va="center", color=GREY)


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return buffer.getvalue()


def icpc_outcomes(table: pd.DataFrame) -> bytes:
    months = table[table["month"] != "Total"]
    fig, ax = plt.subplots(figsize=(8, 3.4))
    ax.bar(months["month"], months["subject_of_plan"], color=BLUE, label="Subject of a plan")
    ax.bar(
        months["month"],
        months["no_plan_required"],
        bottom=months["subject_of_plan"],
        color=GREY,
        label="No plan required",
    )
    ax.set_title("Children discussed at initial conferences, by month")
    ax.set_ylabel("Children")
    _counts(ax, "y", months["subject_of_plan"] + months["no_plan_required"])
    ax.tick_params(axis="x", labelrotation=45)
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))  # beside the bars, never on them
    return _png(fig)


def categories(table: pd.DataFrame) -> bytes:
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.barh(table["category"][::-1], table["count"][::-1], color=BLUE)
    ax.set_title("Category of abuse at the start of the plan")
    ax.set_xlabel("Plans started")
    _counts(ax, "x", table["count"])
    return _png(fig)


def participation(table: pd.DataFrame) -> bytes:
    codes = table[table["code"].str.match(r"PN[1-7]$")]
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.bar(codes["code"], codes["children"], color=[BLUE] * 6 + [AMBER])
    rate, _, no_code = str(table["text"].iloc[-1]).partition("; ")
    ax.set_title(f"Participation: {rate}" + (f"\n({no_code})" if no_code else ""), fontsize=10)
    ax.set_ylabel("Children aged 4 and over")
    _counts(ax, "y", codes["children"])
    return _png(fig)


def stood_down(table: pd.DataFrame) -> bytes:
    reasons = table[table["reason"] != "All out of timescale or stood down"]
    fig, ax = plt.subplots(figsize=(7, max(2.5, 0.35 * len(reasons) + 1)))
    ax.barh(reasons["reason"].str.slice(0, 55)[::-1], reasons["conferences"][::-1], color=BLUE)
    ax.set_title("Conferences out of timescale or stood down, by reason")
    ax.set_xlabel("Conferences")
    _counts(ax, "x", reasons["conferences"])
    return _png(fig)


CHARTS = {
    "03_icpc_children_by_month": icpc_outcomes,
    "06_category_at_plan_start": categories,
    "09_participation": participation,
    "08_out_of_timescale_or_stood_down": stood_down,
}
