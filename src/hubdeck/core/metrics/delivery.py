"""Delivery: how often releases ship, and how long merged work waits for one."""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from hubdeck.core.github.models import Release
from hubdeck.core.metrics.common import Snapshots, as_snapshots, pull_contexts
from hubdeck.core.metrics.stats import Distribution, distribution
from hubdeck.core.metrics.window import Window, iso_week_label, require_aware, weeks_covering


def shipped(release: Release, *, include_prereleases: bool = False) -> datetime | None:
    """When ``release`` was published, if it counts as a deployment: drafts never do,
    prereleases only when asked."""
    if release.draft or (release.prerelease and not include_prereleases):
        return None
    return release.published_at


@dataclass(frozen=True, slots=True)
class WeekReleases:
    week: str  # ISO week, "2024-W05"
    start: datetime  # the week's Monday 00:00 in the chosen time zone
    partial: bool  # part of the week lies outside the window
    releases: int


@dataclass(frozen=True, slots=True)
class DeploymentFrequency:
    releases: int  # published in the window
    per_week: float  # releases / the window's length in weeks
    weeks: tuple[WeekReleases, ...]  # every week overlapping the window, empty ones included
    repositories_with_releases: int  # that published a counted release before the window's end


def deployment_frequency(
    snapshots: Snapshots,
    window: Window,
    *,
    timezone: str = "UTC",
    include_prereleases: bool = False,
) -> DeploymentFrequency:
    tz = ZoneInfo(timezone)
    per_week: Counter[str] = Counter()
    releasing = 0
    for snapshot in as_snapshots(snapshots):
        moments = [shipped(r, include_prereleases=include_prereleases) for r in snapshot.releases]
        if any(moment is not None and moment < window.end for moment in moments):
            releasing += 1
        for moment in moments:
            if moment is not None and moment in window:
                per_week[iso_week_label(moment, tz)] += 1
    total = per_week.total()
    return DeploymentFrequency(
        releases=total,
        per_week=total / window.weeks,
        weeks=tuple(
            WeekReleases(
                week=week.label,
                start=week.start,
                partial=week.partial,
                releases=per_week[week.label],
            )
            for week in weeks_covering(window, tz)
        ),
        repositories_with_releases=releasing,
    )


@dataclass(frozen=True, slots=True)
class LeadTime:
    """From merge to the first counted release published after it, for pull requests merged
    in the window into their repository's default branch."""

    lead_time: Distribution  # seconds, of released pull requests
    released: int  # = lead_time.count
    pending: int  # merged, no counted release published after the merge yet (as of ``now``)
    without_releases: int  # merged in repositories that have never published a counted release
    other_base: int  # merged into another branch than the default one: not measured


def lead_time(
    snapshots: Snapshots,
    window: Window,
    *,
    now: datetime,
    include_prereleases: bool = False,
    include_bots: bool = False,
) -> LeadTime:
    """Releases published after ``now`` are ignored, so a result never depends on data from the
    future of the moment it describes."""
    require_aware(now)
    durations: list[float] = []
    pending = without = other_base = 0
    for snapshot in as_snapshots(snapshots):
        moments = sorted(
            moment
            for release in snapshot.releases
            if (moment := shipped(release, include_prereleases=include_prereleases)) is not None
            and moment <= now
        )
        default_branch = snapshot.repository.default_branch
        for context in pull_contexts(snapshot, include_bots=include_bots):
            merged = context.pull.merged_at
            if merged is None or merged not in window:
                continue
            base = context.pull.base_ref
            if base and base != default_branch:
                other_base += 1
            elif not moments:
                without += 1
            else:
                # The first release strictly after the merge: one published in the same second
                # was most likely cut before the merge landed.
                index = bisect.bisect_right(moments, merged)
                if index == len(moments):
                    pending += 1
                else:
                    durations.append((moments[index] - merged).total_seconds())
    return LeadTime(
        lead_time=distribution(durations),
        released=len(durations),
        pending=pending,
        without_releases=without,
        other_base=other_base,
    )
