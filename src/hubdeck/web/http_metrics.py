"""HTTP request latency for /metrics, by route template, method and status class.

A pure ASGI middleware (BaseHTTPMiddleware would wrap every body in an extra task, and break
streaming). Labels are bounded: the route template the router matched (``/api/teams/{team_id}``,
never the raw path), ``unrouted`` when none did (a 404, a request refused before routing), the
method (unusual ones folded into ``other``) and the status class (``2xx``…). WebSocket
connections (long-lived, counted by the real-time metrics) and /metrics itself are left out.
"""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# From a cached read (about a millisecond) to a slow report or a stalled dependency.
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNROUTED = "unrouted"
EXCLUDED_PATHS = frozenset({"/metrics"})


class HttpMetrics:
    """One registry per app, so two apps in one process (tests) never share counts."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.duration = Histogram(
            "hubdeck_http_request_duration_seconds",
            "Time from a request's arrival to the end of its response body",
            ["route", "method", "status"],
            buckets=BUCKETS,
            registry=self.registry,
        )

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        self.duration.labels(
            route, method if method in _METHODS else "other", f"{status // 100}xx"
        ).observe(seconds)


class HttpMetricsMiddleware:
    def __init__(self, app: ASGIApp, metrics: HttpMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXCLUDED_PATHS:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            self.metrics.observe(
                route_template(scope), scope["method"], status, time.perf_counter() - started
            )


def route_template(scope: Scope) -> str:
    """The path template of the route the router chose; it records it in the (shared) scope."""
    path = getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) and path else UNROUTED
