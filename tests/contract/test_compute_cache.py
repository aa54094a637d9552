"""ComputeCache over each backend: one computation per key for many concurrent viewers, within
a process and across processes (``peer``: a second process's cache and locks), tag
invalidation, stale-while-refresh, and the counters /metrics shows."""

from __future__ import annotations

import asyncio

from hubdeck.services.caching import CacheMetrics, ComputeCache, CountingCache
from tests.contract.backends import Backend


class Computation:
    """Counts its runs; each run takes a while, so concurrent callers overlap."""

    def __init__(self, value: bytes = b"result", delay: float = 0.2) -> None:
        self.value = value
        self.delay = delay
        self.runs = 0

    async def __call__(self) -> bytes:
        self.runs += 1
        await asyncio.sleep(self.delay)
        return self.value


def caches(backend: Backend) -> tuple[ComputeCache, ComputeCache, CacheMetrics]:
    metrics = CacheMetrics()
    here = ComputeCache(backend.cache(), backend.locks(), metrics)
    there = ComputeCache(backend.cache(peer=True), backend.locks(peer=True), CacheMetrics())
    return here, there, metrics


def count(metrics: CacheMetrics, outcome: str, namespace: str = "widget") -> float:
    value = metrics.registry.get_sample_value(
        "hubdeck_cache_lookups_total", {"namespace": namespace, "outcome": outcome}
    )
    return value or 0.0


async def test_fifty_viewers_in_one_process_share_one_computation(backend: Backend) -> None:
    here, _, metrics = caches(backend)
    compute = Computation()
    results = await asyncio.gather(
        *(here.get_or_compute("widget:1", ["repo:1"], 60, compute) for _ in range(50))
    )
    assert results == [b"result"] * 50
    assert compute.runs == 1
    assert await here.get_or_compute("widget:1", ["repo:1"], 60, compute) == b"result"
    assert compute.runs == 1
    assert count(metrics, "miss") == 50 and count(metrics, "hit") == 1


async def test_viewers_on_two_processes_share_one_computation(backend: Backend) -> None:
    here, there, _ = caches(backend)
    compute = Computation(delay=0.3)
    results = await asyncio.gather(
        *(
            (here if n % 2 else there).get_or_compute("widget:2", ["repo:1"], 60, compute)
            for n in range(20)
        )
    )
    assert set(results) == {b"result"}
    assert compute.runs == 1


async def test_invalidating_a_tag_recomputes_only_what_was_built_on_it(backend: Backend) -> None:
    here, there, metrics = caches(backend)
    first, second = Computation(b"a", 0), Computation(b"b", 0)
    await here.get_or_compute("widget:a", ["repo:1"], 60, first)
    await here.get_or_compute("widget:b", ["repo:2"], 60, second)
    assert await there.invalidate(["repo:1"]) == 1
    await here.get_or_compute("widget:a", ["repo:1"], 60, first)
    await here.get_or_compute("widget:b", ["repo:2"], 60, second)
    assert (first.runs, second.runs) == (2, 1)
    assert count(metrics, "hit") == 1


async def test_a_result_computed_across_an_invalidation_is_not_kept(backend: Backend) -> None:
    here, _, _ = caches(backend)
    compute = Computation(b"old", 0.2)
    pending = asyncio.create_task(here.get_or_compute("widget:c", ["repo:1"], 60, compute))
    await asyncio.sleep(0.05)
    await here.invalidate(["repo:1"])  # the data changed while the widget was computed
    assert await pending == b"old"
    compute.value = b"new"
    assert await here.get_or_compute("widget:c", ["repo:1"], 60, compute) == b"new"


async def test_a_stale_entry_is_served_while_one_refresh_runs(backend: Backend) -> None:
    here, _, metrics = caches(backend)
    compute = Computation(b"v1", 0)
    await here.get_or_compute("widget:d", [], 0.05, compute, stale_for=30)
    await asyncio.sleep(0.1)
    compute.value, compute.delay = b"v2", 0.1
    served = await asyncio.gather(
        *(here.get_or_compute("widget:d", [], 0.05, compute, stale_for=30) for _ in range(5))
    )
    assert served == [b"v1"] * 5
    assert count(metrics, "stale") == 5
    await asyncio.sleep(0.3)
    assert await here.get_or_compute("widget:d", [], 60, compute, stale_for=30) == b"v2"
    assert compute.runs == 2


async def test_disabled_computes_every_time(backend: Backend) -> None:
    off = ComputeCache(backend.cache(), backend.locks(), CacheMetrics(), enabled=False)
    compute = Computation(delay=0)
    for _ in range(3):
        await off.get_or_compute("widget:e", [], 60, compute)
    assert compute.runs == 3


async def test_a_counting_cache_counts_hits_and_misses(backend: Backend) -> None:
    metrics = CacheMetrics()
    counted = CountingCache(backend.cache(), metrics, "github_etag")
    assert await counted.get("k") is None
    await counted.set("k", b"v", 60, tags=["t"])
    assert await counted.get("k") == b"v"
    assert count(metrics, "miss", "github_etag") == 1
    assert count(metrics, "hit", "github_etag") == 1
    assert await counted.invalidate_tag("t") == 1
