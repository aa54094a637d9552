"""Redis adapters that are subtly wrong, for checking that the contract suite catches them.

``HUBDECK_CONTRACT_BROKEN=name[,name...]`` makes the contract fixtures build these instead of the
real Redis adapters (see conftest.py); ``test_contract_catches_bugs.py`` uses it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from hubdeck.adapters.redis import (
    RedisCache,
    RedisChannelHistory,
    RedisKeyValue,
    RedisLocks,
    RedisPresence,
)
from hubdeck.ports import PresenceInfo


class KeyValueIgnoringTtl(RedisKeyValue):
    async def set(self, key: str, value: bytes, ttl: float | None = None) -> None:
        await super().set(key, value, None)


class KeyValueWithRacyIncr(RedisKeyValue):
    """Read, then write: concurrent increments overwrite each other."""

    async def incr(self, key: str, amount: int = 1, ttl: float | None = None) -> int:
        current = await self.get(key)
        await asyncio.sleep(0)
        value = int(current or 0) + amount
        await self.set(key, str(value).encode(), ttl)
        return value


class HistoryWithoutCountBound(RedisChannelHistory):
    def __init__(self, *args: Any, **options: Any) -> None:
        options["max_size"] = 1_000_000
        super().__init__(*args, **options)


class LocksReleasingAnyToken(RedisLocks):
    async def release(self, name: str, token: str) -> bool:
        return bool(await self._client.delete(self._prefix + name))


class CacheIgnoringTags(RedisCache):
    async def invalidate_tag(self, tag: str) -> int:
        return 0


class PresenceNeverExpiring(RedisPresence):
    async def add(self, channel: str, info: PresenceInfo, ttl: float) -> None:
        await super().add(channel, info, 3600)


# name -> (port fixture it replaces, class)
BROKEN: dict[str, tuple[str, type[Any]]] = {
    "kv_ttl_ignored": ("kv", KeyValueIgnoringTtl),
    "kv_incr_racy": ("kv", KeyValueWithRacyIncr),
    "history_unbounded": ("history", HistoryWithoutCountBound),
    "lock_release_any_token": ("locks", LocksReleasingAnyToken),
    "cache_tags_ignored": ("cache", CacheIgnoringTags),
    "presence_never_expires": ("presence", PresenceNeverExpiring),
}
