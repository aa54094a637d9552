from __future__ import annotations

import pytest

from hubdeck.core.github.models import ReviewState
from hubdeck.core.metrics import Window, merge_rate, pull_sizes, review_depth, size_bucket

from .factory import ALICE, BOB, CAROL, DAVE, DEPENDABOT, d, h, pull, review, snapshot

WINDOW = Window(d(0), d(7))


def test_merge_rate_among_pull_requests_closed_in_the_window() -> None:
    repo = snapshot(
        pulls=(
            pull(1, created=d(-3), merged=d(1)),
            pull(2, created=d(2), merged=d(3)),
            pull(3, created=d(1), closed=d(4)),  # closed unmerged
            pull(4, created=d(-9), merged=d(-1)),  # merged before the window
            pull(5, created=d(-9), closed=d(8)),  # closed after the window
            pull(6, created=d(2)),  # still open
            pull(7, author=DEPENDABOT, created=d(1), closed=d(2)),  # a bot's: left out
        )
    )
    result = merge_rate(repo, WINDOW)
    assert (result.merged, result.closed_unmerged) == (2, 1)
    assert result.rate == pytest.approx(2 / 3)
    assert merge_rate(repo, WINDOW, include_bots=True).closed_unmerged == 2


def test_merge_rate_without_closings_is_undefined() -> None:
    result = merge_rate(snapshot(pulls=(pull(1, created=d(1)),)), WINDOW)
    assert (result.merged, result.closed_unmerged, result.rate) == (0, 0, None)


@pytest.mark.parametrize(
    ("lines", "bucket"),
    [(0, "XS"), (9, "XS"), (10, "S"), (49, "S"), (50, "M"), (249, "M"), (250, "L"),
     (999, "L"), (1000, "XL"), (10**6, "XL")],
)  # fmt: skip
def test_size_buckets_at_their_edges(lines: int, bucket: str) -> None:
    assert size_bucket(lines) == bucket


def test_size_buckets_with_custom_limits() -> None:
    assert size_bucket(5, (5, 6, 7, 8)) == "S"
    assert size_bucket(8, (5, 6, 7, 8)) == "XL"


def test_pull_sizes_of_merged_pull_requests() -> None:
    repo = snapshot(
        pulls=(
            pull(1, merged=d(1), additions=3, deletions=2),  # 5: XS
            pull(2, merged=d(1), additions=20, deletions=10),  # 30: S
            pull(3, merged=d(2), additions=300),  # 300: L
            pull(4, merged=d(3), additions=1500, deletions=500),  # 2000: XL
            pull(5, created=d(1), additions=100),  # open: not counted
            pull(6, closed=d(1), additions=100),  # closed unmerged: not counted
        )
    )
    sizes = pull_sizes(repo, WINDOW)
    assert sizes.lines.count == 4
    assert sizes.lines.mean == 583.75
    assert sizes.lines.p50 == 165.0
    assert [(b.bucket, b.min_lines, b.max_lines, b.count) for b in sizes.buckets] == [
        ("XS", 0, 9, 1),
        ("S", 10, 49, 1),
        ("M", 50, 249, 0),
        ("L", 250, 999, 1),
        ("XL", 1000, None, 1),
    ]


@pytest.mark.parametrize("limits", [(10, 10, 20, 30), (0, 1, 2, 3), (50, 10, 250, 1000)])
def test_size_limits_must_increase(limits: tuple[int, int, int, int]) -> None:
    with pytest.raises(ValueError, match="increasing"):
        pull_sizes(snapshot(), WINDOW, limits=limits)


def test_review_depth_counts_other_peoples_reviews_before_the_merge() -> None:
    repo = snapshot(
        pulls=(
            pull(1, created=h(0), merged=h(30)),
            pull(2, created=h(0), merged=h(30)),
            pull(3, created=h(0), merged=h(30)),
            pull(4, created=h(0)),  # open: not counted
        ),
        reviews=(
            review(1, BOB, h(2), ReviewState.changes_requested),
            review(1, BOB, h(5)),
            review(1, CAROL, h(6), ReviewState.commented),
            review(1, ALICE, h(7), ReviewState.commented),  # the author's own
            review(1, DEPENDABOT, h(8)),  # a bot's
            review(1, DAVE, h(31)),  # after the merge
            review(1, DAVE, h(9), ReviewState.pending),  # not submitted
            review(2, CAROL, h(3)),
            review(4, BOB, h(3), ReviewState.changes_requested),
        ),
    )
    depth = review_depth(repo, WINDOW)
    assert depth.merged == 3
    assert depth.reviews == 4
    assert depth.reviews_per_pull == pytest.approx(4 / 3)
    assert (depth.reviewers.count, depth.reviewers.mean, depth.reviewers.max) == (3, 1.0, 2.0)
    assert depth.with_changes_requested == 1
    assert depth.changes_requested_share == pytest.approx(1 / 3)
    assert depth.merged_without_review == 1


def test_review_depth_of_nothing_is_undefined() -> None:
    depth = review_depth(snapshot(), WINDOW)
    assert (depth.merged, depth.reviews_per_pull, depth.changes_requested_share) == (0, None, None)
    assert depth.reviewers.count == 0
