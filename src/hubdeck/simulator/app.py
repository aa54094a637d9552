"""The composition root: one ``Simulator`` wires the clock, seeded store, renderers, limits,
webhook sender, activity generator and routes into a Starlette app.

Importing does nothing; the webhook sender and the activity generator run only between
``start()`` and ``stop()``, which the app's lifespan calls (or ``async with Simulator(...)``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator
from types import TracebackType

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from . import admin, apps, rest_code, rest_core, rest_issues
from .activity import ActivityGenerator
from .api import ApiContext, Reply, handle, not_found
from .clock import Clock
from .config import SimulatorConfig
from .mutations import Mutations
from .oauth import OAuthServer
from .payloads import Payloads
from .ratelimit import RateLimiter, SecondaryLimiter
from .render_items import ItemRenderer
from .seed import build_store
from .state import DEFAULT_SCOPES
from .stats import Stats
from .webhooks import WebhookSender

log = logging.getLogger("hubdeck.simulator")

_BY_ID = re.compile(r"^/(repositories|organizations|user)/(\d+)(/.*)?$")
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


class Simulator:
    def __init__(
        self, config: SimulatorConfig, *, webhook_transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.config = config
        self.clock = Clock(config.now, frozen=config.clock_frozen)
        self.store = build_store(config, self.clock.start)
        for value, login in config.preset_tokens.items():
            self.store.issue_token(login, DEFAULT_SCOPES, now=self.clock.start, value=value)
        self.render = ItemRenderer(self.store, config.base_url)
        self.sender = WebhookSender(
            config, self.clock, target_id=self.store.org.id, transport=webhook_transport
        )
        self.mutations = Mutations(self.store, Payloads(self.render), self.clock, self.sender)
        self.activity = ActivityGenerator(self.store, self.mutations, config.seed)
        self.limiter = RateLimiter(config, self.clock)
        self.secondary = SecondaryLimiter(config, self.clock)
        self.stats = Stats()
        self.oauth = OAuthServer(self)
        self.apps = apps.AppRegistry(self)
        self._requests = 0
        self._activity_task: asyncio.Task[None] | None = None
        self.app = self._build_app()

    def request_id(self) -> str:
        self._requests += 1
        n = self._requests
        seed = self.config.seed % 2**32
        return f"{n % 65536:04X}:{(n * 7919) % 65536:04X}:{n:07X}:{n * 31:07X}:{seed:08X}"

    # -- lifecycle ---------------------------------------------------------------------------
    async def start(self) -> None:
        await self.sender.start()
        if self.sender.url and self.config.send_ping_on_start:
            self.mutations.ping()
            self.mutations.take_emitted()
        if self.config.activity_rate > 0 and self._activity_task is None:
            self._activity_task = asyncio.create_task(
                self.activity.run(self.config.activity_rate), name="simulator-activity"
            )

    async def stop(self) -> None:
        if self._activity_task is not None:
            self._activity_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._activity_task
            self._activity_task = None
        await self.sender.stop()

    async def __aenter__(self) -> Simulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- app ---------------------------------------------------------------------------------
    def _build_app(self) -> Starlette:
        routes: list[BaseRoute] = [*rest_core.routes(), *rest_issues.routes(), *rest_code.routes()]
        routes += self.oauth.routes()
        routes += apps.routes()
        if self.config.admin_enabled:
            routes += admin.routes()
        routes.append(Route("/{path:path}", self._unknown, methods=ALL_METHODS))

        @contextlib.asynccontextmanager
        async def lifespan(app: Starlette) -> AsyncIterator[None]:
            async with self:
                yield

        app = Starlette(
            routes=routes, lifespan=lifespan, middleware=[Middleware(_ByIdPaths, sim=self)]
        )
        app.state.sim = self
        return app

    async def _unknown(self, request: Request) -> Response:
        def missing(ctx: ApiContext) -> Reply:
            raise not_found()

        return await handle(self, request, "*", missing, resource="core", free=False)


class _ByIdPaths:
    """Serves GitHub's id-based aliases (``/repositories/{id}/...``, ``/organizations/{id}/...``,
    ``/user/{id}``), which is where GitHub's Link headers point, by rewriting them to the
    name-based routes before routing."""

    def __init__(self, app: ASGIApp, sim: Simulator) -> None:
        self.app = app
        self.sim = sim

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            match = _BY_ID.match(scope["path"])
            if match is not None:
                path = self._rewrite(match.group(1), int(match.group(2)), match.group(3) or "")
                if path is not None:
                    scope = dict(scope, path=path, raw_path=path.encode())
        await self.app(scope, receive, send)

    def _rewrite(self, kind: str, ident: int, rest: str) -> str | None:
        store = self.sim.store
        if kind == "repositories":
            repo = store.repos.get(ident)
            return None if repo is None else f"/repos/{repo.full_name}{rest}"
        if kind == "organizations":
            return f"/orgs/{store.org.login}{rest}" if ident == store.org.id else None
        if rest:
            return None
        user = next((u for u in store.users.values() if u.id == ident), None)
        return None if user is None else f"/users/{user.login}"


def create_simulator_app(
    config: SimulatorConfig, *, webhook_transport: httpx.AsyncBaseTransport | None = None
) -> Starlette:
    """The simulator as an ASGI app; ``app.state.sim`` is its ``Simulator``."""
    return Simulator(config, webhook_transport=webhook_transport).app
