"""Pull-request stages: coding, pickup, review and cycle time, per pull request and per window.

Each stage is the time between two events with draft time taken out (see docs/metrics.md).
Reviews and comments count only when written by someone other than the author and not a bot.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from hubdeck.core.github.models import Comment, IssueState, PullRequest, Review
from hubdeck.core.metrics.common import Snapshots, counted_comments, counted_reviews, pull_contexts
from hubdeck.core.metrics.drafts import active_seconds, draft_seconds, ready_at
from hubdeck.core.metrics.stats import Distribution, distribution
from hubdeck.core.metrics.window import Window

CycleStart = Literal["first_commit", "opened"]


@dataclass(frozen=True, slots=True)
class PullRequestStages:
    """The stages of one pull request. A stage is ``None`` when it is undefined: its end event
    has not happened (not merged, no response yet), or cannot be known (no first-commit time)."""

    repository: str
    number: int
    author: str
    opened_at: datetime
    ready_at: datetime | None  # first moment not a draft; None: still a draft, never ready
    first_response_at: datetime | None  # first counted review or comment (before merge/close)
    first_review_at: datetime | None  # first counted review (before merge/close)
    merged_at: datetime | None
    coding_seconds: float | None
    pickup_seconds: float | None
    review_seconds: float | None
    cycle_seconds: float | None
    cycle_start: CycleStart | None  # where the cycle was measured from; None if not merged
    cycle_draft_seconds: float | None  # draft time taken out of the cycle
    merged_without_review: bool


def usable_first_commit(pull: PullRequest) -> datetime | None:
    """The first-commit time, unless it is missing or later than the opening (commit times
    rewritten by an amend or a force-push: when coding started is then unknown)."""
    first = pull.first_commit_at
    if first is None or first > pull.created_at:
        return None
    return first


def pull_request_stages(
    pull: PullRequest,
    reviews: Iterable[Review],
    comments: Iterable[Comment],
    *,
    repository: str = "",
) -> PullRequestStages:
    """The stages of ``pull``. ``reviews`` and ``comments`` may hold those of other pull requests
    of the same repository (they are matched by number); bots' and the author's are ignored."""
    periods = pull.draft_periods
    # Nothing after the pull request was merged or closed is a response to it.
    ended = pull.merged_at or (pull.closed_at if pull.state is IssueState.closed else None)
    in_time = [
        review
        for review in counted_reviews(pull, reviews)
        if review.submitted_at is not None and (ended is None or review.submitted_at <= ended)
    ]
    first_review = in_time[0].submitted_at if in_time else None
    first_comment = next(
        (
            comment.created_at
            for comment in counted_comments(pull, comments)
            if ended is None or comment.created_at <= ended
        ),
        None,
    )
    responses = [moment for moment in (first_review, first_comment) if moment is not None]
    first_response = min(responses) if responses else None

    merged = pull.merged_at
    without_review = merged is not None and first_review is None
    first_commit = usable_first_commit(pull)

    coding = (
        None if first_commit is None else active_seconds(first_commit, pull.created_at, periods)
    )
    pickup = (
        None
        if first_response is None or without_review
        else active_seconds(pull.created_at, first_response, periods)
    )
    review = None
    cycle = cycle_drafts = None
    cycle_start: CycleStart | None = None
    if merged is not None:
        if first_review is not None:
            review = active_seconds(first_review, merged, periods)
        start = first_commit if first_commit is not None else pull.created_at
        cycle_start = "first_commit" if first_commit is not None else "opened"
        cycle = active_seconds(start, merged, periods)
        cycle_drafts = draft_seconds(start, merged, periods)
    return PullRequestStages(
        repository=repository,
        number=pull.number,
        author=pull.author.login,
        opened_at=pull.created_at,
        ready_at=ready_at(pull.created_at, periods),
        first_response_at=first_response,
        first_review_at=first_review,
        merged_at=merged,
        coding_seconds=coding,
        pickup_seconds=pickup,
        review_seconds=review,
        cycle_seconds=cycle,
        cycle_start=cycle_start,
        cycle_draft_seconds=cycle_drafts,
        merged_without_review=without_review,
    )


def all_pull_request_stages(
    snapshots: Snapshots, *, include_bots: bool = False
) -> tuple[PullRequestStages, ...]:
    """The stages of every pull request in ``snapshots`` (bot-authored ones only if asked)."""
    return tuple(
        pull_request_stages(
            context.pull, context.reviews, context.comments, repository=context.repository
        )
        for context in pull_contexts(snapshots, include_bots=include_bots)
    )


@dataclass(frozen=True, slots=True)
class StageSummary:
    """Stages over a window. Each stage counts the pull requests whose stage *ended* in the
    window: coding by opening, pickup by first response, review and cycle by merge."""

    window: Window
    coding: Distribution  # opened in the window, first commit known
    coding_unknown: int  # opened in the window, first commit missing or after the opening
    pickup: Distribution  # first response in the window (merged-without-review excluded)
    review: Distribution  # merged in the window after a review
    cycle: Distribution  # merged in the window
    cycle_from_opened: int  # of ``cycle``, measured from the opening (first commit unknown)
    merged: int  # merged in the window
    merged_without_review: int  # merged in the window with no counted review before the merge


def stage_summary(
    snapshots: Snapshots, window: Window, *, include_bots: bool = False
) -> StageSummary:
    stages = all_pull_request_stages(snapshots, include_bots=include_bots)
    opened = [s for s in stages if s.opened_at in window]
    merged = [s for s in stages if s.merged_at is not None and s.merged_at in window]
    return StageSummary(
        window=window,
        coding=distribution(s.coding_seconds for s in opened if s.coding_seconds is not None),
        coding_unknown=sum(1 for s in opened if s.coding_seconds is None),
        pickup=distribution(
            s.pickup_seconds
            for s in stages
            if s.pickup_seconds is not None
            and s.first_response_at is not None
            and s.first_response_at in window
        ),
        review=distribution(s.review_seconds for s in merged if s.review_seconds is not None),
        cycle=distribution(s.cycle_seconds for s in merged if s.cycle_seconds is not None),
        cycle_from_opened=sum(1 for s in merged if s.cycle_start == "opened"),
        merged=len(merged),
        merged_without_review=sum(1 for s in merged if s.merged_without_review),
    )
