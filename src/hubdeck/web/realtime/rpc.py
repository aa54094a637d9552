"""RPC over the socket: the Centrifuge ``rpc`` command, dispatched to handlers by method name.

Handlers are registered by the composition root; they get who is calling and the call's
``data``, and return the reply's ``data``. Domain errors become reply errors here, at the edge:

| Error | Code |
| --- | --- |
| not signed in, PermissionDenied | 103 permission denied |
| unknown method | 104 method not found |
| InvalidInput, BadRequest, malformed data | 107 bad request |
| NotFound | 1404 |
| Conflict | 1409 |
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

import structlog

from hubdeck.core.errors import (
    BadRequest,
    Conflict,
    HubDeckError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Unauthenticated,
)
from hubdeck.web.realtime.protocol import ErrorCode, encode, error_reply, reply

log = structlog.get_logger(__name__)

# Application error codes (Centrifuge leaves codes from 1000 up to applications); the HTTP
# status they stand for, plus 1000.
NOT_FOUND = 1404
CONFLICT = 1409


@dataclass(frozen=True, slots=True)
class Caller:
    user_id: int
    client: str  # the connection's client id, as presence lists it


RpcHandler = Callable[[Caller, dict[str, Any]], Awaitable[dict[str, Any]]]


class RpcError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _code(error: HubDeckError) -> int:
    if isinstance(error, PermissionDenied | Unauthenticated):
        return int(ErrorCode.PERMISSION_DENIED)
    if isinstance(error, NotFound):
        return NOT_FOUND
    if isinstance(error, Conflict):
        return CONFLICT
    if isinstance(error, InvalidInput | BadRequest):
        return int(ErrorCode.BAD_REQUEST)
    return int(ErrorCode.INTERNAL)


class Sender(Protocol):
    def send(self, frame: str) -> None: ...


class RpcDispatcher:
    """Runs each connection's calls one after the other, in the order they came, but beside
    the connection's reader: a call that waits (for a busy dashboard) never holds up the
    pongs behind it, which would get the connection closed for "no pong"."""

    def __init__(self) -> None:
        self._handlers: dict[str, RpcHandler] = {}
        # The last call of each connection still running: the next one waits for it.
        self._lanes: dict[str, asyncio.Task[None]] = {}

    def register(self, method: str, handler: RpcHandler) -> None:
        if method in self._handlers:
            raise ValueError(f"rpc method {method!r} registered twice")
        self._handlers[method] = handler

    def call(
        self,
        connection: Sender,
        command_id: int,
        user_id: int | None,
        client: str,
        params: dict[str, Any],
    ) -> None:
        """Answer an ``rpc`` command through ``connection.send`` once the connection's
        earlier calls are answered."""
        previous = self._lanes.get(client)
        task = asyncio.create_task(
            self._run(previous, connection, command_id, user_id, client, params),
            name=f"rpc-{client}-{command_id}",
        )
        self._lanes[client] = task

        def done(finished: asyncio.Task[None]) -> None:
            if self._lanes.get(client) is finished:
                del self._lanes[client]

        task.add_done_callback(done)

    async def _run(
        self,
        previous: asyncio.Task[None] | None,
        connection: Sender,
        command_id: int,
        user_id: int | None,
        client: str,
        params: dict[str, Any],
    ) -> None:
        if previous is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(previous)
        try:
            frame = await self.dispatch(command_id, user_id, client, params)
        except Exception:
            # As for every command: a failure behind one call answers it with a temporary
            # error, and the connection goes on.
            log.exception("realtime.rpc_failed", method=params.get("method"))
            frame = error_reply(command_id, ErrorCode.INTERNAL, "internal error", temporary=True)
        connection.send(frame)

    async def dispatch(
        self, command_id: int, user_id: int | None, client: str, params: dict[str, Any]
    ) -> str:
        """The reply frame to one ``rpc`` command."""
        method = params.get("method")
        handler = self._handlers.get(method) if isinstance(method, str) else None
        if handler is None:
            return error_reply(command_id, ErrorCode.METHOD_NOT_FOUND, "method not found")
        if user_id is None:
            return error_reply(command_id, ErrorCode.PERMISSION_DENIED, "sign in first")
        data = params.get("data", {})
        if not isinstance(data, dict):
            return error_reply(command_id, ErrorCode.BAD_REQUEST, "data must be an object")
        try:
            result = await handler(Caller(user_id, client), data)
        except RpcError as error:
            return _error(command_id, error.code, error.message)
        except HubDeckError as error:
            return _error(command_id, _code(error), error.message)
        return reply(command_id, "rpc", {"data": result})


def _error(command_id: int, code: int, message: str) -> str:
    # The protocol's error shape, with application codes too.
    return encode({"id": command_id, "error": {"code": code, "message": message}})
