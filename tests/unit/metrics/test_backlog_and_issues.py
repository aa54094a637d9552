from __future__ import annotations

from datetime import datetime

import pytest

from hubdeck.core.github.models import IssueState, RepositorySnapshot
from hubdeck.core.metrics import Window, backlog, issue_resolution

from .factory import BOB, DAY, DEPENDABOT, d, issue, pull, snapshot

NOW = d(60)


def _repo() -> RepositorySnapshot:
    return snapshot(
        issues=(
            issue(1, created=d(1), updated=d(40)),  # idle 20 days: stale
            issue(2, created=d(5), updated=d(46)),  # idle exactly 14 days: stale
            issue(3, created=d(2), updated=d(47)),  # idle 13 days
            issue(4, created=d(0), closed=d(3)),  # closed
            issue(5, author=DEPENDABOT, created=d(0), updated=d(0)),  # a bot's
        ),
        pulls=(
            pull(1, created=d(10), updated=d(20), is_draft=True),  # stale draft
            pull(2, author=BOB, created=d(30), updated=d(59)),
            pull(3, created=d(0), merged=d(1)),  # merged
        ),
    )


def test_open_and_stale_counts() -> None:
    result = backlog(_repo(), now=NOW)
    assert (result.issues.open, result.issues.stale) == (3, 2)
    assert (result.pulls.open, result.pulls.stale, result.draft_pulls) == (2, 1, 1)
    assert result.stale_days == 14


def test_oldest_items_first_and_limited() -> None:
    result = backlog(_repo(), now=NOW, oldest=2)
    assert [item.number for item in result.issues.oldest] == [1, 3]
    first = result.issues.oldest[0]
    assert (first.kind, first.repository, first.age_seconds, first.idle_seconds) == (
        "issue",
        "acme/app",
        59 * DAY,
        20 * DAY,
    )
    assert [(item.number, item.draft) for item in result.pulls.oldest] == [(1, True), (2, False)]


def test_stale_threshold_is_a_parameter_and_bots_a_choice() -> None:
    result = backlog(_repo(), now=NOW, stale_days=30, include_bots=True)
    assert (result.issues.open, result.issues.stale) == (4, 1)  # the bot's issue, idle 60 days


def test_empty_backlog() -> None:
    result = backlog([], now=NOW)
    assert (result.issues.open, result.issues.stale, result.issues.oldest) == (0, 0, ())


WINDOW = Window(d(10), d(40))


def test_issue_resolution_of_issues_closed_in_the_window() -> None:
    repo = snapshot(
        issues=(
            issue(1, created=d(10), closed=d(11)),  # 1 day
            issue(2, created=d(0), closed=d(10)),  # 10 days, closed at the window's start
            issue(3, created=d(20), closed=d(23)),  # 3 days
            issue(4, created=d(20), closed=d(40)),  # closed at the window's end: excluded
            issue(5, created=d(1), closed=d(12), state=IssueState.open),  # reopened
            issue(6, created=d(12)),  # open
        )
    )
    result = issue_resolution(repo, WINDOW)
    assert (result.count, result.min, result.p50, result.max) == (3, DAY, 3 * DAY, 10 * DAY)
    assert result.mean == 14 * DAY / 3


def test_issue_resolution_without_closed_issues_is_undefined() -> None:
    result = issue_resolution(snapshot(issues=(issue(1, created=d(12)),)), WINDOW)
    assert (result.count, result.mean, result.p50) == (0, None, None)


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        backlog([], now=datetime(2024, 3, 1))
