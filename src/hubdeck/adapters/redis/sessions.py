"""Sessions on Redis, shared by every process.

``{prefix}session:{hash}`` is a hash per session (``u`` user id, ``c`` created, ``s`` last seen,
``e`` expires, ``r`` revoked, ``a`` user agent, ``i`` IP; times in microseconds since the epoch)
expiring at the session's absolute expiry; a revoked session stays until then, so the devices a
user signed in from are still known. ``{prefix}session-user:{user_id}`` is the set of the
user's session hashes, and ``{prefix}session:{hash}:conns`` the set of its open WebSocket
connections (client ids), which expires with the session.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from redis.asyncio import Redis

from hubdeck.core.sessions import SessionRecord

# Create the session, index it, and keep the index alive as long as its longest session.
_CREATE = """
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
local current = redis.call('PEXPIRETIME', KEYS[2])
if current < 0 or current < tonumber(ARGV[1]) then
  redis.call('PEXPIREAT', KEYS[2], ARGV[1])
end
return 1
"""

# Last seen only moves forward, and only for a session that still exists.
_TOUCH = """
local seen = redis.call('HGET', KEYS[1], 's')
if seen and tonumber(seen) < tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 's', ARGV[1])
  return 1
end
return 0
"""

_REVOKE = """
if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('HEXISTS', KEYS[1], 'r') == 0 then
  redis.call('HSET', KEYS[1], 'r', ARGV[1])
  return 1
end
return 0
"""


def _micros(when: datetime) -> int:
    return int(when.timestamp() * 1_000_000)


def _time(value: bytes) -> datetime:
    return datetime.fromtimestamp(int(value) / 1_000_000, UTC)


def _text(value: bytes | None) -> str | None:
    return None if value is None else value.decode()


class RedisSessionStore:
    def __init__(self, client: Redis, prefix: str) -> None:
        self._client = client
        self._prefix = f"{prefix}session:"
        self._user_prefix = f"{prefix}session-user:"
        self._create = client.register_script(_CREATE)
        self._touch = client.register_script(_TOUCH)
        self._revoke = client.register_script(_REVOKE)

    def _key(self, id_hash: str) -> str:
        return self._prefix + id_hash

    def _connections_key(self, id_hash: str) -> str:
        return f"{self._prefix}{id_hash}:conns"

    async def create(self, record: SessionRecord) -> None:
        fields: list[str | int] = [
            "u",
            record.user_id,
            "c",
            _micros(record.created_at),
            "s",
            _micros(record.last_seen_at),
            "e",
            _micros(record.expires_at),
        ]
        if record.revoked_at is not None:
            fields += ["r", _micros(record.revoked_at)]
        if record.user_agent is not None:
            fields += ["a", record.user_agent]
        if record.ip is not None:
            fields += ["i", record.ip]
        expires_ms = _micros(record.expires_at) // 1000
        await self._create(
            keys=[self._key(record.id_hash), f"{self._user_prefix}{record.user_id}"],
            args=[expires_ms, record.id_hash, *fields],
        )

    async def get(self, id_hash: str) -> SessionRecord | None:
        raw = await self._client.hgetall(self._key(id_hash))
        return _record(id_hash, cast(dict[bytes, bytes], raw))

    async def touch(self, id_hash: str, seen_at: datetime) -> None:
        await self._touch(keys=[self._key(id_hash)], args=[_micros(seen_at)])

    async def revoke(self, id_hash: str, revoked_at: datetime) -> bool:
        return bool(await self._revoke(keys=[self._key(id_hash)], args=[_micros(revoked_at)]))

    async def list_for_user(self, user_id: int) -> list[SessionRecord]:
        index = f"{self._user_prefix}{user_id}"
        hashes = sorted(_members(await self._client.smembers(index)))
        if not hashes:
            return []
        async with self._client.pipeline(transaction=False) as pipe:
            for id_hash in hashes:
                pipe.hgetall(self._key(id_hash))
            rows = await pipe.execute()
        records: list[SessionRecord] = []
        gone: list[str] = []
        for id_hash, raw in zip(hashes, rows, strict=True):
            record = _record(id_hash, raw)
            if record is None:
                gone.append(id_hash)  # expired: the index forgets it too
            else:
                records.append(record)
        if gone:
            await self._client.srem(index, *gone)
        records.sort(key=lambda r: r.last_seen_at, reverse=True)
        return records

    async def revoke_user(
        self, user_id: int, revoked_at: datetime, keep: str | None = None
    ) -> list[str]:
        revoked: list[str] = []
        for record in await self.list_for_user(user_id):
            if record.id_hash == keep or record.revoked_at is not None:
                continue
            if await self.revoke(record.id_hash, revoked_at):
                revoked.append(record.id_hash)
        return revoked

    async def add_connection(self, id_hash: str, client_id: str) -> None:
        key = self._connections_key(id_hash)
        record_key = self._key(id_hash)
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.sadd(key, client_id)
            pipe.pexpiretime(record_key)
            _, expires_ms = await pipe.execute()
        if int(expires_ms) > 0:
            await self._client.pexpireat(key, int(expires_ms))
        else:  # the session is gone already: nothing to record
            await self._client.delete(key)

    async def remove_connection(self, id_hash: str, client_id: str) -> None:
        await self._client.srem(self._connections_key(id_hash), client_id)

    async def connections(self, id_hash: str) -> set[str]:
        return _members(await self._client.smembers(self._connections_key(id_hash)))


def _record(id_hash: str, raw: dict[bytes, bytes]) -> SessionRecord | None:
    if not raw or b"u" not in raw:
        return None
    revoked = raw.get(b"r")
    return SessionRecord(
        id_hash=id_hash,
        user_id=int(raw[b"u"]),
        created_at=_time(raw[b"c"]),
        last_seen_at=_time(raw[b"s"]),
        expires_at=_time(raw[b"e"]),
        revoked_at=None if revoked is None else _time(revoked),
        user_agent=_text(raw.get(b"a")),
        ip=_text(raw.get(b"i")),
    )


def _members(members: Any) -> set[str]:
    return {m.decode() if isinstance(m, bytes) else str(m) for m in members}
