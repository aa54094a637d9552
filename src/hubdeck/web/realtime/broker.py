"""Channel subscriptions of this node: recovery, live delivery, presence.

A subscribe follows the order that loses nothing and repeats nothing between history and the
live stream: the connection is registered as *buffering*, the node's stream subscription for
the channel is made sure of (publications from then on reach the buffer), history is read, the
reply goes out with what was missed, and then the buffer is flushed past the reply's position.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson
import structlog

from hubdeck.core.channels import Channel, parse_channel
from hubdeck.core.events import DomainEvent
from hubdeck.ports import (
    Broadcaster,
    ChannelHistory,
    ChannelStream,
    HistoryEntry,
    Presence,
    PresenceInfo,
    StreamPosition,
    Subscription,
)
from hubdeck.services.channel_access import ChannelAccess
from hubdeck.web.realtime.direct import encode_text_frame
from hubdeck.web.realtime.protocol import ErrorCode
from hubdeck.web.realtime.telemetry import RealtimeMetrics

if TYPE_CHECKING:
    from hubdeck.web.realtime.connection import Connection

log = structlog.get_logger(__name__)

# Presence entries outlive a node by this much: a crashed node's viewers vanish within it.
PRESENCE_TTL = 30.0
PRESENCE_REFRESH = 10.0

# Broadcast topic on which a node says "this user's access changed": every node then re-checks
# that user's subscriptions, so a removed member's sockets lose the team's channels at once.
ACCESS_TOPIC = "access"
# Events after which a member may see less than before.
ACCESS_EVENTS = frozenset({"team.member_removed", "team.role_changed", "dashboard.unshared"})
# Unsubscribe push code below 2500: the client stays unsubscribed (no automatic resubscribe).
UNSUBSCRIBED_BY_SERVER = 2000
# From 2500 the client resubscribes at once, with recovery from its last offset.
INSUFFICIENT_STATE = 2500
# A channel its members were sent away from stays open this long for them to come back.
RESYNC_GRACE = 30.0


class ChannelError(Exception):
    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(slots=True)
class _Member:
    join_leave: bool
    # Publications that arrived while the subscribe reply was being prepared; None once live.
    buffer: list[tuple[int, str]] | None = field(default_factory=list)


@dataclass(slots=True)
class _ChannelState:
    members: dict[Connection, _Member] = field(default_factory=dict)
    opening: asyncio.Task[Subscription] | None = None
    presence_feed: Subscription | None = None
    # The last publication this node received on the channel: a jump is a lost message.
    last: int | None = None
    epoch: str | None = None


def _pub_frame(channel: str, offset: int, data: bytes) -> str:
    return orjson.dumps(
        {"push": {"channel": channel, "pub": {"data": orjson.Fragment(data), "offset": offset}}}
    ).decode()


class Broker:
    def __init__(
        self,
        stream: ChannelStream,
        history: ChannelHistory,
        presence: Presence,
        broadcaster: Broadcaster,
        access: ChannelAccess,
        metrics: RealtimeMetrics,
        *,
        recovery_max: int,
    ) -> None:
        # Whatever history still holds can be recovered; history is bounded by count and age.
        self._recovery_max = recovery_max
        self._stream = stream
        self._history = history
        self._presence = presence
        self._broadcaster = broadcaster
        self._access = access
        self._metrics = metrics
        self._channels: dict[str, _ChannelState] = {}
        self._by_connection: dict[Connection, set[str]] = {}
        self._heartbeat: asyncio.Task[None] | None = None
        self._access_feed: Subscription | None = None
        self._rechecks: set[asyncio.Task[None]] = set()

    # --- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        self._heartbeat = asyncio.create_task(self._refresh_presence(), name="presence-heartbeat")
        self._access_feed = await self._broadcaster.subscribe(ACCESS_TOPIC, self._access_event)
        self._broadcaster.on_reconnected(self.resync_all)

    async def stop(self) -> None:
        if self._access_feed is not None:
            await self._access_feed.close()
            self._access_feed = None
        for task in list(self._rechecks):
            task.cancel()
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._heartbeat
        for name, state in list(self._channels.items()):
            await self._close_channel(name, state)

    # --- commands -----------------------------------------------------------------------------

    async def authorize(self, connection: Connection, name: str) -> Channel:
        channel = parse_channel(name)
        if channel is None:
            raise ChannelError(ErrorCode.UNKNOWN_CHANNEL, "unknown channel")
        user_id = connection.principal.user_id if connection.principal else None
        if not await self._access.may_subscribe(user_id, channel):
            raise ChannelError(ErrorCode.PERMISSION_DENIED, "permission denied")
        return channel

    async def subscribe(
        self, connection: Connection, command_id: int, params: dict[str, Any]
    ) -> None:
        """Subscribe, sending the reply and then what arrived meanwhile; raises ChannelError."""
        name = params.get("channel")
        if not isinstance(name, str):
            raise ChannelError(ErrorCode.BAD_REQUEST, "channel required")
        channel = await self.authorize(connection, name)
        if name in self._by_connection.get(connection, ()):
            raise ChannelError(ErrorCode.ALREADY_SUBSCRIBED, "already subscribed")
        member = _Member(join_leave=bool(params.get("join_leave")))
        state = self._channels.setdefault(name, _ChannelState())
        state.members[connection] = member
        self._by_connection.setdefault(connection, set()).add(name)
        self._metrics.subscriptions.inc()
        try:
            await self._ensure_stream(name, state, channel)
            result, last = await self._position(name, params)
        except Exception:
            await self.unsubscribe(connection, name)
            raise
        if connection not in state.members:
            return  # unsubscribed or disconnected meanwhile
        connection.send(f'{{"id":{command_id},"subscribe":{result}}}')
        buffered, member.buffer = member.buffer or [], None
        for offset, frame in buffered:
            if offset > last:
                connection.send(frame)
        if channel.has_presence and connection.principal is not None:
            await self._join(name, connection)

    async def unsubscribe(self, connection: Connection, name: str) -> None:
        names = self._by_connection.get(connection)
        if names is None or name not in names:
            return
        names.discard(name)
        if not names:
            del self._by_connection[connection]
        self._metrics.subscriptions.dec()
        state = self._channels.get(name)
        if state is None:
            return
        state.members.pop(connection, None)
        parsed = parse_channel(name)
        if parsed is not None and parsed.has_presence:
            await self._leave(name, connection)
        if not state.members:
            await self._close_channel(name, state)

    async def release(self, connection: Connection) -> None:
        """The connection closed: drop all its subscriptions."""
        for name in list(self._by_connection.get(connection, ())):
            await self.unsubscribe(connection, name)

    async def history(self, connection: Connection, params: dict[str, Any]) -> dict[str, Any]:
        name = str(params.get("channel", ""))
        await self.authorize(connection, name)
        limit = params.get("limit", 0)
        since = params.get("since") or {}
        reverse = bool(params.get("reverse"))
        if not isinstance(limit, int) or not isinstance(since, dict):
            raise ChannelError(ErrorCode.BAD_REQUEST, "bad history request")
        if limit == 0:
            top = await self._history.top(name)
            return {"epoch": top.epoch, "offset": top.offset}
        offset = since.get("offset", 0) if since else 0
        entries, top = await self._history.since(name, int(offset or 0))
        if reverse:
            entries = entries[::-1]
        if limit > 0:
            entries = entries[:limit]
        return {
            "publications": [_publication(e) for e in entries],
            "epoch": top.epoch,
            "offset": top.offset,
        }

    async def presence(self, connection: Connection, name: str) -> dict[str, Any]:
        await self.authorize(connection, name)
        members = await self._presence.members(name)
        return {
            "presence": {
                client: {
                    "client": info.client,
                    "user": info.user,
                    **({"conn_info": orjson.Fragment(info.conn_info)} if info.conn_info else {}),
                }
                for client, info in members.items()
            }
        }

    async def presence_stats(self, connection: Connection, name: str) -> dict[str, Any]:
        await self.authorize(connection, name)
        clients, users = await self._presence.stats(name)
        return {"num_clients": clients, "num_users": users}

    # --- access changes -----------------------------------------------------------------------

    async def on_events(self, events: Sequence[DomainEvent]) -> None:
        """Event consumer: after a membership change, every node re-checks that person's
        subscriptions (their sockets may be on any node)."""
        users = {
            event.data["user_id"]
            for event in events
            if event.type in ACCESS_EVENTS and isinstance(event.data.get("user_id"), int)
        }
        for user_id in sorted(users):
            await self._broadcaster.publish(ACCESS_TOPIC, str(user_id).encode())

    def _access_event(self, topic: str, payload: bytes) -> None:
        try:
            user_id = int(payload)
        except ValueError:
            log.warning("realtime.bad_access_message")
            return
        task = asyncio.create_task(self.recheck(user_id), name=f"access-recheck-{user_id}")
        self._rechecks.add(task)
        task.add_done_callback(self._rechecks.discard)

    async def recheck(self, user_id: int) -> None:
        """Unsubscribe this user's connections on this node from what they may no longer see,
        with an unsubscribe push that the SDKs do not retry."""
        for connection, names in list(self._by_connection.items()):
            if connection.principal is None or connection.principal.user_id != user_id:
                continue
            for name in list(names):
                channel = parse_channel(name)
                if channel is None:
                    continue
                try:
                    allowed = await self._access.may_subscribe(user_id, channel)
                except Exception:  # the store is away: the next change re-checks again
                    log.exception("realtime.access_recheck_failed", channel=name)
                    continue
                if allowed:
                    continue
                await self.unsubscribe(connection, name)
                connection.send(
                    orjson.dumps(
                        {
                            "push": {
                                "channel": name,
                                "unsubscribe": {
                                    "code": UNSUBSCRIBED_BY_SERVER,
                                    "reason": "permission denied",
                                },
                            }
                        }
                    ).decode()
                )

    # --- internals ----------------------------------------------------------------------------

    async def _ensure_stream(self, name: str, state: _ChannelState, channel: Channel) -> None:
        if state.opening is None:
            state.opening = asyncio.create_task(self._stream.subscribe(name, self._deliver))
            if channel.has_presence:
                state.presence_feed = await self._broadcaster.subscribe(
                    "presence:" + name, self._presence_event
                )
        await asyncio.shield(state.opening)

    async def _position(self, name: str, params: dict[str, Any]) -> tuple[str, int]:
        """The subscribe result (JSON) and the last offset it covers."""
        result: dict[str, Any] = {"recoverable": True, "positioned": True}
        if params.get("recover"):
            offset = int(params.get("offset") or 0)
            epoch = str(params.get("epoch") or "")
            entries, top = await self._history.since(name, offset, self._recovery_max + 1)
            recovered = _recovered(offset, epoch, entries, top, self._recovery_max)
            result.update(epoch=top.epoch, was_recovering=True, recovered=recovered)
            if recovered:
                self._metrics.recovered.inc()
                result["offset"] = offset
                if entries:
                    result["publications"] = [_publication(e) for e in entries]
                return orjson.dumps(result).decode(), top.offset
            self._metrics.unrecoverable.inc()
            result["offset"] = top.offset
            return orjson.dumps(result).decode(), top.offset
        top = await self._history.top(name)
        result.update(epoch=top.epoch, offset=top.offset)
        return orjson.dumps(result).decode(), top.offset

    def _deliver(self, channel: str, offset: int, epoch: str, data: bytes) -> None:
        state = self._channels.get(channel)
        if state is None or not state.members:
            return
        if state.last is not None:
            if epoch == state.epoch and offset <= state.last:
                return  # seen already
            if epoch != state.epoch or offset != state.last + 1:
                # Publications were lost on the way here (Redis restarted, or its pub/sub
                # dropped them): the members catch up from history instead.
                self._metrics.gaps.inc()
                log.warning("realtime.gap", channel=channel, last=state.last, offset=offset)
                self._resync(channel, state)
        state.last, state.epoch = offset, epoch
        # Encoded once per node and message; the same bytes go to every subscriber.
        frame = _pub_frame(channel, offset, data)
        wire = encode_text_frame(frame)
        for connection, member in state.members.items():
            if member.buffer is None:
                connection.send_shared(frame, wire)
            else:
                member.buffer.append((offset, frame))
        self._metrics.deliveries.inc(len(state.members))

    def resync_all(self) -> None:
        """After the fan-out was interrupted: every subscriber catches up from history."""
        for name, state in list(self._channels.items()):
            self._resync(name, state)

    def _resync(self, name: str, state: _ChannelState) -> None:
        """Send the channel's live members away with "insufficient state": the SDKs
        resubscribe at once with their last offset, and get what they missed from history
        (or ``recovered: false`` after a Redis restart, and the page reloads its data)."""
        state.last = state.epoch = None
        live = [c for c, m in state.members.items() if m.buffer is None]
        if not live:
            return
        frame = orjson.dumps(
            {
                "push": {
                    "channel": name,
                    "unsubscribe": {"code": INSUFFICIENT_STATE, "reason": "insufficient state"},
                }
            }
        ).decode()
        for connection in live:
            # Synchronously, so that the resubscribe that follows finds them gone. Presence
            # is kept: they come straight back, and a stale entry expires anyway.
            del state.members[connection]
            names = self._by_connection.get(connection)
            if names is not None:
                names.discard(name)
                if not names:
                    del self._by_connection[connection]
            self._metrics.subscriptions.dec()
            connection.send(frame)
        if not state.members:
            asyncio.get_running_loop().call_later(RESYNC_GRACE, self._close_if_unused, name, state)

    def _close_if_unused(self, name: str, state: _ChannelState) -> None:
        if self._channels.get(name) is state and not state.members:
            task = asyncio.create_task(self._close_channel(name, state))
            self._rechecks.add(task)
            task.add_done_callback(self._rechecks.discard)

    async def _close_channel(self, name: str, state: _ChannelState) -> None:
        self._channels.pop(name, None)
        opening, state.opening = state.opening, None
        if opening is not None:
            with contextlib.suppress(Exception):
                subscription = await opening
                await subscription.close()
        if state.presence_feed is not None:
            await state.presence_feed.close()
            state.presence_feed = None

    async def _join(self, name: str, connection: Connection) -> None:
        info = _info(connection)
        await self._presence.add(name, _presence_info(connection), PRESENCE_TTL)
        await self._broadcaster.publish(
            "presence:" + name, orjson.dumps({"join": {"info": info}, "channel": name})
        )

    async def _leave(self, name: str, connection: Connection) -> None:
        info = _info(connection)
        await self._presence.remove(name, info["client"])
        await self._broadcaster.publish(
            "presence:" + name, orjson.dumps({"leave": {"info": info}, "channel": name})
        )

    def _presence_event(self, topic: str, payload: bytes) -> None:
        message = orjson.loads(payload)
        name = message.pop("channel")
        state = self._channels.get(name)
        if state is None:
            return
        frame = orjson.dumps({"push": {"channel": name, **message}}).decode()
        wire = encode_text_frame(frame)
        for connection, member in state.members.items():
            if member.join_leave and member.buffer is None:
                connection.send_shared(frame, wire)

    async def _refresh_presence(self) -> None:
        while True:
            await asyncio.sleep(PRESENCE_REFRESH)
            for connection, names in list(self._by_connection.items()):
                for name in names:
                    state = self._channels.get(name)
                    if state is None or state.presence_feed is None:
                        continue
                    try:
                        await self._presence.add(name, _presence_info(connection), PRESENCE_TTL)
                    except Exception:  # Redis away: entries expire, and come back next round
                        log.warning("presence.refresh_failed", channel=name)


def _info(connection: Connection) -> dict[str, Any]:
    info: dict[str, Any] = {"client": connection.client_id, "user": connection.user}
    if connection.conn_info is not None:
        info["conn_info"] = orjson.Fragment(connection.conn_info)
    return info


def _presence_info(connection: Connection) -> PresenceInfo:
    return PresenceInfo(
        client=connection.client_id, user=connection.user, conn_info=connection.conn_info
    )


def _publication(entry: HistoryEntry) -> dict[str, Any]:
    return {"data": orjson.Fragment(entry.data), "offset": entry.offset}


def _recovered(
    offset: int, epoch: str, entries: list[HistoryEntry], top: StreamPosition, limit: int
) -> bool:
    """As the Go server decides: same epoch (an empty one matches), and history holds an
    unbroken run from ``offset + 1`` to the top, within the recovery limit."""
    if epoch and epoch != top.epoch:
        return False
    if offset == top.offset:
        return True
    if offset > top.offset or not entries or len(entries) > limit:
        return False
    return entries[0].offset == offset + 1 and entries[-1].offset == top.offset
