"""`chair-app merge-family` and `unmerge-family` as a person uses them (issue 13): never without a yes, wrong
input refused in one line changing nothing, and the printed entry undoes the merge."""

from __future__ import annotations

import re

from tests.e2e.test_cli import db_state, env, refused, run  # noqa: F401 (env is a fixture)
from tests.e2e.test_family_cli import ref_of


def test_merge_family_asks_refuses_wrong_input_in_one_line_and_undoes_with_the_entry_it_prints(env):  # noqa: F811
    run(env, "demo")
    listing = run(env, "list").stdout
    keep = ref_of(listing, "Nuttall family", "First review")  # Nuttall's initial conference is finalised
    drop = ref_of(listing, "Hayes family", "Initial")  # a draft: the one family record of the two to change
    before = db_state(env)
    refused(run(env, "merge-family", keep, drop, check=False), "--yes")  # not a terminal: never silent
    refused(run(env, "merge-family", keep, "C-NOPE", "--yes", check=False), "DROP: no conference")
    refused(run(env, "merge-family", keep, keep, "--yes", check=False), "of one family")
    refused(run(env, "merge-family", drop, keep, "--yes", check=False), "DROP: Nuttall family has a finalised")
    refused(run(env, "unmerge-family", "not-an-id", check=False), "ENTRY:")
    assert db_state(env) == before
    done = run(env, "merge-family", keep, drop, "--yes", "--by", "Paul Greaves").stdout
    assert re.match(r"Merged Hayes family into Nuttall family: 1 conference and \d+ children moved", done)
    entry = re.search(r"unmerge-family (\S+)$", done.splitlines()[0]).group(1)
    assert drop in run(env, "family", keep).stdout  # one family now: its timeline has both
    assert "undone" in run(env, "unmerge-family", entry).stdout
    assert drop not in run(env, "family", keep).stdout
