"""KeyValue on Redis: one string key per entry under ``{prefix}kv:``."""

from __future__ import annotations

from redis.asyncio import Redis

from hubdeck.adapters.redis import scripts


def to_ms(seconds: float) -> int:
    """Seconds as the whole milliseconds Redis expiries take (at least 1)."""
    if not seconds > 0:
        raise ValueError(f"ttl must be positive, got {seconds!r}")
    return max(1, round(seconds * 1000))


def as_bytes(value: bytes | str | None) -> bytes | None:
    if isinstance(value, str):
        raise TypeError("the Redis client must return bytes: create it with decode_responses=False")
    return value


class RedisKeyValue:
    def __init__(self, client: Redis, prefix: str) -> None:
        self._client = client
        self._prefix = f"{prefix}kv:"
        self._incr_ttl = client.register_script(scripts.KV_INCR_TTL)

    def _key(self, key: str) -> str:
        return self._prefix + key

    async def get(self, key: str) -> bytes | None:
        return as_bytes(await self._client.get(self._key(key)))

    async def set(self, key: str, value: bytes, ttl: float | None = None) -> None:
        await self._client.set(self._key(key), value, px=None if ttl is None else to_ms(ttl))

    async def set_if_absent(self, key: str, value: bytes, ttl: float | None = None) -> bool:
        px = None if ttl is None else to_ms(ttl)
        return bool(await self._client.set(self._key(key), value, px=px, nx=True))

    async def incr(self, key: str, amount: int = 1, ttl: float | None = None) -> int:
        if ttl is None:
            return int(await self._client.incrby(self._key(key), amount))
        return int(await self._incr_ttl(keys=[self._key(key)], args=[amount, to_ms(ttl)]))

    async def delete(self, key: str) -> bool:
        return bool(await self._client.delete(self._key(key)))

    async def ttl(self, key: str) -> float | None:
        milliseconds = int(await self._client.pttl(self._key(key)))
        # -1: no expiry, -2: no key.
        return None if milliseconds < 0 else milliseconds / 1000
