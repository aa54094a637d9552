"""/metrics and /healthz for a process that serves no HTTP app of its own (a background worker).

``await serve_metrics(runtime, host, port)`` serves until cancelled, then closes its socket.
The socket is bound before serving, so a port already taken raises ``OSError`` to the caller
(uvicorn would exit the whole process instead). The host process keeps its own signal handling:
this server installs none.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator

import uvicorn
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hubdeck.runtime import Runtime
from hubdeck.web.observability import Observability


def metrics_app(runtime: Runtime, observability: Observability | None = None) -> Starlette:
    rendering = observability or Observability()

    async def metrics(request: Request) -> Response:
        body = await rendering.render(runtime)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return Starlette(
        routes=[
            Route("/metrics", metrics, methods=["GET"]),
            Route("/healthz", healthz, methods=["GET"]),
        ]
    )


class _QuietServer(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # The worker decides what SIGTERM means; uvicorn would take the signal over.
        yield


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family)


async def serve_metrics(runtime: Runtime, host: str, port: int) -> None:
    sock = bind(host, port)
    config = uvicorn.Config(
        metrics_app(runtime),
        log_config=None,
        access_log=False,
        lifespan="off",
        ws="none",
    )
    server = _QuietServer(config)
    task = asyncio.create_task(server.serve(sockets=[sock]), name="metrics-server")
    try:
        await asyncio.shield(task)
    finally:
        if not task.done():
            server.should_exit = True
            await task
        sock.close()
