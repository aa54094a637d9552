"""Engineering metrics computed from GitHub data: pure functions, no I/O, no clock.

Every function takes one ``RepositorySnapshot`` or several (a team: their raw items are pooled),
plus explicit parameters: a ``Window`` (half-open ``[start, end)``), ``now`` where the present
matters, thresholds. Results are frozen dataclasses that pydantic/FastAPI serialise to JSON.
Durations are in seconds. Definitions: docs/metrics.md.
"""

from hubdeck.core.metrics.backlog import Backlog, OpenItem, OpenSummary, backlog
from hubdeck.core.metrics.ci import CIReport, CIStats, FailedRun, WorkflowCI, ci_report, ci_stats
from hubdeck.core.metrics.contributors import Contributor, Contributors, contributors
from hubdeck.core.metrics.delivery import (
    DeploymentFrequency,
    LeadTime,
    WeekReleases,
    deployment_frequency,
    lead_time,
)
from hubdeck.core.metrics.drafts import active_seconds, draft_seconds, ready_at
from hubdeck.core.metrics.heatmap import CommitHeatmap, commit_heatmap
from hubdeck.core.metrics.issues import issue_resolution
from hubdeck.core.metrics.languages import Languages, LanguageShare, language_shares
from hubdeck.core.metrics.pulls import (
    BucketCount,
    MergeRate,
    PullSizes,
    ReviewDepth,
    merge_rate,
    pull_sizes,
    review_depth,
    size_bucket,
)
from hubdeck.core.metrics.report import MetricsOptions, MetricsReport, metrics_report
from hubdeck.core.metrics.stages import (
    PullRequestStages,
    StageSummary,
    all_pull_request_stages,
    pull_request_stages,
    stage_summary,
)
from hubdeck.core.metrics.stats import Distribution, distribution, percentiles, ratio
from hubdeck.core.metrics.throughput import Throughput, WeekThroughput, weekly_throughput
from hubdeck.core.metrics.window import Week, Window, weeks_covering

__all__ = [
    "Backlog",
    "BucketCount",
    "CIReport",
    "CIStats",
    "CommitHeatmap",
    "Contributor",
    "Contributors",
    "DeploymentFrequency",
    "Distribution",
    "FailedRun",
    "LanguageShare",
    "Languages",
    "LeadTime",
    "MergeRate",
    "MetricsOptions",
    "MetricsReport",
    "OpenItem",
    "OpenSummary",
    "PullRequestStages",
    "PullSizes",
    "ReviewDepth",
    "StageSummary",
    "Throughput",
    "Week",
    "WeekReleases",
    "WeekThroughput",
    "Window",
    "WorkflowCI",
    "active_seconds",
    "all_pull_request_stages",
    "backlog",
    "ci_report",
    "ci_stats",
    "commit_heatmap",
    "contributors",
    "deployment_frequency",
    "distribution",
    "draft_seconds",
    "issue_resolution",
    "language_shares",
    "lead_time",
    "merge_rate",
    "metrics_report",
    "percentiles",
    "pull_request_stages",
    "pull_sizes",
    "ratio",
    "ready_at",
    "review_depth",
    "size_bucket",
    "stage_summary",
    "weekly_throughput",
    "weeks_covering",
]
