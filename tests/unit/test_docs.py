"""Documentation that tests keep true: every setting and every disconnect code is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from hubdeck.config import ENV_PREFIX, Settings
from hubdeck.core.events import EVENT_TYPES
from hubdeck.core.notifications import NotificationKind
from hubdeck.core.teams import PERMISSIONS, Permission
from hubdeck.web.realtime.protocol import REASONS, DisconnectCode

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_documented(field: str) -> None:
    assert f"`{ENV_PREFIX}{field.upper()}`" in (DOCS / "configuration.md").read_text()


@pytest.mark.parametrize("code", list(DisconnectCode))
def test_every_disconnect_code_is_documented(code: DisconnectCode) -> None:
    assert f"| {int(code)} | {REASONS[code]} |" in (DOCS / "realtime.md").read_text()


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_every_event_type_is_documented(event_type: str) -> None:
    assert f"| `{event_type}` |" in (DOCS / "events.md").read_text()


def test_the_permission_table_is_documented_as_enforced() -> None:
    text = (DOCS / "github.md").read_text()
    for role, granted in PERMISSIONS.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| {role.value} |"))
        cells = [cell.strip() for cell in row.strip("|").split("|")][1:]
        assert cells == ["yes" if p in granted else "no" for p in Permission], role


@pytest.mark.parametrize("kind", [k.value for k in NotificationKind])
def test_every_notification_kind_is_documented(kind: str) -> None:
    assert f"| `{kind}` |" in (DOCS / "notifications.md").read_text()
