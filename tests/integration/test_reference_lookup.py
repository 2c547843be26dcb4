"""A conference is found by its short reference or any unique prefix of its id, through a range on the primary key;
a prefix that fits several names how many. On SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert

from chair_app.domain.errors import NotFound
from chair_app.store import models as rows
from chair_app.store import repository as repo

NOW = datetime(2026, 1, 1, tzinfo=UTC)
IDS = [
    uuid.UUID("abcd1234-0000-4000-8000-000000000001"),
    uuid.UUID("abcd1234-ffff-4000-8000-000000000002"),  # shares eight digits with the first
    uuid.UUID("abcd5678-0000-4000-8000-000000000003"),
    uuid.UUID("abce0000-0000-4000-8000-000000000004"),  # just past the range of "abcd"
    uuid.UUID("abccffff-ffff-4fff-bfff-ffffffffffff"),  # just before it
    uuid.UUID("00000000-0000-4000-8000-000000000005"),
]


@pytest.fixture
def stored(db):
    family = uuid.uuid4()
    stamp = {"version": 1, "created_at": NOW, "updated_at": NOW}
    with db.engine.begin() as conn:
        conn.execute(insert(rows.FamilyRow.__table__), [{"id": family, "name": "Fictional family", **stamp}])
        conn.execute(
            insert(rows.ConferenceRow.__table__),
            [
                {
                    "id": cid,
                    "kind": "initial",
                    "family_id": family,
                    "held_on": date(2026, 3, 2),
                    "chair": "IRO",
                    **stamp,
                }
                for cid in IDS
            ],
        )
    return db


def find(db, ref: str) -> uuid.UUID:
    with db.unit_of_work() as session:
        return repo.get_conference_row(session, ref).id


def test_a_unique_prefix_or_short_reference_finds_its_conference(stored):
    assert find(stored, "C-ABCD56") == IDS[2]
    assert find(stored, "abcd5") == IDS[2]
    assert find(stored, "c-abce00") == IDS[3]
    assert find(stored, "ABCCFF") == IDS[4]
    assert find(stored, "0000") == IDS[5]
    assert find(stored, "abcd1234-0000") == IDS[0]  # hyphens as in the UUID are ignored
    assert find(stored, "abcd1234ffff") == IDS[1]
    assert find(stored, str(IDS[1])) == IDS[1]  # the whole UUID


def test_a_prefix_of_several_conferences_is_refused_naming_how_many(stored):
    with pytest.raises(NotFound, match="matches 3 conferences; give more of the reference"):
        find(stored, "C-ABCD")
    with pytest.raises(NotFound, match="matches 2 conferences"):
        find(stored, "abcd1234")


@pytest.mark.parametrize(
    "ref", ["C-ABCF", "ffff", "abcd9", "C-12", "C-XYZ123", "abcd1234-0000-4000-8000-0000000000019"]
)
def test_an_unknown_short_or_malformed_reference_is_not_found(stored, ref):
    with pytest.raises(NotFound, match="REF: no conference"):
        find(stored, ref)
