from __future__ import annotations

from datetime import timedelta

from hubdeck.core.github.models import IssueState
from hubdeck.core.metrics import Window, weekly_throughput

from .factory import DEPENDABOT, d, issue, pull, snapshot

# Wednesday 3 January to Wednesday 17 January 2024 (end excluded).
WINDOW = Window(d(2), d(16))


def test_weekly_counts_with_week_boundaries_and_zero_weeks() -> None:
    repo = snapshot(
        pulls=(
            pull(1, merged=d(2)),  # the window's first instant: W01
            pull(2, merged=d(7) - timedelta(seconds=1)),  # Sunday 23:59:59: still W01
            pull(3, merged=d(7)),  # Monday 00:00: W02
            pull(4, merged=d(16)),  # the window's end: excluded
            pull(5, merged=d(1)),  # before the window
            pull(6, closed=d(8)),  # closed unmerged: not throughput
            pull(7, author=DEPENDABOT, merged=d(8)),  # a bot's: left out by default
        ),
        issues=(
            issue(1, closed=d(15)),  # W03
            issue(2, closed=d(9), state=IssueState.open),  # reopened since: not closed
            issue(3),  # open
        ),
    )
    result = weekly_throughput(repo, WINDOW)
    assert [(w.week, w.partial, w.merged_pulls, w.closed_issues) for w in result.weeks] == [
        ("2024-W01", True, 2, 0),
        ("2024-W02", False, 1, 0),
        ("2024-W03", True, 0, 1),
    ]
    assert (result.merged_pulls, result.closed_issues) == (3, 1)
    assert weekly_throughput(repo, WINDOW, include_bots=True).merged_pulls == 4


def test_weeks_in_another_time_zone() -> None:
    # Sunday 7 January 23:30 UTC is Monday 00:30 in Paris.
    repo = snapshot(pulls=(pull(1, merged=d(7) - timedelta(minutes=30)),))
    utc = weekly_throughput(repo, WINDOW)
    paris = weekly_throughput(repo, WINDOW, timezone="Europe/Paris")
    assert [w.merged_pulls for w in utc.weeks] == [1, 0, 0]
    assert [w.merged_pulls for w in paris.weeks] == [0, 1, 0]


def test_empty_input_still_lists_every_week() -> None:
    result = weekly_throughput([], WINDOW)
    assert [w.week for w in result.weeks] == ["2024-W01", "2024-W02", "2024-W03"]
    assert all(w.merged_pulls == w.closed_issues == 0 for w in result.weeks)
