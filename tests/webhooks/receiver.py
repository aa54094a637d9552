"""A webhook receiver for tests: a real HTTP server (Starlette on uvicorn) that verifies every
delivery with the independent ``standardwebhooks`` implementation."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from tests.servers import free_port


@dataclass
class Delivery:
    path: str
    headers: dict[str, str]
    body: bytes
    verified: bool
    payload: Any


@dataclass
class Receiver:
    url: str = ""
    secrets: list[str] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    # What to answer: a status code, or a function of the request's path.
    status: int = 200
    redirect_to: str | None = None
    delay: float = 0.0
    reply: str | None = None
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def verify(self, body: bytes, headers: dict[str, str]) -> tuple[bool, Any]:
        for secret in self.secrets:
            try:
                return True, Webhook(secret).verify(body, headers)
            except WebhookVerificationError:
                continue
        return False, None

    @property
    def ids(self) -> set[str]:
        return {d.headers["webhook-id"] for d in self.deliveries if "webhook-id" in d.headers}

    async def wait_for(self, condition: Callable[[], bool], timeout: float = 20.0) -> None:
        async with asyncio.timeout(timeout):
            while not condition():
                self.changed.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(0.2):
                        await self.changed.wait()

    async def handle(self, request: Request) -> Response:
        body = await request.body()
        headers = {k.lower(): v for k, v in request.headers.items()}
        verified, payload = self.verify(body, headers)
        if payload is None and body:
            with contextlib.suppress(ValueError):
                payload = json.loads(body)
        self.deliveries.append(Delivery(request.url.path, headers, body, verified, payload))
        self.changed.set()
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.redirect_to is not None:
            return RedirectResponse(self.redirect_to, status_code=302)
        text = self.reply if self.reply is not None else ("ok" if self.status < 300 else "nope")
        return PlainTextResponse(text, status_code=self.status)


@contextlib.asynccontextmanager
async def running_receiver(**options: Any) -> AsyncIterator[Receiver]:
    receiver = Receiver(**options)
    app = Starlette(routes=[Route("/{path:path}", receiver.handle, methods=["POST", "GET"])])
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="off", ws="none")
    )
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.02)
        receiver.url = f"http://127.0.0.1:{port}"
        yield receiver
    finally:
        server.should_exit = True
        await task
