"""Applying operations to a document: deterministic, so every client and the server that apply
the same operations to the same document get the same result."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hubdeck.core.dashboards.model import (
    DASHBOARD_TARGET,
    MAX_WIDGETS,
    Document,
    Filters,
    Widget,
    WidgetConfig,
    WidgetType,
)
from hubdeck.core.dashboards.ops import (
    AddWidget,
    MoveWidget,
    Op,
    RemoveWidget,
    ResizeWidget,
    RestoreWidget,
    SetProperty,
)

# Why an operation did not apply.
WIDGET_MISSING = "widget_missing"
WIDGET_REMOVED = "widget_removed"  # removed by someone after the edit's base version
WIDGET_EXISTS = "widget_exists"
WIDGET_LIMIT = "widget_limit"


class NotApplicable(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _replace(document: Document, widget: Widget) -> Document:
    widgets = tuple(widget if w.id == widget.id else w for w in document.widgets)
    return document.model_copy(update={"widgets": widgets})


def _existing(document: Document, widget_id: str) -> Widget:
    widget = document.widget(widget_id)
    if widget is None:
        raise NotApplicable(WIDGET_MISSING)
    return widget


def _append(document: Document, widget: Widget) -> Document:
    if len(document.widgets) >= MAX_WIDGETS:
        raise NotApplicable(WIDGET_LIMIT)
    return document.model_copy(update={"widgets": (*document.widgets, widget.fitted())})


def _set_widget(widget: Widget, path: str, value: Any) -> Widget:
    if path == "title":
        return widget.model_copy(update={"title": value})
    if path == "type":
        return widget.model_copy(update={"type": WidgetType(value)})
    config: WidgetConfig = widget.config
    match path:
        case "config.repositories":
            config = config.model_copy(update={"repositories": tuple(value)})
        case "config.metric":
            config = config.model_copy(update={"metric": value})
        case "config.range":
            config = config.model_copy(update={"range": value})
        case "config.filters":
            config = config.model_copy(update={"filters": Filters.model_validate(value)})
        case _:  # parse_ops only lets known paths through
            raise NotApplicable(f"unknown path {path}")
    return widget.model_copy(update={"config": config})


def apply_op(document: Document, op: Op) -> Document:
    """The document after ``op``; raises NotApplicable when the operation no longer fits."""
    match op:
        case AddWidget():
            if document.widget(op.widget.id) is not None:
                raise NotApplicable(WIDGET_EXISTS)
            return _append(document, op.widget)
        case RestoreWidget():
            if document.widget(op.widget.id) is not None:
                return _replace(document, op.widget.fitted())
            return _append(document, op.widget)
        case RemoveWidget():
            _existing(document, op.widget_id)
            widgets = tuple(w for w in document.widgets if w.id != op.widget_id)
            return document.model_copy(update={"widgets": widgets})
        case MoveWidget():
            widget = _existing(document, op.widget_id)
            layout = widget.layout.model_copy(update={"x": op.x, "y": op.y}).fitted()
            return _replace(document, widget.model_copy(update={"layout": layout}))
        case ResizeWidget():
            widget = _existing(document, op.widget_id)
            layout = widget.layout.model_copy(update={"w": op.w, "h": op.h}).fitted()
            return _replace(document, widget.model_copy(update={"layout": layout}))
        case SetProperty():
            if op.target == DASHBOARD_TARGET:
                return document.model_copy(update={op.path: op.value})
            widget = _existing(document, op.target)
            return _replace(document, _set_widget(widget, op.path, op.value))
    raise NotApplicable(f"unknown operation {op!r}")  # pragma: no cover - the union is closed


@dataclass(frozen=True, slots=True)
class Skipped:
    index: int
    op: Op
    reason: str


def apply_ops(document: Document, ops: Sequence[Op]) -> tuple[Document, list[Op], list[Skipped]]:
    """Applies what applies, in order; each operation sees the effect of those before it."""
    applied: list[Op] = []
    skipped: list[Skipped] = []
    for index, op in enumerate(ops):
        try:
            document = apply_op(document, op)
        except NotApplicable as error:
            skipped.append(Skipped(index, op, error.reason))
        else:
            applied.append(op)
    return document, applied, skipped
