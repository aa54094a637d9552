"""Operations: the edits of a dashboard, as clients send them and as the server publishes them.

A batch is validated whole before anything is applied: each operation on its own (shape,
ranges, known paths and values). Whether it still applies (its widget may be gone) is decided
when it is applied, against the document of that moment.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from hubdeck.core.dashboards.catalog import METRICS, supports
from hubdeck.core.dashboards.model import (
    COLUMNS,
    DASHBOARD_TARGET,
    DESCRIPTION_MAX,
    MAX_HEIGHT,
    MAX_REPOSITORIES,
    MAX_Y,
    TITLE_MAX,
    Filters,
    Range,
    Widget,
    WidgetId,
    WidgetType,
)
from hubdeck.core.errors import InvalidInput

MAX_OPS = 50


class _Op(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _known_metric(widget: Widget) -> Widget:
    if widget.config.metric not in METRICS:
        raise ValueError(f"unknown metric {widget.config.metric!r}")
    if not supports(widget.type, widget.config.metric):
        raise ValueError(f"the metric {widget.config.metric} cannot be shown as {widget.type}")
    return widget


class AddWidget(_Op):
    op: Literal["add_widget"]
    widget: Widget

    @field_validator("widget")
    @classmethod
    def _metric(cls, widget: Widget) -> Widget:
        return _known_metric(widget)


class RestoreWidget(_Op):
    """Puts a widget back as given: appended when absent (undo of a removal), replaced when
    present (restore from history)."""

    op: Literal["restore_widget"]
    widget: Widget

    @field_validator("widget")
    @classmethod
    def _metric(cls, widget: Widget) -> Widget:
        if widget.config.metric not in METRICS:
            raise ValueError(f"unknown metric {widget.config.metric!r}")
        return widget


class RemoveWidget(_Op):
    op: Literal["remove_widget"]
    widget_id: WidgetId


class MoveWidget(_Op):
    op: Literal["move_widget"]
    widget_id: WidgetId
    x: Annotated[int, Field(ge=0, le=COLUMNS - 1)]
    y: Annotated[int, Field(ge=0, le=MAX_Y)]


class ResizeWidget(_Op):
    op: Literal["resize_widget"]
    widget_id: WidgetId
    w: Annotated[int, Field(ge=1, le=COLUMNS)]
    h: Annotated[int, Field(ge=1, le=MAX_HEIGHT)]


_Title = Annotated[str, Field(max_length=TITLE_MAX)]
_DashboardTitle = Annotated[str, Field(min_length=1, max_length=TITLE_MAX)]
_Description = Annotated[str, Field(max_length=DESCRIPTION_MAX)]
_Repositories = Annotated[list[Annotated[int, Field(ge=1)]], Field(max_length=MAX_REPOSITORIES)]

# What each settable path accepts; the value is stored as the adapter's JSON form.
DASHBOARD_PATHS: dict[str, TypeAdapter[Any]] = {
    "title": TypeAdapter(_DashboardTitle),
    "description": TypeAdapter(_Description),
}
WIDGET_PATHS: dict[str, TypeAdapter[Any]] = {
    "title": TypeAdapter(_Title),
    "type": TypeAdapter(WidgetType),
    "config.repositories": TypeAdapter(_Repositories),
    "config.metric": TypeAdapter(Annotated[str, Field(min_length=1, max_length=64)]),
    "config.range": TypeAdapter(Range),
    "config.filters": TypeAdapter(Filters),
}


class SetProperty(_Op):
    op: Literal["set"]
    target: Annotated[str, Field(min_length=1, max_length=64)]
    path: Annotated[str, Field(min_length=1, max_length=64)]
    value: Any

    @model_validator(mode="before")
    @classmethod
    def _value_fits_path(cls, data: Any) -> Any:
        """Checks the value against its path and stores it in its normal JSON form."""
        if not isinstance(data, dict):
            return data
        target, path = data.get("target"), data.get("path")
        if not isinstance(target, str) or not isinstance(path, str):
            return data  # the field checks say what is wrong
        if "value" not in data:
            raise ValueError("a set operation needs a value")
        if target != DASHBOARD_TARGET:
            TypeAdapter(WidgetId).validate_python(target)
        paths = DASHBOARD_PATHS if target == DASHBOARD_TARGET else WIDGET_PATHS
        adapter = paths.get(path)
        if adapter is None:
            raise ValueError(f"cannot set {path!r} (settable: {', '.join(paths)})")
        value = adapter.dump_python(adapter.validate_python(data["value"]), mode="json")
        if path == "config.metric" and value not in METRICS:
            raise ValueError(f"unknown metric {value!r}")
        if path == "config.repositories":
            value = sorted(set(value))
        if target == DASHBOARD_TARGET and path == "title":
            value = value.strip()
            if not value:
                raise ValueError("a dashboard title cannot be blank")
        return {**data, "value": value}


Op = Annotated[
    AddWidget | RemoveWidget | RestoreWidget | MoveWidget | ResizeWidget | SetProperty,
    Field(discriminator="op"),
]
_OPS = TypeAdapter(list[Op])


def parse_ops(raw: object) -> list[Op]:
    """Validate a batch; any bad operation refuses the whole batch with a readable message."""
    if not isinstance(raw, list) or not raw:
        raise InvalidInput("ops must be a non-empty list of operations")
    if len(raw) > MAX_OPS:
        raise InvalidInput(f"at most {MAX_OPS} operations per batch")
    try:
        return _OPS.validate_python(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
        raise InvalidInput(f"ops.{where}: {message}") from None


def load_ops(raw: list[dict[str, Any]]) -> list[Op]:
    """Operations as stored (checked when they were accepted; no batch limit: a restore may
    hold more)."""
    return _OPS.validate_python(raw)


def dump_ops(ops: Sequence[Op]) -> list[dict[str, Any]]:
    return [op.model_dump(mode="json") for op in ops]


# --- what an operation touches -------------------------------------------------------------

# A widget's properties, as conflict rules see them: concurrent changes of different properties
# both survive, of the same property the later one wins (and the other editor is told).
POSITION = "layout.position"
SIZE = "layout.size"
WIDGET_PROPERTIES: tuple[str, ...] = (*WIDGET_PATHS, POSITION, SIZE)


def target_of(op: Op) -> str:
    if isinstance(op, AddWidget | RestoreWidget):
        return op.widget.id
    if isinstance(op, SetProperty):
        return op.target
    return op.widget_id


def properties_of(op: Op) -> tuple[str, ...]:
    """The properties an operation sets (a removal sets none: it ends the widget)."""
    if isinstance(op, AddWidget | RestoreWidget):
        return WIDGET_PROPERTIES
    if isinstance(op, MoveWidget):
        return (POSITION,)
    if isinstance(op, ResizeWidget):
        return (SIZE,)
    if isinstance(op, SetProperty):
        return (op.path,)
    return ()
