"""Every metric at once, for one repository or a team's repositories.

Team-level numbers pool the raw items (pull requests, issues, runs, commits, releases) of all
the repositories and compute each metric once over the pool: a median is the median of all
pull requests, never an average of per-repository medians.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hubdeck.core.metrics.backlog import DEFAULT_OLDEST, DEFAULT_STALE_DAYS, Backlog, backlog
from hubdeck.core.metrics.ci import DEFAULT_FAILURES, CIReport, ci_report
from hubdeck.core.metrics.common import Snapshots, as_snapshots
from hubdeck.core.metrics.contributors import Contributors, contributors
from hubdeck.core.metrics.delivery import (
    DeploymentFrequency,
    LeadTime,
    deployment_frequency,
    lead_time,
)
from hubdeck.core.metrics.heatmap import CommitHeatmap, commit_heatmap
from hubdeck.core.metrics.issues import issue_resolution
from hubdeck.core.metrics.languages import DEFAULT_TOP, Languages, language_shares
from hubdeck.core.metrics.pulls import (
    DEFAULT_SIZE_LIMITS,
    MergeRate,
    PullSizes,
    ReviewDepth,
    merge_rate,
    pull_sizes,
    review_depth,
)
from hubdeck.core.metrics.stages import StageSummary, stage_summary
from hubdeck.core.metrics.stats import Distribution
from hubdeck.core.metrics.throughput import Throughput, weekly_throughput
from hubdeck.core.metrics.window import Window


@dataclass(frozen=True, slots=True)
class MetricsOptions:
    """Every parameter of the metrics, with the defaults docs/metrics.md lists."""

    timezone: str = "UTC"
    stale_days: float = DEFAULT_STALE_DAYS
    oldest: int = DEFAULT_OLDEST
    size_limits: tuple[int, int, int, int] = DEFAULT_SIZE_LIMITS
    top_languages: int = DEFAULT_TOP
    failures: int = DEFAULT_FAILURES
    include_bots: bool = False
    include_prereleases: bool = False


@dataclass(frozen=True, slots=True)
class MetricsReport:
    repositories: tuple[str, ...]
    window: Window
    now: datetime
    options: MetricsOptions
    stages: StageSummary
    merge_rate: MergeRate
    pull_sizes: PullSizes
    review_depth: ReviewDepth
    throughput: Throughput
    backlog: Backlog
    issue_resolution: Distribution
    commit_heatmap: CommitHeatmap
    contributors: Contributors
    languages: Languages
    ci: CIReport
    deployment_frequency: DeploymentFrequency
    lead_time: LeadTime


def metrics_report(
    snapshots: Snapshots,
    window: Window,
    *,
    now: datetime,
    options: MetricsOptions | None = None,
) -> MetricsReport:
    """All metrics over ``window`` for the given repositories, as of ``now``."""
    repos = as_snapshots(snapshots)
    opts = options or MetricsOptions()
    bots = opts.include_bots
    return MetricsReport(
        repositories=tuple(snapshot.repository.full_name for snapshot in repos),
        window=window,
        now=now,
        options=opts,
        stages=stage_summary(repos, window, include_bots=bots),
        merge_rate=merge_rate(repos, window, include_bots=bots),
        pull_sizes=pull_sizes(repos, window, limits=opts.size_limits, include_bots=bots),
        review_depth=review_depth(repos, window, include_bots=bots),
        throughput=weekly_throughput(repos, window, timezone=opts.timezone, include_bots=bots),
        backlog=backlog(
            repos, now=now, stale_days=opts.stale_days, oldest=opts.oldest, include_bots=bots
        ),
        issue_resolution=issue_resolution(repos, window, include_bots=bots),
        commit_heatmap=commit_heatmap(repos, window, timezone=opts.timezone, include_bots=bots),
        contributors=contributors(repos, window, include_bots=bots),
        languages=language_shares(repos, top=opts.top_languages),
        ci=ci_report(repos, window, failures=opts.failures),
        deployment_frequency=deployment_frequency(
            repos, window, timezone=opts.timezone, include_prereleases=opts.include_prereleases
        ),
        lead_time=lead_time(
            repos,
            window,
            now=now,
            include_prereleases=opts.include_prereleases,
            include_bots=bots,
        ),
    )
