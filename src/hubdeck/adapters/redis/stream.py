"""ChannelStream on Redis: one Lua script appends to the Stream and PUBLISHes the publication.

Fan-out uses one Redis pub/sub channel per HubDeck channel (``{prefix}bc:stream:{channel}``),
so a node receives only the channels its clients subscribe to.
"""

from __future__ import annotations

import secrets

import structlog
from redis.asyncio import Redis

from hubdeck.adapters.redis import scripts
from hubdeck.adapters.redis.broadcaster import RedisBroadcaster
from hubdeck.adapters.redis.keyvalue import to_ms
from hubdeck.ports import PublicationHandler, StreamPosition, Subscription

log = structlog.get_logger(__name__)

_TOPIC = "stream:"


class RedisChannelStream:
    """Shares keys with ``RedisChannelHistory`` (same prefix and options), so ``history``
    and ``since`` read what this publishes."""

    def __init__(
        self,
        client: Redis,
        prefix: str,
        broadcaster: RedisBroadcaster,
        *,
        max_size: int,
        max_age: float,
        meta_ttl: float,
    ) -> None:
        self._prefix = prefix
        self._broadcaster = broadcaster
        self._max_size = max_size
        self._max_age_ms = to_ms(max_age)
        self._meta_ttl_ms = to_ms(meta_ttl)
        self._script = client.register_script(scripts.HISTORY_APPEND_PUBLISH)

    async def publish(self, channel: str, data: bytes) -> StreamPosition:
        keys = [
            f"{self._prefix}hist:meta:{channel}",
            f"{self._prefix}hist:stream:{channel}",
            f"{self._prefix}bc:{_TOPIC}{channel}",
        ]
        offset, epoch = await self._script(
            keys=keys,
            args=[data, self._max_size, self._max_age_ms, self._meta_ttl_ms, secrets.token_hex(8)],
        )
        return StreamPosition(int(offset), epoch.decode())

    async def subscribe(self, channel: str, handler: PublicationHandler) -> Subscription:
        def receive(topic: str, message: bytes) -> None:
            offset, epoch, data = message.split(b":", 2)
            handler(channel, int(offset), epoch.decode(), data)

        return await self._broadcaster.subscribe(_TOPIC + channel, receive)
