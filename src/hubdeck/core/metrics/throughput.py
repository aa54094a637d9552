"""Weekly throughput: pull requests merged and issues closed per ISO week."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from hubdeck.core.metrics.common import Snapshots, as_snapshots, pull_contexts
from hubdeck.core.metrics.issues import issue_closed_at, issues_of
from hubdeck.core.metrics.window import Window, iso_week_label, weeks_covering


@dataclass(frozen=True, slots=True)
class WeekThroughput:
    week: str  # ISO week, "2024-W05"
    start: datetime  # the week's Monday 00:00 in the chosen time zone
    partial: bool  # part of the week lies outside the window (its counts cover only the rest)
    merged_pulls: int
    closed_issues: int


@dataclass(frozen=True, slots=True)
class Throughput:
    weeks: tuple[WeekThroughput, ...]  # every week overlapping the window, empty ones included
    merged_pulls: int
    closed_issues: int


def weekly_throughput(
    snapshots: Snapshots,
    window: Window,
    *,
    timezone: str = "UTC",
    include_bots: bool = False,
) -> Throughput:
    """Merged pull requests (by merge time) and closed issues (by closing time, issues still
    closed) per ISO week in ``timezone`` (an IANA name); only items inside the window count."""
    tz = ZoneInfo(timezone)
    repos = as_snapshots(snapshots)
    merged: Counter[str] = Counter()
    for context in pull_contexts(repos, include_bots=include_bots):
        moment = context.pull.merged_at
        if moment is not None and moment in window:
            merged[iso_week_label(moment, tz)] += 1
    closed: Counter[str] = Counter()
    for issue in issues_of(repos, include_bots=include_bots):
        closed_moment = issue_closed_at(issue)
        if closed_moment is not None and closed_moment in window:
            closed[iso_week_label(closed_moment, tz)] += 1
    weeks = tuple(
        WeekThroughput(
            week=week.label,
            start=week.start,
            partial=week.partial,
            merged_pulls=merged[week.label],
            closed_issues=closed[week.label],
        )
        for week in weeks_covering(window, tz)
    )
    return Throughput(weeks=weeks, merged_pulls=merged.total(), closed_issues=closed.total())
