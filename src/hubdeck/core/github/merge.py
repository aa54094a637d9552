"""Combining what GitHub reports now with what HubDeck already knows of an object."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from hubdeck.core.github.models import Commit, DraftPeriod, PullRequest


def merge_pull(
    stored: PullRequest | None,
    fetched: PullRequest,
    commits: list[Commit] | None = None,
) -> PullRequest:
    """The pull request to store.

    GitHub's REST API says whether a pull request is a draft now, not when it was one, so draft
    periods are recorded by HubDeck as it sees the flag change (in a sync or a webhook). The first
    commit time comes from the pull request's commits when they were fetched, else it is kept.
    """
    periods = list(stored.draft_periods if stored is not None else fetched.draft_periods)
    was_draft = stored.draft if stored is not None else False
    if fetched.draft and (stored is None or not was_draft):
        start = fetched.created_at if stored is None else fetched.updated_at
        if not periods or periods[-1].end is not None:
            periods.append(DraftPeriod(start=start, end=None))
    elif not fetched.draft and periods and periods[-1].end is None:
        periods[-1] = replace(periods[-1], end=_ready_time(stored, fetched))
    first_commit_at = _first_commit(commits) if commits else None
    if first_commit_at is None:
        first_commit_at = fetched.first_commit_at or (
            stored.first_commit_at if stored is not None else None
        )
    sized = fetched.additions or fetched.deletions or fetched.changed_files
    return replace(
        fetched,
        draft_periods=tuple(periods),
        first_commit_at=first_commit_at,
        additions=fetched.additions if sized or stored is None else stored.additions,
        deletions=fetched.deletions if sized or stored is None else stored.deletions,
        changed_files=fetched.changed_files if sized or stored is None else stored.changed_files,
    )


def _ready_time(stored: PullRequest | None, fetched: PullRequest) -> datetime:
    # Without the timeline, the best evidence of "ready for review" is the update that showed it.
    return fetched.updated_at if stored is None else max(stored.updated_at, fetched.updated_at)


def _first_commit(commits: list[Commit]) -> datetime | None:
    return min((c.authored_at for c in commits), default=None)
