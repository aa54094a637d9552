"""A dashboard as a document: its title, description and widgets (docs/dashboards.md).

Plain frozen pydantic models: the same classes validate what clients send and hold what is
stored, so a document that passed validation once never needs checking again.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

COLUMNS = 12
MAX_Y = 1000
MAX_HEIGHT = 24
MAX_WIDGETS = 50
MAX_REPOSITORIES = 50
TITLE_MAX = 200
DESCRIPTION_MAX = 2000
# "dashboard" names the dashboard itself as the target of a ``set`` operation.
DASHBOARD_TARGET = "dashboard"
_WIDGET_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class WidgetType(StrEnum):
    number = "number"
    timeseries = "timeseries"
    bar = "bar"
    pie = "pie"
    heatmap = "heatmap"
    table = "table"
    activity = "activity"


Range = Literal["7d", "14d", "28d", "90d", "180d", "365d"]
RANGES: tuple[str, ...] = ("7d", "14d", "28d", "90d", "180d", "365d")


def range_days(value: str) -> int:
    return int(value.removesuffix("d"))


def _widget_id(value: str) -> str:
    if not _WIDGET_ID.match(value) or value == DASHBOARD_TARGET:
        raise ValueError("a widget id has 1 to 64 letters, digits, '_' or '-' (not 'dashboard')")
    return value


WidgetId = Annotated[str, AfterValidator(_widget_id)]


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r}") from None
    return value


class Filters(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    include_bots: bool = False
    timezone: Annotated[str, Field(max_length=64), AfterValidator(_timezone)] = "UTC"
    stale_days: Annotated[int, Field(ge=1, le=365)] = 14


class WidgetConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    # Empty: every repository the dashboard's team follows, now and later.
    repositories: tuple[Annotated[int, Field(ge=1)], ...] = Field(
        default=(), max_length=MAX_REPOSITORIES
    )
    metric: Annotated[str, Field(min_length=1, max_length=64)]
    range: Range = "28d"
    filters: Filters = Filters()

    @field_validator("repositories")
    @classmethod
    def _distinct(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        # Sorted and distinct: two configurations that mean the same compare (and cache) equal.
        return tuple(sorted(set(value)))


class Layout(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    x: Annotated[int, Field(ge=0, le=COLUMNS - 1)]
    y: Annotated[int, Field(ge=0, le=MAX_Y)]
    w: Annotated[int, Field(ge=1, le=COLUMNS)]
    h: Annotated[int, Field(ge=1, le=MAX_HEIGHT)]

    def fitted(self) -> Layout:
        """Past the right edge (two people moved and resized it at once): cut the width, the
        same way on every client and on the server."""
        if self.x + self.w <= COLUMNS:
            return self
        return self.model_copy(update={"w": COLUMNS - self.x})


class Widget(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: WidgetId
    type: WidgetType
    title: Annotated[str, Field(max_length=TITLE_MAX)] = ""
    config: WidgetConfig
    layout: Layout

    def fitted(self) -> Widget:
        layout = self.layout.fitted()
        return self if layout is self.layout else self.model_copy(update={"layout": layout})


class Document(BaseModel):
    """What co-editing changes: everything but the identity, team and version."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: Annotated[str, Field(min_length=1, max_length=TITLE_MAX)]
    description: Annotated[str, Field(max_length=DESCRIPTION_MAX)] = ""
    widgets: tuple[Widget, ...] = Field(default=(), max_length=MAX_WIDGETS)

    def widget(self, widget_id: str) -> Widget | None:
        for widget in self.widgets:
            if widget.id == widget_id:
                return widget
        return None

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class DashboardRole(StrEnum):
    viewer = "viewer"
    editor = "editor"
    owner = "owner"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def allows(self, needed: DashboardRole) -> bool:
        return self.rank >= needed.rank


_RANKS = {DashboardRole.viewer: 1, DashboardRole.editor: 2, DashboardRole.owner: 3}
