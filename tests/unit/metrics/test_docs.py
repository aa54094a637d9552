"""docs/metrics.md keeps up with the code: every public function and option is documented."""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path

import pytest

import hubdeck.core.metrics as metrics
from hubdeck.core.metrics import MetricsOptions
from hubdeck.core.metrics.pulls import DEFAULT_SIZE_LIMITS

DOC = (Path(__file__).resolve().parents[3] / "docs" / "metrics.md").read_text()

# Helpers of the draft arithmetic, documented through the stages rather than by name.
INTERNAL = {
    "active_seconds",
    "draft_seconds",
    "ready_at",
    "distribution",
    "ratio",
    "weeks_covering",
}

FUNCTIONS = sorted(
    name
    for name in metrics.__all__
    if inspect.isfunction(getattr(metrics, name)) and name not in INTERNAL
)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_metric_function_is_documented(name: str) -> None:
    assert f"`{name}(" in DOC


@pytest.mark.parametrize("field", [f.name for f in dataclasses.fields(MetricsOptions)])
def test_every_option_is_documented(field: str) -> None:
    assert f"| `{field}` |" in DOC


def test_documented_defaults_match_the_code() -> None:
    options = MetricsOptions()
    assert f"| `size_limits` | `{DEFAULT_SIZE_LIMITS}` |" in DOC
    assert f"| `stale_days` | `{options.stale_days}` |" in DOC
    assert f"| `top_languages` | `{options.top_languages}` |" in DOC
    assert f"| `failures` | `{options.failures}` |" in DOC
