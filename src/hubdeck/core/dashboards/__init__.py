"""Shared dashboards, pure: the document, operations and how they are applied and ordered,
the client's rebase, templates, revision summaries, widget data. Definitions and the wire
format: docs/dashboards.md."""

from hubdeck.core.dashboards.access import Grant, effective_role
from hubdeck.core.dashboards.apply import NotApplicable, apply_op, apply_ops
from hubdeck.core.dashboards.catalog import METRICS, DataKind, catalog, kinds_changed_by
from hubdeck.core.dashboards.model import (
    DashboardRole,
    Document,
    Layout,
    Widget,
    WidgetConfig,
    WidgetType,
)
from hubdeck.core.dashboards.ops import Op, dump_ops, parse_ops
from hubdeck.core.dashboards.ordering import Batch, Dropped, Outcome, Overwritten, order
from hubdeck.core.dashboards.rebase import Published, Replica
from hubdeck.core.dashboards.templates import TEMPLATES

__all__ = [
    "METRICS",
    "TEMPLATES",
    "Batch",
    "DashboardRole",
    "DataKind",
    "Document",
    "Dropped",
    "Grant",
    "Layout",
    "NotApplicable",
    "Op",
    "Outcome",
    "Overwritten",
    "Published",
    "Replica",
    "Widget",
    "WidgetConfig",
    "WidgetType",
    "apply_op",
    "apply_ops",
    "catalog",
    "dump_ops",
    "effective_role",
    "kinds_changed_by",
    "order",
    "parse_ops",
]
