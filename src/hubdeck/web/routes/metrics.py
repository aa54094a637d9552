"""Engineering metrics per repository and per team (definitions: docs/metrics.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from hubdeck.web.deps import RuntimeDep
from hubdeck.web.positions import read_position, set_position
from hubdeck.web.routes.teams import RepositoryId, TeamId
from hubdeck.web.session import CurrentUserId

router = APIRouter(prefix="/api", tags=["metrics"])

Days = Annotated[int, Query(ge=1, le=365, description="Window: the last N days.")]
TimeZone = Annotated[
    str, Query(max_length=64, description="IANA time zone for weeks and the heatmap.")
]


@router.get("/teams/{team_id}/repositories/{repository_id}/metrics")
async def repository_metrics(
    team_id: TeamId,
    repository_id: RepositoryId,
    runtime: RuntimeDep,
    user_id: CurrentUserId,
    response: Response,
    days: Days = 30,
    tz: TimeZone = "UTC",
) -> dict[str, Any]:
    # Position before data (a cached report is dropped by the events that move it).
    position = await read_position(runtime, f"repo:{repository_id}")
    report = await runtime.metrics.repository(team_id, user_id, repository_id, days, tz)
    set_position(response, position)
    return report


@router.get("/teams/{team_id}/metrics")
async def team_metrics(
    team_id: TeamId,
    runtime: RuntimeDep,
    user_id: CurrentUserId,
    response: Response,
    days: Days = 30,
    tz: TimeZone = "UTC",
) -> dict[str, Any]:
    position = await read_position(runtime, f"team:{team_id}")
    report = await runtime.metrics.team(team_id, user_id, days, tz)
    set_position(response, position)
    return report
