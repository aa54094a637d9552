"""The in-process event bus: every domain event goes through it to its consumers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Sequence

import structlog

from hubdeck.core.events import DomainEvent

log = structlog.get_logger(__name__)

EventHandler = Callable[[Sequence[DomainEvent]], Awaitable[None]]

# A batch's log context names at most this many event ids: a first sync can publish thousands.
_MAX_LOGGED_IDS = 100


class EventBus:
    """Delivers batches of events to every handler, in subscription order.

    Batches, because one sync or webhook produces several events at once and consumers (history,
    cache invalidation) do better with one round trip per batch. A failing handler is logged and
    does not stop the others: a broken consumer must not take ingest down with it.

    While the handlers run, the batch's event ids are bound to the log context, so whatever a
    consumer logs (here or in a task it starts) can be traced back to the events.
    """

    def __init__(self) -> None:
        self._handlers: list[tuple[str, EventHandler]] = []
        # Since start, for /metrics: plain counts, so the bus needs no metrics library.
        self.published: Counter[str] = Counter()
        self.failures: Counter[str] = Counter()

    def subscribe(self, name: str, handler: EventHandler) -> None:
        self._handlers.append((name, handler))

    async def publish(self, events: Sequence[DomainEvent]) -> None:
        if not events:
            return
        # Bounded by the catalogue: DomainEvent refuses a type outside it.
        self.published.update(event.type for event in events)
        with structlog.contextvars.bound_contextvars(**log_context(events)):
            log.info("events.published", count=len(events))
            for name, handler in self._handlers:
                try:
                    await handler(events)
                except Exception:
                    self.failures[name] += 1
                    log.exception("events.handler_failed", handler=name, count=len(events))


def log_context(events: Sequence[DomainEvent]) -> dict[str, object]:
    """``event_id``/``event_type`` for one event; for a batch, ``event_ids`` (the first
    hundred) and the distinct ``event_types``."""
    if len(events) == 1:
        return {"event_id": events[0].id, "event_type": events[0].type}
    return {
        "event_ids": [event.id for event in events[:_MAX_LOGGED_IDS]],
        "event_types": sorted({event.type for event in events}),
    }
