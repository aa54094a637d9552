"""Widget data from snapshots: every metric on every type it supports has its documented shape,
and the figures are the metrics' own."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hubdeck.core.dashboards.catalog import METRICS
from hubdeck.core.dashboards.compute import Inputs, compute
from hubdeck.core.dashboards.model import Layout, Widget, WidgetConfig, WidgetType
from hubdeck.core.events import DomainEvent
from hubdeck.core.github.models import ReviewState
from tests.unit.metrics.factory import (
    BOB,
    DEPENDABOT,
    commit,
    d,
    issue,
    pull,
    release,
    review,
    run,
    snapshot,
)

NOW = d(30)

API = snapshot(
    "acme/api",
    repo_id=1,
    languages={"Python": 900, "Shell": 100},
    pulls=(
        pull(1, created=d(20), merged=d(22), first_commit=d(19), additions=30),
        pull(2, created=d(25), merged=d(26), additions=400),
        pull(3, created=d(28)),
        pull(4, created=d(1), updated=d(2)),  # open and stale
        pull(5, author=DEPENDABOT, created=d(27), merged=d(27)),
        pull(6, created=d(5), merged=d(6)),  # merged in the previous period
    ),
    reviews=(review(1, BOB, d(21)), review(2, BOB, d(25.5), ReviewState.changes_requested)),
    issues=(issue(1, created=d(10), closed=d(24)), issue(2, created=d(29))),
    runs=(run(1, created=d(29)), run(2, created=d(28), conclusion=None, status="in_progress")),
    commits=(commit("a", "alice", d(21)), commit("b", "bob", d(29))),
    releases=(release("v1", d(27)),),
)
WEB = snapshot("acme/web", repo_id=2, pulls=(pull(1, created=d(26), merged=d(27)),))


def widget(metric: str, widget_type: WidgetType, **filters: object) -> Widget:
    return Widget(
        id="w",
        type=widget_type,
        config=WidgetConfig.model_validate({"metric": metric, "range": "14d", "filters": filters}),
        layout=Layout(x=0, y=0, w=3, h=2),
    )


def inputs(**options: object) -> Inputs:
    events = [
        DomainEvent(
            type="pull_request.merged", occurred_at=NOW - timedelta(hours=1), repository_id=1
        )
    ]
    return Inputs(
        [API, WEB],
        NOW,
        include_bots=bool(options.get("include_bots", False)),
        timezone="UTC",
        stale_days=14,
        events=events,
    )


CASES = [(m.id, t) for m in METRICS.values() for t in WidgetType if t in m.types]


@pytest.mark.parametrize(("metric", "widget_type"), CASES, ids=[f"{m}-{t}" for m, t in CASES])
def test_every_metric_has_the_shape_of_its_type(metric: str, widget_type: WidgetType) -> None:
    result = compute(widget(metric, widget_type), inputs())
    assert result["status"] == "ok" and result["unit"] == METRICS[metric].unit
    data = result["data"]
    match widget_type:
        case WidgetType.number:
            assert set(data) == {"value", "previous"}
        case WidgetType.timeseries:
            assert data["interval"] == "week" and data["series"]
            assert all(len(s["points"]) == 3 for s in data["series"])  # 14 days touch 3 weeks
        case WidgetType.bar | WidgetType.pie:
            assert all(set(item) == {"label", "value"} for item in data["items"])
        case WidgetType.heatmap:
            assert len(data["counts"]) == 7 and all(len(row) == 24 for row in data["counts"])
        case WidgetType.table:
            assert data["kind"] in {"pulls", "issues", "runs", "contributors"}
            assert data["total"] >= len(data["rows"])
        case WidgetType.activity:
            assert [item["type"] for item in data["items"]] == ["pull_request.merged"]


def test_numbers_and_their_trend() -> None:
    merged = compute(widget("pulls_merged", WidgetType.number), inputs())["data"]
    # In the last 14 days: #1, #2 of api and #1 of web (the bot's is left out); before: #6.
    assert merged == {"value": 3, "previous": 1}
    with_bots = compute(widget("pulls_merged", WidgetType.number), inputs(include_bots=True))
    assert with_bots["data"]["value"] == 4
    open_pulls = compute(widget("open_pulls", WidgetType.number), inputs())["data"]
    assert open_pulls == {"value": 2, "previous": None}
    assert compute(widget("stale_pulls", WidgetType.number), inputs())["data"]["value"] == 1


def test_tables_list_the_items_with_links() -> None:
    stale = compute(widget("stale_pulls", WidgetType.table), inputs())["data"]
    (row,) = stale["rows"]
    assert row["number"] == 4 and row["url"] == "https://github.com/acme/api/pull/4"
    merged = compute(widget("merged_pulls", WidgetType.table), inputs())["data"]
    assert [(r["repository"], r["number"]) for r in merged["rows"]] == [
        ("acme/web", 1),
        ("acme/api", 2),
        ("acme/api", 1),
    ]


def test_a_metric_the_type_cannot_show_is_unsupported() -> None:
    result = compute(widget("cycle_time", WidgetType.pie), inputs())
    assert result == {"status": "unsupported", "unit": None, "data": None}
