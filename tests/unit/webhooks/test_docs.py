"""docs/webhooks.md keeps up with the code: an example per event type, the schedule."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from hubdeck.core.webhooks.catalogue import WEBHOOK_EVENT_TYPES
from hubdeck.core.webhooks.schedule import schedule_rows

TEXT = (Path(__file__).resolve().parents[3] / "docs" / "webhooks.md").read_text()


def example(event_type: str) -> dict[str, object]:
    section = TEXT.split(f"### `{event_type}`\n", 1)[1]
    block = re.search(r"```json\n(.*?)\n```", section, re.DOTALL)
    assert block is not None
    parsed: dict[str, object] = json.loads(block.group(1))
    return parsed


@pytest.mark.parametrize("event_type", sorted(WEBHOOK_EVENT_TYPES))
def test_every_event_type_has_an_example(event_type: str) -> None:
    body = example(event_type)
    assert body["type"] == event_type
    assert set(body) == {"type", "timestamp", "data"}


def test_the_schedule_table_matches_the_code() -> None:
    rows = schedule_rows()
    assert f"| {len(rows)} (last) | 10 h | 27 h 35 min |" in TEXT
    assert rows[-1][1].total_seconds() == 27 * 3600 + 35 * 60 + 5
