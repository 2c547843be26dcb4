"""`chair-app convene`, `rearrange`, `show` and the register's commands as a person uses them (issue 13)."""

from __future__ import annotations

import re

from tests.e2e.test_cli import db_state, env, refused, run  # noqa: F401 (env is a fixture)


def ref_of(listing: str, family: str, meeting: str) -> str:
    for line in listing.splitlines():
        if family in line and meeting in line:
            return line.split()[0]
    raise AssertionError(f"no {meeting} of the {family} in:\n{listing}")


def test_convene_the_review_then_show_prints_the_due_date_counted_from_the_earlier_conference(env):  # noqa: F811
    run(env, "demo")
    hayes = ref_of(run(env, "list", "--search", "Hayes").stdout, "Hayes family", "Initial")
    made = run(env, "convene", hayes, "--by", "Helen Marsh").stdout
    review = re.search(r"^Convened (C-[0-9A-F]{6}): First review conference", made, re.M).group(1)
    assert "Kayden Hayes" in made and "invited as before" in made
    shown = run(env, "show", review).stdout
    assert f"Follows on from {hayes}, initial on" in shown
    assert re.search(rf"Conference due by \d\d/\d\d/\d{{4}}: within 3 months after {hayes}", shown)
    assert f"Next: {review}" in run(env, "show", hayes).stdout
    before = db_state(env)
    refused(run(env, "convene", hayes, check=False), f"already followed by {review}")
    refused(run(env, "rearrange", hayes, "--date", "01/01/2030", check=False), "was not stood down")
    refused(run(env, "rearrange", review, "--date", "31/02/2027", check=False), "--date:", "February")
    assert db_state(env) == before


def test_a_stood_down_meeting_of_the_demo_county_is_shown_as_the_history_of_the_one_held_instead(env):  # noqa: F811
    run(env, "demo")
    listing = run(env, "list", "--search", "Oldroyd").stdout
    refs = [line.split()[0] for line in listing.splitlines()[1:]]
    held, stood = refs[0], refs[1]  # newest first: the rearranged conference, then the stood-down meeting
    assert f"Rearranged from {stood}, stood down on" in run(env, "show", held).stdout
    refused(run(env, "rearrange", stood, "--date", "01/01/2030", check=False), f"already rearranged as {held}")


def test_find_child_by_local_id_and_a_refused_merge_of_two_different_children(env):  # noqa: F811
    run(env, "demo")
    tilly = run(env, "find-child", "--local-id", "DEMO-000").stdout
    assert "Tilly Ashworth" in tilly and "same local child ID" in tilly
    reece = run(env, "find-child", "--local-id", "DEMO-001").stdout
    before = db_state(env)
    refused(run(env, "merge-child", tilly.split()[0], reece.split()[0], check=False), "local child IDs differ")
    refused(run(env, "unmerge-child", tilly.split()[0], check=False), "is not merged")
    assert db_state(env) == before
