"""Computed results in the Cache port: one computation per key however many ask at once.

``ComputeCache.get_or_compute(key, tags, ttl, compute)``:

- a fresh entry is a **hit**;
- an entry past its freshness but within ``stale_for`` is served as is (**stale**) while one
  caller refreshes it in the background;
- otherwise (**miss**) one caller computes. Within a process, concurrent callers of one key
  await the same task; across processes a short lock in the ``Locks`` port (Redis when
  configured) elects the one that computes, and the others poll the cache until the value
  appears, the lock frees (they then try to take it) or the lease runs out (they compute).

Tags name the data a result was built from (``repo:42``); ``invalidate(tags)`` drops every
entry built on them. A computation that was running while one of its tags was invalidated
returns its result to its callers but does not store it: it may predate the change.

Stored value: 8 bytes of freshness deadline (big-endian milliseconds since the epoch), then the
result's bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence

import structlog
from prometheus_client import CollectorRegistry, Counter

from hubdeck.ports import Cache, Locks

log = structlog.get_logger(__name__)

Compute = Callable[[], Awaitable[bytes]]

# The lock only has to outlive one computation; a holder that died frees the key this soon.
DEFAULT_LOCK_LEASE = 30.0
# How often a process waiting for another one's computation looks at the cache again.
_POLL = 0.02


class CacheMetrics:
    """Hit, miss and stale counters by namespace (the key's first segment), for /metrics."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.lookups = Counter(
            "hubdeck_cache_lookups",
            "Cache lookups by namespace and outcome (hit, miss, stale)",
            ["namespace", "outcome"],
            registry=self.registry,
        )
        self.computations = Counter(
            "hubdeck_cache_computations",
            "Results computed because no usable cache entry existed",
            ["namespace"],
            registry=self.registry,
        )
        self.invalidations = Counter(
            "hubdeck_cache_invalidations", "Entries dropped by tag", registry=self.registry
        )

    def lookup(self, namespace: str, outcome: str) -> None:
        self.lookups.labels(namespace, outcome).inc()


def namespace_of(key: str) -> str:
    return key.split(":", 1)[0]


class ComputeCache:
    def __init__(
        self,
        cache: Cache,
        locks: Locks,
        metrics: CacheMetrics,
        *,
        enabled: bool = True,
        lock_lease: float = DEFAULT_LOCK_LEASE,
    ) -> None:
        self._cache = cache
        self._locks = locks
        self.metrics = metrics
        self.enabled = enabled
        self._lock_lease = lock_lease
        self._inflight: dict[str, asyncio.Task[bytes]] = {}
        self._generations: dict[str, int] = {}
        self._background: set[asyncio.Task[None]] = set()
        self._refreshing: set[str] = set()

    async def get_or_compute(
        self,
        key: str,
        tags: Sequence[str],
        ttl: float,
        compute: Compute,
        *,
        stale_for: float = 0.0,
    ) -> bytes:
        namespace = namespace_of(key)
        if not self.enabled:
            self.metrics.lookup(namespace, "miss")
            self.metrics.computations.labels(namespace).inc()
            return await compute()
        raw = await self._cache.get(key)
        if raw is not None and len(raw) >= 8:
            fresh_until = int.from_bytes(raw[:8], "big") / 1000
            if time.time() < fresh_until:
                self.metrics.lookup(namespace, "hit")
                return raw[8:]
            self.metrics.lookup(namespace, "stale")
            if key not in self._inflight and key not in self._refreshing:
                self._refresh_later(key, tags, ttl, compute, stale_for)
            return raw[8:]
        self.metrics.lookup(namespace, "miss")
        task = self._inflight.get(key)
        if task is None:
            task = asyncio.create_task(self._fill(key, tags, ttl, compute, stale_for))
            self._inflight[key] = task
            task.add_done_callback(lambda done: self._settled(key, done))
        # shield: one waiter cancelled (a client went away) must not cancel the others' result.
        return await asyncio.shield(task)

    def _settled(self, key: str, task: asyncio.Task[bytes]) -> None:
        self._inflight.pop(key, None)
        # Retrieved here so that a failure whose waiters all went away is not reported as
        # "never retrieved"; the waiters still present receive it.
        if not task.cancelled():
            task.exception()

    async def invalidate(self, tags: Iterable[str]) -> int:
        dropped = 0
        for tag in tags:
            self._generations[tag] = self._generations.get(tag, 0) + 1
            dropped += await self._cache.invalidate_tag(tag)
        self.metrics.invalidations.inc(dropped)
        return dropped

    async def delete(self, key: str) -> None:
        await self._cache.delete(key)

    def _refresh_later(
        self, key: str, tags: Sequence[str], ttl: float, compute: Compute, stale_for: float
    ) -> None:
        async def refresh() -> None:
            try:
                await self._fill(key, tags, ttl, compute, stale_for)
            except Exception:  # served stale meanwhile; the next caller tries again
                log.warning("cache.refresh_failed", key=key, exc_info=True)
            finally:
                self._refreshing.discard(key)

        self._refreshing.add(key)
        task = asyncio.create_task(refresh())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _fill(
        self, key: str, tags: Sequence[str], ttl: float, compute: Compute, stale_for: float
    ) -> bytes:
        lock_name = f"compute:{key}"
        deadline = time.monotonic() + self._lock_lease
        while True:
            token = await self._locks.acquire(lock_name, self._lock_lease)
            if token is not None:
                try:
                    return await self._compute_and_store(key, tags, ttl, compute, stale_for)
                finally:
                    with contextlib.suppress(Exception):
                        await self._locks.release(lock_name, token)
            # Another process computes this key: wait for its result rather than repeat it.
            while time.monotonic() < deadline:
                await asyncio.sleep(_POLL)
                raw = await self._cache.get(key)
                if raw is not None and len(raw) >= 8:
                    return raw[8:]
                if await self._locks.acquire(lock_name, 0.001) is not None:
                    break  # it gave up without storing: our turn (the probe lease lapses)
            else:
                return await self._compute_and_store(key, tags, ttl, compute, stale_for)

    async def _compute_and_store(
        self, key: str, tags: Sequence[str], ttl: float, compute: Compute, stale_for: float
    ) -> bytes:
        before = [self._generations.get(tag, 0) for tag in tags]
        self.metrics.computations.labels(namespace_of(key)).inc()
        value = await compute()
        if before == [self._generations.get(tag, 0) for tag in tags]:
            fresh_until = int((time.time() + ttl) * 1000).to_bytes(8, "big")
            await self._cache.set(key, fresh_until + value, ttl + stale_for, tags=tags)
        return value


class CountingCache:
    """A Cache that counts its lookups as hits and misses: for stores that keep their own
    entries in the port, such as GitHub's ETags (a hit there is a conditional request)."""

    def __init__(self, cache: Cache, metrics: CacheMetrics, namespace: str) -> None:
        self._cache = cache
        self._metrics = metrics
        self._namespace = namespace

    async def get(self, key: str) -> bytes | None:
        value = await self._cache.get(key)
        self._metrics.lookup(self._namespace, "miss" if value is None else "hit")
        return value

    async def set(self, key: str, value: bytes, ttl: float, tags: Sequence[str] = ()) -> None:
        await self._cache.set(key, value, ttl, tags)

    async def delete(self, key: str) -> None:
        await self._cache.delete(key)

    async def invalidate_tag(self, tag: str) -> int:
        return await self._cache.invalidate_tag(tag)
