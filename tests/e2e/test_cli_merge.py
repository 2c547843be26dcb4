"""`chair-app import` merging two laptops' copies (issue 11): the refusal with its list, and each resolution."""

from __future__ import annotations

import os
import re

import pytest

from chair_app.services import conferences as conf
from chair_app.store import models as rows
from chair_app.store.engine import open_database, sqlite_url
from tests.e2e.test_cli import db_state, refused, run

WHEN = r"\d\d/\d\d/\d{4} \d\d:\d\d UTC"


def _edit(url: str, cid, row_cls, record_id, who: str, **values) -> None:
    """A journaled change, as the window makes it (the CLI has no command that edits a mapping item)."""
    db = open_database(url)
    try:
        with db.unit_of_work("set_fields", who=who, conference_id=cid) as session:
            row = session.get(row_cls, record_id)
            for name, value in values.items():
                setattr(row, name, value)
    finally:
        db.dispose()


@pytest.fixture
def laptops(tmp_path):
    """The chair's and the clerk's databases, each holding the demo conference; the first two mapping items."""
    base = dict(os.environ, CHAIR_LOG_DIR=str(tmp_path / "log"))
    base.pop("CHAIR_POLICY", None)
    chair = dict(base, CHAIR_DB_URL=sqlite_url(tmp_path / "chair.db"), CHAIR_USER="Jo Chair")
    clerk = dict(base, CHAIR_DB_URL=sqlite_url(tmp_path / "clerk.db"), CHAIR_USER="Sam Clerk")
    run(chair, "demo")
    ref = re.search(r"^(C-[0-9A-F]{6})\s", run(chair, "list").stdout, re.M).group(1)
    run(chair, "export", ref, "--out", str(tmp_path / "first.json"))
    assert "Added" in run(clerk, "import", str(tmp_path / "first.json")).stdout
    db = open_database(chair["CHAIR_DB_URL"])
    try:
        bundle = conf.load(db, ref)
    finally:
        db.dispose()
    items = sorted(bundle.mapping_items, key=lambda i: str(i.id))[:2]
    return chair, clerk, ref, bundle.conference.id, items


def _clash(tmp_path, laptops):
    """Both change the same two items' text; the clerk also changes a third field nobody else touched."""
    chair, clerk, ref, cid, items = laptops
    for n, item in enumerate(items):
        _edit(chair["CHAIR_DB_URL"], cid, rows.MappingItemRow, item.id, "Jo Chair", text=f"chair words {n}")
        _edit(clerk["CHAIR_DB_URL"], cid, rows.MappingItemRow, item.id, "Sam Clerk", text=f"clerk words {n}")
    _edit(clerk["CHAIR_DB_URL"], cid, rows.ConferenceRow, cid, "Sam Clerk", venue="Room 4")
    path = tmp_path / "clerk.json"
    run(clerk, "export", ref, "--out", str(path))
    return path


def _texts(env, ref, items) -> list[str]:
    db = open_database(env["CHAIR_DB_URL"])
    try:
        got = {i.id: i.text for i in conf.load(db, ref).mapping_items}
        return [got[i.id] for i in items]
    finally:
        db.dispose()


def test_import_refuses_listing_each_conflict_with_both_sides_and_a_one_line_hint(tmp_path, laptops):
    chair, _clerk, ref, _cid, items = laptops
    path = _clash(tmp_path, laptops)
    before = db_state(chair)
    proc = run(chair, "import", str(path), check=False)
    line = refused(proc, "2 conflicts", "--resolve ID=mine|theirs", "--resolve-all")
    assert "nothing was imported" in line
    out = proc.stdout.splitlines()
    assert out[0].startswith("Conflicts")
    for number, item in enumerate(items, start=1):
        at = next(
            i
            for i, x in enumerate(out)
            if re.match(rf"^\s+{number}\s+{ref}\s+mapping item {str(item.id)[:8]}, text$", x)
        )
        assert re.match(rf'^\s+mine:\s+"chair words {number - 1}"\s+\(Jo Chair, {WHEN}\)$', out[at + 1]), out[at + 1]
        assert re.match(rf'^\s+theirs:\s+"clerk words {number - 1}"\s+\(Sam Clerk, {WHEN}\)$', out[at + 2]), out[at + 2]
    assert "venue" not in proc.stdout  # changed on one side only: not a conflict
    assert db_state(chair) == before


def test_each_resolution_applies_as_chosen_and_the_rest_lands(tmp_path, laptops):
    chair, _clerk, ref, _cid, items = laptops
    path = _clash(tmp_path, laptops)
    out = run(chair, "import", str(path), "--resolve", "1=theirs", "--resolve", "2=mine").stdout
    assert f"Merged {ref}" in out
    assert _texts(chair, ref, items) == ["clerk words 0", "chair words 1"]
    assert _venue(chair, ref) == "Room 4"


def _venue(env, ref) -> str:
    db = open_database(env["CHAIR_DB_URL"])
    try:
        return conf.load(db, ref).conference.venue
    finally:
        db.dispose()


@pytest.mark.parametrize(
    "side,expected", [("mine", ["chair words 0", "chair words 1"]), ("theirs", ["clerk words 0", "clerk words 1"])]
)
def test_resolve_all_settles_every_conflict_one_way(tmp_path, laptops, side, expected):
    chair, _clerk, ref, _cid, items = laptops
    path = _clash(tmp_path, laptops)
    run(chair, "import", str(path), "--resolve-all", side)
    assert _texts(chair, ref, items) == expected
    assert _venue(chair, ref) == "Room 4"


def test_a_partial_or_wrong_resolution_is_refused_in_one_line_and_changes_nothing(tmp_path, laptops):
    chair, _clerk, _ref, _cid, _items = laptops
    path = _clash(tmp_path, laptops)
    before = db_state(chair)
    proc = run(chair, "import", str(path), "--resolve", "1=theirs", check=False)
    refused(proc, "1 conflict")
    assert re.search(r"^\s+2\s", proc.stdout, re.M) and not re.search(r"^\s+1\s", proc.stdout, re.M)
    refused(run(chair, "import", str(path), "--resolve", "9=mine", check=False), "--resolve", "no conflict 9")
    refused(run(chair, "import", str(path), "--resolve", "1=both", check=False), "--resolve", "ID=mine")
    refused(run(chair, "import", str(path), "--resolve-all", "both", check=False), "--resolve-all")
    assert db_state(chair) == before


def test_printing_on_the_chairs_laptop_is_not_a_conflict_for_the_clerk(tmp_path, laptops):
    """Chair exports, clerk imports, chair prints, exports again: the clerk's import lands, refusing nothing."""
    chair, clerk, ref, _cid, _items = laptops
    run(chair, "handout", ref, "--out", str(tmp_path / "handout.pdf"))
    run(chair, "export", ref, "--out", str(tmp_path / "again.json"))
    out = run(clerk, "import", str(tmp_path / "again.json")).stdout
    assert f"Merged {ref}" in out
    db = open_database(clerk["CHAIR_DB_URL"])
    try:
        assert [d.kind.value for d in conf.load(db, ref).documents] == ["handout"]  # the printing came across
    finally:
        db.dispose()
