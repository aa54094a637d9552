"""Operational figures read from the runtime when Prometheus scrapes (docs/operations.md).

Counts kept in memory (events published, the pool's counters) are read as they are. Figures
that cost a query (the webhook outbox, sync lag, the pool's shared quota, readiness) are read
by ``refresh`` at most once per ``ttl`` however often and by however many scrapers this process
is asked: a scrape never hammers the database or Redis.

``collect`` is synchronous (prometheus_client calls it while rendering), so the scrape handler
awaits ``refresh`` first and ``collect`` reads what it found.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC
from typing import TYPE_CHECKING, TypeVar

import structlog
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from hubdeck.core.webhooks.model import OutboxState
from hubdeck.ports import JournalBacklog, QuotaView, SyncState

if TYPE_CHECKING:
    from hubdeck.runtime import Runtime

log = structlog.get_logger(__name__)

DEFAULT_TTL = 5.0

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class StoredReadings:
    """What ``refresh`` read; a part that could not be read is None (its metrics are absent,
    which an ``absent()`` alert or the readiness gauge catches)."""

    outbox: OutboxState | None = None
    sync: list[SyncState] | None = None
    quota: list[QuotaView] | None = None
    journal: JournalBacklog | None = None
    sync_queue: int | None = None
    dependencies: dict[str, bool] = field(default_factory=dict)


class OpsCollector:
    def __init__(
        self,
        runtime: Runtime,
        *,
        ttl: float = DEFAULT_TTL,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.runtime = runtime
        self._ttl = ttl
        self._wall = wall
        self._readings = StoredReadings()
        self._read_at: float | None = None
        self._lock = asyncio.Lock()

    async def refresh(self) -> None:
        if self._fresh():
            return
        async with self._lock:
            if self._fresh():  # another scrape read them while this one waited
                return
            self._readings = await self._read()
            self._read_at = self._wall()

    def _fresh(self) -> bool:
        return self._read_at is not None and self._wall() - self._read_at < self._ttl

    async def _read(self) -> StoredReadings:
        runtime = self.runtime
        pool = runtime.pool
        outbox, sync, quota, journal, sync_queue, dependencies = await asyncio.gather(
            _guarded("outbox", runtime.webhooks.outbox_state()),
            _guarded("sync", runtime.repositories.sync_states()),
            _guarded("pool", pool.quota()) if pool is not None else _none(),
            _guarded("journal", runtime.bus.backlog()),
            _guarded("sync_queue", runtime.scheduler.queued()),
            _dependencies(runtime),
        )
        return StoredReadings(outbox, sync, quota, journal, sync_queue, dependencies)

    def collect(self) -> Iterator[Metric]:
        yield from self._events()
        yield from self._pool_counters()
        readings = self._readings
        now = self._wall()
        if readings.outbox is not None:
            yield from _outbox(readings.outbox, now)
        if readings.sync is not None:
            yield from _sync(readings.sync, now, self.runtime.settings.sync_interval)
        if readings.quota is not None:
            yield from _quota(readings.quota)
        if readings.journal is not None:
            yield from _journal(readings.journal, now)
        yield from self._scheduler(readings.sync_queue)
        up = GaugeMetricFamily(
            "hubdeck_dependency_up",
            "Whether a dependency answered its readiness check (1) or not (0)",
            labels=["dependency"],
        )
        for name, ok in sorted(readings.dependencies.items()):
            up.add_metric([name], 1.0 if ok else 0.0)
        yield up

    def _scheduler(self, queued: int | None) -> Iterator[Metric]:
        scheduler = self.runtime.scheduler
        if queued is not None:
            yield GaugeMetricFamily(
                "hubdeck_sync_queue_depth",
                "Repositories waiting to be synced (the cluster's queue on the scale-out stack)",
                value=queued,
            )
        yield GaugeMetricFamily(
            "hubdeck_sync_running", "Syncs running in this process", value=scheduler.running
        )
        yield GaugeMetricFamily(
            "hubdeck_sync_leader",
            "Whether this process runs the periodic sync round (one per cluster)",
            value=1.0 if scheduler.leading else 0.0,
        )

    def _events(self) -> Iterator[Metric]:
        bus = self.runtime.bus
        published = CounterMetricFamily(
            "hubdeck_domain_events",
            "Domain events published through this process's event bus, by type",
            labels=["type"],
        )
        for type_, count in sorted(bus.published.items()):
            published.add_metric([type_], count)
        yield published
        failures = CounterMetricFamily(
            "hubdeck_event_handler_failures",
            "Batches of events a consumer failed on (logged as events.handler_failed)",
            labels=["handler"],
        )
        for name, count in sorted(bus.failures.items()):
            failures.add_metric([name], count)
        yield failures

    def _pool_counters(self) -> Iterator[Metric]:
        pool = self.runtime.pool
        if pool is None:
            return
        counters = pool.counters
        for name, value, help_ in (
            ("requests", counters.requests, "GitHub requests made through the pool"),
            ("paid_requests", counters.paid, "Requests GitHub counted against a quota"),
            ("not_modified", counters.not_modified, "Requests answered 304 (free)"),
            ("coalesced", counters.coalesced, "GETs that joined an identical one in flight"),
            ("retried", counters.retried, "Requests retried on another credential"),
            ("waited", counters.waited, "Requests that had to wait for a credential"),
            ("unauthorized", counters.unauthorized, "Credentials GitHub refused (401)"),
        ):
            yield CounterMetricFamily(f"hubdeck_pool_{name}", help_, value=value)
        refusals = CounterMetricFamily(
            "hubdeck_pool_refusals",
            "Requests GitHub refused for a rate limit, by limit",
            labels=["limit"],
        )
        refusals.add_metric(["primary"], counters.primary_refusals)
        refusals.add_metric(["secondary"], counters.secondary_refusals)
        yield refusals
        yield GaugeMetricFamily(
            "hubdeck_pool_queued_requests",
            "Requests of this process waiting for a credential",
            value=pool.queued,
        )


def _outbox(state: OutboxState, now: float) -> Iterator[Metric]:
    pending = GaugeMetricFamily(
        "hubdeck_webhook_outbox_pending",
        "Outgoing webhook messages not yet delivered, by whether their endpoint is enabled",
        labels=["endpoints"],
    )
    pending.add_metric(["enabled"], state.pending)
    pending.add_metric(["disabled"], state.pending_disabled)
    yield pending
    oldest = state.oldest_pending_at
    yield GaugeMetricFamily(
        "hubdeck_webhook_outbox_oldest_age_seconds",
        "Age of the oldest message waiting for an enabled endpoint (0: none waits)",
        value=max(0.0, now - oldest.timestamp()) if oldest is not None else 0.0,
    )


def _sync(states: list[SyncState], now: float, interval: float) -> Iterator[Metric]:
    lag = GaugeMetricFamily(
        "hubdeck_sync_lag_seconds",
        "Seconds since a followed repository was last synced",
        labels=["repository"],
    )
    never = 0
    for state in states:
        if state.synced_at is None:
            never += 1
            continue
        synced = state.synced_at
        if synced.tzinfo is None:
            synced = synced.replace(tzinfo=UTC)
        lag.add_metric([state.full_name], max(0.0, now - synced.timestamp()))
    yield lag
    yield GaugeMetricFamily(
        "hubdeck_sync_never_synced_repositories",
        "Followed repositories whose first sync has not completed",
        value=never,
    )
    yield GaugeMetricFamily(
        "hubdeck_sync_interval_seconds",
        "The configured time between two syncs of a repository",
        value=interval,
    )


def _quota(views: list[QuotaView]) -> Iterator[Metric]:
    families = {
        "remaining": GaugeMetricFamily(
            "hubdeck_pool_remaining",
            "Requests left in a shared credential's core quota, as the pool estimates",
            labels=["credential"],
        ),
        "limit": GaugeMetricFamily(
            "hubdeck_pool_limit",
            "A shared credential's core quota per hour",
            labels=["credential"],
        ),
        "in_flight": GaugeMetricFamily(
            "hubdeck_pool_in_flight",
            "Reservations on a shared credential not yet answered (all processes)",
            labels=["credential"],
        ),
    }
    for view in views:
        if view.removed or view.limit is None:
            continue
        families["remaining"].add_metric([view.credential], float(view.remaining or 0))
        families["limit"].add_metric([view.credential], float(view.limit))
        families["in_flight"].add_metric([view.credential], float(view.in_flight))
    yield from families.values()


def _journal(backlog: JournalBacklog, now: float) -> Iterator[Metric]:
    yield GaugeMetricFamily(
        "hubdeck_event_journal_pending",
        "Events not yet taken by every durable consumer (normally near 0)",
        value=backlog.pending,
    )
    oldest = 0.0 if backlog.oldest is None else max(0.0, now - backlog.oldest.timestamp())
    yield GaugeMetricFamily(
        "hubdeck_event_journal_oldest_age_seconds",
        "Age of the oldest journalled event (above 30 s: a process died holding it, or a "
        "consumer keeps failing)",
        value=oldest,
    )
    yield GaugeMetricFamily(
        "hubdeck_event_journal_abandoned",
        "Journalled events given up on after repeated consumer failures",
        value=backlog.abandoned,
    )


async def _guarded(part: str, reading: Awaitable[T]) -> T | None:
    try:
        return await reading
    except Exception as error:
        log.warning("metrics.read_failed", part=part, error=str(error) or type(error).__name__)
        return None


async def _none() -> None:
    return None


async def _dependencies(runtime: Runtime) -> dict[str, bool]:
    checks = runtime.health_checks
    results = await asyncio.gather(*(check.check() for check in checks), return_exceptions=True)
    return {check.name: result is None for check, result in zip(checks, results, strict=True)}
