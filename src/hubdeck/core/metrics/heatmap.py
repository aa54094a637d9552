"""Commit activity: how many commits were authored in each hour of each weekday."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from hubdeck.core.metrics.common import Snapshots, as_snapshots, bot_logins, is_bot_login
from hubdeck.core.metrics.window import Window

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True, slots=True)
class CommitHeatmap:
    timezone: str  # IANA name the hours are in
    counts: tuple[tuple[int, ...], ...]  # counts[weekday][hour]; weekday 0 is Monday
    total: int


def commit_heatmap(
    snapshots: Snapshots,
    window: Window,
    *,
    timezone: str = "UTC",
    include_bots: bool = False,
) -> CommitHeatmap:
    """Commits authored in the window, by weekday and hour of their author time in
    ``timezone`` (an IANA name such as ``"Europe/Paris"``; unknown names raise
    ``zoneinfo.ZoneInfoNotFoundError``). Commits without a GitHub account count; bots'
    do not unless ``include_bots``."""
    zone = ZoneInfo(timezone)
    grid = [[0] * 24 for _ in WEEKDAYS]
    for snapshot in as_snapshots(snapshots):
        bots = bot_logins(snapshot)
        for commit in snapshot.commits:
            if commit.authored_at not in window:
                continue
            login = commit.author_login
            if not include_bots and login is not None and is_bot_login(login, bots):
                continue
            local = commit.authored_at.astimezone(zone)
            grid[local.weekday()][local.hour] += 1
    return CommitHeatmap(
        timezone=timezone,
        counts=tuple(tuple(row) for row in grid),
        total=sum(map(sum, grid)),
    )
