"""Properties that hold for every input, checked with hypothesis."""

from __future__ import annotations

import dataclasses
import itertools
import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from hubdeck.core.github.models import DraftPeriod, PullRequest, Review, ReviewState
from hubdeck.core.metrics import (
    Window,
    active_seconds,
    commit_heatmap,
    draft_seconds,
    language_shares,
    percentiles,
    pull_request_stages,
    weekly_throughput,
    weeks_covering,
)

from .factory import ALICE, BOB, T0, commit, issue, pull, review, snapshot

# Per test, not a global profile: other test modules keep their own settings.
PROPERTY = settings(max_examples=150, deadline=None)

HORIZON = 60 * 86400  # two months of seconds

moments = st.integers(min_value=0, max_value=HORIZON).map(lambda s: T0 + timedelta(seconds=s))
finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False)


@st.composite
def periods(draw: st.DrawFn) -> tuple[DraftPeriod, ...]:
    result = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(moments)
        length = draw(st.one_of(st.none(), st.integers(0, 10 * 86400)))
        end = None if length is None else start + timedelta(seconds=length)
        result.append(DraftPeriod(start, end))
    return tuple(result)


@st.composite
def pulls_with_reviews(draw: st.DrawFn) -> tuple[PullRequest, list[Review]]:
    created = draw(moments)
    first_commit = draw(st.one_of(st.none(), moments))
    merged = draw(st.one_of(st.none(), moments.filter(lambda m: m >= created)))
    drafts = draw(periods())
    reviews = [
        review(1, draw(st.sampled_from([BOB, ALICE])), at, draw(st.sampled_from(ReviewState)))
        for at in draw(st.lists(moments.filter(lambda m: m >= created), max_size=4))
    ]
    pr = pull(1, created=created, merged=merged, first_commit=first_commit, drafts=drafts)
    return pr, reviews


@PROPERTY
@given(st.lists(finite, min_size=1), st.lists(st.floats(0, 100), min_size=1))
def test_percentiles_are_monotone_and_within_range(values: list[float], ps: list[float]) -> None:
    ordered = sorted(ps)
    result = percentiles(values, ordered)
    assert result is not None
    assert all(min(values) <= r <= max(values) for r in result)
    assert all(a <= b for a, b in itertools.pairwise(result))


@PROPERTY
@given(moments, moments, periods())
def test_draft_time_and_active_time_split_the_interval(
    start: datetime, end: datetime, drafts: tuple[DraftPeriod, ...]
) -> None:
    elapsed = max(0.0, (end - start).total_seconds())
    active = active_seconds(start, end, drafts)
    assert 0.0 <= active <= elapsed
    assert math.isclose(active + draft_seconds(start, end, drafts), elapsed, abs_tol=1e-6)


@PROPERTY
@given(pulls_with_reviews())
def test_stages_are_never_negative_and_drafts_never_lengthen_them(
    case: tuple[PullRequest, list[Review]],
) -> None:
    pr, reviews = case
    with_drafts = pull_request_stages(pr, reviews, [])
    without = pull_request_stages(dataclasses.replace(pr, draft_periods=()), reviews, [])
    names = ("coding_seconds", "pickup_seconds", "review_seconds", "cycle_seconds")
    for name in names:
        value, plain = getattr(with_drafts, name), getattr(without, name)
        assert (value is None) == (plain is None)
        if value is not None:
            assert 0.0 <= value <= plain
    parts = [with_drafts.coding_seconds, with_drafts.pickup_seconds, with_drafts.review_seconds]
    if with_drafts.cycle_seconds is not None and None not in parts:
        # the stages do not overlap, so together they never exceed the cycle
        assert sum(p for p in parts if p is not None) <= with_drafts.cycle_seconds + 1e-6


@PROPERTY
@given(st.dictionaries(st.text(min_size=1, max_size=8), st.integers(0, 10**9)), st.integers(1, 8))
def test_language_shares_sum_to_one(sizes: dict[str, int], top: int) -> None:
    result = language_shares(snapshot(languages=sizes), top=top)
    if result.total_bytes == 0:
        assert result.languages == ()
        return
    assert math.isclose(sum(e.share for e in result.languages), 1.0, rel_tol=1e-9)
    assert sum(e.bytes for e in result.languages) == result.total_bytes
    assert len(result.languages) <= top + 1
    named = [e.bytes for e in result.languages if not e.grouped]
    assert named == sorted(named, reverse=True)


windows = st.tuples(moments, st.integers(1, 40 * 86400)).map(
    lambda pair: Window(pair[0], pair[0] + timedelta(seconds=pair[1]))
)
zones = st.sampled_from(["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata"])


@PROPERTY
@given(windows, st.lists(moments, max_size=30), st.lists(moments, max_size=30), zones)
def test_throughput_counts_every_item_in_the_window_once(
    window: Window, merges: list[datetime], closings: list[datetime], zone: str
) -> None:
    repo = snapshot(
        pulls=tuple(pull(i, created=T0, merged=m) for i, m in enumerate(merges)),
        issues=tuple(issue(i, created=T0, closed=c) for i, c in enumerate(closings)),
    )
    result = weekly_throughput(repo, window, timezone=zone)
    assert sum(w.merged_pulls for w in result.weeks) == sum(m in window for m in merges)
    assert sum(w.closed_issues for w in result.weeks) == sum(c in window for c in closings)


@PROPERTY
@given(windows, zones)
def test_weeks_are_contiguous_and_cover_the_window(window: Window, zone: str) -> None:
    weeks = weeks_covering(window, ZoneInfo(zone))
    assert weeks[0].start <= window.start < weeks[0].end
    assert weeks[-1].start < window.end <= weeks[-1].end
    assert all(a.end == b.start for a, b in itertools.pairwise(weeks))
    assert len({w.label for w in weeks}) == len(weeks)


@PROPERTY
@given(windows, st.lists(moments, max_size=30), zones)
def test_heatmap_counts_every_commit_in_the_window_once(
    window: Window, times: list[datetime], zone: str
) -> None:
    repo = snapshot(commits=tuple(commit(str(i), "alice", t) for i, t in enumerate(times)))
    result = commit_heatmap(repo, window, timezone=zone)
    assert result.total == sum(map(sum, result.counts)) == sum(t in window for t in times)
