"""Real Centrifuge clients for tests: the official centrifuge-python SDK and a raw socket."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from centrifuge import (
    Client,
    ClientEventHandler,
    ConnectedContext,
    ConnectingContext,
    DisconnectedContext,
    ErrorContext,
)


def ws_url(http_url: str) -> str:
    return http_url.replace("http://", "ws://", 1) + "/connection/websocket"


@dataclass
class RecordingHandler(ClientEventHandler):
    """Records the SDK's events; never raises (an exception in a handler kills the client)."""

    events: list[tuple[str, Any]] = field(default_factory=list)
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    disconnected: asyncio.Event = field(default_factory=asyncio.Event)
    connecting: asyncio.Event = field(default_factory=asyncio.Event)

    async def on_connecting(self, ctx: ConnectingContext) -> None:
        self.events.append(("connecting", ctx))
        self.connecting.set()

    async def on_connected(self, ctx: ConnectedContext) -> None:
        self.events.append(("connected", ctx))
        self.connected.set()

    async def on_disconnected(self, ctx: DisconnectedContext) -> None:
        self.events.append(("disconnected", ctx))
        self.disconnected.set()

    async def on_error(self, ctx: ErrorContext) -> None:
        self.events.append(("error", ctx))

    def codes(self, kind: str) -> list[int]:
        return [ctx.code for name, ctx in self.events if name == kind]


def sdk_client(http_url: str, handler: RecordingHandler, **options: Any) -> Client:
    options.setdefault("proxy", None)  # never route local tests through an environment proxy
    return Client(ws_url(http_url), events=handler, **options)
