"""Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST

from hubdeck.web.deps import RuntimeDep
from hubdeck.web.observability import observability_of

router = APIRouter(tags=["operations"])


@router.get("/metrics", response_class=Response)
async def metrics(request: Request, runtime: RuntimeDep) -> Response:
    """This process in the Prometheus text format: HTTP latency by route, WebSocket connections
    and deliveries, domain events, caches, the rate-limit pool, the webhook outbox, sync lag and
    readiness (docs/operations.md)."""
    body = await observability_of(request.app).render(runtime)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
