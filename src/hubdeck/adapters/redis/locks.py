"""Leases on Redis: ``{prefix}lock:{name}`` holds the holder's token and expires with the lease."""

from __future__ import annotations

import secrets

from redis.asyncio import Redis

from hubdeck.adapters.redis import scripts
from hubdeck.adapters.redis.keyvalue import to_ms


class RedisLocks:
    def __init__(self, client: Redis, prefix: str) -> None:
        self._client = client
        self._prefix = f"{prefix}lock:"
        self._extend = client.register_script(scripts.LOCK_EXTEND)
        self._release = client.register_script(scripts.LOCK_RELEASE)

    async def acquire(self, name: str, lease: float) -> str | None:
        token = secrets.token_hex(16)
        taken = await self._client.set(self._prefix + name, token, px=to_ms(lease), nx=True)
        return token if taken else None

    async def extend(self, name: str, token: str, lease: float) -> bool:
        # Compare and renew in one step: between a separate GET and PEXPIRE the lease could
        # expire and be taken by another holder, whose lease we would then extend.
        return bool(await self._extend(keys=[self._prefix + name], args=[token, to_ms(lease)]))

    async def release(self, name: str, token: str) -> bool:
        return bool(await self._release(keys=[self._prefix + name], args=[token]))
