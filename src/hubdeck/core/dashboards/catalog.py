"""The metrics a widget can show, on which widget types, and which stored data each reads.

``inputs`` drive invalidation: a change to a repository's pull requests recomputes only the
widgets whose metric reads pull requests (docs/dashboards.md, "Widget data").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from hubdeck.core.dashboards.model import COLUMNS, RANGES, WidgetType


class DataKind(StrEnum):
    """What a metric reads of a repository's stored data."""

    pulls = "pulls"  # pull requests with their reviews and comments
    issues = "issues"
    runs = "runs"
    commits = "commits"
    releases = "releases"
    languages = "languages"
    activity = "activity"  # the activity feed


ALL_KINDS = frozenset(DataKind)

T = WidgetType
K = DataKind


@dataclass(frozen=True, slots=True)
class Metric:
    id: str
    label: str
    unit: str  # count, seconds, ratio, bytes
    types: frozenset[WidgetType]
    inputs: frozenset[DataKind]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "unit": self.unit,
            "types": [t.value for t in WidgetType if t in self.types],
        }


def _m(id: str, label: str, unit: str, types: set[WidgetType], inputs: set[DataKind]) -> Metric:
    return Metric(id, label, unit, frozenset(types), frozenset(inputs))


METRICS: dict[str, Metric] = {
    m.id: m
    for m in (
        _m("pulls_merged", "Pull requests merged", "count", {T.number, T.timeseries}, {K.pulls}),
        _m("pulls_opened", "Pull requests opened", "count", {T.number, T.timeseries}, {K.pulls}),
        _m("issues_closed", "Issues closed", "count", {T.number, T.timeseries}, {K.issues}),
        _m("issues_opened", "Issues opened", "count", {T.number, T.timeseries}, {K.issues}),
        _m(
            "throughput",
            "Merged pull requests and closed issues per week",
            "count",
            {T.timeseries, T.bar},
            {K.pulls, K.issues},
        ),
        _m("open_pulls", "Open pull requests", "count", {T.number, T.table}, {K.pulls}),
        _m("open_issues", "Open issues", "count", {T.number, T.table}, {K.issues}),
        _m("stale_pulls", "Stale pull requests", "count", {T.number, T.table}, {K.pulls}),
        _m("stale_issues", "Stale issues", "count", {T.number, T.table}, {K.issues}),
        _m("merged_pulls", "Recently merged pull requests", "count", {T.table}, {K.pulls}),
        _m("cycle_time", "Cycle time (median)", "seconds", {T.number, T.timeseries}, {K.pulls}),
        _m("pickup_time", "Pickup time (median)", "seconds", {T.number}, {K.pulls}),
        _m("review_time", "Review time (median)", "seconds", {T.number}, {K.pulls}),
        _m("stages", "Median time per stage", "seconds", {T.bar}, {K.pulls}),
        _m("merge_rate", "Merge rate", "ratio", {T.number}, {K.pulls}),
        _m("merge_outcomes", "Merged vs closed unmerged", "count", {T.pie, T.bar}, {K.pulls}),
        _m("pull_sizes", "Pull-request sizes", "count", {T.bar, T.pie}, {K.pulls}),
        _m("reviews_per_pull", "Reviews per merged pull request", "ratio", {T.number}, {K.pulls}),
        _m("issue_resolution", "Issue resolution time (median)", "seconds", {T.number}, {K.issues}),
        _m("contributors", "Top contributors", "count", {T.bar, T.table}, {K.pulls, K.commits}),
        _m("languages", "Languages", "bytes", {T.pie, T.bar}, {K.languages}),
        _m("commits", "Commits", "count", {T.number, T.timeseries, T.heatmap}, {K.commits}),
        _m("ci_success_rate", "CI success rate", "ratio", {T.number, T.timeseries}, {K.runs}),
        _m("ci_duration", "CI duration (median)", "seconds", {T.number}, {K.runs}),
        _m("ci_conclusions", "CI runs by conclusion", "count", {T.pie, T.bar}, {K.runs}),
        _m("ci_workflows", "CI success rate per workflow", "ratio", {T.bar}, {K.runs}),
        _m("ci_failures", "Recent CI failures", "count", {T.table}, {K.runs}),
        _m("deployments", "Releases", "count", {T.number, T.timeseries}, {K.releases}),
        _m("lead_time", "Merge to release (median)", "seconds", {T.number}, {K.pulls, K.releases}),
        _m("activity", "Recent activity", "count", {T.activity}, {K.activity}),
    )
}

WIDGET_LABELS: dict[WidgetType, str] = {
    T.number: "Number with trend",
    T.timeseries: "Time series",
    T.bar: "Bar chart",
    T.pie: "Pie chart",
    T.heatmap: "Heatmap",
    T.table: "Table",
    T.activity: "Activity list",
}


def supports(widget_type: WidgetType, metric: str) -> bool:
    found = METRICS.get(metric)
    return found is not None and widget_type in found.types


def catalog() -> dict[str, Any]:
    return {
        "widget_types": [
            {
                "type": t.value,
                "label": WIDGET_LABELS[t],
                "metrics": [m.id for m in METRICS.values() if t in m.types],
            }
            for t in WidgetType
        ],
        "metrics": [m.as_json() for m in METRICS.values()],
        "ranges": list(RANGES),
        "columns": COLUMNS,
    }


# Which stored data an event changes. Events of HubDeck's own objects change none.
_EVENT_KINDS: dict[str, frozenset[DataKind]] = {
    "repository.synced": ALL_KINDS,
    "repository.followed": ALL_KINDS,
    "repository.unfollowed": ALL_KINDS,
    "repository.updated": frozenset({K.languages, K.activity}),
    "repository.starred": frozenset({K.activity}),
    "comment.created": frozenset({K.pulls, K.issues, K.activity}),
    "github.event": frozenset({K.activity}),
}
_PREFIX_KINDS: dict[str, frozenset[DataKind]] = {
    "pull_request": frozenset({K.pulls, K.activity}),
    "issue": frozenset({K.issues, K.activity}),
    "workflow_run": frozenset({K.runs, K.activity}),
    "commit": frozenset({K.commits, K.activity}),
    "release": frozenset({K.releases, K.activity}),
}


def kinds_changed_by(event_type: str) -> frozenset[DataKind]:
    found = _EVENT_KINDS.get(event_type)
    if found is not None:
        return found
    return _PREFIX_KINDS.get(event_type.split(".")[0], frozenset())
