"""Publications on ``dashboard:{id}``, in the envelope every HubDeck channel uses."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any

import orjson

from hubdeck.ports import ChannelStream
from hubdeck.services.dashboard_json import channel_of


async def publish_dashboard_event(
    stream: ChannelStream,
    dashboard_id: int,
    team_id: int,
    kind: str,
    actor: str | None,
    payload: dict[str, Any],
) -> None:
    """A publication on ``dashboard:{id}`` in the envelope every channel uses
    (``{type, ts, data: <event>}``), so pages decode it like any other live event."""
    now_ms = int(time.time() * 1000)
    event = {
        "id": str(uuid.uuid4()),
        "type": kind,
        "occurred_at": datetime.fromtimestamp(now_ms / 1000, UTC).isoformat(),
        "team_id": team_id,
        "repository_id": None,
        "subject": channel_of(dashboard_id),
        "actor": actor,
        "data": payload,
    }
    await stream.publish(
        channel_of(dashboard_id), orjson.dumps({"type": kind, "ts": now_ms, "data": event})
    )
