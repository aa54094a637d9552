"""Pull requests in a window: merge rate, size, review depth."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from hubdeck.core.github.models import IssueState, PullRequest, ReviewState
from hubdeck.core.metrics.common import PullContext, Snapshots, pull_contexts
from hubdeck.core.metrics.stats import Distribution, distribution, ratio
from hubdeck.core.metrics.window import Window

SizeBucket = Literal["XS", "S", "M", "L", "XL"]
SIZE_BUCKETS: tuple[SizeBucket, ...] = ("XS", "S", "M", "L", "XL")
# Lines changed (additions + deletions) at which S, M, L and XL begin. Review quality is known to
# fall as a change grows past a few hundred lines, so M ends at 249 and XL starts at 1,000.
DEFAULT_SIZE_LIMITS = (10, 50, 250, 1000)


def closed_at(pull: PullRequest) -> datetime | None:
    """When ``pull`` stopped being open: its merge, or its closing if closed unmerged."""
    if pull.merged_at is not None:
        return pull.merged_at
    if pull.state is IssueState.closed:
        return pull.closed_at
    return None


@dataclass(frozen=True, slots=True)
class MergeRate:
    merged: int
    closed_unmerged: int
    rate: float | None  # merged / (merged + closed_unmerged); None when both are 0


def merge_rate(snapshots: Snapshots, window: Window, *, include_bots: bool = False) -> MergeRate:
    """Among pull requests that were merged or closed in the window, the share merged."""
    merged = unmerged = 0
    for context in pull_contexts(snapshots, include_bots=include_bots):
        moment = closed_at(context.pull)
        if moment is None or moment not in window:
            continue
        if context.pull.merged_at is not None:
            merged += 1
        else:
            unmerged += 1
    return MergeRate(merged=merged, closed_unmerged=unmerged, rate=ratio(merged, merged + unmerged))


@dataclass(frozen=True, slots=True)
class BucketCount:
    bucket: SizeBucket
    min_lines: int
    max_lines: int | None  # None: no upper bound
    count: int


@dataclass(frozen=True, slots=True)
class PullSizes:
    """Sizes (lines added + deleted) of the pull requests merged in the window."""

    lines: Distribution
    buckets: tuple[BucketCount, ...]


def size_bucket(lines: int, limits: tuple[int, int, int, int] = DEFAULT_SIZE_LIMITS) -> SizeBucket:
    """XS below ``limits[0]`` lines, S below ``limits[1]``, M below ``limits[2]``, L below
    ``limits[3]``, XL from ``limits[3]`` on."""
    for bucket, limit in zip(SIZE_BUCKETS, limits, strict=False):
        if lines < limit:
            return bucket
    return "XL"


def _merged_in(snapshots: Snapshots, window: Window, include_bots: bool) -> list[PullContext]:
    return [
        context
        for context in pull_contexts(snapshots, include_bots=include_bots)
        if context.pull.merged_at is not None and context.pull.merged_at in window
    ]


def pull_sizes(
    snapshots: Snapshots,
    window: Window,
    *,
    limits: tuple[int, int, int, int] = DEFAULT_SIZE_LIMITS,
    include_bots: bool = False,
) -> PullSizes:
    if list(limits) != sorted(set(limits)) or limits[0] <= 0:
        raise ValueError("size limits must be positive and strictly increasing")
    sizes = [context.pull.size for context in _merged_in(snapshots, window, include_bots)]
    counts = Counter(size_bucket(size, limits) for size in sizes)
    lower = (0, *limits)
    upper: tuple[int | None, ...] = (*(limit - 1 for limit in limits), None)
    return PullSizes(
        lines=distribution(sizes),
        buckets=tuple(
            BucketCount(bucket=bucket, min_lines=low, max_lines=high, count=counts[bucket])
            for bucket, low, high in zip(SIZE_BUCKETS, lower, upper, strict=True)
        ),
    )


@dataclass(frozen=True, slots=True)
class ReviewDepth:
    """Reviews of the pull requests merged in the window, submitted before their merge."""

    merged: int
    reviews: int  # counted reviews, all states but pending
    reviews_per_pull: float | None  # reviews / merged
    reviewers: Distribution  # distinct reviewers per merged pull request (0 included)
    with_changes_requested: int  # merged pull requests with at least one "changes requested"
    changes_requested_share: float | None  # with_changes_requested / merged
    merged_without_review: int


def review_depth(
    snapshots: Snapshots, window: Window, *, include_bots: bool = False
) -> ReviewDepth:
    merged = _merged_in(snapshots, window, include_bots)
    reviews = 0
    reviewer_counts: list[int] = []
    changes_requested = without_review = 0
    for context in merged:
        before = [
            review
            for review in context.reviews
            if review.submitted_at is not None
            and context.pull.merged_at is not None
            and review.submitted_at <= context.pull.merged_at
        ]
        reviews += len(before)
        reviewer_counts.append(len({review.author.login.casefold() for review in before}))
        if any(review.state is ReviewState.changes_requested for review in before):
            changes_requested += 1
        if not before:
            without_review += 1
    return ReviewDepth(
        merged=len(merged),
        reviews=reviews,
        reviews_per_pull=ratio(reviews, len(merged)),
        reviewers=distribution(reviewer_counts),
        with_changes_requested=changes_requested,
        changes_requested_share=ratio(changes_requested, len(merged)),
        merged_without_review=without_review,
    )
