"""A widget's data, computed from repository snapshots with the metrics of ``core.metrics``.

Pure: the caller gives the snapshots, ``now`` and (for the activity list) the events. The shapes
by widget type are in docs/dashboards.md, "Widget data".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hubdeck.core.dashboards.catalog import METRICS, supports
from hubdeck.core.dashboards.model import Widget, WidgetType, range_days
from hubdeck.core.events import DomainEvent
from hubdeck.core.github.models import IssueState, RepositorySnapshot
from hubdeck.core.metrics import (
    backlog,
    ci_report,
    commit_heatmap,
    contributors,
    deployment_frequency,
    issue_resolution,
    language_shares,
    lead_time,
    merge_rate,
    pull_sizes,
    review_depth,
    stage_summary,
    weeks_covering,
)
from hubdeck.core.metrics.issues import issue_closed_at
from hubdeck.core.metrics.window import Window

MAX_ROWS = 50
TOP_CONTRIBUTORS = 10

Snapshots = Sequence[RepositorySnapshot]


class Inputs:
    """Everything a computation reads, with the widget's filters applied."""

    def __init__(
        self,
        snapshots: Snapshots,
        now: datetime,
        *,
        include_bots: bool,
        timezone: str,
        stale_days: int,
        events: Sequence[DomainEvent] = (),
    ) -> None:
        self.snapshots = snapshots
        self.now = now
        self.include_bots = include_bots
        self.timezone = timezone
        self.stale_days = stale_days
        self.events = events


Number = Callable[[Inputs, Window], float | int | None]


def _count_pulls(inputs: Inputs, window: Window, field: str) -> int:
    return sum(
        1
        for s in inputs.snapshots
        for p in s.pulls
        if (inputs.include_bots or not p.author.is_bot) and getattr(p, field) in window
    )


def _count_issues(inputs: Inputs, window: Window, closed: bool) -> int:
    return sum(
        1
        for s in inputs.snapshots
        for i in s.issues
        if (inputs.include_bots or not i.author.is_bot)
        and (issue_closed_at(i) if closed else i.created_at) in window
    )


def _open(inputs: Inputs, kind: str, stale: bool) -> int:
    report = backlog(
        inputs.snapshots,
        now=inputs.now,
        stale_days=inputs.stale_days,
        oldest=0,
        include_bots=inputs.include_bots,
    )
    summary = report.pulls if kind == "pulls" else report.issues
    return summary.stale if stale else summary.open


def _stage(name: str) -> Number:
    def value(inputs: Inputs, window: Window) -> float | None:
        summary = stage_summary(inputs.snapshots, window, include_bots=inputs.include_bots)
        p50: float | None = getattr(summary, name).p50
        return p50

    return value


NUMBERS: dict[str, Number] = {
    "pulls_merged": lambda i, w: _count_pulls(i, w, "merged_at"),
    "pulls_opened": lambda i, w: _count_pulls(i, w, "created_at"),
    "issues_closed": lambda i, w: _count_issues(i, w, closed=True),
    "issues_opened": lambda i, w: _count_issues(i, w, closed=False),
    "open_pulls": lambda i, w: _open(i, "pulls", stale=False),
    "open_issues": lambda i, w: _open(i, "issues", stale=False),
    "stale_pulls": lambda i, w: _open(i, "pulls", stale=True),
    "stale_issues": lambda i, w: _open(i, "issues", stale=True),
    "cycle_time": _stage("cycle"),
    "pickup_time": _stage("pickup"),
    "review_time": _stage("review"),
    "merge_rate": lambda i, w: merge_rate(i.snapshots, w, include_bots=i.include_bots).rate,
    "reviews_per_pull": lambda i, w: (
        review_depth(i.snapshots, w, include_bots=i.include_bots).reviews_per_pull
    ),
    "issue_resolution": lambda i, w: (
        issue_resolution(i.snapshots, w, include_bots=i.include_bots).p50
    ),
    "commits": lambda i, w: (
        commit_heatmap(i.snapshots, w, timezone=i.timezone, include_bots=i.include_bots).total
    ),
    "ci_success_rate": lambda i, w: ci_report(i.snapshots, w, failures=0).all_runs.success_rate,
    "ci_duration": lambda i, w: ci_report(i.snapshots, w, failures=0).all_runs.duration.p50,
    "deployments": lambda i, w: deployment_frequency(i.snapshots, w).releases,
    "lead_time": lambda i, w: (
        lead_time(i.snapshots, w, now=i.now, include_bots=i.include_bots).lead_time.p50
    ),
}
# Figures of the present: they have no "previous period" to compare with.
_CURRENT_STATE = frozenset({"open_pulls", "open_issues", "stale_pulls", "stale_issues"})


def _number(metric: str, inputs: Inputs, window: Window) -> dict[str, Any]:
    compute = NUMBERS[metric]
    previous = None
    if metric not in _CURRENT_STATE:
        length = window.end - window.start
        previous = compute(inputs, Window(window.start - length, window.start))
    return {"value": compute(inputs, window), "previous": previous}


def _series(metric: str, inputs: Inputs, window: Window) -> dict[str, Any]:
    names = {"throughput": ("pulls_merged", "issues_closed")}.get(metric, (metric,))
    weeks = weeks_covering(window, ZoneInfo(inputs.timezone))
    series = []
    for name in names:
        points = []
        for week in weeks:
            part = Window(max(week.start, window.start), min(week.end, window.end))
            points.append({"start": week.start.isoformat(), "value": NUMBERS[name](inputs, part)})
        series.append({"name": name, "points": points})
    return {"interval": "week", "series": series}


def _items(metric: str, inputs: Inputs, window: Window) -> dict[str, Any]:
    s, bots = inputs.snapshots, inputs.include_bots
    items: list[tuple[str, float | int | None]]
    match metric:
        case "throughput":
            weekly = _series(metric, inputs, window)["series"]
            items = [
                (point["start"][:10], (point["value"] or 0) + (other["value"] or 0))
                for point, other in zip(weekly[0]["points"], weekly[1]["points"], strict=True)
            ]
        case "stages":
            summary = stage_summary(s, window, include_bots=bots)
            items = [
                (name, getattr(summary, name).p50)
                for name in ("coding", "pickup", "review", "cycle")
            ]
        case "merge_outcomes":
            rate = merge_rate(s, window, include_bots=bots)
            items = [("merged", rate.merged), ("closed unmerged", rate.closed_unmerged)]
        case "pull_sizes":
            sizes = pull_sizes(s, window, include_bots=bots)
            items = [(b.bucket, b.count) for b in sizes.buckets]
        case "contributors":
            found = contributors(s, window, include_bots=bots).contributors
            items = [(c.login, c.total) for c in found[:TOP_CONTRIBUTORS]]
        case "languages":
            items = [(lang.name, lang.bytes) for lang in language_shares(s).languages]
        case "ci_conclusions":
            report = ci_report(s, window, failures=0)
            items = sorted(report.all_runs.by_conclusion.items())
        case "ci_workflows":
            report = ci_report(s, window, failures=0)
            items = [(f"{w.repository} · {w.name}", w.stats.success_rate) for w in report.workflows]
        case _:
            raise KeyError(metric)
    return {"items": [{"label": label, "value": value} for label, value in items]}


def _url(snapshot: RepositorySnapshot, kind: str, number: int) -> str:
    return f"{snapshot.repository.html_url.rstrip('/')}/{kind}/{number}"


def _table(metric: str, inputs: Inputs, window: Window) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    kind = "pulls"
    stale_before = inputs.now - timedelta(days=inputs.stale_days)
    bots = inputs.include_bots
    if metric in ("open_pulls", "stale_pulls", "merged_pulls"):
        for s in inputs.snapshots:
            for p in s.pulls:
                if p.author.is_bot and not bots:
                    continue
                if metric == "merged_pulls":
                    if p.merged_at is None or p.merged_at not in window:
                        continue
                elif p.state is not IssueState.open or (
                    metric == "stale_pulls" and p.updated_at > stale_before
                ):
                    continue
                rows.append(_row(s, "pull", p.number, p.title, p.author.login, p.state, p))
        if metric == "merged_pulls":
            rows.sort(key=lambda r: r["merged_at"], reverse=True)
        else:
            rows.sort(key=lambda r: r["created_at"])
    elif metric in ("open_issues", "stale_issues"):
        kind = "issues"
        for s in inputs.snapshots:
            for i in s.issues:
                if i.author.is_bot and not bots:
                    continue
                if i.state is not IssueState.open or (
                    metric == "stale_issues" and i.updated_at > stale_before
                ):
                    continue
                rows.append(_row(s, "issues", i.number, i.title, i.author.login, i.state, i))
        rows.sort(key=lambda r: r["created_at"])
    elif metric == "contributors":
        kind = "contributors"
        found = contributors(inputs.snapshots, window, include_bots=bots).contributors
        rows = [
            {
                "login": c.login,
                "commits": c.commits,
                "pulls_opened": c.pulls_opened,
                "pulls_merged": c.pulls_merged,
                "reviews": c.reviews,
                "total": c.total,
            }
            for c in found
        ]
    elif metric == "ci_failures":
        kind = "runs"
        report = ci_report(inputs.snapshots, window, failures=MAX_ROWS)
        rows = [
            {
                "repository": f.repository,
                "id": f.id,
                "name": f.name,
                "head_branch": f.head_branch,
                "event": f.event,
                "conclusion": f.conclusion,
                "created_at": f.created_at.isoformat(),
                "duration_seconds": f.duration_seconds,
            }
            for f in report.failures
        ]
        return {"kind": kind, "total": report.failures_total, "rows": rows}
    else:
        raise KeyError(metric)
    return {"kind": kind, "total": len(rows), "rows": rows[:MAX_ROWS]}


def _row(
    snapshot: RepositorySnapshot,
    path: str,
    number: int,
    title: str,
    author: str,
    state: IssueState,
    item: Any,
) -> dict[str, Any]:
    row = {
        "repository": snapshot.repository.full_name,
        "number": number,
        "title": title,
        "author": author,
        "state": state.value,
        "created_at": item.created_at.isoformat(),
        "updated_at": item.updated_at.isoformat(),
        "url": _url(snapshot, path, number),
    }
    merged = getattr(item, "merged_at", None)
    if merged is not None:
        row["merged_at"] = merged.isoformat()
    return row


def _activity(inputs: Inputs) -> dict[str, Any]:
    items = [
        {
            "id": e.id,
            "type": e.type,
            "subject": e.subject,
            "actor": e.actor,
            "occurred_at": e.occurred_at.isoformat(),
            "repository_id": e.repository_id,
            "data": e.data,
        }
        for e in inputs.events[:MAX_ROWS]
    ]
    return {"items": items}


def _heatmap(inputs: Inputs, window: Window) -> dict[str, Any]:
    heat = commit_heatmap(
        inputs.snapshots, window, timezone=inputs.timezone, include_bots=inputs.include_bots
    )
    return {"counts": [list(row) for row in heat.counts]}


def compute(widget: Widget, inputs: Inputs) -> dict[str, Any]:
    """``{status, unit, data}`` of one widget."""
    metric = widget.config.metric
    if not supports(widget.type, metric):
        return {"status": "unsupported", "unit": None, "data": None}
    window = Window(inputs.now - timedelta(days=range_days(widget.config.range)), inputs.now)
    match widget.type:
        case WidgetType.number:
            data = _number(metric, inputs, window)
        case WidgetType.timeseries:
            data = _series(metric, inputs, window)
        case WidgetType.bar | WidgetType.pie:
            data = _items(metric, inputs, window)
        case WidgetType.heatmap:
            data = _heatmap(inputs, window)
        case WidgetType.table:
            data = _table(metric, inputs, window)
        case WidgetType.activity:
            data = _activity(inputs)
    return {"status": "ok", "unit": METRICS[metric].unit, "data": data}
