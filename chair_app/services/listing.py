"""The conference list, read with Core on a plain connection: `chair-app list` builds no ORM objects.

(``services.conferences`` offers the same list to the window, with everything else about conferences.)
"""

from __future__ import annotations

from datetime import date, time

from chair_app.store import listing
from chair_app.store.engine import Database

ConferenceSummary = listing.ListRow


def list_conferences(db: Database, search: str = "", **page) -> list[ConferenceSummary]:
    """The conference list (soonest first), or one page of it (see ``store.listing.list_conferences``)."""
    db.authorise("list_conferences")  # read with Core, not through a unit of work: the role is checked here
    with db.engine.connect() as connection:
        return listing.list_conferences(connection, search, **page)


def today_first(summaries: list[ConferenceSummary], today: date) -> list[ConferenceSummary]:
    """Today's and upcoming conferences first (soonest first), then past ones (most recent first)."""
    upcoming = [s for s in summaries if s.held_on >= today]
    past = [s for s in summaries if s.held_on < today]
    past.sort(key=lambda s: (s.held_on, s.start_time or time.min), reverse=True)
    return upcoming + past
