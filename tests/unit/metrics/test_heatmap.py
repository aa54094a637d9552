from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfoNotFoundError

import pytest

from hubdeck.core.metrics import Window, commit_heatmap

from .factory import account, comment, commit, d, snapshot

WINDOW = Window(d(0), d(14))
SUNDAY_LATE = d(6) + timedelta(hours=23, minutes=30)  # Sunday 7 January, 23:30 UTC


def test_a_late_commit_moves_to_the_next_day_east_of_utc() -> None:
    repo = snapshot(commits=(commit("a", "alice", SUNDAY_LATE),))
    utc = commit_heatmap(repo, WINDOW)
    assert utc.counts[6][23] == 1  # Sunday, 23:00–24:00
    paris = commit_heatmap(repo, WINDOW, timezone="Europe/Paris")  # UTC+1 in winter
    assert paris.counts[0][0] == 1  # Monday, 00:00–01:00
    assert paris.timezone == "Europe/Paris"
    assert utc.total == paris.total == 1


def test_daylight_saving_time_is_applied() -> None:
    summer = datetime(2024, 7, 3, 12, 0, tzinfo=UTC)  # a Wednesday
    window = Window(summer - timedelta(days=1), summer + timedelta(days=1))
    grid = commit_heatmap(
        snapshot(commits=(commit("a", "alice", summer),)), window, timezone="America/New_York"
    ).counts
    assert grid[2][8] == 1  # 08:00 EDT (UTC−4), not 07:00 EST


def test_grid_shape_window_and_bots() -> None:
    repo = snapshot(
        commits=(
            commit("a", "alice", d(0) + timedelta(hours=9)),  # Monday 09:00
            commit("b", None, d(1) + timedelta(hours=9)),  # no account: still activity
            commit("c", "renovate[bot]", d(2)),  # a bot by its login
            commit("d", "dependabot", d(2)),  # a bot seen as an account elsewhere
            commit("e", "alice", d(14)),  # the window's end: excluded
            commit("f", "alice", d(-1)),  # before the window
        ),
        comments=(comment(1, account("dependabot", bot=True), d(0)),),
    )
    result = commit_heatmap(repo, WINDOW)
    assert len(result.counts) == 7
    assert all(len(row) == 24 for row in result.counts)
    assert result.total == 2
    assert (result.counts[0][9], result.counts[1][9]) == (1, 1)
    assert commit_heatmap(repo, WINDOW, include_bots=True).total == 4


def test_empty_heatmap_is_all_zeros() -> None:
    result = commit_heatmap([], WINDOW)
    assert result.total == 0
    assert result.counts == ((0,) * 24,) * 7


def test_unknown_time_zone_is_an_error() -> None:
    with pytest.raises(ZoneInfoNotFoundError):
        commit_heatmap([], WINDOW, timezone="Mars/Olympus")
