"""Observability of an HTTP process: request metrics, and /metrics rendered from every source.

``install_observability(app)`` is the composition root's one call; the /metrics route and the
metrics server of a process without HTTP app (``hubdeck.web.metrics_server``) both render with
``Observability.render``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from fastapi import FastAPI
from prometheus_client import generate_latest
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from hubdeck.runtime import Runtime
from hubdeck.services.ops_metrics import OpsCollector
from hubdeck.web.http_metrics import HttpMetrics, HttpMetricsMiddleware


class Observability:
    def __init__(self) -> None:
        self.http = HttpMetrics()
        self._ops: OpsCollector | None = None

    def ops(self, runtime: Runtime) -> OpsCollector:
        # Built on first scrape: the runtime only exists once the lifespan has started.
        if self._ops is None or self._ops.runtime is not runtime:
            self._ops = OpsCollector(runtime)
        return self._ops

    async def render(self, runtime: Runtime) -> bytes:
        """The Prometheus text of this process: real-time and cache metrics, HTTP requests, and
        the figures read from the runtime (at most every few seconds)."""
        ops = self.ops(runtime)
        await ops.refresh()
        return generate_latest(
            _Together((runtime.realtime.metrics.registry, self.http.registry, ops))
        )


class _Together:
    """Several collectors rendered as one registry (their metric names never overlap)."""

    def __init__(self, collectors: Iterable[Collector]) -> None:
        self._collectors = tuple(collectors)

    def collect(self) -> Iterator[Metric]:
        for collector in self._collectors:
            yield from collector.collect()


def install_observability(app: FastAPI) -> Observability:
    """Time every HTTP request by route; /metrics then serves these with the rest."""
    observability = Observability()
    app.state.observability = observability
    app.add_middleware(HttpMetricsMiddleware, metrics=observability.http)
    return observability


def observability_of(app: FastAPI) -> Observability:
    found = getattr(app.state, "observability", None)
    if isinstance(found, Observability):
        return found
    # An app built without install_observability still serves everything but request timings.
    app.state.observability = Observability()
    return app.state.observability  # type: ignore[no-any-return]
