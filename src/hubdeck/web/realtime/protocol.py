"""Centrifuge client protocol v2, JSON format: frames, codes and encoding.

Wire facts (see docs/realtime.md): one text frame carries one or more JSON objects separated by
a single ``\\n``; a command is ``{"id": N, "<method>": {...}}``; a reply echoes the id; a push has
no id; the empty object is a ping (server to client) or a pong (client to server). Disconnects
travel as WebSocket close frames with a code and a plain-text reason of at most 123 bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import orjson

METHODS = frozenset(
    {
        "connect",
        "subscribe",
        "unsubscribe",
        "publish",
        "presence",
        "presence_stats",
        "history",
        "rpc",
        "send",
        "refresh",
        "sub_refresh",
    }
)

PING_FRAME = "{}"


class DisconnectCode(IntEnum):
    """Close codes. 3000–3499 and 4000–4499 make clients reconnect; 3500–3999 and 4500–4999 are
    terminal (the SDKs stop retrying)."""

    SHUTDOWN = 3001
    INTERNAL = 3004
    SLOW = 3008
    FORCE_RECONNECT = 3011
    NO_PONG = 3012
    INVALID_TOKEN = 3500
    BAD_REQUEST = 3501
    FORCE_DISCONNECT = 3503
    PERMISSION_DENIED = 3507


REASONS = {
    DisconnectCode.SHUTDOWN: "shutdown",
    DisconnectCode.INTERNAL: "internal server error",
    DisconnectCode.SLOW: "slow",
    DisconnectCode.FORCE_RECONNECT: "force reconnect",
    DisconnectCode.NO_PONG: "no pong",
    DisconnectCode.INVALID_TOKEN: "invalid token",
    DisconnectCode.BAD_REQUEST: "bad request",
    DisconnectCode.FORCE_DISCONNECT: "force disconnect",
    DisconnectCode.PERMISSION_DENIED: "permission denied",
}


class ErrorCode(IntEnum):
    """Reply error codes; below 100 or ``temporary`` means "retry", anything else is final."""

    INTERNAL = 100
    UNAUTHORIZED = 101
    UNKNOWN_CHANNEL = 102
    PERMISSION_DENIED = 103
    METHOD_NOT_FOUND = 104
    ALREADY_SUBSCRIBED = 105
    LIMIT_EXCEEDED = 106
    BAD_REQUEST = 107
    NOT_AVAILABLE = 108
    TOKEN_EXPIRED = 109


class BadFrame(Exception):
    """The client sent something that is not a protocol command."""


@dataclass(frozen=True, slots=True)
class Command:
    id: int
    method: str | None  # None: a pong
    params: dict[str, Any]


def parse_frame(text: str) -> list[Command]:
    """Split a frame into commands; raise BadFrame for anything malformed."""
    commands: list[Command] = []
    for line in text.split("\n"):
        if not line.strip():
            continue  # the SDKs never send blank lines, but tolerating them costs nothing
        try:
            message = orjson.loads(line)
        except orjson.JSONDecodeError:
            raise BadFrame("not JSON") from None
        commands.append(_command(message))
    return commands


def _command(message: object) -> Command:
    if not isinstance(message, dict):
        raise BadFrame("a command must be a JSON object")
    raw_id = message.get("id", 0)
    if not isinstance(raw_id, int) or isinstance(raw_id, bool) or raw_id < 0:
        raise BadFrame("command id must be a non-negative integer")
    methods = [key for key in message if key != "id"]
    if not methods:
        return Command(id=raw_id, method=None, params={})
    if len(methods) != 1:
        raise BadFrame("a command carries exactly one method")
    method = methods[0]
    params = message[method]
    if method not in METHODS:
        # Unknown methods get a 104 reply rather than a disconnect: newer SDKs may send them.
        return Command(id=raw_id, method=method, params={})
    if not isinstance(params, dict):
        raise BadFrame(f"{method} parameters must be an object")
    if raw_id == 0 and method != "send":
        raise BadFrame(f"{method} needs an id")
    return Command(id=raw_id, method=method, params=params)


def encode(message: dict[str, Any]) -> str:
    return orjson.dumps(message).decode()


def reply(command_id: int, method: str, result: dict[str, Any]) -> str:
    return encode({"id": command_id, method: result})


def error_reply(command_id: int, code: ErrorCode, message: str, temporary: bool = False) -> str:
    error: dict[str, Any] = {"code": int(code), "message": message}
    if temporary:
        error["temporary"] = True
    return encode({"id": command_id, "error": error})


def close_reason(code: DisconnectCode, reason: str | None = None) -> str:
    """A close reason that fits a close frame and that the js SDK will not parse as JSON."""
    text = (reason or REASONS.get(code, "disconnect")).encode()[:115].decode(errors="ignore")
    try:
        orjson.loads(text)
    except orjson.JSONDecodeError:
        return text
    # The js SDK parses reasons as legacy JSON "advice", which changes its reconnect decision.
    return "reason: " + text
