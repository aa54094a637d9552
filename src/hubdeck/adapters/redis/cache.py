"""Cache on Redis.

``{prefix}cache:e:{key}`` is a hash holding the value (field ``v``) and a ``t:{tag}`` field per
tag; ``{prefix}cache:t:{tag}`` is the set of entry keys set with that tag, expiring after its
longest-lived entry. Invalidation (one Lua script) deletes the listed entries that still carry
the tag, so an entry re-set without the tag survives.
"""

from __future__ import annotations

from collections.abc import Sequence

from redis.asyncio import Redis

from hubdeck.adapters.redis import scripts
from hubdeck.adapters.redis.keyvalue import as_bytes, to_ms


class RedisCache:
    def __init__(self, client: Redis, prefix: str) -> None:
        self._client = client
        self._entry_prefix = f"{prefix}cache:e:"
        self._tag_prefix = f"{prefix}cache:t:"
        self._set = client.register_script(scripts.CACHE_SET)
        self._invalidate = client.register_script(scripts.CACHE_INVALIDATE)

    async def get(self, key: str) -> bytes | None:
        return as_bytes(await self._client.hget(self._entry_prefix + key, "v"))

    async def set(self, key: str, value: bytes, ttl: float, tags: Sequence[str] = ()) -> None:
        unique_tags = list(dict.fromkeys(tags))
        await self._set(
            keys=[self._entry_prefix + key, *(self._tag_prefix + tag for tag in unique_tags)],
            args=[value, to_ms(ttl), *unique_tags],
        )

    async def delete(self, key: str) -> None:
        await self._client.delete(self._entry_prefix + key)

    async def invalidate_tag(self, tag: str) -> int:
        return int(await self._invalidate(keys=[self._tag_prefix + tag], args=[tag]))
