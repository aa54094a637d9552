"""Rate limits with the ``limits`` library: in memory, or in Redis shared by every process.

The sliding-window counter costs two counters per key and window and does not let a burst at a
window's edge double the rate as a fixed window would.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import SlidingWindowCounterRateLimiter


class LimitsRateLimiter:
    def __init__(self, storage: Storage, limits: Mapping[str, str]) -> None:
        self._limiter = SlidingWindowCounterRateLimiter(storage)
        self._limits: dict[str, RateLimitItem] = {
            scope: parse(value) for scope, value in limits.items()
        }

    async def hit(self, scope: str, key: str) -> float | None:
        limit = self._limits.get(scope)
        if limit is None:
            return None
        if await self._limiter.hit(limit, scope, key):
            return None
        stats = await self._limiter.get_window_stats(limit, scope, key)
        return float(max(1, math.ceil(stats.reset_time - time.time())))


def memory_storage() -> Storage:
    return MemoryStorage()


def redis_storage(url: str, prefix: str) -> Storage:
    # redis-py, the client HubDeck already uses, rather than the library's default (coredis).
    uri = "async+" + url if url.startswith(("redis://", "rediss://")) else url
    return RedisStorage(uri, implementation="redispy", key_prefix=f"{prefix}ratelimit")
