"""Client worker for bench/fanout.py: thousands of raw WebSocket connections in one process.

Driven over stdin/stdout, one JSON object a line each way. Connections are kept in named
groups (one per server under test), each with its own counters:
  {"cmd": "connect", "group", "ports", "dialect", "count", "token", "channel", "batch"}
  {"cmd": "reset", "group", "latency": bool}  zero the counters; record latencies, or only count
  {"cmd": "received", "group"}                {"received"}
  {"cmd": "stats", "group"}                   {"received", "buckets", "latencies_ms", ...}
  {"cmd": "close", "group"?}                  close the group's connections (all without one)

The WebSocket client is a bare non-blocking socket read with ``recvmsg`` from the event loop
(RFC 6455 framing, about 80 lines) rather than the ``websockets`` library or the Centrifuge
SDK: with 5,000 connections on a 2-core machine the clients share the CPU with the server, so
what a client spends per frame must be small and the same for all three servers. A read costs
one Python call: frames are delimited, publications counted with one ``bytes.count`` over the
read, and the read kept with its clock; timestamps are parsed only when the window is over.
Only frames that need an answer or change state (replies, pings, closes) are looked at one
by one.

Each read carries two clocks. ``time.time()`` when the client read it (the "receive" latency,
which includes the wait for this process to get a core and reach the socket), and the kernel's
receive timestamp of the data (``SO_TIMESTAMPNS``; on loopback, the moment the server's write
put the bytes into this socket): the "arrival" latency, the server's part alone.
"""

from __future__ import annotations

import asyncio
import base64
import gc
import os
import re
import socket
import struct
import sys
import time
from typing import Any

import orjson
import uvloop

from fanout_common import MARKER, raise_open_files_limit

# python-socketio's JSON has no space after the colon either, but a space costs nothing here.
_TIMESTAMP = re.compile(re.escape(MARKER) + rb": ?([0-9.]+)")
_BUCKETS_PER_SECOND = 10  # receive counts are kept per 100 ms
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # Linux; absent from Python's constants
_TIMESPEC = struct.Struct("qq")
_ANCILLARY = socket.CMSG_SPACE(_TIMESPEC.size)
_READ_SIZE = 1 << 16


class Counters:
    """Shared by the connections of one group (one server); reset between measurements."""

    def __init__(self) -> None:
        self.latency = False
        self.received = 0
        self.buckets: dict[int, int] = {}
        # (read at, arrived at, the frames read): parsed after the window, not while reading.
        self.reads: list[tuple[float, float, bytes]] = []
        self.closed = 0  # connections the server closed during the measurement
        self.close_codes: dict[int, int] = {}

    def reset(self, latency: bool) -> None:
        self.latency = latency
        self.received = self.closed = 0
        self.buckets, self.reads, self.close_codes = {}, [], {}

    def latencies(self) -> tuple[list[float], list[float]]:
        """Receive and arrival latencies in ms, one of each per publication received."""
        received: list[float] = []
        arrived: list[float] = []
        for read_at, arrived_at, frames in self.reads:
            for sent in _TIMESTAMP.findall(frames):
                sent_at = float(sent)
                received.append(round((read_at - sent_at) * 1000.0, 3))
                arrived.append(round((arrived_at - sent_at) * 1000.0, 3))
        return received, arrived


def _masked(opcode: int, data: bytes) -> bytes:
    """A masked frame, as clients must send; our messages are all under 64 KiB."""
    mask = os.urandom(4)
    size = len(data)
    head = bytes([0x80 | opcode, 0x80 | size]) if size < 126 else bytes([0x80 | opcode, 0xFE])
    if size >= 126:
        head += size.to_bytes(2)
    key = int.from_bytes((mask * (size // 4 + 1))[:size])
    masked = (int.from_bytes(data) ^ key).to_bytes(size) if size else b""
    return head + mask + masked


class WsClient:
    """One connection. Subclasses speak a protocol: ``opened`` and ``message``; frames whose
    body starts with ``plain`` (the publications) skip ``message`` unless ``watch`` occurs in
    the read (a ping that the server packed into the same frame as publications)."""

    path = "/"
    plain = b"\x00"
    watch: bytes | None = None

    def __init__(self, host: str, port: int, counters: Counters, params: dict[str, Any]):
        self.host, self.port = host, port
        self.counters = counters
        self.params = params
        self.loop = asyncio.get_running_loop()
        self.ready: asyncio.Future[None] = self.loop.create_future()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setblocking(False)
        self._reading = False
        self._buffer = b""
        self._handshaking = True
        self._fragments: list[bytes] = []
        self._closing = False
        self._closed = False
        self._sending: set[asyncio.Task[None]] = set()

    async def open(self) -> None:
        await self.loop.sock_connect(self.sock, (self.host, self.port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        self.loop.add_reader(self.sock.fileno(), self._readable)
        self._reading = True
        key = base64.b64encode(os.urandom(16)).decode()
        self._write(
            (
                f"GET {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )

    # --- socket -------------------------------------------------------------------------------

    def _readable(self) -> None:
        try:
            data, ancillary, _, _ = self.sock.recvmsg(_READ_SIZE, _ANCILLARY)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as error:
            self._lost(error)
            return
        if not data:
            self._lost(None)
            return
        read_at = time.time()
        arrived_at = read_at
        if ancillary:
            seconds, nanoseconds = _TIMESPEC.unpack(ancillary[0][2])
            arrived_at = seconds + nanoseconds * 1e-9
        if self._buffer:
            data, self._buffer = self._buffer + data, b""
        if self._handshaking:
            end = data.find(b"\r\n\r\n")
            if end < 0:
                self._buffer = data
                return
            status = data[: data.find(b"\r\n")]
            if b" 101 " not in status:
                self._fail(f"handshake refused: {status.decode(errors='replace')}")
                return
            data = data[end + 4 :]
            self._handshaking = False
            self.opened()
        plain = self.plain
        look = self.watch is not None and self.watch in data
        position, size = 0, len(data)
        while size - position >= 2:
            length = data[position + 1] & 0x7F
            head = 2
            if length == 126:
                if size - position < 4:
                    break
                length, head = (data[position + 2] << 8) | data[position + 3], 4
            elif length == 127:
                if size - position < 10:
                    break
                length, head = int.from_bytes(data[position + 2 : position + 10]), 10
            end = position + head + length
            if end > size:
                break
            if look or data[position] != 0x81 or not data.startswith(plain, position + head):
                self._frame(data[position], data[position + head : end])
                if self._closed:
                    return
            position = end
        if position < size:
            self._buffer = data[position:]
        if not position:
            return
        # Publications in any frame of this read: a server frame header (unmasked, 2-10
        # bytes) cannot contain the marker's quote-letter-letter-quote.
        count = data.count(MARKER, 0, position)
        if count:
            counters = self.counters
            counters.received += count
            bucket = int(read_at * _BUCKETS_PER_SECOND)
            counters.buckets[bucket] = counters.buckets.get(bucket, 0) + count
            if counters.latency:
                frames = data if position == size else data[:position]
                counters.reads.append((read_at, arrived_at, frames))

    def _frame(self, first: int, body: bytes) -> None:
        opcode = first & 0x0F
        if opcode in (0, 1, 2):  # data; servers do not fragment here, but it costs little
            if not first & 0x80:
                self._fragments.append(body)
                return
            if self._fragments:
                body = b"".join([*self._fragments, body])
                self._fragments.clear()
            self.message(body)
        elif opcode == 0x9:  # uvicorn's keepalive ping (every 20 s): answer or be dropped
            self._write(_masked(0xA, body))
        elif opcode == 0x8:
            code = int.from_bytes(body[:2]) if len(body) >= 2 else 1005
            if self.ready.done() and not self._closing:
                codes = self.counters.close_codes
                codes[code] = codes.get(code, 0) + 1
            self._fail(f"closed by the server: {code} {body[2:].decode(errors='replace')}")

    def _write(self, data: bytes) -> None:
        if self._closed:
            return
        try:
            sent = self.sock.send(data)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError as error:
            self._lost(error)
            return
        if sent < len(data):  # the socket's buffer is full: rare for a client's small frames
            task = self.loop.create_task(self._write_later(data[sent:]))
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)

    async def _write_later(self, data: bytes) -> None:
        try:
            await self.loop.sock_sendall(self.sock, data)
        except OSError as error:
            self._lost(error)

    def send_text(self, text: bytes) -> None:
        self._write(_masked(0x1, text))

    def _lost(self, error: Exception | None) -> None:
        if self._closed:
            return
        self._shut()
        if not self.ready.done():
            self.ready.set_exception(ConnectionError(f"closed before ready: {error}"))
        elif not self._closing:
            self.counters.closed += 1

    def _shut(self) -> None:
        self._closed = True
        if self._reading:
            self.loop.remove_reader(self.sock.fileno())
            self._reading = False
        self.sock.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closing = True
        self._write(_masked(0x8, (1000).to_bytes(2)))
        self._shut()

    def _fail(self, reason: str) -> None:
        if not self.ready.done():
            self.ready.set_exception(ConnectionError(reason))
        elif not self._closing and not self._closed:
            self.counters.closed += 1
        if not self._closed:
            self._shut()

    # --- protocol -----------------------------------------------------------------------------

    def opened(self) -> None:
        raise NotImplementedError

    def message(self, text: bytes) -> None:
        raise NotImplementedError


# Constant answers, masked once: a server cannot tell a reused mask from a fresh one.
_PONG_CENTRIFUGE = _masked(0x1, b"{}")
_PONG_SOCKETIO = _masked(0x1, b"3")


class CentrifugeClient(WsClient):
    """Centrifuge protocol v2, JSON: connect, subscribe, answer pings, count publications."""

    path = "/connection/websocket"
    plain = b'{"push":'
    watch = b"\n{}"  # a ping packed after publications in one frame

    def opened(self) -> None:
        token, channel = self.params["token"], self.params["channel"]
        self.send_text(orjson.dumps({"id": 1, "connect": {"token": token}}))
        self.send_text(orjson.dumps({"id": 2, "subscribe": {"channel": channel}}))

    def message(self, text: bytes) -> None:
        if self.ready.done():
            # A ping is the line "{}", possibly batched with publications in one frame.
            if text == b"{}" or text.startswith(b"{}\n") or b"\n{}" in text:
                self._write(_PONG_CENTRIFUGE)
            return
        for line in text.split(b"\n"):
            reply = orjson.loads(line) if line else {}
            if "error" in reply:
                self._fail(f"refused: {line.decode()}")
            elif reply.get("id") == 2:
                self.ready.set_result(None)
            elif not reply:
                self._write(_PONG_CENTRIFUGE)


class SocketIOClient(WsClient):
    """Engine.IO v4 / Socket.IO v5 over a WebSocket: open, connect "/", join the room with an
    acknowledgement, answer pings ("2" → "3"), count events ("42[...]")."""

    path = "/socket.io/?EIO=4&transport=websocket"
    plain = b"42"

    def opened(self) -> None:
        pass  # the server speaks first: "0{...}"

    def message(self, text: bytes) -> None:
        if text == b"2":
            self._write(_PONG_SOCKETIO)
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
    plain = b"{"

    def opened(self) -> None:
        pass

    def message(self, text: bytes) -> None:
        if text == b"ready" and not self.ready.done():
            self.ready.set_result(None)


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
        group = self.groups.setdefault(cmd["group"], Group())
        kind = DIALECTS[cmd["dialect"]]
        # Spread evenly over the nodes of a cluster, one after the other.
        host, ports = "127.0.0.1", [int(port) for port in cmd["ports"]]
        errors: list[str] = []
        started = time.perf_counter()
        remaining, batch_size = int(cmd["count"]), int(cmd["batch"])
        while remaining > 0:
            size = min(batch_size, remaining)
            batch = [
                kind(host, ports[(len(group.clients) + i) % len(ports)], group.counters, cmd)
                for i in range(size)
            ]
            remaining -= size
            opened = await asyncio.gather(*(c.open() for c in batch), return_exceptions=True)
            live = []
            for client, result in zip(batch, opened, strict=True):
                if isinstance(result, BaseException):
                    errors.append(repr(result))
                    client.close()
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
        received, arrived = c.latencies()
        return {
            "received": c.received,
            "buckets": c.buckets,
            "latencies_ms": received,
            "arrival_ms": arrived,
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
