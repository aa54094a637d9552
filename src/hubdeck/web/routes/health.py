"""Liveness and readiness, for load balancers and operators."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from hubdeck.web.deps import RuntimeDep

router = APIRouter(tags=["operations"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up and serving requests."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "a dependency is down"}})
async def readyz(runtime: RuntimeDep) -> JSONResponse:
    """Whether the database and Redis answer; 503 naming what is down."""
    checks = runtime.health_checks
    results = await asyncio.gather(*(check.check() for check in checks), return_exceptions=True)
    report: dict[str, dict[str, Any]] = {}
    for check, result in zip(checks, results, strict=True):
        entry: dict[str, Any] = {"ok": result is None, "backend": runtime.backends[check.name]}
        if isinstance(result, BaseException):
            entry["error"] = str(result) or type(result).__name__
        report[check.name] = entry
    for name, backend in runtime.backends.items():
        report.setdefault(name, {"ok": True, "backend": backend})
    down = sorted(name for name, entry in report.items() if not entry["ok"])
    body: dict[str, Any] = {"status": "unavailable" if down else "ok", "checks": report}
    if down:
        body["down"] = down
    return JSONResponse(body, status_code=503 if down else 200)
