"""ChannelHistory on Redis.

Per channel, ``{prefix}hist:meta:{channel}`` is a hash with the last ``offset`` and the ``epoch``
(expires ``meta_ttl`` after the last append) and ``{prefix}hist:stream:{channel}`` a stream whose
ids are ``{offset}-0``, each entry holding its append time (server clock) and data (trimmed to
``max_size``, expires ``max_age`` after the last append). Appends and reads are single Lua
scripts, so processes appending concurrently never reuse or skip an offset, and a meta key that
vanished (expiry, FLUSHALL, restart without persistence) is recreated with a new epoch.
"""

from __future__ import annotations

import secrets
from typing import Any

from redis.asyncio import Redis

from hubdeck.adapters.redis import scripts
from hubdeck.adapters.redis.keyvalue import to_ms
from hubdeck.ports import HistoryEntry, StreamPosition


class RedisChannelHistory:
    def __init__(
        self,
        client: Redis,
        prefix: str,
        *,
        max_size: int = 1000,
        max_age: float = 300.0,
        meta_ttl: float = 86400.0,
    ) -> None:
        if max_size < 1:
            raise ValueError(f"max_size must be at least 1, got {max_size!r}")
        self._client = client
        self._prefix = f"{prefix}hist:"
        self._max_size = max_size
        self._max_age_ms = to_ms(max_age)
        self._meta_ttl_ms = to_ms(meta_ttl)
        self._append = client.register_script(scripts.HISTORY_APPEND)
        self._since = client.register_script(scripts.HISTORY_SINCE)

    def _keys(self, channel: str) -> list[str]:
        return [f"{self._prefix}meta:{channel}", f"{self._prefix}stream:{channel}"]

    async def append(self, channel: str, data: bytes) -> StreamPosition:
        # A candidate epoch goes with every call; the script uses it only if the channel is new.
        offset, epoch = await self._append(
            keys=self._keys(channel),
            args=[data, self._max_size, self._max_age_ms, self._meta_ttl_ms, _new_epoch()],
        )
        return StreamPosition(int(offset), epoch.decode())

    async def top(self, channel: str) -> StreamPosition:
        _, position = await self._read(channel, 0, 0)
        return position

    async def since(
        self, channel: str, offset: int, limit: int | None = None
    ) -> tuple[list[HistoryEntry], StreamPosition]:
        if limit is not None and limit <= 0:
            return [], await self.top(channel)
        return await self._read(channel, max(offset, 0), -1 if limit is None else limit)

    async def _read(
        self, channel: str, offset: int, limit: int
    ) -> tuple[list[HistoryEntry], StreamPosition]:
        reply: list[Any] = await self._since(
            keys=self._keys(channel),
            args=[offset, limit, self._max_age_ms, self._meta_ttl_ms, _new_epoch()],
        )
        top, epoch, flat = reply
        entries = [HistoryEntry(int(flat[i]), flat[i + 1]) for i in range(0, len(flat), 2)]
        return entries, StreamPosition(int(top), epoch.decode())


def _new_epoch() -> str:
    return secrets.token_hex(8)
