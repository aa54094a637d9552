"""Dashboards to start from. Widgets read every repository the team follows (``[]``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hubdeck.core.dashboards.model import Layout, Widget, WidgetConfig, WidgetType


@dataclass(frozen=True, slots=True)
class TemplateWidget:
    type: WidgetType
    metric: str
    title: str
    x: int
    y: int
    w: int
    h: int
    range: str = "28d"

    def widget(self, widget_id: str) -> Widget:
        return Widget(
            id=widget_id,
            type=self.type,
            title=self.title,
            config=WidgetConfig.model_validate({"metric": self.metric, "range": self.range}),
            layout=Layout(x=self.x, y=self.y, w=self.w, h=self.h),
        )


@dataclass(frozen=True, slots=True)
class Template:
    id: str
    title: str
    description: str
    widgets: tuple[TemplateWidget, ...]

    def build(self, new_id: Callable[[], str]) -> list[Widget]:
        return [w.widget(new_id()) for w in self.widgets]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "widgets": [
                {k: v for k, v in w.widget("template").model_dump(mode="json").items() if k != "id"}
                for w in self.widgets
            ],
        }


N, TS, BAR, PIE, HEAT, TABLE, ACT = (
    WidgetType.number,
    WidgetType.timeseries,
    WidgetType.bar,
    WidgetType.pie,
    WidgetType.heatmap,
    WidgetType.table,
    WidgetType.activity,
)

TEMPLATES: dict[str, Template] = {
    t.id: t
    for t in (
        Template(
            "team-overview",
            "Team overview",
            "What the team shipped, what is open, and what is happening now.",
            (
                TemplateWidget(N, "pulls_merged", "Merged", 0, 0, 3, 2),
                TemplateWidget(N, "cycle_time", "Cycle time", 3, 0, 3, 2),
                TemplateWidget(N, "open_pulls", "Open pull requests", 6, 0, 3, 2),
                TemplateWidget(N, "ci_success_rate", "CI success", 9, 0, 3, 2),
                TemplateWidget(TS, "throughput", "Throughput", 0, 2, 8, 4, "90d"),
                TemplateWidget(ACT, "activity", "Activity", 8, 2, 4, 8),
                TemplateWidget(BAR, "contributors", "Contributors", 0, 6, 4, 4),
                TemplateWidget(HEAT, "commits", "When we commit", 4, 6, 4, 4),
            ),
        ),
        Template(
            "pull-request-flow",
            "Pull-request flow",
            "How pull requests move from first commit to merge, and where they wait.",
            (
                TemplateWidget(N, "cycle_time", "Cycle time", 0, 0, 3, 2),
                TemplateWidget(N, "pickup_time", "Pickup time", 3, 0, 3, 2),
                TemplateWidget(N, "review_time", "Review time", 6, 0, 3, 2),
                TemplateWidget(N, "merge_rate", "Merge rate", 9, 0, 3, 2),
                TemplateWidget(BAR, "stages", "Time per stage", 0, 2, 6, 4),
                TemplateWidget(PIE, "pull_sizes", "Sizes", 6, 2, 3, 4),
                TemplateWidget(N, "reviews_per_pull", "Reviews per pull request", 9, 2, 3, 2),
                TemplateWidget(TS, "cycle_time", "Cycle time per week", 0, 6, 6, 4, "90d"),
                TemplateWidget(TABLE, "stale_pulls", "Waiting too long", 6, 6, 6, 4),
            ),
        ),
        Template(
            "ci-health",
            "CI health",
            "Whether the checks pass, how long they take, and what failed lately.",
            (
                TemplateWidget(N, "ci_success_rate", "Success rate", 0, 0, 4, 2),
                TemplateWidget(N, "ci_duration", "Median duration", 4, 0, 4, 2),
                TemplateWidget(PIE, "ci_conclusions", "Conclusions", 8, 0, 4, 4),
                TemplateWidget(TS, "ci_success_rate", "Success per week", 0, 2, 8, 4, "90d"),
                TemplateWidget(BAR, "ci_workflows", "Per workflow", 0, 6, 6, 4),
                TemplateWidget(TABLE, "ci_failures", "Recent failures", 6, 6, 6, 4),
            ),
        ),
    )
}
