"""Issue resolution time: from opening to closing, for issues closed in the window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from hubdeck.core.github.models import Issue, IssueState
from hubdeck.core.metrics.common import Snapshots, as_snapshots
from hubdeck.core.metrics.stats import Distribution, distribution
from hubdeck.core.metrics.window import Window


def issue_closed_at(issue: Issue) -> datetime | None:
    """When ``issue`` was closed, if it is closed now (a reopened issue is open, whatever its
    past closings)."""
    if issue.state is IssueState.closed:
        return issue.closed_at
    return None


def issues_of(snapshots: Snapshots, *, include_bots: bool = False) -> Iterator[Issue]:
    for snapshot in as_snapshots(snapshots):
        for issue in snapshot.issues:
            if include_bots or not issue.author.is_bot:
                yield issue


def issue_resolution(
    snapshots: Snapshots, window: Window, *, include_bots: bool = False
) -> Distribution:
    """Seconds from opening to closing of the issues closed in the window (and still closed)."""
    durations = []
    for issue in issues_of(snapshots, include_bots=include_bots):
        closed = issue_closed_at(issue)
        if closed is not None and closed in window:
            durations.append(max(0.0, (closed - issue.created_at).total_seconds()))
    return distribution(durations)
