"""The real-time node: live connections of this process, pings, and shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections import deque

import orjson
import structlog

from hubdeck.ports import UserStore
from hubdeck.services.auth import Authenticator
from hubdeck.services.sessions import SessionService
from hubdeck.web.realtime.broker import Broker
from hubdeck.web.realtime.connection import Connection
from hubdeck.web.realtime.protocol import DisconnectCode
from hubdeck.web.realtime.rpc import RpcDispatcher
from hubdeck.web.realtime.telemetry import RealtimeMetrics

log = structlog.get_logger(__name__)

# Pings go out in this many rounds per interval, each to its share of the connections: a ping
# to every connection at once, and every pong back, would hold up whatever is published then.
PING_ROUNDS = 10


class RealtimeNode:
    def __init__(
        self,
        authenticator: Authenticator,
        broker: Broker,
        metrics: RealtimeMetrics,
        users: UserStore,
        *,
        ping_interval: int,
        pong_timeout: float,
        max_queued_bytes: int,
        rpc: RpcDispatcher | None = None,
    ) -> None:
        self.authenticator = authenticator
        self.broker = broker
        self.metrics = metrics
        self._users = users
        self.ping_interval = ping_interval
        self.pong_timeout = pong_timeout
        self.max_queued_bytes = max_queued_bytes
        self._connections: dict[str, Connection] = {}
        self._pinger: asyncio.Task[None] | None = None
        self._next_ping_slot = 0
        # RPC methods beyond ``ping`` (registered by the composition root).
        self.rpc = rpc
        # Set by the composition root: records each session's sockets in the session store.
        self.sessions: SessionService | None = None

    @property
    def connection_count(self) -> int:
        return len(self._connections)

    def register(self, connection: Connection) -> None:
        connection.ping_slot = self._next_ping_slot
        self._next_ping_slot = (self._next_ping_slot + 1) % PING_ROUNDS
        self._connections[connection.client_id] = connection
        self.metrics.connections.set(len(self._connections))

    async def unregister(self, connection: Connection) -> None:
        if self._connections.pop(connection.client_id, None) is not None:
            self.metrics.connections.set(len(self._connections))
        await self.broker.release(connection)
        await self.session_closed(connection)

    async def describe_user(self, user_id: int) -> bytes | None:
        user = await self._users.get(user_id)
        if user is None:
            return None
        return orjson.dumps({"login": user.login, "name": user.name, "avatar_url": user.avatar_url})

    def connections(self) -> list[Connection]:
        return list(self._connections.values())

    def disconnect_session(self, session_hash: str, code: DisconnectCode, reason: str) -> int:
        """Close every connection of one session; return how many were closed."""
        closed = 0
        for connection in list(self._connections.values()):
            principal = connection.principal
            if principal is not None and principal.session_hash == session_hash:
                connection.close(code, reason)
                closed += 1
        return closed

    async def session_opened(self, connection: Connection) -> None:
        principal = connection.principal
        if self.sessions is not None and principal is not None and principal.session_hash:
            await self.sessions.connection_opened(principal.session_hash, connection.client_id)

    async def session_closed(self, connection: Connection) -> None:
        principal = connection.principal
        if self.sessions is not None and principal is not None and principal.session_hash:
            try:
                await self.sessions.connection_closed(principal.session_hash, connection.client_id)
            except Exception:  # a closing socket must not fail for bookkeeping (Redis away)
                log.warning("realtime.session_connection_not_forgotten", exc_info=True)

    def on_sessions_revoked(self, topic: str, payload: bytes) -> None:
        """Broadcaster handler: sessions revoked on any process lose their sockets here."""
        reason = _reason(payload) or "session revoked"
        for session_hash in _session_hashes(payload):
            self.disconnect_session(session_hash, DisconnectCode.FORCE_DISCONNECT, reason)

    def on_sessions_rotated(self, topic: str, payload: bytes) -> None:
        """Broadcaster handler: a rotated session's sockets reconnect with the new cookie."""
        for session_hash in _session_hashes(payload):
            self.disconnect_session(session_hash, DisconnectCode.FORCE_RECONNECT, "session rotated")

    async def start(self) -> None:
        await self.broker.start()
        self._pinger = asyncio.create_task(self._ping_loop(), name="realtime-pinger")

    async def stop(self) -> None:
        if self._pinger is not None:
            self._pinger.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pinger
        # A reconnect code: clients come back to another node, or to this one once restarted.
        for connection in list(self._connections.values()):
            connection.close(DisconnectCode.SHUTDOWN)
        await self.broker.stop()

    async def _ping_loop(self) -> None:
        # One timer for all connections instead of one per connection: a task per connection
        # is memory and scheduler work that grows with the audience. Each connection is pinged
        # once per interval, in its round, and is checked for the pong one pong timeout later;
        # its first ping comes within one interval of its connect, as the SDKs expect.
        tick = self.ping_interval / PING_ROUNDS
        lag = max(1, math.ceil(self.pong_timeout / tick))  # rounds from a ping to its check
        pinged: deque[list[Connection]] = deque()
        slot = 0
        while True:
            await asyncio.sleep(tick)
            if len(pinged) >= lag:
                for connection in pinged.popleft():
                    if connection.awaiting_pong and not connection.closing:
                        log.info("realtime.no_pong", client=connection.client_id)
                        connection.close(DisconnectCode.NO_PONG)
            batch = [c for c in self._connections.values() if c.ping_slot == slot]
            for connection in batch:
                connection.ping()
            pinged.append(batch)
            slot = (slot + 1) % PING_ROUNDS


def _session_hashes(payload: bytes) -> list[str]:
    try:
        message = orjson.loads(payload)
        hashes = message["sessions"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        log.warning("realtime.bad_session_message")
        return []
    return [h for h in hashes if isinstance(h, str)] if isinstance(hashes, list) else []


def _reason(payload: bytes) -> str | None:
    try:
        reason = orjson.loads(payload).get("reason")
    except (orjson.JSONDecodeError, AttributeError):
        return None
    return reason[:100] if isinstance(reason, str) else None
