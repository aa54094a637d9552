"""The in-process event bus: every domain event goes through it to its consumers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import structlog

from hubdeck.core.events import DomainEvent

log = structlog.get_logger(__name__)

EventHandler = Callable[[Sequence[DomainEvent]], Awaitable[None]]


class EventBus:
    """Delivers batches of events to every handler, in subscription order.

    Batches, because one sync or webhook produces several events at once and consumers (history,
    cache invalidation) do better with one round trip per batch. A failing handler is logged and
    does not stop the others: a broken consumer must not take ingest down with it.
    """

    def __init__(self) -> None:
        self._handlers: list[tuple[str, EventHandler]] = []

    def subscribe(self, name: str, handler: EventHandler) -> None:
        self._handlers.append((name, handler))

    async def publish(self, events: Sequence[DomainEvent]) -> None:
        if not events:
            return
        for name, handler in self._handlers:
            try:
                await handler(events)
            except Exception:
                log.exception("events.handler_failed", handler=name, count=len(events))
