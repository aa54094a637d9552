"""Collapsing: similar notifications within the window become one row that counts them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import pytest

from hubdeck.core.notifications import (
    DEFAULT_WINDOW,
    Decision,
    Insert,
    Level,
    Notification,
    NotificationDraft,
    Update,
    collapse,
)

from .factory import T0, draft, minutes, row


def apply(rows: list[Notification], decision: Decision) -> Notification:
    """What the service does with a decision, on a list standing for the table."""
    if isinstance(decision, Insert):
        stored = decision.notification(id=len(rows) + 1)
        rows.append(stored)
        return stored
    index = next(i for i, r in enumerate(rows) if r.id == decision.notification.id)
    rows[index] = decision.notification
    return decision.notification


def feed(drafts: Iterable[tuple[NotificationDraft, datetime]], rows: list[Notification]) -> None:
    for d, now in drafts:
        apply(rows, collapse(rows, d, now))


def test_the_first_draft_is_inserted_at_now() -> None:
    d = draft(at=T0 - minutes(3))
    decision = collapse([], d, T0)
    assert decision == Insert(d, T0)
    stored = decision.notification(id=1)
    assert (stored.count, stored.created_at, stored.updated_at, stored.read_at) == (1, T0, T0, None)
    assert stored.title == d.title and stored.link == d.link


def test_a_similar_draft_within_the_window_updates_the_row() -> None:
    first = row(draft(), id=1, created=T0, read_at=T0 + minutes(1))
    later = draft(at=T0 + minutes(4), title="Deploy failed on main in acme/api")
    decision = collapse([first], later, T0 + minutes(5))
    assert isinstance(decision, Update)
    assert decision.previous == first
    updated = decision.notification
    assert updated.id == 1
    assert updated.count == 2
    assert updated.title == "2 workflow runs failed in acme/api"
    assert updated.body == "Latest: Deploy failed on main in acme/api"
    assert updated.link == "/teams/3/repositories/7"
    assert updated.created_at == T0
    assert updated.updated_at == T0 + minutes(5)
    assert updated.occurred_at == T0 + minutes(4)
    assert updated.event_id == later.event_id
    assert updated.unread


def test_twelve_failures_say_so() -> None:
    rows: list[Notification] = []
    feed(((draft(at=T0), T0 + timedelta(seconds=i)) for i in range(12)), rows)
    assert [(r.count, r.title) for r in rows] == [(12, "12 workflow runs failed in acme/api")]


@pytest.mark.parametrize(
    "existing",
    [
        row(draft(recipient=2), id=1, created=T0),  # someone else's
        row(draft(group="workflow_failed:acme/web"), id=1, created=T0),  # another group
        row(draft(), id=1, created=T0, archived_at=T0 + minutes(1)),  # archived
        row(draft(), id=1, created=T0 - DEFAULT_WINDOW),  # window over (half-open)
    ],
)
def test_what_does_not_collapse(existing: Notification) -> None:
    assert isinstance(collapse([existing], draft(), T0), Insert)


def test_the_window_is_anchored_at_creation_not_slid_by_updates() -> None:
    old = row(draft(), id=1, created=T0 - minutes(9), count=30)
    old = old.model_copy(update={"updated_at": T0 - timedelta(seconds=1)})
    assert isinstance(collapse([old], draft(), T0 + minutes(2)), Insert)


def test_the_newest_open_row_of_the_group_takes_the_draft() -> None:
    older = row(draft(), id=1, created=T0 - minutes(8))
    newer = row(draft(), id=2, created=T0 - minutes(2))
    decision = collapse([newer, older], draft(), T0)
    assert isinstance(decision, Update) and decision.notification.id == 2


def test_the_collapsed_level_is_the_most_severe() -> None:
    warning = row(draft(level=Level.warning), id=1, created=T0)
    decision = collapse([warning], draft(level=Level.error), T0 + minutes(1))
    assert isinstance(decision, Update) and decision.notification.level is Level.error
    error = row(draft(level=Level.error), id=1, created=T0)
    decision = collapse([error], draft(level=Level.info), T0 + minutes(1))
    assert isinstance(decision, Update) and decision.notification.level is Level.error


def test_fifty_failures_in_ten_seconds_make_one_row() -> None:
    rows: list[Notification] = []
    feed(((draft(), T0 + timedelta(seconds=i / 5)) for i in range(50)), rows)
    assert [r.count for r in rows] == [50]


def test_fifty_failures_in_ten_seconds_make_two_rows_when_an_older_window_closes_mid_burst() -> (
    None
):
    # A row of the group opened 9 min 55 s before the burst: the first 5 seconds of the burst
    # fold into it, then its window closes and the rest start a new row.
    rows = [row(draft(), id=1, created=T0 - minutes(10) + timedelta(seconds=5), count=3)]
    feed(((draft(), T0 + timedelta(seconds=i / 5)) for i in range(50)), rows)
    assert [r.count for r in rows] == [3 + 25, 25]
