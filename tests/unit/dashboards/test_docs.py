"""docs/dashboards.md, kept true by tests: every metric with its unit and types, every widget
type, template and socket error code."""

from __future__ import annotations

from pathlib import Path

import pytest

from hubdeck.core.dashboards.catalog import METRICS
from hubdeck.core.dashboards.model import RANGES, WidgetType
from hubdeck.core.dashboards.templates import TEMPLATES
from hubdeck.web.realtime.rpc import CONFLICT, NOT_FOUND

TEXT = (Path(__file__).resolve().parents[3] / "docs" / "dashboards.md").read_text()


@pytest.mark.parametrize("metric", sorted(METRICS))
def test_every_metric_is_documented_with_its_unit_and_types(metric: str) -> None:
    found = METRICS[metric]
    row = next(line for line in TEXT.splitlines() if line.startswith(f"| `{metric}` |"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[1] == found.label
    assert cells[2] == found.unit
    assert cells[3] == ", ".join(t.value for t in WidgetType if t in found.types)


def test_widget_types_templates_ranges_and_codes_are_documented() -> None:
    for widget_type in WidgetType:
        assert f"`{widget_type.value}`" in TEXT
    for template in TEMPLATES.values():
        assert f'`{template.id}` ("{template.title}")' in TEXT
    for value in RANGES:
        assert f'`"{value}"`' in TEXT
    for code in (NOT_FOUND, CONFLICT, 103, 104, 107):
        assert f"| {code} |" in TEXT
