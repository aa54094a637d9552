"""Client worker for bench/fanout.py: thousands of raw WebSocket connections in one process.

Driven over stdin/stdout, one JSON object a line each way. Connections are kept in named
groups (one per server under test), each with its own counters:
  {"cmd": "connect", "group", "port", "dialect", "count", "token", "channel", "batch"}
  {"cmd": "reset", "group", "latency": bool}  zero the counters; record latencies, or only count
  {"cmd": "received", "group"}                {"received"}
  {"cmd": "stats", "group"}                   {"received", "buckets", "latencies_ms", ...}
  {"cmd": "close", "group"?}                  close the group's connections (all without one)

The WebSocket client is a bare asyncio Protocol (RFC 6455 framing, about 80 lines) rather than
the ``websockets`` library or the Centrifuge SDK: with 5,000 connections on a 2-core machine
the clients share the CPU with the server, so what a client spends per frame must be small and
the same for all three servers. Publications are counted with ``bytes.count`` on the frame and
timestamps parsed with one regular expression, both in C.
"""

from __future__ import annotations

import asyncio
import base64
import gc
import os
import re
import sys
import time
from collections.abc import Callable
from typing import Any, cast

import orjson
import uvloop

from fanout_common import MARKER, raise_open_files_limit

# python-socketio's JSON has no space after the colon either, but a space costs nothing here.
_TIMESTAMP = re.compile(re.escape(MARKER) + rb": ?([0-9.]+)")
_BUCKETS_PER_SECOND = 10  # receive counts are kept per 100 ms


class Counters:
    """Shared by the connections of one group (one server); reset between measurements."""

    def __init__(self) -> None:
        self.latency = False
        self.received = 0
        self.buckets: dict[int, int] = {}
        self.latencies_ms: list[float] = []
        self.closed = 0  # connections the server closed during the measurement
        self.close_codes: dict[int, int] = {}

    def reset(self, latency: bool) -> None:
        self.latency = latency
        self.received = self.closed = 0
        self.buckets, self.latencies_ms, self.close_codes = {}, [], {}

    def publications(self, frame: bytes, now: float) -> None:
        count = frame.count(MARKER)
        if not count:
            return
        self.received += count
        bucket = int(now * _BUCKETS_PER_SECOND)
        self.buckets[bucket] = self.buckets.get(bucket, 0) + count
        if self.latency:
            for sent in _TIMESTAMP.findall(frame):
                self.latencies_ms.append((now - float(sent)) * 1000.0)


class WsClient(asyncio.Protocol):
    """One connection. Subclasses speak a protocol: ``opened`` and ``message``."""

    path = "/"

    def __init__(self, host: str, port: int, counters: Counters, params: dict[str, Any]):
        self.host, self.port = host, port
        self.counters = counters
        self.params = params
        self.ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None
        self._buffer = bytearray()
        self._handshaking = True
        self._fragments: list[bytes] = []
        self._closing = False

    # --- transport ----------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports implement asyncio.Transport without subclassing it.
        self.transport = cast(asyncio.Transport, transport)
        key = base64.b64encode(os.urandom(16)).decode()
        self.transport.write(
            (
                f"GET {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.ready.done():
            self.ready.set_exception(ConnectionError(f"closed before ready: {exc}"))
        elif not self._closing:
            self.counters.closed += 1

    def data_received(self, data: bytes) -> None:
        buffer = self._buffer
        buffer += data
        if self._handshaking:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(buffer[: buffer.find(b"\r\n")])
            if b" 101 " not in status:
                self._fail(f"handshake refused: {status.decode(errors='replace')}")
                return
            del buffer[: end + 4]
            self._handshaking = False
            self.opened()
        # One clock read per read from the socket: frames that arrived together share it.
        now = time.time()
        position, size = 0, len(buffer)
        while size - position >= 2:
            length = buffer[position + 1] & 0x7F
            head = 2
            if length == 126:
                if size - position < 4:
                    break
                length, head = int.from_bytes(buffer[position + 2 : position + 4]), 4
            elif length == 127:
                if size - position < 10:
                    break
                length, head = int.from_bytes(buffer[position + 2 : position + 10]), 10
            end = position + head + length
            if end > size:
                break
            self._frame(buffer[position], bytes(buffer[position + head : end]), now)
            position = end
        if position:
            del buffer[:position]

    def _frame(self, first: int, body: bytes, now: float) -> None:
        opcode = first & 0x0F
        if opcode in (0, 1, 2):  # data; servers do not fragment here, but it costs little
            if not first & 0x80:
                self._fragments.append(body)
                return
            if self._fragments:
                body = b"".join([*self._fragments, body])
                self._fragments.clear()
            self.message(body, now)
        elif opcode == 0x9:  # uvicorn's keepalive ping (every 20 s): answer or be dropped
            self._send(0xA, body)
        elif opcode == 0x8:
            code = int.from_bytes(body[:2]) if len(body) >= 2 else 1005
            if self.ready.done() and not self._closing:
                codes = self.counters.close_codes
                codes[code] = codes.get(code, 0) + 1
            self._fail(f"closed by the server: {code} {body[2:].decode(errors='replace')}")

    def _send(self, opcode: int, data: bytes) -> None:
        """A masked frame, as clients must send; our messages are all under 64 KiB."""
        if self.transport is None or self.transport.is_closing():
            return
        mask = os.urandom(4)
        size = len(data)
        head = bytes([0x80 | opcode, 0x80 | size]) if size < 126 else bytes([0x80 | opcode, 0xFE])
        if size >= 126:
            head += size.to_bytes(2)
        key = int.from_bytes((mask * (size // 4 + 1))[:size])
        masked = (int.from_bytes(data) ^ key).to_bytes(size) if size else b""
        self.transport.write(head + mask + masked)

    def send_text(self, text: bytes) -> None:
        self._send(0x1, text)

    def close(self) -> None:
        self._closing = True
        self._send(0x8, (1000).to_bytes(2))
        if self.transport is not None:
            self.transport.close()

    def _fail(self, reason: str) -> None:
        if not self.ready.done():
            self.ready.set_exception(ConnectionError(reason))
        if self.transport is not None:
            self.transport.close()

    # --- protocol -----------------------------------------------------------------------------

    def opened(self) -> None:
        raise NotImplementedError

    def message(self, text: bytes, now: float) -> None:
        raise NotImplementedError


class CentrifugeClient(WsClient):
    """Centrifuge protocol v2, JSON: connect, subscribe, answer pings, count publications."""

    path = "/connection/websocket"

    def opened(self) -> None:
        token, channel = self.params["token"], self.params["channel"]
        self.send_text(orjson.dumps({"id": 1, "connect": {"token": token}}))
        self.send_text(orjson.dumps({"id": 2, "subscribe": {"channel": channel}}))

    def message(self, text: bytes, now: float) -> None:
        if self.ready.done():
            self.counters.publications(text, now)
            # A ping is the line "{}", possibly batched with publications in one frame.
            if text == b"{}" or text.startswith(b"{}\n") or b"\n{}" in text:
                self.send_text(b"{}")
            return
        for line in text.split(b"\n"):
            reply = orjson.loads(line) if line else {}
            if "error" in reply:
                self._fail(f"refused: {line.decode()}")
            elif reply.get("id") == 2:
                self.ready.set_result(None)
            elif not reply:
                self.send_text(b"{}")


class SocketIOClient(WsClient):
    """Engine.IO v4 / Socket.IO v5 over a WebSocket: open, connect "/", join the room with an
    acknowledgement, answer pings ("2" → "3"), count events ("42[...]")."""

    path = "/socket.io/?EIO=4&transport=websocket"

    def opened(self) -> None:
        pass  # the server speaks first: "0{...}"

    def message(self, text: bytes, now: float) -> None:
        if text.startswith(b"42"):
            self.counters.publications(text, now)
        elif text == b"2":
            self.send_text(b"3")
        elif text.startswith(b"0{"):
            self.send_text(b"40")
        elif text.startswith(b"40"):
            self.send_text(b'421["join",' + orjson.dumps(self.params["channel"]) + b"]")
        elif text.startswith(b"431") and not self.ready.done():
            self.ready.set_result(None)
        elif text.startswith((b"44", b"41", b"1")):
            self._fail(f"refused: {text.decode(errors='replace')}")


class PlainClient(WsClient):
    """The Starlette loop: it says "ready" once the socket is in its set; then text frames."""

    path = "/ws"

    def opened(self) -> None:
        pass

    def message(self, text: bytes, now: float) -> None:
        if self.ready.done():
            self.counters.publications(text, now)
        elif text == b"ready":
            self.ready.set_result(None)


def _returning(client: WsClient) -> Callable[[], WsClient]:
    """A protocol factory for ``create_connection`` that hands over an existing client."""
    return lambda: client


DIALECTS: dict[str, type[WsClient]] = {
    "centrifuge": CentrifugeClient,
    "socketio": SocketIOClient,
    "plain": PlainClient,
}


class Group:
    """The connections to one server, with their own counters."""

    def __init__(self) -> None:
        self.counters = Counters()
        self.clients: list[WsClient] = []


class Worker:
    def __init__(self) -> None:
        self.groups: dict[str, Group] = {}

    async def connect(self, cmd: dict[str, Any]) -> dict[str, Any]:
        """Open ``count`` connections, ``batch`` at a time, each until it is subscribed."""
        loop = asyncio.get_running_loop()
        group = self.groups.setdefault(cmd["group"], Group())
        kind = DIALECTS[cmd["dialect"]]
        host, port = "127.0.0.1", int(cmd["port"])
        errors: list[str] = []
        started = time.perf_counter()
        remaining, batch_size = int(cmd["count"]), int(cmd["batch"])
        while remaining > 0:
            size = min(batch_size, remaining)
            batch = [kind(host, port, group.counters, cmd) for _ in range(size)]
            remaining -= size
            opened = await asyncio.gather(
                *(loop.create_connection(_returning(c), host, port) for c in batch),
                return_exceptions=True,
            )
            live = []
            for client, result in zip(batch, opened, strict=True):
                if isinstance(result, BaseException):
                    errors.append(repr(result))
                else:
                    live.append(client)
            results = await asyncio.gather(
                *(asyncio.wait_for(c.ready, 60) for c in live), return_exceptions=True
            )
            for client, result in zip(live, results, strict=True):
                if isinstance(result, BaseException):
                    errors.append(repr(result))
                    client.close()
                else:
                    group.clients.append(client)
        # What the client machinery holds for good need not be walked by the collector.
        gc.collect()
        gc.freeze()
        return {
            "connected": len(group.clients),
            "errors": errors[:5],
            "failed": len(errors),
            "seconds": round(time.perf_counter() - started, 3),
        }

    def stats(self, group: Group) -> dict[str, Any]:
        c = group.counters
        return {
            "received": c.received,
            "buckets": c.buckets,
            "latencies_ms": [round(x, 3) for x in c.latencies_ms],
            "closed": c.closed,
            "close_codes": c.close_codes,
            "open": len(group.clients),
        }

    async def close(self, name: str | None) -> dict[str, Any]:
        names = list(self.groups) if name is None else [name]
        closed = 0
        for group in (self.groups.pop(n, None) for n in names):
            if group is None:
                continue
            for client in group.clients:
                client.close()
            closed += len(group.clients)
        await asyncio.sleep(0.2)  # let the close frames go out
        gc.unfreeze()
        gc.collect()
        return {"closed": closed}

    async def handle(self, cmd: dict[str, Any]) -> dict[str, Any]:
        group = self.groups.get(cmd.get("group", ""), Group())
        match cmd["cmd"]:
            case "connect":
                return await self.connect(cmd)
            case "reset":
                group.counters.reset(bool(cmd.get("latency")))
                return {}
            case "stats":
                return self.stats(group)
            case "received":
                return {"received": group.counters.received}
            case "close":
                return await self.close(cmd.get("group"))
        raise ValueError(f"unknown command {cmd!r}")


async def serve() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=1 << 20)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    worker = Worker()
    while line := await reader.readline():
        answer = await worker.handle(orjson.loads(line))
        sys.stdout.buffer.write(orjson.dumps(answer, option=orjson.OPT_NON_STR_KEYS) + b"\n")
        sys.stdout.buffer.flush()
    await worker.close(None)


def main() -> None:
    raise_open_files_limit()
    # The clients' own garbage (frames, floats) holds no cycles; fewer collections, less noise.
    gc.set_threshold(100_000, 50, 100)
    uvloop.run(serve())


if __name__ == "__main__":
    main()
