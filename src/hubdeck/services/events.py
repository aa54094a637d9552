"""The event bus: every domain event goes through it to its consumers.

Two kinds of consumers. *Live* ones (the real-time publisher, cache invalidation, channel access)
act on an event while it is news: if the process dies first, clients recover through history or
refetch, so nothing is lost that matters. *Durable* ones (the activity log, notifications, the
outgoing webhooks' outbox) must see every event at least once. For them, an event is journalled
before it is handed out (in the very transaction of the change that caused it, where the store
can: see ``Ingest.commit``), and the journal entry is deleted only once every durable consumer
took it. The relay (``relay_once``, run by the background process) hands out again what a dead
process left behind. Durable consumers are idempotent by event id, so a redone entry is harmless.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog

from hubdeck.core.clock import Clock
from hubdeck.core.events import DomainEvent
from hubdeck.ports import EventJournal, JournalBacklog
from hubdeck.services.tasks import BackgroundTask

log = structlog.get_logger(__name__)

EventHandler = Callable[[Sequence[DomainEvent]], Awaitable[None]]

# How long the process that journalled an entry has to hand it out before the relay may: far
# beyond a normal hand-out (milliseconds), short enough that a crash delays events by seconds.
HOLD = timedelta(seconds=30)
# Entries the relay takes at once, how often it looks, and after how many failed hand-outs an
# entry is left alone (it stays in the journal, counted as abandoned, for an operator to see).
RELAY_BATCH = 200
RELAY_INTERVAL = 2.0
MAX_ATTEMPTS = 20
# A batch's log context names at most this many event ids: a first sync can publish thousands.
_MAX_LOGGED_IDS = 100


@dataclass(frozen=True, slots=True)
class _Subscriber:
    name: str
    handler: EventHandler
    durable: bool


class EventBus:
    """Delivers batches of events to every consumer, in subscription order.

    Batches, because one sync or webhook produces several events at once and consumers (history,
    cache invalidation) do better with one round trip per batch. A failing consumer is logged and
    does not stop the others: a broken consumer must not take ingest down with it.

    While the handlers run, the batch's event ids are bound to the log context, so whatever a
    consumer logs (here or in a task it starts) can be traced back to the events.
    """

    def __init__(
        self,
        journal: EventJournal | None = None,
        clock: Clock | None = None,
        *,
        hold: timedelta = HOLD,
    ) -> None:
        self._subscribers: list[_Subscriber] = []
        # Since start, for /metrics: plain counts, so the bus needs no metrics library.
        self.published: Counter[str] = Counter()
        self.failures: Counter[str] = Counter()
        self._journal = journal
        self._clock = clock
        self.hold = hold

    def subscribe(self, name: str, handler: EventHandler, *, durable: bool = False) -> None:
        self._subscribers.append(_Subscriber(name, handler, durable))

    @property
    def journalled(self) -> bool:
        return self._journal is not None and any(s.durable for s in self._subscribers)

    def now(self) -> datetime:
        assert self._clock is not None, "a journalled bus has a clock"
        return self._clock.now()

    async def publish(self, events: Sequence[DomainEvent]) -> None:
        """Journal the events (when a durable consumer wants them), then hand them out."""
        if not events:
            return
        ids: list[int] = []
        if self.journalled:
            assert self._journal is not None
            now = self.now()
            try:
                ids = await self._journal.append(events, now, now + self.hold)
            except Exception:
                # Handing the events out still beats dropping them; only the guarantee across
                # a crash in the next milliseconds is lost, and that is logged.
                log.exception("events.journal_failed", count=len(events))
        await self.deliver(events, ids)

    async def deliver(self, events: Sequence[DomainEvent], journal_ids: Sequence[int]) -> None:
        """Hand out events already journalled under ``journal_ids`` (or not journalled: empty)."""
        if not events:
            return
        # Bounded by the catalogue: DomainEvent refuses a type outside it.
        self.published.update(event.type for event in events)
        durable_ok = await self._run(events, include_live=True)
        if journal_ids and durable_ok and self._journal is not None:
            try:
                await self._journal.done(journal_ids)
            except Exception:
                # The relay hands them out again later; durable consumers ignore repeats.
                log.exception("events.journal_done_failed", count=len(journal_ids))

    async def backlog(self) -> JournalBacklog | None:
        if self._journal is None:
            return None
        return await self._journal.backlog(MAX_ATTEMPTS)

    async def relay_once(self, limit: int = RELAY_BATCH) -> int:
        """Hand out, to the durable consumers, journal entries whose holder is gone; how many."""
        if self._journal is None:
            return 0
        entries = await self._journal.claim(self.now(), self.hold, limit, MAX_ATTEMPTS)
        if not entries:
            return 0
        log.warning(
            "events.relayed",
            count=len(entries),
            first_event_id=entries[0].event.id,
            attempts=max(e.attempts for e in entries),
        )
        if await self._run([e.event for e in entries], include_live=False):
            await self._journal.done([e.id for e in entries])
        return len(entries)

    async def _run(self, events: Sequence[DomainEvent], *, include_live: bool) -> bool:
        """Run the consumers (the live ones only when ``include_live``); whether every durable one
        succeeded."""
        ok = True
        with structlog.contextvars.bound_contextvars(**log_context(events)):
            log.info("events.published", count=len(events), relayed=not include_live)
            for subscriber in self._subscribers:
                if not include_live and not subscriber.durable:
                    continue
                try:
                    await subscriber.handler(events)
                except Exception:
                    self.failures[subscriber.name] += 1
                    log.exception(
                        "events.handler_failed", handler=subscriber.name, count=len(events)
                    )
                    if subscriber.durable:
                        ok = False
        return ok


def log_context(events: Sequence[DomainEvent]) -> dict[str, object]:
    """``event_id``/``event_type`` for one event; for a batch, ``event_ids`` (the first
    hundred) and the distinct ``event_types``."""
    if len(events) == 1:
        return {"event_id": events[0].id, "event_type": events[0].type}
    return {
        "event_ids": [event.id for event in events[:_MAX_LOGGED_IDS]],
        "event_types": sorted({event.type for event in events}),
    }


class EventRelay:
    """The background task that runs ``EventBus.relay_once`` until stopped."""

    def __init__(self, bus: EventBus, interval: float = RELAY_INTERVAL) -> None:
        self._bus = bus
        self._interval = interval
        self._task = BackgroundTask("event-relay", self._run)

    async def start(self) -> None:
        if self._bus.journalled:
            await self._task.start()

    async def stop(self) -> None:
        await self._task.stop()

    async def _run(self) -> None:
        while True:
            try:
                relayed = await self._bus.relay_once()
            except Exception:  # the database may be away for a moment
                log.exception("events.relay_failed")
                relayed = 0
            if relayed < RELAY_BATCH:
                await asyncio.sleep(self._interval)
