"""Presence on Redis.

Per channel, ``{prefix}presence:exp:{channel}`` is a sorted set of client -> expiry (server
clock, ms) and ``{prefix}presence:info:{channel}`` a hash of client -> encoded info. Reads drop
expired clients from both first (one Lua script); both keys expire after their longest-lived
client, so an abandoned channel leaves nothing behind.
"""

from __future__ import annotations

import struct

from redis.asyncio import Redis

from hubdeck.adapters.redis import scripts
from hubdeck.adapters.redis.keyvalue import to_ms
from hubdeck.ports import PresenceInfo

# has conn_info (0/1), length of the UTF-8 user; then the user, then conn_info.
_HEADER = struct.Struct(">BI")


def encode_info(info: PresenceInfo) -> bytes:
    user = info.user.encode()
    has_conn_info = info.conn_info is not None
    return _HEADER.pack(has_conn_info, len(user)) + user + (info.conn_info or b"")


def decode_info(client: str, data: bytes) -> PresenceInfo:
    has_conn_info, user_length = _HEADER.unpack_from(data)
    start = _HEADER.size
    user = data[start : start + user_length].decode()
    conn_info = data[start + user_length :] if has_conn_info else None
    return PresenceInfo(client=client, user=user, conn_info=conn_info)


class RedisPresence:
    def __init__(self, client: Redis, prefix: str) -> None:
        self._client = client
        self._prefix = f"{prefix}presence:"
        self._add = client.register_script(scripts.PRESENCE_ADD)
        self._members = client.register_script(scripts.PRESENCE_MEMBERS)

    def _keys(self, channel: str) -> list[str]:
        return [f"{self._prefix}exp:{channel}", f"{self._prefix}info:{channel}"]

    async def add(self, channel: str, info: PresenceInfo, ttl: float) -> None:
        await self._add(keys=self._keys(channel), args=[info.client, encode_info(info), to_ms(ttl)])

    async def remove(self, channel: str, client: str) -> None:
        expiries, infos = self._keys(channel)
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.zrem(expiries, client)
            pipe.hdel(infos, client)
            await pipe.execute()

    async def members(self, channel: str) -> dict[str, PresenceInfo]:
        flat: list[bytes] = await self._members(keys=self._keys(channel))
        members: dict[str, PresenceInfo] = {}
        for i in range(0, len(flat), 2):
            client = flat[i].decode()
            members[client] = decode_info(client, flat[i + 1])
        return members

    async def stats(self, channel: str) -> tuple[int, int]:
        members = await self.members(channel)
        return len(members), len({info.user for info in members.values()})
