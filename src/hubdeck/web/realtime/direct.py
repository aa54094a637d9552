"""Pre-encoded frames written straight to a socket, when HubDeck serves on its own uvicorn
WebSocket protocol (``hubdeck serve`` does).

A publication goes to every subscriber as the same bytes: a server's frames are not masked, so
the whole WebSocket frame, header included, is encoded once per publication. Through ASGI every
``send`` would re-check the connection's state and re-frame and copy the text per recipient;
at thousands of subscribers that is most of a fan-out's cost. The protocol below offers a
``hubdeck.direct_send`` scope extension (ASGI lets servers add their own) that writes such a
frame to the transport and reports the transport's backlog, which is also how a consumer that
does not keep up is detected. Under any other server the extension is absent and frames go
through ASGI as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.frames import Frame
from websockets.http11 import Request
from websockets.protocol import State

DIRECT_SEND = "hubdeck.direct_send"
# A Centrifuge pong: the empty command, which a client sends once per server ping.
PONG = b"{}"


def encode_text_frame(text: str) -> bytes:
    """One final, unmasked, uncompressed text frame, as a server sends it (RFC 6455 §5.2)."""
    payload = text.encode()
    size = len(payload)
    if size < 126:
        head = bytes((0x81, size))
    elif size < 1 << 16:
        head = bytes((0x81, 126)) + size.to_bytes(2)
    else:
        head = bytes((0x81, 127)) + size.to_bytes(8)
    return head + payload


class DirectSend:
    """Writes whole frames to one connection's transport. Returns the transport's write
    backlog in bytes, or None when the connection is closing (nothing was written)."""

    __slots__ = ("_conn", "_protocol", "_transport", "on_pong")

    def __init__(self, protocol: WebSocketsSansIOProtocol) -> None:
        self._protocol = protocol
        # Both are set before the handshake completes and stay for the connection's life.
        self._transport = protocol.transport
        self._conn = protocol.conn
        # Set by the application: called for a frame that is exactly a pong, which then does
        # not go through ASGI (a queue, a task woken, a parse: per connection, every ping).
        self.on_pong: Callable[[], None] | None = None

    def __call__(self, wire: bytes) -> int | None:
        # Runs once per recipient of every publication: the cheapest checks first.
        transport = self._transport
        protocol = self._protocol
        if (
            transport.is_closing()
            or protocol.close_sent
            or protocol.disconnected
            or self._conn.state is not State.OPEN
        ):
            return None
        # Whole frames only, from the event loop's thread: they cannot interleave with the
        # frames uvicorn writes itself (replies, pings, the close).
        transport.write(wire)
        return transport.get_write_buffer_size()


class HubDeckWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's sans-I/O WebSocket protocol, offering ``hubdeck.direct_send``."""

    _direct: DirectSend | None = None

    def handle_connect(self, event: Request) -> None:
        super().handle_connect(event)
        # With per-message compression each connection's frames differ: no shared bytes.
        if self.response.status_code == 101 and not self.config.ws_per_message_deflate:
            extensions = cast(dict[str, Any], self.scope["extensions"])
            self._direct = extensions[DIRECT_SEND] = DirectSend(self)

    def handle_text(self, event: Frame) -> None:
        # A whole message that is a pong, to an application that takes pongs here.
        direct = self._direct
        if event.fin and event.data == PONG and direct is not None and not self.close_sent:
            on_pong = direct.on_pong
            if on_pong is not None:
                on_pong()
                return
        super().handle_text(event)
