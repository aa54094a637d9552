"""Stream positions on HTTP snapshots.

A snapshot answered over HTTP says where its channel's stream stood when it was read
(``X-HubDeck-Stream: team:3 offset=41 epoch=9f2c…``), taken before the data: a client that
subscribes from that position misses nothing that happened after the snapshot.

The position is read before the service call that authorizes and reads the data, so the check
runs once; it reaches the client only in the header of a successful answer.
"""

from __future__ import annotations

from fastapi import Response

from hubdeck.runtime import Runtime

HEADER = "X-HubDeck-Stream"


async def read_position(runtime: Runtime, channel: str) -> str:
    top = await runtime.infra.history.top(channel)
    return f"{channel} offset={top.offset} epoch={top.epoch}"


def set_position(response: Response, position: str) -> None:
    response.headers[HEADER] = position
