"""Domain events to channels: the bridge from the event bus to the browsers."""

from __future__ import annotations

import time
from collections.abc import Sequence

import orjson

from hubdeck.core.channels import channels_for
from hubdeck.core.events import DomainEvent, shared_view
from hubdeck.ports import ChannelStream, TeamStore
from hubdeck.web.realtime.telemetry import RealtimeMetrics


def encode_event(event: DomainEvent) -> bytes:
    """The publication payload: ``{type, ts, data}`` with the event itself as ``data``."""
    return orjson.dumps(
        {
            "type": event.type,
            "ts": int(time.time() * 1000),
            "data": event.model_dump(mode="json"),
        }
    )


class LivePublisher:
    def __init__(self, stream: ChannelStream, teams: TeamStore, metrics: RealtimeMetrics) -> None:
        self._stream = stream
        self._teams = teams
        self._metrics = metrics

    async def on_events(self, events: Sequence[DomainEvent]) -> None:
        """Event consumer: each event, encoded once, to every channel it concerns."""
        followers: dict[int, list[int]] = {}
        for event in events:
            teams: list[int] = []
            if event.repository_id is not None:
                if event.repository_id not in followers:
                    followers[event.repository_id] = await self._teams.followers(
                        event.repository_id
                    )
                teams = followers[event.repository_id]
            payload = encode_event(shared_view(event))
            for channel in channels_for(event, teams):
                await self._stream.publish(channel, payload)
                self._metrics.publications.inc()
            self._metrics.events.inc()
