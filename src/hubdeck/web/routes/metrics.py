"""Engineering metrics per repository and per team (definitions: docs/metrics.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from hubdeck.web.deps import RuntimeDep
from hubdeck.web.positions import HEADER, read_position
from hubdeck.web.routes.teams import RepositoryId, TeamId
from hubdeck.web.session import CurrentUserId

router = APIRouter(prefix="/api", tags=["metrics"])

# The reports are cached as JSON and sent as they are: parsing them to serialize them again
# cost more than the rest of the request.
REPORT: dict[int | str, dict[str, Any]] = {
    200: {"description": "The report", "content": {"application/json": {}}}
}


def _report(raw: bytes, position: str) -> Response:
    return Response(content=raw, media_type="application/json", headers={HEADER: position})


Days = Annotated[int, Query(ge=1, le=365, description="Window: the last N days.")]
TimeZone = Annotated[
    str, Query(max_length=64, description="IANA time zone for weeks and the heatmap.")
]


@router.get(
    "/teams/{team_id}/repositories/{repository_id}/metrics",
    response_class=Response,
    responses=REPORT,
)
async def repository_metrics(
    team_id: TeamId,
    repository_id: RepositoryId,
    runtime: RuntimeDep,
    user_id: CurrentUserId,
    days: Days = 30,
    tz: TimeZone = "UTC",
) -> Response:
    # Position before data (a cached report is dropped by the events that move it).
    position = await read_position(runtime, f"repo:{repository_id}")
    report = await runtime.metrics.repository_json(team_id, user_id, repository_id, days, tz)
    return _report(report, position)


@router.get("/teams/{team_id}/metrics", response_class=Response, responses=REPORT)
async def team_metrics(
    team_id: TeamId,
    runtime: RuntimeDep,
    user_id: CurrentUserId,
    days: Days = 30,
    tz: TimeZone = "UTC",
) -> Response:
    position = await read_position(runtime, f"team:{team_id}")
    report = await runtime.metrics.team_json(team_id, user_id, days, tz)
    return _report(report, position)
