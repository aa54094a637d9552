"""RatePool contract: the same choices, reservations and corrections in memory and in Redis,
and no over-reservation however many peers reserve at once."""

from __future__ import annotations

import asyncio
import time

from hubdeck.core.github.ratelimit import RateLimit
from hubdeck.core.pool.model import PoolLimits
from tests.contract.backends import Backend

LIMITS = PoolLimits(max_concurrent=1000, points_per_minute=100_000, lease=30.0, window=3600.0)


def rate(limit: int, used: int, reset: float, resource: str = "core") -> RateLimit:
    return RateLimit(
        limit=limit, remaining=limit - used, used=used, reset=int(reset), resource=resource
    )


async def test_unknown_credentials_are_not_reserved(backend: Backend) -> None:
    pool, now = backend.pool(), time.time()
    grant = await pool.reserve(["a"], "core", points=1, prefer=None, limits=LIMITS, now=now)
    assert grant.credential is None and grant.wait_until > now


async def test_picks_the_most_remaining_and_keeps_affinity(backend: Backend) -> None:
    pool, now = backend.pool(), time.time()
    await pool.observe("a", rate(100, 90, now + 600))
    await pool.observe("b", rate(100, 10, now + 600))
    grant = await pool.reserve(["a", "b"], "core", points=1, prefer=None, limits=LIMITS, now=now)
    assert grant.credential == "b" and grant.reservation
    preferred = await pool.reserve(["a", "b"], "core", points=1, prefer="a", limits=LIMITS, now=now)
    assert preferred.credential == "a"
    views = {v.credential: v for v in await pool.views(["a", "b"], "core", limits=LIMITS, now=now)}
    assert views["a"].remaining == 9 and views["a"].in_flight == 1
    assert views["b"].remaining == 89 and views["b"].limit == 100


async def test_peers_never_over_reserve(backend: Backend) -> None:
    pool, peer, now = backend.pool(), backend.pool(peer=True), time.time()
    await pool.observe("a", rate(50, 20, now + 600))
    await pool.observe("b", rate(50, 40, now + 600))
    grants = await asyncio.gather(
        *(
            (pool if i % 2 else peer).reserve(
                ["a", "b"], "core", points=1, prefer=None, limits=LIMITS, now=now
            )
            for i in range(80)
        )
    )
    won = [g.credential for g in grants if g.credential is not None]
    assert won.count("a") == 30 and won.count("b") == 10
    refused = [g for g in grants if g.credential is None]
    assert len(refused) == 40 and all(g.wait_until > now for g in refused)


async def test_settling_corrects_from_headers_and_refunds_304s(backend: Backend) -> None:
    pool, now = backend.pool(), time.time()
    await pool.observe("a", rate(10, 0, now + 600))
    grants = [
        await pool.reserve(["a"], "core", points=1, prefer=None, limits=LIMITS, now=now)
        for _ in range(3)
    ]
    assert all(g.credential == "a" for g in grants)
    (view,) = await pool.views(["a"], "core", limits=LIMITS, now=now)
    assert view.remaining == 7 and view.in_flight == 3
    first, second, third = grants
    assert first.reservation and second.reservation and third.reservation
    await pool.settle("a", first.reservation, "core", paid=True, rate=rate(10, 1, now + 600))
    await pool.settle("a", second.reservation, "core", paid=False, rate=rate(10, 1, now + 600))
    (view,) = await pool.views(["a"], "core", limits=LIMITS, now=now)
    assert view.remaining == 8 and view.in_flight == 1
    # Someone else spent on the same token: GitHub's count wins.
    await pool.settle("a", third.reservation, "core", paid=True, rate=rate(10, 6, now + 600))
    (view,) = await pool.views(["a"], "core", limits=LIMITS, now=now)
    assert view.remaining == 4 and view.in_flight == 0


async def test_exhausted_waits_for_the_reset_then_refills(backend: Backend) -> None:
    pool, now = backend.pool(), time.time()
    await pool.observe("a", rate(2, 2, now + 30))
    grant = await pool.reserve(["a"], "core", points=1, prefer=None, limits=LIMITS, now=now)
    assert grant.credential is None and abs(grant.wait_until - (now + 30)) <= 1
    later = now + 31
    again = await pool.reserve(["a"], "core", points=1, prefer=None, limits=LIMITS, now=later)
    assert again.credential == "a"


async def test_concurrency_points_cooldown_and_removal(backend: Backend) -> None:
    pool, now = backend.pool(), time.time()
    await pool.observe("a", rate(100, 0, now + 600))
    tight = PoolLimits(max_concurrent=2, points_per_minute=6, lease=30.0)
    first = await pool.reserve(["a"], "core", points=1, prefer=None, limits=tight, now=now)
    second = await pool.reserve(["a"], "core", points=5, prefer=None, limits=tight, now=now)
    assert first.credential == "a" and second.credential == "a"
    capped = await pool.reserve(["a"], "core", points=1, prefer=None, limits=tight, now=now)
    assert capped.credential is None
    assert first.reservation is not None
    await pool.settle("a", first.reservation, "core", paid=True, rate=None)
    over_budget = await pool.reserve(["a"], "core", points=1, prefer=None, limits=tight, now=now)
    assert over_budget.credential is None and over_budget.wait_until <= now + 61
    minute_later = now + 61  # points and the lease of the unsettled reservation have expired
    assert (
        await pool.reserve(["a"], "core", points=1, prefer=None, limits=tight, now=minute_later)
    ).credential == "a"
    await pool.cool_down("a", now + 200)
    cooling = await pool.reserve(["a"], "core", points=1, prefer=None, limits=LIMITS, now=now + 100)
    assert cooling.credential is None and abs(cooling.wait_until - (now + 200)) < 1
    await pool.remove("a")
    gone = await pool.reserve(["a"], "core", points=1, prefer=None, limits=LIMITS, now=now + 300)
    assert gone.credential is None
    (view,) = await pool.views(["a"], "core", limits=LIMITS, now=now + 300)
    assert view.removed
    await pool.restore("a")
    back = await pool.reserve(["a"], "core", points=1, prefer=None, limits=LIMITS, now=now + 300)
    assert back.credential == "a"


async def test_usage_is_counted_per_dimension(backend: Backend) -> None:
    pool, peer, now = backend.pool(), backend.pool(peer=True), time.time()
    await pool.record_usage(1, now, {"member": "alice", "purpose": "sync"}, paid=True)
    await peer.record_usage(1, now, {"member": "alice", "purpose": "sync"}, paid=False)
    await pool.record_usage(2, now, {"member": "bob"}, paid=True)
    rows = await pool.usage(1, now - 3600, now)
    found = {(r.dimension, r.value): (r.requests, r.paid) for r in rows}
    assert found == {("member", "alice"): (2, 1), ("purpose", "sync"): (2, 1)}
