"""One client connection: an ordered outgoing queue, command dispatch, ping bookkeeping."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import structlog
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from hubdeck import __version__
from hubdeck.core.errors import Unauthenticated
from hubdeck.services.auth import Principal
from hubdeck.web.realtime.broker import ChannelError
from hubdeck.web.realtime.direct import DIRECT_SEND, DirectSend, encode_text_frame
from hubdeck.web.realtime.protocol import (
    PING_FRAME,
    BadFrame,
    Command,
    DisconnectCode,
    ErrorCode,
    close_reason,
    error_reply,
    parse_frame,
    reply,
)

if TYPE_CHECKING:
    from hubdeck.web.realtime.node import RealtimeNode

log = structlog.get_logger(__name__)

PING_WIRE = encode_text_frame(PING_FRAME)


@dataclass(frozen=True, slots=True)
class _Close:
    code: int
    reason: str


class Connection:
    """Everything sent goes through one queue and one writer task, so the order "reply before
    publications" and "queued messages before close" holds without locks. A publication may
    skip the queue and go straight to the socket (``send_shared``), but only while nothing is
    queued or being written, so it never overtakes anything."""

    def __init__(
        self,
        websocket: WebSocket,
        node: RealtimeNode,
        *,
        session_id: str | None,
        max_queued_bytes: int,
    ) -> None:
        self.websocket = websocket
        self.node = node
        self.client_id = str(uuid.uuid4())
        self.principal: Principal | None = None
        self.conn_info: bytes | None = None
        self._session_id = session_id
        self._max_queued_bytes = max_queued_bytes
        self._queue: deque[str | _Close] = deque()
        self._queued_bytes = 0
        self._wakeup = asyncio.Event()
        self._writing = False
        self._direct: DirectSend | None = websocket.scope.get("extensions", {}).get(DIRECT_SEND)
        if self._direct is not None:
            self._direct.on_pong = self._ponged
        self._closing = False
        self.connected = False
        self.awaiting_pong = False
        # Which of the node's ping rounds this connection is in (RealtimeNode spreads pings).
        self.ping_slot = 0

    @property
    def user(self) -> str:
        return "" if self.principal is None else str(self.principal.user_id)

    # --- outgoing -------------------------------------------------------------------------

    def send(self, frame: str) -> None:
        """Queue a frame; a client that cannot keep up is disconnected instead of buffered
        without bound (it reconnects and recovers what it missed from history)."""
        if self._closing:
            return
        self._queued_bytes += len(frame)
        if self._queued_bytes > self._max_queued_bytes:
            self.close(DisconnectCode.SLOW)
            return
        self._queue.append(frame)
        self._wakeup.set()

    def send_shared(self, text: str, wire: bytes) -> None:
        """Send a frame many connections get: ``wire`` is its WebSocket encoding, made once
        for all of them. Written at once when the socket allows it; no task is woken."""
        direct = self._direct
        if direct is None or self._queue or self._writing or self._closing:
            self.send(text)
            return
        backlog = direct(wire)
        if backlog is not None and backlog > self._max_queued_bytes:
            # The kernel's buffer is full and the transport's is growing: the client does
            # not read. It reconnects and recovers from history.
            self.close(DisconnectCode.SLOW)

    @property
    def closing(self) -> bool:
        return self._closing

    def close(self, code: DisconnectCode, reason: str | None = None) -> None:
        if self._closing:
            return
        if code is DisconnectCode.SLOW:
            self.node.metrics.slow_disconnects.inc()
        self._closing = True
        self._queue.append(_Close(int(code), close_reason(code, reason)))
        self._wakeup.set()

    def _ponged(self) -> None:
        self.awaiting_pong = False

    def ping(self) -> None:
        self.awaiting_pong = True
        # The same bytes for every connection: straight to the socket, as publications go.
        self.send_shared(PING_FRAME, PING_WIRE)

    async def writer(self) -> None:
        websocket = self.websocket
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            # Everything queued now goes in one frame: fewer syscalls and frames under load.
            batch: list[str] = []
            close: _Close | None = None
            while self._queue:
                item = self._queue.popleft()
                if isinstance(item, _Close):
                    close = item
                    break
                batch.append(item)
            self._queued_bytes = 0
            if batch:
                self._writing = True
                try:
                    await websocket.send_text("\n".join(batch))
                finally:
                    self._writing = False
            if close is not None:
                if websocket.application_state == WebSocketState.CONNECTED:
                    await websocket.close(code=close.code, reason=close.reason)
                return

    # --- incoming -------------------------------------------------------------------------

    async def reader(self) -> None:
        websocket = self.websocket
        try:
            while not self._closing:
                message = await websocket.receive()
                if message["type"] == "websocket.disconnect":
                    return
                text = message.get("text")
                if text is None:  # binary frames are the protobuf format, which is not served
                    self.close(DisconnectCode.BAD_REQUEST, "binary frames are not supported")
                    return
                try:
                    commands = parse_frame(text)
                except BadFrame as error:
                    log.info("realtime.bad_frame", client=self.client_id, error=str(error))
                    self.close(DisconnectCode.BAD_REQUEST)
                    return
                for command in commands:
                    if self._closing:
                        break
                    # Sent one by one, in order; the writer still packs whatever is queued
                    # together into one frame.
                    answer = await self._dispatch(command)
                    if answer is not None:
                        self.send(answer)
        except WebSocketDisconnect:
            return

    async def _dispatch(self, command: Command) -> str | None:
        if command.method is None:
            self.awaiting_pong = False
            return None
        if command.method == "connect":
            return await self._connect(command)
        if not self.connected:
            # As the Go server does: anything before connect is a protocol violation.
            self.close(DisconnectCode.BAD_REQUEST, "connect first")
            return None
        try:
            return await self._command(command)
        except ChannelError as error:
            return error_reply(command.id, error.code, error.message)
        except Exception:
            # A failure behind one command (Redis away, a bug) answers that command with a
            # temporary error, which the SDKs retry; the connection and its other
            # subscriptions go on.
            log.exception("realtime.command_failed", method=command.method)
            return error_reply(command.id, ErrorCode.INTERNAL, "internal error", temporary=True)

    async def _command(self, command: Command) -> str | None:
        broker = self.node.broker
        params = command.params
        match command.method:
            case "send":
                return None
            case "subscribe":
                await broker.subscribe(self, command.id, params)
                return None
            case "unsubscribe":
                await broker.unsubscribe(self, str(params.get("channel", "")))
                return reply(command.id, "unsubscribe", {})
            case "history":
                return reply(command.id, "history", await broker.history(self, params))
            case "presence":
                result = await broker.presence(self, str(params.get("channel", "")))
                return reply(command.id, "presence", result)
            case "presence_stats":
                result = await broker.presence_stats(self, str(params.get("channel", "")))
                return reply(command.id, "presence_stats", result)
            case "rpc" if params.get("method") == "ping":
                # Lets clients measure the round trip through the whole stack.
                return reply(command.id, "rpc", {"data": {}})
            case "rpc" if self.node.rpc is not None:
                user_id = self.principal.user_id if self.principal else None
                # Answered when done, beside this loop: pongs behind a slow call still count.
                self.node.rpc.call(self, command.id, user_id, self.client_id, params)
                return None
            case "refresh":
                # Connections do not expire (no ``expires`` in the connect reply); a refresh
                # changes nothing and says so.
                return reply(command.id, "refresh", {"client": self.client_id, "expires": False})
            case "publish":
                return error_reply(
                    command.id, ErrorCode.PERMISSION_DENIED, "clients do not publish"
                )
            case _:
                return error_reply(command.id, ErrorCode.METHOD_NOT_FOUND, "method not found")

    async def _connect(self, command: Command) -> str | None:
        if self.connected:
            self.close(DisconnectCode.BAD_REQUEST, "already connected")
            return None
        token = command.params.get("token")
        auth = self.node.authenticator
        try:
            if isinstance(token, str) and token:
                self.principal = auth.verify_connect_token(token)
            elif self._session_id:
                self.principal = await auth.session_principal(self._session_id)
        except Unauthenticated as error:
            # Terminal: retrying with the same credentials cannot succeed.
            self.close(DisconnectCode.INVALID_TOKEN, error.message)
            return None
        self.connected = True
        if self.principal is not None:
            # Shown to others in presence: who is looking, not just a number.
            self.conn_info = await self.node.describe_user(self.principal.user_id)
        self.node.register(self)
        await self.node.session_opened(self)
        result: dict[str, Any] = {
            "client": self.client_id,
            "version": __version__,
            "ping": self.node.ping_interval,
            "pong": True,
        }
        if self.principal is not None:
            result["data"] = {"user": self.principal.user_id}
        return reply(command.id, "connect", result)

    async def serve(self) -> None:
        """Run until either side closes."""
        writer = asyncio.create_task(self.writer(), name=f"ws-writer-{self.client_id}")
        try:
            await self.reader()
        finally:
            if self._direct is not None:
                self._direct.on_pong = None  # no cycle left between socket and connection
            await self.node.unregister(self)
            if not self._closing:
                self._closing = True
                self._queue.clear()
                writer.cancel()
            # The peer may be gone already; a failed final send changes nothing.
            with contextlib.suppress(
                asyncio.CancelledError, WebSocketDisconnect, RuntimeError, OSError
            ):
                await writer
