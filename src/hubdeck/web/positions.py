"""Stream positions on HTTP snapshots.

A snapshot answered over HTTP says where its channel's stream stood when it was read
(``X-HubDeck-Stream: team:3 offset=41 epoch=9f2c…``), taken before the data: a client that
subscribes from that position misses nothing that happened after the snapshot.
"""

from __future__ import annotations

from fastapi import Response

from hubdeck.runtime import Runtime

HEADER = "X-HubDeck-Stream"


async def mark_position(response: Response, runtime: Runtime, channel: str) -> None:
    top = await runtime.infra.history.top(channel)
    response.headers[HEADER] = f"{channel} offset={top.offset} epoch={top.epoch}"
