"""What is open now: counts, stale items, the oldest ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from hubdeck.core.github.models import IssueState
from hubdeck.core.metrics.common import Snapshots, as_snapshots
from hubdeck.core.metrics.window import require_aware

DEFAULT_STALE_DAYS = 14
DEFAULT_OLDEST = 5

ItemKind = Literal["issue", "pull"]


@dataclass(frozen=True, slots=True)
class OpenItem:
    repository: str
    kind: ItemKind
    number: int
    title: str
    author: str
    created_at: datetime
    updated_at: datetime
    age_seconds: float  # now − created_at
    idle_seconds: float  # now − updated_at
    draft: bool


@dataclass(frozen=True, slots=True)
class OpenSummary:
    open: int
    stale: int  # not updated for ``stale_days`` days or more
    oldest: tuple[OpenItem, ...]  # by opening time, oldest first


@dataclass(frozen=True, slots=True)
class Backlog:
    stale_days: float
    issues: OpenSummary
    pulls: OpenSummary
    draft_pulls: int  # of the open pull requests, how many are drafts


def backlog(
    snapshots: Snapshots,
    *,
    now: datetime,
    stale_days: float = DEFAULT_STALE_DAYS,
    oldest: int = DEFAULT_OLDEST,
    include_bots: bool = False,
) -> Backlog:
    """Open issues and pull requests as of ``now``. "Updated" is GitHub's ``updated_at``: any
    change (comment, label, push, edit) refreshes it."""
    require_aware(now)
    if stale_days < 0 or oldest < 0:
        raise ValueError("stale_days and oldest must not be negative")
    issues: list[OpenItem] = []
    pulls: list[OpenItem] = []
    for snapshot in as_snapshots(snapshots):
        name = snapshot.repository.full_name
        for issue in snapshot.issues:
            if issue.state is IssueState.open and (include_bots or not issue.author.is_bot):
                issues.append(
                    _item(
                        name,
                        "issue",
                        issue.number,
                        issue.title,
                        issue.author.login,
                        issue.created_at,
                        issue.updated_at,
                        False,
                        now,
                    )
                )
        for pull in snapshot.pulls:
            if pull.state is IssueState.open and (include_bots or not pull.author.is_bot):
                pulls.append(
                    _item(
                        name,
                        "pull",
                        pull.number,
                        pull.title,
                        pull.author.login,
                        pull.created_at,
                        pull.updated_at,
                        pull.draft,
                        now,
                    )
                )
    threshold = timedelta(days=stale_days).total_seconds()
    return Backlog(
        stale_days=stale_days,
        issues=_summary(issues, threshold, oldest),
        pulls=_summary(pulls, threshold, oldest),
        draft_pulls=sum(1 for item in pulls if item.draft),
    )


def _item(
    repository: str,
    kind: ItemKind,
    number: int,
    title: str,
    author: str,
    created_at: datetime,
    updated_at: datetime,
    draft: bool,
    now: datetime,
) -> OpenItem:
    return OpenItem(
        repository=repository,
        kind=kind,
        number=number,
        title=title,
        author=author,
        created_at=created_at,
        updated_at=updated_at,
        age_seconds=max(0.0, (now - created_at).total_seconds()),
        idle_seconds=max(0.0, (now - updated_at).total_seconds()),
        draft=draft,
    )


def _summary(items: list[OpenItem], stale_after: float, oldest: int) -> OpenSummary:
    ranked = sorted(items, key=lambda item: (item.created_at, item.repository, item.number))
    return OpenSummary(
        open=len(items),
        stale=sum(1 for item in items if item.idle_seconds >= stale_after),
        oldest=tuple(ranked[:oldest]),
    )
