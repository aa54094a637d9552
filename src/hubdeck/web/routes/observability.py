"""Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from hubdeck.web.deps import RuntimeDep

router = APIRouter(tags=["operations"])


@router.get("/metrics", response_class=Response)
async def metrics(runtime: RuntimeDep) -> Response:
    """Connections, subscriptions, events published and delivered, recoveries, gaps and
    slow-consumer disconnects of this process, in the Prometheus text format."""
    registry = runtime.realtime.metrics.registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
