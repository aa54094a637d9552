"""The user's sessions as devices: list them, revoke one or all others, rotate, end them all.

A revocation is announced twice: on the user's channel (``session:revoked``, so the user's
other pages refresh their device list and the revoked page learns why) and on the broadcaster
topic ``sessions:revoked``, which every server process follows to close the revoked session's
sockets wherever they are.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from hubdeck.core.clock import Clock
from hubdeck.core.errors import NotFound
from hubdeck.core.sessions import SessionRecord, hash_session_id, public_session_id
from hubdeck.ports import Broadcaster, ChannelStream, SessionStore
from hubdeck.services.auth import Authenticator
from hubdeck.services.devices import device_of

REVOKED_TOPIC = "sessions:revoked"
ROTATED_TOPIC = "sessions:rotated"
# Close reasons of a revoked session's sockets: the page tells the two apart.
REVOKED = "session revoked"
SIGNED_OUT = "signed out"


def announced_sessions(payload: bytes) -> list[str]:
    """The session hashes of a ``sessions:revoked`` or ``sessions:rotated`` message."""
    try:
        hashes = orjson.loads(payload)["sessions"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return []
    return [h for h in hashes if isinstance(h, str)] if isinstance(hashes, list) else []


@dataclass(frozen=True, slots=True)
class DeviceSession:
    id: str
    current: bool
    browser: str
    os: str
    device_type: str
    ip: str | None
    created_at: datetime
    last_seen_at: datetime
    connections: int


class SessionService:
    def __init__(
        self,
        auth: Authenticator,
        store: SessionStore,
        stream: ChannelStream,
        broadcaster: Broadcaster,
        clock: Clock,
    ) -> None:
        self._auth = auth
        self._store = store
        self._stream = stream
        self._broadcaster = broadcaster
        self._clock = clock

    async def _live(self, user_id: int) -> list[SessionRecord]:
        now = self._clock.now()
        policy = self._auth.policy
        return [r for r in await self._store.list_for_user(user_id) if policy.is_valid(r, now)]

    async def devices(self, user_id: int, current_hash: str | None) -> list[DeviceSession]:
        """The user's live sessions, the current one first, then by last activity."""
        out: list[DeviceSession] = []
        for record in await self._live(user_id):
            device = device_of(record.user_agent)
            out.append(
                DeviceSession(
                    id=public_session_id(record.id_hash),
                    current=record.id_hash == current_hash,
                    browser=device.browser,
                    os=device.os,
                    device_type=device.kind,
                    ip=record.ip,
                    created_at=record.created_at,
                    last_seen_at=record.last_seen_at,
                    connections=len(await self._store.connections(record.id_hash)),
                )
            )
        out.sort(key=lambda d: (not d.current, -d.last_seen_at.timestamp()))
        return out

    async def revoke(self, user_id: int, public_id: str) -> None:
        """End one of the user's sessions (possibly the current one)."""
        for record in await self._live(user_id):
            if public_session_id(record.id_hash) == public_id:
                if await self._store.revoke(record.id_hash, self._clock.now()):
                    await self._announce(user_id, [record.id_hash])
                return
        raise NotFound("no such session")

    async def revoke_others(self, user_id: int, current_hash: str) -> int:
        """Sign out every other device; how many sessions ended."""
        revoked = await self._store.revoke_user(user_id, self._clock.now(), keep=current_hash)
        await self._announce(user_id, revoked)
        return len(revoked)

    async def end_all(self, user_id: int) -> int:
        """Every session of the user ends (GitHub withdrew HubDeck's authorization)."""
        revoked = await self._store.revoke_user(user_id, self._clock.now())
        await self._announce(user_id, revoked)
        return len(revoked)

    async def sign_out(self, session_id: str) -> None:
        """End the session the browser presents (sign-out, or a new sign-in over it)."""
        id_hash = hash_session_id(session_id)
        record = await self._store.get(id_hash)
        if record is not None and await self._store.revoke(id_hash, self._clock.now()):
            await self._announce(record.user_id, [id_hash], reason=SIGNED_OUT)

    async def rotate(self, session_id: str) -> str | None:
        """A new id for a live session; its sockets reconnect with the new cookie."""
        rotated = await self._auth.rotate(session_id)
        if rotated is None:
            return None
        new_id, old_hash = rotated
        await self._broadcaster.publish(ROTATED_TOPIC, orjson.dumps({"sessions": [old_hash]}))
        return new_id

    async def _announce(
        self, user_id: int, hashes: Sequence[str], *, reason: str = REVOKED
    ) -> None:
        if not hashes:
            return
        # This process at once; the others when the broadcast reaches them.
        self._auth.forget(hashes)
        payload: dict[str, Any] = {
            # A page that signed itself out is not told it was signed out from elsewhere.
            "type": "session:revoked" if reason == REVOKED else "session:signed_out",
            "ts": int(time.time() * 1000),
            "data": {"sessions": [public_session_id(h) for h in hashes]},
        }
        # The push first: the revoked page's sockets are still open to receive it.
        await self._stream.publish(f"user:{user_id}", orjson.dumps(payload))
        message = {"sessions": list(hashes), "reason": reason}
        await self._broadcaster.publish(REVOKED_TOPIC, orjson.dumps(message))

    async def connection_opened(self, session_hash: str, client_id: str) -> None:
        await self._store.add_connection(session_hash, client_id)

    async def connection_closed(self, session_hash: str, client_id: str) -> None:
        await self._store.remove_connection(session_hash, client_id)
