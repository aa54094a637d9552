"""The WebSocket endpoint ``/connection/websocket``."""

from __future__ import annotations

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
    connection = Connection(
        websocket, node, session_id=session_id, max_queued_bytes=node.max_queued_bytes
    )
    structlog.contextvars.bind_contextvars(client=connection.client_id)
    log.debug("realtime.open")
    await connection.serve()
    log.debug("realtime.closed")
