"""Real Centrifuge clients for tests: the official centrifuge-python SDK and a raw socket."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from centrifuge import (
    Client,
    ClientEventHandler,
    ConnectedContext,
    ConnectingContext,
    DisconnectedContext,
    ErrorContext,
    JoinContext,
    LeaveContext,
    PublicationContext,
    SubscribedContext,
    SubscriptionEventHandler,
    UnsubscribedContext,
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


@dataclass
class RecordingSubscription(SubscriptionEventHandler):
    """Records a subscription's events; the publications' (offset, data)."""

    publications: list[tuple[int, Any]] = field(default_factory=list)
    subscribed: list[SubscribedContext] = field(default_factory=list)
    unsubscribed: list[UnsubscribedContext] = field(default_factory=list)
    joins: list[Any] = field(default_factory=list)
    leaves: list[Any] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def on_publication(self, ctx: PublicationContext) -> None:
        self.publications.append((ctx.pub.offset, ctx.pub.data))
        self.changed.set()

    async def on_subscribed(self, ctx: SubscribedContext) -> None:
        self.subscribed.append(ctx)
        self.changed.set()

    async def on_unsubscribed(self, ctx: UnsubscribedContext) -> None:
        self.unsubscribed.append(ctx)
        self.changed.set()

    async def on_join(self, ctx: JoinContext) -> None:
        self.joins.append(ctx.info)
        self.changed.set()

    async def on_leave(self, ctx: LeaveContext) -> None:
        self.leaves.append(ctx.info)
        self.changed.set()

    async def wait_for(self, check: Callable[[], bool], timeout: float = 10.0) -> None:
        async def loop() -> None:
            while not check():
                self.changed.clear()
                await self.changed.wait()

        await asyncio.wait_for(loop(), timeout)
