"""The WebSocket endpoint ``/connection/websocket``."""

from __future__ import annotations

from urllib.parse import urlsplit

import structlog
from starlette.websockets import WebSocket

from hubdeck.core.sessions import INSECURE_SESSION_COOKIE, SESSION_COOKIE
from hubdeck.web.realtime.connection import Connection
from hubdeck.web.realtime.node import RealtimeNode

log = structlog.get_logger(__name__)


async def websocket_endpoint(websocket: WebSocket) -> None:
    node: RealtimeNode = websocket.app.state.runtime.realtime
    if websocket.headers.get("sec-websocket-protocol", "") == "centrifuge-protobuf":
        # Refuse the handshake (HTTP 403): only the JSON format is served.
        await websocket.close(code=1003)
        return
    await websocket.accept()
    session_id = websocket.cookies.get(SESSION_COOKIE) or websocket.cookies.get(
        INSECURE_SESSION_COOKIE
    )
    if session_id is not None and not _same_origin(websocket):
        # A page of another site must not ride on the user's cookie (cross-site WebSocket
        # hijacking): it connects as anonymous, like any client without a session.
        session_id = None
    connection = Connection(
        websocket, node, session_id=session_id, max_queued_bytes=node.max_queued_bytes
    )
    structlog.contextvars.bind_contextvars(client=connection.client_id)
    log.debug("realtime.open")
    await connection.serve()
    log.debug("realtime.closed")


def _same_origin(websocket: WebSocket) -> bool:
    origin = websocket.headers.get("origin")
    if origin is None:
        return True  # not a browser: browsers always send Origin on a WebSocket handshake
    given = urlsplit(origin).netloc.lower()
    public = urlsplit(str(websocket.app.state.runtime.settings.public_url)).netloc.lower()
    return given in {public, websocket.headers.get("host", "").lower()}
