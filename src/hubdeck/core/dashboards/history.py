"""Revisions: one-line summaries, what others changed since a visit, and restores as operations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from hubdeck.core.dashboards.catalog import METRICS
from hubdeck.core.dashboards.model import DASHBOARD_TARGET, Document, Widget
from hubdeck.core.dashboards.ops import (
    AddWidget,
    MoveWidget,
    Op,
    RemoveWidget,
    ResizeWidget,
    RestoreWidget,
    SetProperty,
    target_of,
)
from hubdeck.core.dashboards.ordering import Batch

MAX_SUMMARY_PARTS = 3
_PATH_NAMES = {
    "title": "title",
    "type": "type",
    "config.repositories": "repositories",
    "config.metric": "metric",
    "config.range": "time range",
    "config.filters": "filters",
}


def _name(widget: Widget | None, widget_id: str) -> str:
    if widget is None:
        return "a widget"
    label = widget.title or (
        METRICS[widget.config.metric].label if widget.config.metric in METRICS else widget_id
    )
    return f"“{label}”"


def _describe(before: Document, op: Op) -> str:
    match op:
        case AddWidget():
            return f"added {_name(op.widget, op.widget.id)}"
        case RestoreWidget():
            return f"restored {_name(op.widget, op.widget.id)}"
        case RemoveWidget():
            return f"removed {_name(before.widget(op.widget_id), op.widget_id)}"
        case MoveWidget():
            return f"moved {_name(before.widget(op.widget_id), op.widget_id)}"
        case ResizeWidget():
            return f"resized {_name(before.widget(op.widget_id), op.widget_id)}"
        case SetProperty() if op.target == DASHBOARD_TARGET:
            if op.path == "title":
                return f"renamed the dashboard to “{op.value}”"
            return "changed the description"
        case SetProperty():
            what = _PATH_NAMES.get(op.path, op.path)
            return f"changed the {what} of {_name(before.widget(op.target), op.target)}"
    return "changed the dashboard"  # pragma: no cover - the union is closed


def summarize(before: Document, ops: Sequence[Op], restored_from: int | None = None) -> str:
    """E.g. "Renamed the dashboard to “Flow”; moved “Cycle time”", from the document the
    operations were applied to."""
    if restored_from is not None:
        return f"Restored version {restored_from}"
    parts: list[str] = []
    for op in ops:
        text = _describe(before, op)
        if text not in parts:
            parts.append(text)
    if not parts:
        return "No change"
    shown = parts[:MAX_SUMMARY_PARTS]
    more = len(parts) - len(shown)
    summary = "; ".join(shown)
    if more:
        summary += f" and {more} more change{'s' if more > 1 else ''}"
    return summary[0].upper() + summary[1:]


@dataclass
class Changes:
    """What other people changed after a version: widget id → who, and more."""

    dashboard: dict[str, list[int]] = field(default_factory=dict)  # path → user ids
    widgets: dict[str, list[int]] = field(default_factory=dict)  # widget id → user ids
    added: set[str] = field(default_factory=set)
    removed: list[str] = field(default_factory=list)


def changes_by_others(batches: Sequence[Batch], user_id: int, current: Document) -> Changes:
    """Batches after the user's last visit, oldest first; only widgets still there count as
    changed, and only widgets gone now as removed."""
    changes = Changes()
    for batch in batches:
        if batch.author_id == user_id:
            continue
        for op in batch.ops:
            target = target_of(op)
            if isinstance(op, SetProperty) and target == DASHBOARD_TARGET:
                _add(changes.dashboard.setdefault(op.path, []), batch.author_id)
                continue
            if isinstance(op, RemoveWidget):
                if current.widget(target) is None and target not in changes.removed:
                    changes.removed.append(target)
                continue
            if current.widget(target) is None:
                continue
            if isinstance(op, AddWidget):
                changes.added.add(target)
            _add(changes.widgets.setdefault(target, []), batch.author_id)
    return changes


def _add(users: list[int], user_id: int) -> None:
    if user_id not in users:
        users.append(user_id)


def restore_ops(current: Document, old: Document, widget_id: str | None = None) -> list[Op]:
    """The operations that turn ``current`` back into ``old`` (or only one widget of it)."""
    ops: list[Op] = []
    if widget_id is not None:
        widget = old.widget(widget_id)
        if widget is None:
            return []
        if current.widget(widget_id) != widget:
            ops.append(RestoreWidget(op="restore_widget", widget=widget))
        return ops
    if current.title != old.title:
        ops.append(SetProperty(op="set", target=DASHBOARD_TARGET, path="title", value=old.title))
    if current.description != old.description:
        ops.append(
            SetProperty(
                op="set", target=DASHBOARD_TARGET, path="description", value=old.description
            )
        )
    wanted = {w.id for w in old.widgets}
    ops.extend(
        RemoveWidget(op="remove_widget", widget_id=w.id)
        for w in current.widgets
        if w.id not in wanted
    )
    ops.extend(
        RestoreWidget(op="restore_widget", widget=w)
        for w in old.widgets
        if current.widget(w.id) != w
    )
    return ops
